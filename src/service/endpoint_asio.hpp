// SPDX-License-Identifier: BSD-2-Clause
// An Endpoint (endpoint.hpp) as asio takes it, for the code that opens sockets; kept apart so
// that the configuration code does not pull in asio.
#pragma once

#include <asio/ip/address.hpp>
#include <asio/ip/tcp.hpp>

#include "base/prefix.hpp"
#include "service/endpoint.hpp"

namespace bgpsecd::service {

[[nodiscard]] asio::ip::address to_asio(const base::IpAddress& address);
[[nodiscard]] asio::ip::tcp::endpoint to_asio(const Endpoint& endpoint);

}  // namespace bgpsecd::service
