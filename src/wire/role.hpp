// SPDX-License-Identifier: BSD-2-Clause
// BGP Roles (RFC 9234 §3.1, §4.2): the role a speaker takes on an eBGP session, its config
// text and its code in the BGP Role capability, and which pairs of roles belong together.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace bgpsecd::wire {

// RFC 9234 §3.1: the Role capability's value. Other codes are reserved; a received one is
// kept as its number (RoleCap) and never matches (roles_match).
enum class Role : std::uint8_t { Provider = 0, Rs = 1, RsClient = 2, Customer = 3, Peer = 4 };

// "provider", "rs", "rs-client", "customer", "peer": the config text, and how show prints it.
[[nodiscard]] const char* role_name(Role role) noexcept;
[[nodiscard]] std::optional<Role> role_from_text(std::string_view text) noexcept;
// nullopt for a reserved code (RFC 9234 §3.1: 5-255).
[[nodiscard]] std::optional<Role> role_from_code(std::uint8_t code) noexcept;

// RFC 9234 §4.2 Table 2: the remote role that goes with a local one. An unknown remote code
// matches nothing.
[[nodiscard]] bool roles_match(Role local, std::uint8_t remote_code) noexcept;

}  // namespace bgpsecd::wire
