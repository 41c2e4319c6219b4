// SPDX-License-Identifier: BSD-2-Clause
// Fuzz target for bgpsecd's proxy core (srx_client::ProxyCore): whatever a server sends, in
// whatever order, mixed with the speaker's submits, withdrawals and signing requests, lost
// connections and time passing, the core must not crash, must send only whole PDUs that decode,
// and its views must stay consistent. Input: a script of steps; each step's first byte picks the
// action, a PDU follows for "receive" steps (framed by its length field).
#include <cstddef>
#include <cstdint>
#include <span>

#include "srx/framer.hpp"
#include "srx/pdu.hpp"
#include "srx_client/proxy_core.hpp"

namespace {

using namespace bgpsecd;
using srx_client::ProxyCore;

// A small family of routes, so that several keys name the same update now and then.
srx_client::RouteRequest route_for(std::uint8_t op) {
  srx_client::RouteRequest request;
  request.prefix =
      base::Prefix(base::IpAddress::v4(0x0a000000U | (std::uint32_t{op} % 4U) << 8U), 24);
  request.origin_as = 65000U + op % 3U;
  request.wanted = static_cast<std::uint8_t>(op % 8U);
  if (op % 5U == 0) {
    request.as_path = {65001, request.origin_as};
  }
  return request;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ProxyCore::Hooks hooks;
  hooks.send = [](base::Bytes pdu) {
    // Everything the proxy sends must be one whole PDU our own decoder accepts.
    if (!srx::decode_srx_pdu(pdu)) {
      __builtin_trap();
    }
  };
  ProxyCore::Options options;
  options.proxy_id = 7;
  options.asn = 65000;
  ProxyCore core(options, hooks);
  auto now = srx_client::TimePoint{};
  std::span<const std::uint8_t> in(data, size);
  while (!in.empty()) {
    const std::uint8_t op = in[0];
    in = in.subspan(1);
    const srx_client::RouteKey key = op % 5U;
    switch (op % 8U) {
      case 0:
      case 1: {  // a PDU from the server, its length from its header
        srx::SrxFramer framer;
        framer.append(in);
        auto next = framer.next();
        if (!next) {
          core.malformed(next.error(), now);
          return 0;
        }
        if (!next->has_value()) {
          return 0;
        }
        in = in.subspan((*next)->size());
        auto pdu = srx::decode_srx_pdu(**next);
        if (pdu) {
          core.received(*pdu, now);
        } else {
          core.malformed(pdu.error(), now);
        }
        break;
      }
      case 2:
      case 3:
        static_cast<void>(core.submit(key, route_for(op), now));
        break;
      case 4:
        core.withdraw(key);
        break;
      case 5:
        static_cast<void>(core.sign(key, srx_client::SignParameters{1, op, 1, 65003}, now));
        break;
      case 6:  // time passes
        now += std::chrono::seconds(op / 8U);
        core.tick(now);
        break;
      default:  // the connection drops and comes back
        core.disconnected(now);
        core.connected(now);
        break;
    }
    if (core.held().size() != core.route_count()) {
      __builtin_trap();
    }
  }
  core.shutdown();
  return 0;
}
