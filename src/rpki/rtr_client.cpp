// SPDX-License-Identifier: BSD-2-Clause
// RTR router-side state machine (RFC 8210 §6-§8): queries, the pending
// change set committed at End of Data, Session ID checks, timers and version negotiation.
#include "rpki/rtr_client.hpp"

#include <algorithm>
#include <string>
#include <utility>

namespace bgpsecd::rpki {
namespace {

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

// RFC 8210 §6: accepted ranges. Values outside are clamped (the RFC's reaction is unconfirmed,
// RFC 8210 §6; clamping keeps the session up and the timers sane).
RtrIntervals clamp_intervals(const RtrIntervals& in) {
  return RtrIntervals{std::clamp<std::uint32_t>(in.refresh, 1, 86400),
                      std::clamp<std::uint32_t>(in.retry, 1, 7200),
                      std::clamp<std::uint32_t>(in.expire, 600, 172800)};
}

std::chrono::seconds secs(std::uint32_t s) { return std::chrono::seconds(s); }

// Longest error text sent; the rest of the PDU budget goes to the encapsulated copy.
constexpr std::size_t kMaxErrorText = 1024;

}  // namespace

RtrClient::RtrClient(RtrClientConfig config)
    : config_(config),
      version_(std::min(config.max_version, kRtrMaxVersion)),
      sticky_version_(version_) {}

RtrEvents RtrClient::start(RtrTime now) {
  reconnect_at_ = now;
  return on_timer(now);
}

std::optional<std::uint16_t> RtrClient::session_id() const {
  if (!session_) {
    return std::nullopt;
  }
  return session_->session_id;
}

std::optional<std::uint32_t> RtrClient::serial() const {
  if (!session_) {
    return std::nullopt;
  }
  return session_->serial;
}

RpkiData RtrClient::data() const {
  RpkiData out;
  for (const auto& v : vrps_) {
    out.vrps.push_back(VrpEntry{v.prefix, v.max_length, v.asn, std::nullopt});
  }
  for (const auto& [id, key] : keys_) {
    out.router_keys.push_back(RouterKeyEntry{id.asn, id.ski, key, std::nullopt});
  }
  for (const auto& [id, providers] : aspas_) {
    out.aspas.push_back(aspa::AspaRecord{id.customer, providers});
  }
  return out;
}

std::optional<RtrTime> RtrClient::next_deadline() const {
  std::optional<RtrTime> best;
  const auto consider = [&](const std::optional<RtrTime>& t) {
    if (t && (!best || *t < *best)) {
      best = t;
    }
  };
  consider(expire_at_);
  if (state_ == RtrClientState::Idle) {
    consider(reconnect_at_);
  }
  if (state_ == RtrClientState::Ready) {
    consider(refresh_at_);
    consider(retry_query_at_);
  }
  return best;
}

RtrEvents RtrClient::on_connected(RtrTime /*now*/) {
  RtrEvents events;
  if (state_ != RtrClientState::Connecting) {
    return events;  // not asked for; the transport broke the contract
  }
  framer_.reset();
  negotiated_ = false;
  got_pdu_ = false;
  version_ = next_attempt_version_.value_or(sticky_version_);
  next_attempt_version_.reset();
  send_query(events);
  return events;
}

RtrEvents RtrClient::on_disconnected(RtrTime now) {
  RtrEvents events;
  if (state_ == RtrClientState::Idle) {
    return events;  // we closed it ourselves
  }
  const bool was_connected = state_ != RtrClientState::Connecting;
  state_ = RtrClientState::Idle;
  framer_.reset();
  clear_pending();
  refresh_at_.reset();
  retry_query_at_.reset();
  // RFC 8210 §7: a cache that speaks only a lower version may close without
  // a word; try the next lower version at once (§6: a downgrade may retry immediately). Only
  // for this one attempt: a silent close is weak evidence, so later connections start from the
  // highest version again.
  const bool silent = was_connected && !negotiated_ && !got_pdu_;
  // A cache that has answered in this version before is not version-limited: StayRTR, for
  // one, closes silently on a Serial Query for a session it no longer knows (after a
  // restart). Ask for everything again, in the same version, instead of downgrading and
  // losing the router keys.
  if (silent && !reset_mode_ && answered_version_ && *answered_version_ >= version_) {
    need_reset_ = true;
    reconnect_at_ = now + next_reconnect_delay();
    return events;
  }
  if (silent && version_ > kRtrVersion0 && !(answered_version_ && *answered_version_ >= version_)) {
    next_attempt_version_ = static_cast<std::uint8_t>(version_ - 1);
    events.emplace_back(RtrVersionChanged{version_, *next_attempt_version_});
    reconnect_at_ = now;
    return events;
  }
  // RFC 8210 §6: keep the data until Expire. Reconnect with back-off capped at Retry: a
  // restarted cache is back in seconds, and waiting a full Retry (600 s by default) for it
  // would leave the router without updates for no reason.
  reconnect_at_ = now + next_reconnect_delay();
  return events;
}

RtrEvents RtrClient::on_timer(RtrTime now) {
  RtrEvents events;
  // RFC 8210 §6: no successful refresh within Expire -> discard this cache's data.
  if (expire_at_ && now >= *expire_at_) {
    expire_at_.reset();
    drop_all("data expired (no successful refresh within the Expire interval)",
             RtrDropReason::Expired, events);
    if (state_ != RtrClientState::Idle && state_ != RtrClientState::Connecting) {
      // Whatever the connection was doing was based on the dropped data; start over.
      close_connection(now, events);
    }
  }
  if (state_ == RtrClientState::Idle && reconnect_at_ && now >= *reconnect_at_) {
    reconnect_at_.reset();
    state_ = RtrClientState::Connecting;
    events.emplace_back(RtrConnect{});
  }
  if (state_ == RtrClientState::Ready) {
    // RFC 8210 §6: poll at Refresh; after a failed query (No Data) retry at Retry.
    const bool refresh_due = refresh_at_ && now >= *refresh_at_;
    const bool retry_due = retry_query_at_ && now >= *retry_query_at_;
    if (refresh_due || retry_due) {
      send_query(events);
    }
  }
  return events;
}

RtrEvents RtrClient::on_bytes(std::span<const std::uint8_t> bytes, RtrTime now) {
  RtrEvents events;
  if (state_ == RtrClientState::Idle || state_ == RtrClientState::Connecting) {
    return events;  // no connection of ours is open
  }
  framer_.append(bytes);
  while (state_ != RtrClientState::Idle) {
    auto frame = framer_.next();
    if (!frame) {
      // The length field cannot be trusted, so nothing after it can be framed.
      fail_session(frame.error().code, frame.error().message, base::Bytes(), true, now, events);
      break;
    }
    if (!frame->has_value()) {
      break;
    }
    handle_frame(**frame, now, events);
  }
  return events;
}

void RtrClient::send_pdu(const RtrPdu& pdu, RtrEvents& events) {
  auto bytes = encode_rtr_pdu(pdu, version_);
  // version_ is 0 or 1 and the router sends no Router Keys, so encoding cannot fail.
  if (bytes) {
    events.emplace_back(RtrSend{std::move(*bytes)});
  }
}

void RtrClient::send_query(RtrEvents& events) {
  // RFC 8210 §8.1/§8.4: Serial Query when we hold data of a known session in this version,
  // otherwise (first start, Cache Reset, after a flush, version change) a Reset Query.
  reset_mode_ = need_reset_ || !session_ || data_version_ != version_;
  if (reset_mode_) {
    send_pdu(ResetQueryPdu{}, events);
  } else {
    send_pdu(SerialQueryPdu{session_->session_id, session_->serial}, events);
  }
  clear_pending();
  refresh_at_.reset();
  retry_query_at_.reset();
  state_ = RtrClientState::AwaitingResponse;
}

void RtrClient::handle_frame(const base::Bytes& frame, RtrTime now, RtrEvents& events) {
  // The framer only hands out frames whose header decodes.
  const auto header = decode_rtr_header(frame);
  if (!header) {
    fail_session(header.error().code, header.error().message, frame, true, now, events);
    return;
  }
  got_pdu_ = true;
  const bool is_error_report = header->type == static_cast<std::uint8_t>(RtrPduType::ErrorReport);
  const bool is_notify = header->type == static_cast<std::uint8_t>(RtrPduType::SerialNotify);

  if (header->version != version_) {
    // RFC 8210 §7: never answer an Error Report with an Error Report.
    if (header->version > kRtrMaxVersion) {
      fail_session(RtrErrorCode::UnsupportedProtocolVersion,
                   "unsupported protocol version " + std::to_string(header->version), frame,
                   !is_error_report, now, events);
      return;
    }
    if (!negotiated_) {
      const bool answers_query =
          header->type == static_cast<std::uint8_t>(RtrPduType::CacheResponse) ||
          header->type == static_cast<std::uint8_t>(RtrPduType::CacheReset);
      if (is_notify) {
        return;  // RFC 8210 §7: Serial Notify is ignored while the version is negotiated
      }
      if (answers_query && header->version < version_) {
        // RFC 8210 §7: the cache answered a v1 query in v0; downgrade and carry on.
        downgrade(header->version, events);
      } else if (!is_error_report) {
        fail_session(RtrErrorCode::UnexpectedProtocolVersion,
                     "PDU of protocol version " + std::to_string(header->version) +
                         " in a version " + std::to_string(version_) + " session",
                     frame, true, now, events);
        return;
      }
    } else if (!is_error_report) {
      // RFC 8210 §7: once negotiated, a PDU of another version is error 8.
      fail_session(RtrErrorCode::UnexpectedProtocolVersion,
                   "PDU of protocol version " + std::to_string(header->version) + " in a version " +
                       std::to_string(version_) + " session",
                   frame, true, now, events);
      return;
    }
  }

  auto pdu = decode_rtr_pdu(frame);
  if (!pdu) {
    fail_session(pdu.error().code, pdu.error().message, frame, !is_error_report, now, events);
    return;
  }
  if (const auto* report = std::get_if<ErrorReportPdu>(&*pdu)) {
    handle_error_report(*report, header->version, now, events);
    return;
  }
  handle_pdu(*pdu, frame, now, events);
}

void RtrClient::handle_pdu(const RtrPdu& pdu, const base::Bytes& frame, RtrTime now,
                           RtrEvents& events) {
  const auto unexpected = [&](const char* what) {
    // A PDU out of sequence: the cache and we disagree about the state of the session.
    fail_session(RtrErrorCode::CorruptData, std::string("unexpected ") + what, frame, true, now,
                 events);
  };
  std::visit(Overloaded{
                 [&](const SerialNotifyPdu& p) {
                   // RFC 8210 §5.2 / §7: a hint to query now; ignored unless idle and in sync.
                   if (state_ != RtrClientState::Ready || !negotiated_) {
                     return;
                   }
                   if (session_ && p.session_id != session_->session_id) {
                     // RFC 8210 §5.1: Session ID mismatch -> Corrupt Data, flush.
                     fail_session(RtrErrorCode::CorruptData, "Session ID mismatch in Serial Notify",
                                  frame, true, now, events);
                     return;
                   }
                   send_query(events);
                 },
                 [&](const SerialQueryPdu&) {
                   fail_session(RtrErrorCode::UnsupportedPduType, "Serial Query sent to a router",
                                frame, true, now, events);
                 },
                 [&](const ResetQueryPdu&) {
                   fail_session(RtrErrorCode::UnsupportedPduType, "Reset Query sent to a router",
                                frame, true, now, events);
                 },
                 [&](const CacheResponsePdu& p) {
                   if (state_ != RtrClientState::AwaitingResponse) {
                     unexpected("Cache Response");
                     return;
                   }
                   // RFC 8210 §5.1: the answer to a Serial Query must keep our Session ID; after a
                   // Reset Query the cache may have a new one (cache restart), which we adopt.
                   if (!reset_mode_ && session_ && p.session_id != session_->session_id) {
                     fail_session(RtrErrorCode::CorruptData,
                                  "Session ID mismatch in Cache Response", frame, true, now,
                                  events);
                     return;
                   }
                   negotiated_ = true;
                   answered_version_ = std::max(answered_version_.value_or(0), version_);
                   txn_session_id_ = p.session_id;
                   clear_pending();
                   state_ = RtrClientState::Receiving;
                 },
                 [&](const PrefixPdu& p) {
                   if (state_ != RtrClientState::Receiving) {
                     unexpected("Prefix PDU outside a Cache Response");
                     return;
                   }
                   handle_prefix(p, frame, now, events);
                 },
                 [&](const EndOfDataPdu& p) {
                   if (state_ != RtrClientState::Receiving) {
                     unexpected("End of Data outside a Cache Response");
                     return;
                   }
                   if (p.session_id != txn_session_id_) {
                     fail_session(RtrErrorCode::CorruptData, "Session ID mismatch in End of Data",
                                  frame, true, now, events);
                     return;
                   }
                   commit(p, now, events);
                 },
                 [&](const CacheResetPdu&) {
                   // RFC 8210 §5.9: the cache cannot give deltas from our serial; reload fully. The
                   // data stays until the new set replaces it (RtrDataUpdate::reset).
                   negotiated_ = true;
                   answered_version_ = std::max(answered_version_.value_or(0), version_);
                   need_reset_ = true;
                   send_query(events);
                 },
                 [&](const RouterKeyPdu& p) {
                   if (state_ != RtrClientState::Receiving) {
                     unexpected("Router Key PDU outside a Cache Response");
                     return;
                   }
                   handle_router_key(p, frame, now, events);
                 },
                 [&](const AspaPdu& p) {
                   if (state_ != RtrClientState::Receiving) {
                     unexpected("ASPA PDU outside a Cache Response");
                     return;
                   }
                   handle_aspa(p, frame, now, events);
                 },
                 [&](const ErrorReportPdu&) {},  // handled by the caller
             },
             pdu);
}

void RtrClient::handle_prefix(const PrefixPdu& p, const base::Bytes& frame, RtrTime now,
                              RtrEvents& events) {
  const VrpKey key{p.prefix, p.max_length, p.asn};
  const auto it = pending_vrps_.find(key);
  const bool present = it != pending_vrps_.end() ? it->second : !reset_mode_ && vrps_.contains(key);
  if (p.announce && present) {
    // RFC 8210 §5.6: announcing a record the router already has.
    fail_session(RtrErrorCode::DuplicateAnnouncement,
                 "duplicate announcement of " + p.prefix.to_string() + "-" +
                     std::to_string(p.max_length) + " AS" + p.asn.to_string(),
                 frame, true, now, events);
    return;
  }
  if (!p.announce && !present) {
    // RFC 8210 §5.6: withdrawing a record the router does not have.
    fail_session(RtrErrorCode::WithdrawalOfUnknownRecord,
                 "withdrawal of unknown " + p.prefix.to_string() + "-" +
                     std::to_string(p.max_length) + " AS" + p.asn.to_string(),
                 frame, true, now, events);
    return;
  }
  pending_vrps_.insert_or_assign(key, p.announce);
}

void RtrClient::handle_router_key(const RouterKeyPdu& p, const base::Bytes& frame, RtrTime now,
                                  RtrEvents& events) {
  const KeyId id{p.asn, p.ski, p.key.point()};
  const auto it = pending_keys_.find(id);
  const bool present =
      it != pending_keys_.end() ? it->second.present : !reset_mode_ && keys_.contains(id);
  if (p.announce && present) {
    // RFC 8210 §5.10: same {SKI, ASN, SPKI} announced twice.
    fail_session(
        RtrErrorCode::DuplicateAnnouncement,
        "duplicate announcement of router key AS" + p.asn.to_string() + " SKI " + p.ski.to_hex(),
        frame, true, now, events);
    return;
  }
  if (!p.announce && !present) {
    fail_session(
        RtrErrorCode::WithdrawalOfUnknownRecord,
        "withdrawal of unknown router key AS" + p.asn.to_string() + " SKI " + p.ski.to_hex(), frame,
        true, now, events);
    return;
  }
  pending_keys_.insert_or_assign(id, PendingKey{p.announce, p.key});
}

void RtrClient::handle_aspa(const AspaPdu& p, const base::Bytes& frame, RtrTime now,
                            RtrEvents& events) {
  const bool stayrtr = p.layout == AspaPduLayout::StayRtr05;
  const AspaKey id{p.customer, stayrtr ? p.afi : kAnyAfi};
  Providers providers = p.providers;
  std::sort(providers.begin(), providers.end());
  providers.erase(std::unique(providers.begin(), providers.end()), providers.end());

  std::optional<Providers> held;
  if (const auto it = pending_aspas_.find(id); it != pending_aspas_.end()) {
    held = it->second;
  } else if (const auto it2 = aspas_.find(id); !reset_mode_ && it2 != aspas_.end()) {
    held = it2->second;
  }
  if (p.announce) {
    // docs/aspa.md §11.2: an announcement for a customer already held replaces its record.
    pending_aspas_.insert_or_assign(id, std::move(providers));
    return;
  }
  if (!held) {
    // 8210bis §5.12: withdrawing a customer the router does not hold is error 6.
    fail_session(RtrErrorCode::WithdrawalOfUnknownRecord,
                 "withdrawal of unknown ASPA of customer AS" + p.customer.to_string(), frame, true,
                 now, events);
    return;
  }
  if (stayrtr && *held != providers) {
    // docs/aspa.md §11.2: StayRTR 0.5 sends a change as announce(new), withdraw(old); the
    // withdrawal names the old set, and the newer announcement stands.
    return;
  }
  pending_aspas_.insert_or_assign(id, std::nullopt);
}

void RtrClient::clear_pending() {
  pending_vrps_.clear();
  pending_keys_.clear();
  pending_aspas_.clear();
}

std::chrono::seconds RtrClient::next_reconnect_delay() {
  const auto delay = std::min(reconnect_backoff_, secs(intervals_.retry));
  reconnect_backoff_ = std::min(reconnect_backoff_ * 2, secs(intervals_.retry));
  return delay;
}

void RtrClient::commit(const EndOfDataPdu& eod, RtrTime now, RtrEvents& events) {
  reconnect_backoff_ = kFirstReconnectDelay;  // in sync again: the next failure starts over
  RtrDataUpdate update;
  update.reset = reset_mode_;
  update.session_id = txn_session_id_;
  update.serial = eod.serial;
  if (reset_mode_) {
    // The answer to a Reset Query is the whole data set.
    vrps_.clear();
    keys_.clear();
    aspas_.clear();
  }
  for (const auto& [key, present] : pending_vrps_) {
    const bool had = vrps_.contains(key);
    if (present == had) {
      continue;  // announced and withdrawn again within this transaction, or vice versa
    }
    VrpEntry entry{key.prefix, key.max_length, key.asn, std::nullopt};
    if (present) {
      vrps_.insert(key);
      update.announced.vrps.push_back(std::move(entry));
    } else {
      vrps_.erase(key);
      update.withdrawn.vrps.push_back(std::move(entry));
    }
  }
  for (const auto& [id, pending] : pending_keys_) {
    const bool had = keys_.contains(id);
    if (pending.present == had) {
      continue;
    }
    RouterKeyEntry entry{id.asn, id.ski, pending.key, std::nullopt};
    if (pending.present) {
      keys_.insert_or_assign(id, pending.key);
      update.announced.router_keys.push_back(std::move(entry));
    } else {
      keys_.erase(id);
      update.withdrawn.router_keys.push_back(std::move(entry));
    }
  }
  for (auto& [id, pending] : pending_aspas_) {
    const auto had = aspas_.find(id);
    if (had != aspas_.end() && pending && had->second == *pending) {
      continue;
    }
    if (had != aspas_.end()) {
      update.withdrawn.aspas.push_back(aspa::AspaRecord{id.customer, had->second});
      aspas_.erase(had);
    }
    if (pending) {
      update.announced.aspas.push_back(aspa::AspaRecord{id.customer, *pending});
      aspas_.emplace(id, std::move(*pending));
    }
  }
  clear_pending();

  session_ = Session{txn_session_id_, eod.serial};
  need_reset_ = false;
  data_version_ = version_;
  has_data_ = true;
  // RFC 8210 §5.8 / §6: v1 End of Data carries the timers; v0 sessions use the defaults.
  intervals_ = eod.intervals ? clamp_intervals(*eod.intervals) : RtrIntervals{};
  refresh_at_ = now + secs(intervals_.refresh);
  expire_at_ = now + secs(intervals_.expire);
  retry_query_at_.reset();
  state_ = RtrClientState::Ready;
  events.emplace_back(std::move(update));
}

void RtrClient::handle_error_report(const ErrorReportPdu& report, std::uint8_t report_version,
                                    RtrTime now, RtrEvents& events) {
  events.emplace_back(RtrErrorReceived{report});
  const auto code = report.code;
  if (code == static_cast<std::uint16_t>(RtrErrorCode::NoDataAvailable) &&
      state_ == RtrClientState::AwaitingResponse) {
    // RFC 8210 §12: No Data is transient. Keep the data (until Expire) and the connection,
    // and ask again after Retry. A lower-version answer still tells us the cache's version.
    if (!negotiated_ && report_version < version_) {
      downgrade(report_version, events);
    }
    negotiated_ = true;
    state_ = RtrClientState::Ready;
    retry_query_at_ = now + secs(intervals_.retry);
    return;
  }
  if (code == static_cast<std::uint16_t>(RtrErrorCode::UnsupportedProtocolVersion) &&
      !negotiated_ && version_ > kRtrVersion0) {
    // RFC 8210 §7: the cache does not speak our version; reconnect at once one version lower
    // (or at the version the report itself was sent in, if lower still).
    downgrade(std::min<std::uint8_t>(static_cast<std::uint8_t>(version_ - 1), report_version),
              events);
    close_connection(now, events);
    return;
  }
  if (code == static_cast<std::uint16_t>(RtrErrorCode::UnsupportedProtocolVersion)) {
    // Refused even at our lowest version: the cache may have changed; start from the top
    // next time.
    sticky_version_ = std::min(config_.max_version, kRtrMaxVersion);
  }
  // RFC 8210 §12: everything else is fatal for the session and this cache's data.
  fail_session(RtrErrorCode::CorruptData,
               std::string("cache sent Error Report: ") + rtr_error_code_name(code), base::Bytes(),
               false, now, events, RtrDropReason::ErrorReport);
}

const char* rtr_drop_reason_name(RtrDropReason reason) noexcept {
  switch (reason) {
    case RtrDropReason::Expired:
      return "expired";
    case RtrDropReason::ErrorReport:
      return "error_report";
    case RtrDropReason::ProtocolError:
      return "protocol_error";
  }
  return "unknown";
}

void RtrClient::downgrade(std::uint8_t to, RtrEvents& events) {
  if (to == version_) {
    return;
  }
  events.emplace_back(RtrVersionChanged{version_, to});
  version_ = to;
  sticky_version_ = to;
}

void RtrClient::drop_all(const std::string& reason, RtrDropReason why, RtrEvents& events) {
  if (has_data_) {
    events.emplace_back(RtrDropAll{reason, why});
  }
  has_data_ = false;
  vrps_.clear();
  keys_.clear();
  aspas_.clear();
  session_.reset();
  data_version_.reset();
  need_reset_ = false;
  expire_at_.reset();
}

void RtrClient::close_connection(RtrTime reconnect_at, RtrEvents& events) {
  events.emplace_back(RtrClose{});
  state_ = RtrClientState::Idle;
  framer_.reset();
  clear_pending();
  refresh_at_.reset();
  retry_query_at_.reset();
  reconnect_at_ = reconnect_at;
}

void RtrClient::fail_session(RtrErrorCode code, const std::string& text, const base::Bytes& frame,
                             bool reply, RtrTime now, RtrEvents& events, RtrDropReason why) {
  if (reply) {
    ErrorReportPdu report;
    report.code = static_cast<std::uint16_t>(code);
    report.text = text.substr(0, kMaxErrorText);
    // RFC 8210 §5.11: a copy of the offending PDU, cut so that the report stays within the
    // size every implementation accepts.
    const std::size_t room = kRtrMaxPduSize - 16 - report.text.size();
    const auto copy = std::span<const std::uint8_t>(frame).first(std::min(frame.size(), room));
    report.encapsulated_pdu.assign(copy.begin(), copy.end());
    send_pdu(report, events);
    events.emplace_back(RtrErrorSent{code, report.text});
  }
  // Retry (which caps the back-off) is read before drop_all; drop_all keeps intervals_, but be
  // explicit about the order.
  const auto reconnect_at = now + next_reconnect_delay();
  close_connection(reconnect_at, events);
  drop_all(text, why, events);
}

}  // namespace bgpsecd::rpki
