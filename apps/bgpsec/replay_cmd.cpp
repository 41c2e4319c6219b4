// SPDX-License-Identifier: BSD-2-Clause
// `bgpsec replay`: a BGP session to a speaker (the project's session::Peer: OPEN, 4-octet AS,
// multiprotocol IPv4 + IPv6, BGPsec send for both AFIs, extended messages, keepalives) that
// sends a file of encoded UPDATEs (`bgpsec gen`) as fast as the peer reads them, then
// End-of-RIB for both AFIs (RFC 4724 §2), and keeps the session up for --hold-after seconds.
//
//   file --(256 KiB, cut at message ends)--> Peer queue (<= 4 MiB) --> TCP (back-pressure)
//
// A 1 ms timer tops the queue up, so reading the file never runs ahead of the peer.
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include <asio.hpp>

#include "base/prefix.hpp"
#include "cli_output.hpp"
#include "commands.hpp"
#include "session/peer.hpp"
#include "wire/header.hpp"
#include "wire/update.hpp"

namespace bgpsecd::tool {
namespace {

constexpr std::size_t kReadSize = 256 * 1024;
constexpr std::size_t kHighWater = 4 * 1024 * 1024;
constexpr auto kPumpInterval = std::chrono::milliseconds(1);

struct ReplayArgs {
  std::string connect;
  std::string bind;
  std::string local_as;
  std::string peer_as;
  std::string router_id;
  std::string updates;
  std::uint16_t hold_time = 90;
  double hold_after = 0;
  double timeout = 30;
  bool verbose = false;
};

// "ADDR:PORT" or "[V6ADDR]:PORT".
base::Result<asio::ip::tcp::endpoint> parse_endpoint(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) {
    return base::fail("'" + text + "': expected ADDR:PORT");
  }
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  asio::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) {
    return base::fail("'" + host + "' is not an IP address");
  }
  unsigned long port = 0;
  try {
    port = std::stoul(text.substr(colon + 1));
  } catch (const std::exception&) {
    port = 0;
  }
  if (port == 0 || port > 65535) {
    return base::fail("'" + text + "': bad port");
  }
  return asio::ip::tcp::endpoint(address, static_cast<std::uint16_t>(port));
}

// Reads the file in pieces that end on message boundaries.
class UpdateFile {
 public:
  explicit UpdateFile(std::FILE* file) : file_(file, &std::fclose) {}

  // The next whole messages (empty at the end of the file). Fails on a read error or when the
  // file ends inside a message.
  base::Result<base::Bytes> next() {
    base::Bytes buf = std::move(carry_);
    carry_.clear();
    const std::size_t old = buf.size();
    buf.resize(old + kReadSize);
    const std::size_t got = std::fread(buf.data() + old, 1, kReadSize, file_.get());
    buf.resize(old + got);
    if (got == 0 && std::ferror(file_.get())) {
      return base::fail("read error");
    }
    // Keep the incomplete last message for the next call.
    std::size_t at = 0;
    while (buf.size() - at >= wire::kHeaderSize) {
      const std::size_t length = (std::size_t{buf[at + wire::kLengthFieldOffset]} << 8) |
                                 buf[at + wire::kLengthFieldOffset + 1];
      if (length < wire::kHeaderSize) {
        return base::fail("not a BGP message at file offset " + std::to_string(offset_ + at));
      }
      if (buf.size() - at < length) {
        break;
      }
      at += length;
    }
    if (got == 0 && at != buf.size()) {
      return base::fail("the file ends inside a message");
    }
    carry_.assign(buf.begin() + static_cast<std::ptrdiff_t>(at), buf.end());
    buf.resize(at);
    offset_ += at;
    eof_ = got == 0 && carry_.empty();
    return buf;
  }
  [[nodiscard]] bool eof() const noexcept { return eof_; }
  [[nodiscard]] std::size_t offset() const noexcept { return offset_; }

 private:
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file_;
  base::Bytes carry_;
  std::size_t offset_ = 0;
  bool eof_ = false;
};

class Replay final : public session::PeerHandler {
 public:
  Replay(asio::io_context& io, const ReplayArgs& args, UpdateFile file)
      : io_(io), args_(args), file_(std::move(file)), pump_(io), deadline_(io), signals_(io) {}

  base::Result<void> start(session::PeerConfig config) {
    BGPSEC_ASSIGN_OR_RETURN(peer_, session::Peer::create(io_, std::move(config), *this));
    signals_.add(SIGINT);
    signals_.add(SIGTERM);
    signals_.async_wait([this](const asio::error_code& ec, int) {
      if (!ec) {
        finish("stopped by a signal");
      }
    });
    deadline_.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(args_.timeout)));
    deadline_.async_wait([this](const asio::error_code& ec) {
      if (!ec && !established_) {
        char text[64];
        std::snprintf(text, sizeof text, "no session within %g s", args_.timeout);
        fail(text);
      }
    });
    peer_->start();
    return {};
  }

  [[nodiscard]] int exit_code() const noexcept { return error_.empty() ? kPositive : kBadInput; }
  [[nodiscard]] const std::string& error() const noexcept { return error_; }

  [[nodiscard]] nlohmann::json summary() const {
    const double seconds = std::chrono::duration<double>(drained_at_ - established_at_).count();
    nlohmann::json out = {{"messages", messages_},
                          {"bytes", file_.offset()},
                          {"complete", complete_},
                          {"established", established_}};
    if (complete_) {
      out["seconds"] = seconds;
      out["messages_per_second"] = seconds > 0 ? static_cast<double>(messages_) / seconds : 0.0;
    }
    if (!error_.empty()) {
      out["error"] = error_;
    }
    return out;
  }

  // ----- PeerHandler -----
  void on_established(const session::Negotiated& negotiated) override {
    if (established_) {
      return;
    }
    established_ = true;
    established_at_ = std::chrono::steady_clock::now();
    deadline_.cancel();
    // RFC 8205 §2.2: BGPsec UPDATEs only for an AFI the peer agreed to receive them in.
    if (!negotiated.bgpsec.send_ipv4 || !negotiated.bgpsec.send_ipv6) {
      fail("the peer did not agree to receive BGPsec for both IPv4 and IPv6 (RFC 8205 §2)");
      return;
    }
    if (!negotiated.extended_messages_send) {
      std::cerr << "bgpsec replay: the peer did not advertise extended messages (RFC 8654); "
                   "UPDATEs over 4096 octets will be refused\n";
    }
    pump();
  }
  void on_update(wire::DecodedUpdate&& /*update*/) override {}
  void on_route_refresh(const wire::RouteRefreshMessage& /*refresh*/) override {}
  void on_down(const session::SessionDown& down) override {
    if (!done_) {
      fail(std::string("session down: ") + session::down_reason_name(down.reason));
    }
  }
  void on_log(session::LogLevel level, const std::string& text) override {
    if (args_.verbose || level >= session::LogLevel::Warning) {
      std::cerr << "bgpsec replay: " << session::log_level_name(level) << ": " << text << "\n";
    }
  }

 private:
  void pump() {
    if (done_) {
      return;
    }
    while (!file_.eof() && peer_->queued_bytes() < kHighWater) {
      auto chunk = file_.next();
      if (!chunk) {
        fail(args_.updates + ": " + chunk.error().message);
        return;
      }
      if (chunk->empty()) {
        continue;
      }
      auto sent = peer_->send_encoded_updates(std::move(*chunk));
      if (!sent) {
        fail(sent.error().message);
        return;
      }
      messages_ += *sent;
    }
    if (file_.eof() && !eor_sent_) {
      // RFC 4724 §2: End-of-RIB for each family once the table is out.
      for (const auto afi : {base::Afi::Ipv4, base::Afi::Ipv6}) {
        if (auto sent = peer_->send_update(wire::make_end_of_rib(afi)); !sent) {
          fail(sent.error().message);
          return;
        }
      }
      eor_sent_ = true;
    }
    if (eor_sent_ && peer_->queued_bytes() == 0) {
      drained();
      return;
    }
    pump_.expires_after(kPumpInterval);
    pump_.async_wait([this](const asio::error_code& ec) {
      if (!ec) {
        pump();
      }
    });
  }

  void drained() {
    complete_ = true;
    drained_at_ = std::chrono::steady_clock::now();
    if (args_.hold_after <= 0) {
      finish("");
      return;
    }
    // Keep the session (the Peer sends KEEPALIVEs) so the receiver keeps the routes.
    pump_.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(args_.hold_after)));
    pump_.async_wait([this](const asio::error_code& ec) {
      if (!ec) {
        finish("");
      }
    });
  }

  void fail(const std::string& why) {
    if (error_.empty()) {
      error_ = why;
    }
    finish(why);
  }

  void finish(const std::string& /*why*/) {
    if (done_) {
      return;
    }
    done_ = true;
    pump_.cancel();
    deadline_.cancel();
    signals_.cancel();
    if (peer_) {
      // Cease / Administrative Shutdown (RFC 4486), flushed before the socket closes.
      peer_->stop();
    }
    // Give the flush a moment, then end the run.
    pump_.expires_after(std::chrono::milliseconds(200));
    pump_.async_wait([this](const asio::error_code&) { io_.stop(); });
  }

  asio::io_context& io_;
  const ReplayArgs& args_;
  UpdateFile file_;
  std::shared_ptr<session::Peer> peer_;
  asio::steady_timer pump_;
  asio::steady_timer deadline_;
  asio::signal_set signals_;
  bool established_ = false;
  bool eor_sent_ = false;
  bool complete_ = false;
  bool done_ = false;
  std::size_t messages_ = 0;
  std::string error_;
  std::chrono::steady_clock::time_point established_at_{};
  std::chrono::steady_clock::time_point drained_at_{};
};

int run_replay(const ReplayArgs& args) {
  auto remote = parse_endpoint(args.connect);
  if (!remote) {
    return bad_input("--connect " + remote.error().message);
  }
  auto local_as = base::parse_asn(args.local_as);
  if (!local_as) {
    return bad_input("--local-as: " + local_as.error().message);
  }
  auto peer_as = base::parse_asn(args.peer_as);
  if (!peer_as) {
    return bad_input("--peer-as: " + peer_as.error().message);
  }
  auto router_id = base::IpAddress::parse(args.router_id);
  if (!router_id || router_id->afi() != base::Afi::Ipv4) {
    return bad_input("--router-id: expected an IPv4 address");
  }
  const auto id_octets = router_id->octets();
  const std::uint32_t bgp_id = (std::uint32_t{id_octets[0]} << 24) |
                               (std::uint32_t{id_octets[1]} << 16) |
                               (std::uint32_t{id_octets[2]} << 8) | id_octets[3];

  std::filesystem::path path(args.updates);
  if (std::filesystem::is_directory(path)) {
    path /= "updates.bin";
  }
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return bad_input("cannot open " + path.string());
  }

  session::PeerConfig config;
  auto& session = config.fsm.session;
  session.local_as = *local_as;
  session.peer_as = *peer_as;
  session.router_id = bgp_id;
  session.hold_time = args.hold_time;
  session.families = {session::kIpv4Unicast, session::kIpv6Unicast};
  // RFC 8205 §2: we send BGPsec for both AFIs (and receive none).
  session.bgpsec = {.send_ipv4 = true, .send_ipv6 = true};
  session.extended_messages = true;
  config.fsm.connect_retry_time = std::chrono::seconds(1);
  config.fsm.idle_hold_initial = std::chrono::seconds(1);
  config.remote_address = remote->address();
  config.remote_port = remote->port();
  config.name = args.connect;
  if (!args.bind.empty()) {
    asio::error_code ec;
    const auto local = asio::ip::make_address(args.bind, ec);
    if (ec) {
      return bad_input("--bind: '" + args.bind + "' is not an IP address");
    }
    config.local_address = local;
  }

  asio::io_context io;
  Replay replay(io, args, UpdateFile(file));
  if (auto started = replay.start(std::move(config)); !started) {
    return bad_input(started.error().message);
  }
  io.run();
  print_json(replay.summary());
  if (!replay.error().empty()) {
    std::cerr << "bgpsec: " << replay.error() << "\n";
  }
  return replay.exit_code();
}

}  // namespace

Runner add_replay(CLI::App& app) {
  auto args = std::make_shared<ReplayArgs>();
  auto* cmd = app.add_subcommand(
      "replay",
      "Open a BGP session to a speaker (4-octet AS, IPv4 and IPv6 unicast, BGPsec send for both, "
      "extended messages), send the UPDATEs of a file from `bgpsec gen` as fast as the peer "
      "reads them, then End-of-RIB for both families; prints {\"messages\",\"seconds\","
      "\"messages_per_second\",...}. The session then stays up for --hold-after seconds or "
      "until SIGINT/SIGTERM.");
  cmd->add_option("--connect", args->connect, "the speaker, ADDR:PORT or [V6ADDR]:PORT")
      ->required();
  cmd->add_option("--local-as", args->local_as, "our AS (the --peer-as of `bgpsec gen`)")
      ->required();
  cmd->add_option("--peer-as", args->peer_as, "the speaker's AS (the --target-as of `bgpsec gen`)")
      ->required();
  cmd->add_option("--router-id", args->router_id, "our BGP Identifier, e.g. 10.0.0.1")->required();
  cmd->add_option("--bind", args->bind, "local address to connect from");
  cmd->add_option("--updates", args->updates,
                  "file of UPDATEs, or a `bgpsec gen` directory (its updates.bin)")
      ->required();
  cmd->add_option("--hold-time", args->hold_time, "hold time we offer (default 90)");
  cmd->add_option("--hold-after", args->hold_after,
                  "seconds to keep the session after the table and End-of-RIB are out "
                  "(default 0: close at once)");
  cmd->add_option("--timeout", args->timeout,
                  "seconds to wait for the session to come up (default 30)");
  cmd->add_flag("--verbose", args->verbose, "log the session's progress on stderr");
  return {cmd, [args] { return run_replay(*args); }};
}

}  // namespace bgpsecd::tool
