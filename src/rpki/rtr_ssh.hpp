// SPDX-License-Identifier: BSD-2-Clause
// RTR over SSH (RFC 8210 §9, RFC 6810 §7): an SSH client session on a TCP connection that is
// already open, which asks for the subsystem "rpki-rtr" and then carries the RTR PDUs in its
// channel. libssh does the SSH; it runs non-blocking, so the owner waits for the socket to be
// readable or writable (wants()) and calls advance(), read() or write() again; no thread blocks.
// The server's host key must be in the configured known_hosts file: an unknown or different key
// refuses the connection (RFC 8210 §9: the router must authenticate the cache).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "base/result.hpp"

namespace bgpsecd::rpki {

struct RtrSshConfig {
  std::string user;
  std::string key_file;       // private key (OpenSSH or PEM); may be empty with a password
  std::string known_hosts;    // OpenSSH known_hosts; the cache's host key must be in it
  std::string password_file;  // optional: password authentication
  friend bool operator==(const RtrSshConfig&, const RtrSshConfig&) = default;
};

// The subsystem an RTR cache offers over SSH (RFC 8210 §9).
inline constexpr const char* kRtrSshSubsystem = "rpki-rtr";

// What the session waits for before the next call makes progress.
enum class SshWait : std::uint8_t { Readable, Writable };

class RtrSshChannel {
 public:
  // `fd` is a connected TCP socket that stays the caller's: libssh does not close a descriptor
  // it was given (SSH_OPTIONS_FD), so the caller closes it after destroying the channel.
  // `host` and `port` name the cache in known_hosts.
  [[nodiscard]] static base::Result<std::unique_ptr<RtrSshChannel>> open(
      int fd, const std::string& host, std::uint16_t port, const RtrSshConfig& config);
  RtrSshChannel(const RtrSshChannel&) = delete;
  RtrSshChannel& operator=(const RtrSshChannel&) = delete;
  RtrSshChannel(RtrSshChannel&&) = delete;
  RtrSshChannel& operator=(RtrSshChannel&&) = delete;
  ~RtrSshChannel();

  // One step of key exchange, host key check, authentication, channel and subsystem request.
  // true once the channel carries RTR; false: wait for wants() and call again. An error says
  // why (for a host key: which fingerprint was refused).
  [[nodiscard]] base::Result<bool> advance();
  // Bytes from the channel; 0 when none are there now. An error at the end of the channel.
  [[nodiscard]] base::Result<std::size_t> read(std::span<std::uint8_t> buffer);
  // Bytes taken into the channel (fewer than given while the peer's window is full).
  [[nodiscard]] base::Result<std::size_t> write(std::span<const std::uint8_t> bytes);
  [[nodiscard]] SshWait wants() const;

 private:
  struct Handles;
  enum class Stage : std::uint8_t { Connect, Authenticate, OpenChannel, Subsystem, Open };
  RtrSshChannel(std::unique_ptr<Handles> handles, RtrSshConfig config);
  [[nodiscard]] base::Result<void> check_host_key();
  [[nodiscard]] base::Result<bool> authenticate();

  std::unique_ptr<Handles> handles_;
  RtrSshConfig config_;
  Stage stage_ = Stage::Connect;
  bool tried_key_ = false;
};

}  // namespace bgpsecd::rpki
