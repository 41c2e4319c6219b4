// SPDX-License-Identifier: BSD-2-Clause
// transport = "ssh" of one [[rpki.cache]] (RTR over SSH, RFC 8210 §9): the user, the private
// key, the known hosts that authenticate the cache, and an optional password file. The secret
// files are checked here, at load, so that a key left readable by others is an error on its
// line rather than a failed connection later.
#include <fstream>

#include "base/secret_file.hpp"
#include "service/config_tables.hpp"

namespace bgpsecd::service {
namespace {

// Read only to check it; the transport reads it again for each connection.
constexpr std::size_t kMaxSecretFileSize = 64 * 1024;

base::Result<void> check_secret(TomlReader& reader, const toml::table& c, std::string_view key,
                                std::string_view name, const std::string& path) {
  auto secret = base::read_secret_file(path, key, kMaxSecretFileSize);
  if (!secret)
    return reader.error(c.get(key)->source(), name, secret.error().message);
  base::wipe(*secret);
  return {};
}

}  // namespace

base::Result<void> read_rpki_cache_transport(TomlReader& reader, const toml::table& c,
                                             std::string_view name, RpkiCache& cache) {
  std::string transport = "tcp";
  BGPSEC_TRY(reader.read_string(c, "transport", name, transport));
  const bool has_ssh_key = c.contains("ssh_user") || c.contains("ssh_key") ||
                           c.contains("ssh_known_hosts") || c.contains("ssh_password_file");
  if (transport == "tcp") {
    if (has_ssh_key)
      return reader.error(c.source(), name, "ssh_* settings need transport = \"ssh\"");
    return {};
  }
  if (transport != "ssh")
    return reader.error(c.get("transport")->source(), name,
                        "'transport': expected \"tcp\" or \"ssh\", not \"" + transport + "\"");
  rpki::RtrSshConfig ssh;
  BGPSEC_ASSIGN_OR_RETURN(const toml::node* user, reader.require(c, "ssh_user", name));
  BGPSEC_ASSIGN_OR_RETURN(const std::string_view user_text,
                          reader.string_of(*user, "ssh_user", name));
  ssh.user = std::string(user_text);
  BGPSEC_ASSIGN_OR_RETURN(const toml::node* known, reader.require(c, "ssh_known_hosts", name));
  BGPSEC_ASSIGN_OR_RETURN(const std::string_view known_text,
                          reader.string_of(*known, "ssh_known_hosts", name));
  ssh.known_hosts = std::string(known_text);
  BGPSEC_TRY(reader.read_string(c, "ssh_key", name, ssh.key_file));
  BGPSEC_TRY(reader.read_string(c, "ssh_password_file", name, ssh.password_file));
  if (ssh.user.empty())
    return reader.error(user->source(), name, "'ssh_user' is empty");
  if (ssh.key_file.empty() && ssh.password_file.empty())
    return reader.error(c.source(), name, "transport = \"ssh\" needs ssh_key or ssh_password_file");
  // RFC 8210 §9: the router authenticates the cache; without known hosts it could not.
  if (!std::ifstream(ssh.known_hosts))
    return reader.error(known->source(), name, "'ssh_known_hosts': cannot read " + ssh.known_hosts);
  if (!ssh.key_file.empty())
    BGPSEC_TRY(check_secret(reader, c, "ssh_key", name, ssh.key_file));
  if (!ssh.password_file.empty())
    BGPSEC_TRY(check_secret(reader, c, "ssh_password_file", name, ssh.password_file));
  cache.ssh = std::move(ssh);
  return {};
}

}  // namespace bgpsecd::service
