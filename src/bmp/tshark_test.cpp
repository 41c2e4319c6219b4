// SPDX-License-Identifier: BSD-2-Clause
// A second opinion on our BMP bytes: Wireshark's BMP dissector, run as tshark over a capture
// that text2pcap builds from our messages, must read back the fields we meant. Skipped where
// tshark is not installed (scripts/setup installs it).
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "base/hex.hpp"
#include "bmp/message.hpp"
#include "bmp/test_pdus.hpp"

namespace bgpsecd::bmp {
namespace {

bool have(const char* tool) {
  return std::system((std::string("command -v ") + tool + " >/dev/null 2>&1").c_str()) == 0;
}

std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    return out;
  }
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) {
    out.append(buf.data(), n);
  }
  ::pclose(pipe);
  return out;
}

// One TCP segment per message, in text2pcap's hexdump input format.
void write_hexdump(const std::filesystem::path& path, const std::vector<base::Bytes>& messages) {
  std::ofstream out(path);
  for (const auto& m : messages) {
    for (std::size_t i = 0; i < m.size(); i += 16) {
      out << std::hex << std::setw(6) << std::setfill('0') << i;
      for (std::size_t j = i; j < m.size() && j < i + 16; ++j) {
        out << ' ' << base::to_hex_lower(std::span(m).subspan(j, 1));
      }
      out << "\n";
    }
  }
}

TEST(BmpTshark, DecodesEveryMessageTypeToTheFieldsWeMeant) {
  if (!have("tshark") || !have("text2pcap")) {
    GTEST_SKIP() << "tshark or text2pcap not installed";
  }
  const auto dir = std::filesystem::path(::testing::TempDir()) / "bmp_tshark";
  std::filesystem::create_directories(dir);
  auto post = test::ipv4_peer();
  post.post_policy = true;
  post.address = base::IpAddress::parse("2001:db8::1").value();
  const auto open = test::open();
  const auto loc_rib = loc_rib_peer_header(65001, 0xC0000201, 0x5F5E1000, 0, false);
  write_hexdump(dir / "in.txt",
                {encode_initiation("bgpsecd test", "r1"),
                 encode_peer_up(test::ipv4_peer(), base::IpAddress::parse("192.0.2.2").value(), 179,
                                50000, open, open),
                 encode_route_monitoring(test::ipv4_peer(), test::end_of_rib()),
                 encode_route_monitoring(post, test::end_of_rib()),
                 encode_route_monitoring(loc_rib, test::end_of_rib()),
                 encode_statistics(test::ipv4_peer(), {counter32(kStatRejectedPrefixes, 5),
                                                       gauge64(kStatAdjRibInRoutes, 10)}),
                 encode_peer_down(test::ipv4_peer(), PeerDownReason::RemoteNoNotification),
                 encode_termination(TerminationReason::AdminClosed)});
  ASSERT_EQ(std::system(("text2pcap -q -T 18360,18361 " + (dir / "in.txt").string() + " " +
                         (dir / "out.pcap").string() + " >/dev/null 2>&1")
                            .c_str()),
            0);
  const std::string fields = run(
      "tshark -r " + (dir / "out.pcap").string() +
      " -d tcp.port==18361,bmp -Y bmp -T fields -E 'separator=|' -e bmp.type -e bmp.peer.type "
      "-e bmp.peer.flags.ipv6 -e bmp.peer.flags.post_policy -e bmp.peer.ip.addr "
      "-e bmp.peer.ipv6.addr -e bmp.peer.asn -e bmp.peer.up.port.remote -e bmp.peer.down.reason "
      "-e bmp.stats.count -e bmp.init.info -e bmp.term.reason -e bgp.type 2>/dev/null");
  std::istringstream lines(fields);
  std::vector<std::string> got;
  for (std::string line; std::getline(lines, line);) {
    got.push_back(line);
  }
  // Fields: message type, peer type, V, L, IPv4 or IPv6 peer address, peer AS, Peer Up remote
  // port, Peer Down reason, stats count, Initiation TLVs, Termination reason, the BGP types
  // inside. The Loc-RIB peer (type 3) has no V or L flag and shows its zero address.
  const std::vector<std::string> want = {
      "4||||||||||bgpsecd test,r1||",    "3|0|0|0|192.0.2.1||65001|50000|||||1,1",
      "0|0|0|0|192.0.2.1||65001||||||2", "0|0|1|1||2001:db8::1|65001||||||2",
      "0|3|||0.0.0.0||65001||||||2",     "1|0|0|0|192.0.2.1||65001|||2|||",
      "2|0|0|0|192.0.2.1||65001||4||||", "5|||||||||||0|",
  };
  EXPECT_EQ(got, want) << fields;
}

}  // namespace
}  // namespace bgpsecd::bmp
