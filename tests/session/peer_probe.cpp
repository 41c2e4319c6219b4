// SPDX-License-Identifier: BSD-2-Clause
// session_peer_probe: one bgpsecd Peer against a real BGP speaker, for the interop tests.
// Connects out, waits for Established, announces 198.51.100.0/24 (next hop --next-hop), and
// prints every received UPDATE as a JSON line on stdout (logs go to stderr); after --seconds it
// sends Cease and exits 0 if the session was established, 1 otherwise.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>

#include <asio.hpp>
#include <nlohmann/json.hpp>

#include "base/asn.hpp"
#include "base/prefix.hpp"
#include "session/peer.hpp"
#include "wire/update.hpp"

namespace {

using namespace bgpsecd;

struct Printer : session::PeerHandler {
  bool established = false;
  std::shared_ptr<session::Peer> peer;
  std::string next_hop;

  void on_established(const session::Negotiated& n) override {
    established = true;
    std::cout << nlohmann::json{{"event", "established"},
                                {"peer_as", n.peer_as.value()},
                                {"hold_time", n.hold_time.count()},
                                {"four_octet_as", n.four_octet_as}}
                     .dump()
              << std::endl;
    wire::UpdateMessage u;
    u.attrs.origin = wire::Origin::Igp;
    u.attrs.as_path = wire::AsPath{{{wire::AsPathSegmentType::AsSequence, {n.local_as}}}};
    u.attrs.next_hop = base::IpAddress::parse(next_hop).value();
    u.nlri = {base::Prefix::parse("198.51.100.0/24").value()};
    if (auto sent = peer->send_update(u); !sent) {
      std::cerr << "send_update: " << sent.error().message << "\n";
    }
  }
  void on_update(wire::DecodedUpdate&& u) override {
    std::cout
        << nlohmann::json{{"event", "update"}, {"update", wire::update_to_json(u.update)}}.dump()
        << std::endl;
  }
  void on_route_refresh(const wire::RouteRefreshMessage& r) override {
    std::cout << nlohmann::json{{"event", "route_refresh"}, {"message", wire::to_json(r)}}.dump()
              << std::endl;
  }
  void on_down(const session::SessionDown& d) override {
    std::cout << nlohmann::json{{"event", "down"},
                                {"reason", session::down_reason_name(d.reason)},
                                {"was_established", d.was_established}}
                     .dump()
              << std::endl;
  }
  void on_log(session::LogLevel level, const std::string& text) override {
    std::cerr << session::log_level_name(level) << ": " << text << "\n";
  }
};

int usage() {
  std::cerr << "usage: session_peer_probe --local ADDR --remote ADDR --port N --local-as AS\n"
               "         --peer-as AS --router-id A.B.C.D [--hold S] [--seconds N]\n"
               "         [--next-hop ADDR]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> args{
      {"--hold", "9"}, {"--seconds", "10"}, {"--next-hop", "203.0.113.31"}};
  for (int i = 1; i + 1 < argc; i += 2) {
    args[argv[i]] = argv[i + 1];
  }
  for (const char* required :
       {"--local", "--remote", "--port", "--local-as", "--peer-as", "--router-id"}) {
    if (args.count(required) == 0) {
      return usage();
    }
  }
  try {
    session::PeerConfig config;
    config.fsm.session.local_as = base::parse_asn(args["--local-as"]).value();
    config.fsm.session.peer_as = base::parse_asn(args["--peer-as"]).value();
    config.fsm.session.router_id = asio::ip::make_address_v4(args["--router-id"]).to_uint();
    config.fsm.session.hold_time = static_cast<std::uint16_t>(std::stoul(args["--hold"]));
    config.fsm.session.families = {session::kIpv4Unicast, session::kIpv6Unicast};
    config.fsm.connect_retry_time = std::chrono::seconds(2);
    config.remote_address = asio::ip::make_address(args["--remote"]);
    config.remote_port = static_cast<std::uint16_t>(std::stoul(args["--port"]));
    config.local_address = asio::ip::make_address(args["--local"]);

    asio::io_context io;
    Printer printer;
    printer.next_hop = args["--next-hop"];
    auto peer = session::Peer::create(io, config, printer);
    if (!peer) {
      std::cerr << peer.error().message << "\n";
      return 2;
    }
    printer.peer = *peer;
    printer.peer->start();
    io.run_for(std::chrono::seconds(std::stoul(args["--seconds"])));
    printer.peer->stop();
    io.run_for(std::chrono::milliseconds(300));  // let the Cease go out
    std::cout << nlohmann::json{{"event", "exit"},
                                {"messages_in", printer.peer->counters().messages_in},
                                {"updates_in", printer.peer->counters().updates_in}}
                     .dump()
              << std::endl;
    return printer.established ? 0 : 1;
  } catch (const std::exception& e) {  // bad command-line values (stoul, make_address, value())
    std::cerr << "session_peer_probe: " << e.what() << "\n";
    return 2;
  }
}
