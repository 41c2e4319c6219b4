// SPDX-License-Identifier: BSD-2-Clause
#include "service/endpoint.hpp"

#include <algorithm>
#include <optional>

#include "service/endpoint_asio.hpp"
#include "service/toml_reader.hpp"

namespace bgpsecd::service {

std::string Endpoint::to_string() const {
  if (address.afi() == base::Afi::Ipv6)
    return "[" + address.to_string() + "]:" + std::to_string(port);
  return address.to_string() + ":" + std::to_string(port);
}

asio::ip::address to_asio(const base::IpAddress& address) {
  return asio::ip::make_address(address.to_string());
}

asio::ip::tcp::endpoint to_asio(const Endpoint& endpoint) {
  return asio::ip::tcp::endpoint(to_asio(endpoint.address), endpoint.port);
}

base::Result<Endpoint> parse_endpoint(std::string_view text, std::uint16_t default_port) {
  std::string_view host = text;
  std::optional<std::string_view> port_text;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos)
      return base::fail("'" + std::string(text) + "': missing ']'");
    host = text.substr(1, close - 1);
    const std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':')
        return base::fail("'" + std::string(text) + "': expected ':PORT' after ']'");
      port_text = rest.substr(1);
    }
  } else if (std::count(text.begin(), text.end(), ':') == 1) {
    const auto colon = text.find(':');
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
  }
  auto address = base::IpAddress::parse(host);
  if (!address)
    return base::fail("'" + std::string(text) + "': " + address.error().message);
  Endpoint ep{*address, default_port};
  if (port_text) {
    const auto port = parse_unsigned(*port_text, 65535);
    if (!port)
      return base::fail("'" + std::string(text) + "': port must be 0..65535");
    ep.port = static_cast<std::uint16_t>(*port);
  }
  return ep;
}

bool is_loopback(const base::IpAddress& a) {
  const auto o = a.octets();
  if (a.afi() == base::Afi::Ipv4)
    return o[0] == 127;
  return std::all_of(o.begin(), o.end() - 1, [](std::uint8_t b) { return b == 0; }) && o[15] == 1;
}

}  // namespace bgpsecd::service
