// SPDX-License-Identifier: BSD-2-Clause
// libssh, non-blocking, for RTR over SSH (see rtr_ssh.hpp).
#include "rpki/rtr_ssh.hpp"

#include <utility>

#include <libssh/libssh.h>

#include "base/secret_file.hpp"

namespace bgpsecd::rpki {
namespace {

struct SessionFree {
  void operator()(ssh_session s) const noexcept {
    ssh_disconnect(s);  // leaves a descriptor given with SSH_OPTIONS_FD open
    ssh_free(s);
  }
};
struct ChannelFree {
  void operator()(ssh_channel c) const noexcept { ssh_channel_free(c); }
};
struct KeyFree {
  void operator()(ssh_key k) const noexcept { ssh_key_free(k); }
};
struct HashFree {
  void operator()(unsigned char* h) const noexcept { ssh_clean_pubkey_hash(&h); }
};
struct CharFree {
  void operator()(char* s) const noexcept { ssh_string_free_char(s); }
};
using SessionPtr = std::unique_ptr<ssh_session_struct, SessionFree>;
using ChannelPtr = std::unique_ptr<ssh_channel_struct, ChannelFree>;
using KeyPtr = std::unique_ptr<ssh_key_struct, KeyFree>;

// Private keys and passwords are small; anything larger is not one.
constexpr std::size_t kMaxKeyFileSize = 64 * 1024;
constexpr std::size_t kMaxPasswordSize = 1024;

std::string session_error(ssh_session session) { return ssh_get_error(session); }

// "SHA256:..." as OpenSSH prints it, or what went wrong.
std::string fingerprint(ssh_key key) {
  unsigned char* raw = nullptr;
  std::size_t length = 0;
  if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &raw, &length) != SSH_OK) {
    return "(no fingerprint)";
  }
  const std::unique_ptr<unsigned char, HashFree> hash(raw);
  const std::unique_ptr<char, CharFree> text(
      ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash.get(), length));
  return text ? std::string(text.get()) : "(no fingerprint)";
}

}  // namespace

struct RtrSshChannel::Handles {
  SessionPtr session;
  ChannelPtr channel;
  KeyPtr key;
  std::string password;
  ~Handles() {
    channel.reset();  // before the session it belongs to
    base::wipe(password);
  }
};

RtrSshChannel::RtrSshChannel(std::unique_ptr<Handles> handles, RtrSshConfig config)
    : handles_(std::move(handles)), config_(std::move(config)) {}

RtrSshChannel::~RtrSshChannel() = default;

base::Result<std::unique_ptr<RtrSshChannel>> RtrSshChannel::open(int fd, const std::string& host,
                                                                 std::uint16_t port,
                                                                 const RtrSshConfig& config) {
  auto handles = std::make_unique<Handles>();
  if (!config.key_file.empty()) {
    auto pem = base::read_secret_file(config.key_file, "ssh_key", kMaxKeyFileSize);
    if (!pem) {
      return base::fail(pem.error().message);
    }
    ssh_key key = nullptr;
    const int rc = ssh_pki_import_privkey_base64(pem->c_str(), nullptr, nullptr, nullptr, &key);
    base::wipe(*pem);
    if (rc != SSH_OK) {
      return base::fail("ssh_key " + config.key_file + ": not a private key libssh can read");
    }
    handles->key.reset(key);
  }
  if (!config.password_file.empty()) {
    auto password =
        base::read_secret_file(config.password_file, "ssh_password_file", kMaxPasswordSize);
    if (!password) {
      return base::fail(password.error().message);
    }
    while (!password->empty() && (password->back() == '\n' || password->back() == '\r')) {
      password->pop_back();
    }
    handles->password = std::move(*password);
  }
  handles->session.reset(ssh_new());
  ssh_session session = handles->session.get();
  if (session == nullptr) {
    return base::fail("cannot create an SSH session");
  }
  const unsigned port_value = port;
  const int no = 0;
  // Nothing from ~/.ssh/config or the system's known hosts: only what the operator configured.
  if (ssh_options_set(session, SSH_OPTIONS_FD, &fd) != SSH_OK ||
      ssh_options_set(session, SSH_OPTIONS_PROCESS_CONFIG, &no) != SSH_OK ||
      ssh_options_set(session, SSH_OPTIONS_HOST, host.c_str()) != SSH_OK ||
      ssh_options_set(session, SSH_OPTIONS_PORT, &port_value) != SSH_OK ||
      ssh_options_set(session, SSH_OPTIONS_USER, config.user.c_str()) != SSH_OK ||
      ssh_options_set(session, SSH_OPTIONS_KNOWNHOSTS, config.known_hosts.c_str()) != SSH_OK ||
      ssh_options_set(session, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, config.known_hosts.c_str()) !=
          SSH_OK) {
    return base::fail("cannot set SSH options: " + session_error(session));
  }
  ssh_set_blocking(session, 0);
  return std::unique_ptr<RtrSshChannel>(new RtrSshChannel(std::move(handles), config));
}

base::Result<void> RtrSshChannel::check_host_key() {
  ssh_session session = handles_->session.get();
  ssh_key raw = nullptr;
  if (ssh_get_server_publickey(session, &raw) != SSH_OK) {
    return base::fail("no host key from the server: " + session_error(session));
  }
  const KeyPtr key(raw);
  const std::string print = fingerprint(key.get());
  switch (ssh_session_is_known_server(session)) {
    case SSH_KNOWN_HOSTS_OK:
      return {};
    case SSH_KNOWN_HOSTS_CHANGED:
    case SSH_KNOWN_HOSTS_OTHER:
      return base::fail("host key " + print + " does not match the one in " + config_.known_hosts +
                        "; refusing the connection");
    case SSH_KNOWN_HOSTS_NOT_FOUND:
    case SSH_KNOWN_HOSTS_UNKNOWN:
      return base::fail("host key " + print + " is not in " + config_.known_hosts +
                        "; refusing the connection");
    case SSH_KNOWN_HOSTS_ERROR:
    default:
      return base::fail("cannot check host key " + print + " against " + config_.known_hosts +
                        ": " + session_error(session));
  }
}

base::Result<bool> RtrSshChannel::authenticate() {
  ssh_session session = handles_->session.get();
  int rc = SSH_AUTH_DENIED;
  if (handles_->key && !tried_key_) {
    rc = ssh_userauth_publickey(session, nullptr, handles_->key.get());
    if (rc == SSH_AUTH_AGAIN) {
      return false;
    }
    if (rc == SSH_AUTH_SUCCESS) {
      return true;
    }
    tried_key_ = true;  // denied: the password, when there is one, is next
  }
  if (!handles_->password.empty()) {
    rc = ssh_userauth_password(session, nullptr, handles_->password.c_str());
    if (rc == SSH_AUTH_AGAIN) {
      return false;
    }
    if (rc == SSH_AUTH_SUCCESS) {
      return true;
    }
  }
  if (rc == SSH_AUTH_ERROR) {
    return base::fail("authentication failed: " + session_error(session));
  }
  return base::fail("authentication as '" + config_.user + "' refused by the server");
}

base::Result<bool> RtrSshChannel::advance() {
  ssh_session session = handles_->session.get();
  switch (stage_) {
    case Stage::Connect: {
      const int rc = ssh_connect(session);
      if (rc == SSH_AGAIN) {
        return false;
      }
      if (rc != SSH_OK) {
        return base::fail("SSH handshake failed: " + session_error(session));
      }
      BGPSEC_TRY(check_host_key());
      stage_ = Stage::Authenticate;
      [[fallthrough]];
    }
    case Stage::Authenticate: {
      BGPSEC_ASSIGN_OR_RETURN(const bool done, authenticate());
      if (!done) {
        return false;
      }
      handles_->channel.reset(ssh_channel_new(session));
      if (!handles_->channel) {
        return base::fail("cannot create an SSH channel: " + session_error(session));
      }
      stage_ = Stage::OpenChannel;
      [[fallthrough]];
    }
    case Stage::OpenChannel: {
      const int rc = ssh_channel_open_session(handles_->channel.get());
      if (rc == SSH_AGAIN) {
        return false;
      }
      if (rc != SSH_OK) {
        return base::fail("cannot open an SSH channel: " + session_error(session));
      }
      stage_ = Stage::Subsystem;
      [[fallthrough]];
    }
    case Stage::Subsystem: {
      const int rc = ssh_channel_request_subsystem(handles_->channel.get(), kRtrSshSubsystem);
      if (rc == SSH_AGAIN) {
        return false;
      }
      if (rc != SSH_OK) {
        return base::fail(std::string("the server refused the subsystem ") + kRtrSshSubsystem +
                          ": " + session_error(session));
      }
      stage_ = Stage::Open;
      [[fallthrough]];
    }
    case Stage::Open:
      return true;
  }
  return false;
}

base::Result<std::size_t> RtrSshChannel::read(std::span<std::uint8_t> buffer) {
  ssh_channel channel = handles_->channel.get();
  const int n = ssh_channel_read_nonblocking(channel, buffer.data(),
                                             static_cast<std::uint32_t>(buffer.size()), 0);
  if (n == SSH_ERROR) {
    return base::fail("SSH channel lost: " + session_error(handles_->session.get()));
  }
  if (n == SSH_EOF ||
      (n == 0 && (ssh_channel_is_eof(channel) != 0 || ssh_channel_is_closed(channel) != 0))) {
    return base::fail("cache closed the SSH channel");
  }
  return static_cast<std::size_t>(n);
}

base::Result<std::size_t> RtrSshChannel::write(std::span<const std::uint8_t> bytes) {
  const int n = ssh_channel_write(handles_->channel.get(), bytes.data(),
                                  static_cast<std::uint32_t>(bytes.size()));
  if (n == SSH_ERROR) {
    return base::fail("SSH write failed: " + session_error(handles_->session.get()));
  }
  return static_cast<std::size_t>(n);
}

SshWait RtrSshChannel::wants() const {
  return (ssh_get_poll_flags(handles_->session.get()) & SSH_WRITE_PENDING) != 0 ? SshWait::Writable
                                                                                : SshWait::Readable;
}

}  // namespace bgpsecd::rpki
