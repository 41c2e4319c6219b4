// SPDX-License-Identifier: BSD-2-Clause
// Fuzz target for bgpsecvd's conversation core (validation_server::ServerCore): whatever PDUs
// three connections send, in whatever order, with results coming back at once, later or never,
// the core must not crash, must answer every connection in whole PDUs that decode, and its
// views must stay consistent. Input: a script of steps; each step's first byte picks the
// connection and the action, a PDU follows for "receive" steps (framed by its length field).
#include <cstddef>
#include <cstdint>
#include <deque>
#include <span>
#include <tuple>

#include "srx/framer.hpp"
#include "srx/pdu.hpp"
#include "validation_server/conversation.hpp"

namespace {

using namespace bgpsecd;
using validation_server::ServerCore;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::deque<std::tuple<std::uint32_t, std::uint8_t, std::uint64_t>> pending;
  ServerCore::Hooks hooks;
  hooks.send = [](ServerCore::ConnectionId, base::Bytes pdu) {
    // Everything the server sends must be one whole PDU its own decoder accepts.
    if (!srx::decode_srx_pdu(pdu)) {
      __builtin_trap();
    }
  };
  hooks.close = [](ServerCore::ConnectionId) {};
  hooks.validate = [&](std::uint32_t id, const validation_server::UpdateContent&,
                       std::uint8_t types,
                       std::uint64_t generation) { pending.emplace_back(id, types, generation); };
  hooks.forget = [](std::uint32_t) {};
  hooks.sign = [](std::uint32_t, const validation_server::UpdateContent&,
                  const srx::SignRequestPdu&,
                  std::uint32_t) -> base::Result<base::Bytes, srx::SrxError> {
    return base::Bytes{0x01, 0x02};
  };
  hooks.log = [](ServerCore::ConnectionId, validation_server::LogLevel, std::string) {};
  ServerCore core(ServerCore::Options{.max_updates = 64,
                                      .max_updates_per_proxy = 16,
                                      .min_keep_window = std::chrono::seconds(5)},
                  hooks);
  ServerCore::ConnectionId connections[3] = {core.connected("a"), core.connected("b"),
                                             core.connected("c")};
  bool open[3] = {true, true, true};
  auto now = validation_server::Clock::time_point{};
  std::span<const std::uint8_t> in(data, size);
  while (!in.empty()) {
    const std::uint8_t op = in[0];
    in = in.subspan(1);
    const unsigned which = op % 3;
    switch ((op / 3) % 6) {
      case 0:
      case 1: {  // a PDU from connection `which`, its length from its header
        srx::SrxFramer framer;
        framer.append(in);
        auto next = framer.next();
        if (!next) {
          if (open[which]) {
            core.malformed(connections[which], next.error(), now);
          }
          return 0;
        }
        if (!next->has_value()) {
          return 0;
        }
        in = in.subspan((*next)->size());
        if (!open[which]) {
          break;
        }
        auto pdu = srx::decode_srx_pdu(**next);
        if (pdu) {
          core.received(connections[which], *pdu, now);
        } else {
          core.malformed(connections[which], pdu.error(), now);
        }
        break;
      }
      case 2:  // the oldest validation answers
        if (!pending.empty()) {
          const auto [id, types, generation] = pending.front();
          pending.pop_front();
          for (const auto type : validation_server::kResultTypes) {
            if ((types & static_cast<std::uint8_t>(type)) != 0) {
              core.on_result(id, type, static_cast<srx::SrxResult>(op % 7), generation);
            }
          }
        }
        break;
      case 3:  // time passes; collection
        now += std::chrono::seconds(op);
        static_cast<void>(core.collect(now));
        break;
      case 4:  // the connection drops, and a new one takes its place
        if (open[which]) {
          core.disconnected(connections[which], now);
        }
        connections[which] = core.connected("again");
        open[which] = true;
        break;
      default:  // an RPKI change revalidates an update
        if (!pending.empty()) {
          core.revalidate(std::get<0>(pending.back()), op);
        }
        break;
    }
    for (const auto& view : core.connections()) {
      if (view.updates_held > core.update_count()) {
        __builtin_trap();
      }
    }
  }
  core.shutdown();
  return 0;
}
