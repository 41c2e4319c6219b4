// SPDX-License-Identifier: BSD-2-Clause
#include "wire/role.hpp"

#include <array>
#include <utility>

namespace bgpsecd::wire {
namespace {

constexpr std::array<std::pair<Role, const char*>, 5> kRoleNames{{
    {Role::Provider, "provider"},
    {Role::Rs, "rs"},
    {Role::RsClient, "rs-client"},
    {Role::Customer, "customer"},
    {Role::Peer, "peer"},
}};

// RFC 9234 §4.2 Table 2: the role the remote side must announce for each local role.
constexpr Role expected_remote(Role local) noexcept {
  switch (local) {
    case Role::Provider:
      return Role::Customer;
    case Role::Customer:
      return Role::Provider;
    case Role::Rs:
      return Role::RsClient;
    case Role::RsClient:
      return Role::Rs;
    case Role::Peer:
      return Role::Peer;
  }
  return Role::Peer;
}

}  // namespace

const char* role_name(Role role) noexcept {
  for (const auto& [r, name] : kRoleNames) {
    if (r == role) {
      return name;
    }
  }
  return "unknown";
}

std::optional<Role> role_from_text(std::string_view text) noexcept {
  for (const auto& [r, name] : kRoleNames) {
    if (text == name) {
      return r;
    }
  }
  return std::nullopt;
}

std::optional<Role> role_from_code(std::uint8_t code) noexcept {
  if (code > static_cast<std::uint8_t>(Role::Peer)) {
    return std::nullopt;
  }
  return static_cast<Role>(code);
}

bool roles_match(Role local, std::uint8_t remote_code) noexcept {
  const auto remote = role_from_code(remote_code);
  return remote && *remote == expected_remote(local);
}

}  // namespace bgpsecd::wire
