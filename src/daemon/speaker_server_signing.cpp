// SPDX-License-Identifier: BSD-2-Clause
// RFC 8374 §9.3.2, signing outsourced ([validation] signing = "server"): a received route that a
// validation server holds (speaker_outsourcing.cpp) is signed on by that server for each BGPsec
// peer we send it to (SIGN_REQUEST, docs/srx-proxy.md §9), with the server's key for our AS, so
// that this router needs no private key for it. The UPDATE goes out when the answer comes; a
// newer UPDATE for the prefix drops the answer. A route the server does not hold (our own
// networks, routes validated here, confederation paths) is signed here; one the server will not
// sign (none answers, it refuses, no answer within answer_timeout) is signed here or sent
// unsigned, as [validation] signing_fallback says, logged and counted.
#include <algorithm>
#include <chrono>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>

#include "base/byte_reader.hpp"
#include "daemon/speaker_neighbor.hpp"

namespace bgpsecd::daemon {

namespace {

// Block type 0 (docs/srx-proxy.md §9): the whole attribute, flags 0x90 and type 33 (RFC 8205
// §3), then its length and value.
base::Result<wire::BgpsecPath> decode_signed_attribute(const base::Bytes& data) {
  constexpr std::uint8_t kExtendedLength = 0x10;
  constexpr std::uint8_t kBgpsecPathType = 33;
  base::ByteReader in(data);
  std::uint8_t flags = 0;
  std::uint8_t type = 0;
  std::uint16_t length = 0;
  if (!in.read_u8(flags) || !in.read_u8(type) || type != kBgpsecPathType) {
    return base::fail("the server's answer is not a BGPsec_PATH attribute");
  }
  if ((flags & kExtendedLength) != 0) {
    if (!in.read_u16(length)) {
      return base::fail("the server's BGPsec_PATH is truncated");
    }
  } else {
    std::uint8_t short_length = 0;
    if (!in.read_u8(short_length)) {
      return base::fail("the server's BGPsec_PATH is truncated");
    }
    length = short_length;
  }
  std::span<const std::uint8_t> value;
  if (!in.read_bytes(length, value) || !in.empty()) {
    return base::fail("the server's BGPsec_PATH length does not match its data");
  }
  auto path = wire::decode_bgpsec_path(value);
  if (!path) {
    return base::fail(std::string("the server's BGPsec_PATH is malformed: ") + path.error().what);
  }
  return std::move(*path);
}

}  // namespace

Speaker::ServerSigning Speaker::sign_through_server(Neighbor& n, const rib::OutUpdate& update) {
  const ValidationConfig& v = config_.validation;
  if (v.signing != SigningMode::Server || !validation_servers_ || !update.bgpsec ||
      config_.global.confederation_id || !n.negotiated) {
    return ServerSigning::NotUsed;  // see the file comment: signed here
  }
  const auto fallback = v.signing_fallback == SigningFallback::Local ? ServerSigning::NotUsed
                                                                     : ServerSigning::Unsigned;
  // The server signs the update it holds: the route we send on must be the one it was given.
  const rib::Route* best = loc_rib_.best(update.prefix);
  const Neighbor* from =
      best != nullptr && best->peer ? find_neighbor(best->peer->key.address.to_string()) : nullptr;
  if (from == nullptr) {
    return fallback;
  }
  const auto held = from->outsourced.find(update.prefix);
  if (held == from->outsourced.end() || !(best->bgpsec == update.bgpsec)) {
    return fallback;
  }
  if (!validation_servers_->available()) {
    ++server_signing_fallbacks_;
    return fallback;
  }
  const srx_client::SignParameters parameters{1, 0, update.pcount, n.negotiated->peer_as.value()};
  if (auto asked = validation_servers_->sign(held->second, parameters); !asked) {
    ++server_signing_fallbacks_;
    return fallback;
  }
  const std::uint64_t generation = ++sign_generation_;
  n.server_signing[update.prefix] = generation;
  pending_signs_.emplace(held->second, PendingSign{n.name(), update, parameters, generation,
                                                   std::chrono::steady_clock::now()});
  arm_server_signing_check();
  return ServerSigning::Asked;
}

void Speaker::on_server_signed(srx_client::RouteKey key,
                               const srx_client::SignParameters& parameters,
                               base::Result<base::Bytes, srx::SrxError> answer) {
  auto [first, last] = pending_signs_.equal_range(key);
  const auto it = std::find_if(
      first, last, [&](const auto& entry) { return entry.second.parameters == parameters; });
  if (it == last) {
    return;
  }
  PendingSign pending = std::move(it->second);
  pending_signs_.erase(it);
  Neighbor* n = still_waiting(pending);
  if (n == nullptr) {
    return;
  }
  if (!answer) {
    server_signing_failed(*n, pending.update, "the server refused: " + answer.error().message);
    return;
  }
  auto path = decode_signed_attribute(*answer);
  if (!path) {
    server_signing_failed(*n, pending.update, path.error().message);
    return;
  }
  ++server_signed_;
  transmit(*n, pending.update, std::move(*path), false);
}

Speaker::Neighbor* Speaker::still_waiting(const PendingSign& pending) {
  Neighbor* n = find_neighbor(pending.neighbor);
  if (n == nullptr) {
    return nullptr;
  }
  const auto waiting = n->server_signing.find(pending.update.prefix);
  if (waiting == n->server_signing.end() || waiting->second != pending.generation) {
    return nullptr;  // a newer UPDATE for the prefix went out meanwhile
  }
  n->server_signing.erase(waiting);
  // Not established: the table goes again when the session is back.
  return n->established() ? n : nullptr;
}

void Speaker::server_signing_failed(Neighbor& n, const rib::OutUpdate& update,
                                    const std::string& why) {
  ++server_signing_fallbacks_;
  const bool here = config_.validation.signing_fallback == SigningFallback::Local;
  if (n.may_log_warning()) {
    spdlog::warn("peer {}: the validation server did not sign {} ({}); {}", n.name(),
                 update.prefix.to_string(), why, here ? "signed here" : "sent unsigned");
  }
  transmit(n, update, std::nullopt, here);
}

void Speaker::expire_server_signing(bool all) {
  // The answer timeout ends a silent server's session, and the routes and their requests move
  // to the next server; this is the bound for everything else (no server at all).
  const auto limit = config_.validation.answer_timeout + config_.validation.fallback_after;
  const auto now = std::chrono::steady_clock::now();
  std::vector<PendingSign> expired;
  for (auto it = pending_signs_.begin(); it != pending_signs_.end();) {
    if (all || now - it->second.asked > limit) {
      expired.push_back(std::move(it->second));
      it = pending_signs_.erase(it);
    } else {
      ++it;
    }
  }
  for (const auto& pending : expired) {
    if (Neighbor* n = still_waiting(pending)) {
      server_signing_failed(*n, pending.update, "no answer from any validation server");
    }
  }
}

void Speaker::arm_server_signing_check() {
  if (!server_signing_timer_) {
    server_signing_timer_ = std::make_unique<asio::steady_timer>(io_);
  } else if (server_signing_timer_->expiry() > std::chrono::steady_clock::now()) {
    return;
  }
  server_signing_timer_->expires_after(std::chrono::seconds(1));
  server_signing_timer_->async_wait([this](const asio::error_code& ec) {
    if (ec) {
      return;
    }
    expire_server_signing(false);
    if (!pending_signs_.empty()) {
      arm_server_signing_check();
    }
  });
}

}  // namespace bgpsecd::daemon
