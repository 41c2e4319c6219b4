// SPDX-License-Identifier: BSD-2-Clause
// The router side of the RPKI-to-Router protocol (version 2 with ASPA, docs/aspa.md §11, falling
// back to RFC 8210 v1 and RFC 6810 v0; RFC 8210 §6, §7) as a pure state machine: no sockets, no
// clocks, no logging. A transport feeds it events with the current time and carries out the events
// it returns.
//
// Transport contract (e.g. an asio TCP client):
//   * Call start(now) once. Every call returns RtrEvents; carry them out in order:
//       RtrSend          write the bytes to the current connection;
//       RtrConnect       open a new connection to the cache, then call on_connected(now) when
//                        it is up, or on_disconnected(now) when it cannot be opened;
//       RtrClose         close the current connection (after writing what was sent before);
//                        do NOT call on_disconnected for it, and drop any bytes still unread;
//       RtrDataUpdate    publish to the RPKI store (reset: replace everything from this cache
//                        with `announced`; otherwise withdraw `withdrawn`, add `announced`);
//       RtrDropAll       remove everything learned from this cache;
//       RtrErrorSent / RtrErrorReceived / RtrVersionChanged   for logs and metrics only.
//   * Feed every received octet to on_bytes(bytes, now), in order; PDUs may be split or merged.
//   * Call on_disconnected(now) when the connection drops (EOF, read or write error).
//   * After every call, (re)arm one timer for next_deadline(); when it fires, call
//     on_timer(now). Calling on_timer early or late is harmless.
// Times are std::chrono::steady_clock time points supplied by the caller, so tests and replays
// are deterministic (docs/style.md §2.12).
//
// Data changes are collected per Cache Response and handed out only at End of Data, so a
// half-received update is never published. Every error this side detects, and every fatal
// Error Report received (all codes but 2 and 4), ends the session: the router drops this
// cache's data (RFC 8210 §5.1 for Session ID mismatches; BIRD for the rest, RFC 8210
// §2.4) and reconnects after the Retry interval with a Reset Query.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "base/asn.hpp"
#include "base/bytes.hpp"
#include "base/prefix.hpp"
#include "base/ski.hpp"
#include "crypto/keys.hpp"
#include "rpki/rpki_json.hpp"
#include "rpki/rtr_pdu.hpp"

namespace bgpsecd::rpki {

using RtrTime = std::chrono::steady_clock::time_point;

struct RtrClientConfig {
  // The highest version offered in the first query (RFC 8210 §7); 0 for a v0-only router.
  std::uint8_t max_version = kRtrMaxVersion;
};

// --- Events returned to the transport (see the contract above). ---
struct RtrSend {
  base::Bytes bytes;
  friend bool operator==(const RtrSend&, const RtrSend&) = default;
};
struct RtrConnect {
  friend bool operator==(const RtrConnect&, const RtrConnect&) = default;
};
struct RtrClose {
  friend bool operator==(const RtrClose&, const RtrClose&) = default;
};
// One committed transaction (Cache Response ... End of Data). Lists are sorted and disjoint;
// `expires` is always empty. An ASPA record whose provider set changed is in both lists: the
// old set withdrawn, the new one announced (providers sorted, no duplicates). With the
// StayRTR 0.5 layout a customer has one record per AFI, so it may appear twice in a list. With
// reset == true, `announced` is the complete data set of this cache (answer to a Reset Query) and
// `withdrawn` is empty.
struct RtrDataUpdate {
  bool reset = false;
  std::uint16_t session_id = 0;
  std::uint32_t serial = 0;
  RpkiData announced;
  RpkiData withdrawn;
  friend bool operator==(const RtrDataUpdate&, const RtrDataUpdate&) = default;
};
// Why a cache's data was dropped, for metrics (the text in RtrDropAll::reason is for logs).
enum class RtrDropReason : std::uint8_t {
  Expired,        // RFC 8210 §6: no successful refresh within the Expire interval
  ErrorReport,    // the cache sent a fatal Error Report (all codes but 2 and 4)
  ProtocolError,  // this side found an error in what the cache sent (and reported it)
};
inline constexpr std::array<RtrDropReason, 3> kRtrDropReasons = {
    RtrDropReason::Expired, RtrDropReason::ErrorReport, RtrDropReason::ProtocolError};
// "expired", "error_report", "protocol_error" (metric label values).
[[nodiscard]] const char* rtr_drop_reason_name(RtrDropReason reason) noexcept;

struct RtrDropAll {
  std::string reason;
  RtrDropReason kind = RtrDropReason::ProtocolError;
  friend bool operator==(const RtrDropAll&, const RtrDropAll&) = default;
};
struct RtrErrorSent {
  RtrErrorCode code = RtrErrorCode::CorruptData;
  std::string text;
  friend bool operator==(const RtrErrorSent&, const RtrErrorSent&) = default;
};
struct RtrErrorReceived {
  ErrorReportPdu report;
  friend bool operator==(const RtrErrorReceived&, const RtrErrorReceived&) = default;
};
struct RtrVersionChanged {
  std::uint8_t from = 0;
  std::uint8_t to = 0;
  friend bool operator==(const RtrVersionChanged&, const RtrVersionChanged&) = default;
};

using RtrEvent = std::variant<RtrSend, RtrConnect, RtrClose, RtrDataUpdate, RtrDropAll,
                              RtrErrorSent, RtrErrorReceived, RtrVersionChanged>;
using RtrEvents = std::vector<RtrEvent>;

enum class RtrClientState : std::uint8_t {
  Idle,              // no connection; a reconnect is due at next_deadline()
  Connecting,        // RtrConnect emitted, waiting for on_connected / on_disconnected
  AwaitingResponse,  // Reset or Serial Query sent, waiting for Cache Response / Cache Reset
  Receiving,         // inside Cache Response ... End of Data
  Ready,             // in sync (or waiting to retry after No Data); polls at Refresh
};

class RtrClient {
 public:
  explicit RtrClient(RtrClientConfig config = {});

  [[nodiscard]] RtrEvents start(RtrTime now);
  [[nodiscard]] RtrEvents on_connected(RtrTime now);
  [[nodiscard]] RtrEvents on_bytes(std::span<const std::uint8_t> bytes, RtrTime now);
  [[nodiscard]] RtrEvents on_timer(RtrTime now);
  [[nodiscard]] RtrEvents on_disconnected(RtrTime now);
  // The earliest time on_timer has something to do, if any.
  [[nodiscard]] std::optional<RtrTime> next_deadline() const;

  [[nodiscard]] RtrClientState state() const noexcept { return state_; }
  // The version of the current (or next) connection, and whether the cache has answered in it.
  [[nodiscard]] std::uint8_t version() const noexcept { return version_; }
  [[nodiscard]] bool version_negotiated() const noexcept { return negotiated_; }
  // Session ID and serial of the data held, from the last End of Data; empty when none.
  [[nodiscard]] std::optional<std::uint16_t> session_id() const;
  [[nodiscard]] std::optional<std::uint32_t> serial() const;
  // From the last v1 End of Data (clamped to the RFC 8210 §6 ranges); defaults otherwise.
  [[nodiscard]] const RtrIntervals& intervals() const noexcept { return intervals_; }
  // The data currently held (what the updates so far add up to), sorted.
  [[nodiscard]] RpkiData data() const;

 private:
  struct VrpKey {
    base::Prefix prefix;
    std::uint8_t max_length = 0;
    base::Asn asn;
    friend auto operator<=>(const VrpKey&, const VrpKey&) = default;
  };
  // RFC 8210 §5.10: a router key is identified by {SKI, ASN, SPKI}; the canonical SPKI is
  // determined by the point.
  struct KeyId {
    base::Asn asn;
    base::Ski ski;
    crypto::EcPoint point;
    friend auto operator<=>(const KeyId&, const KeyId&) = default;
  };
  struct PendingKey {
    bool present;
    crypto::PublicKey key;
  };
  // docs/aspa.md §11.2: a record per customer (current layout, afi == kAnyAfi) or per
  // customer and AFI (StayRTR 0.5 layout).
  struct AspaKey {
    base::Asn customer;
    std::uint8_t afi = 0;
    friend auto operator<=>(const AspaKey&, const AspaKey&) = default;
  };
  static constexpr std::uint8_t kAnyAfi = 0xFF;
  using Providers = std::vector<base::Asn>;  // sorted, unique
  struct Session {
    std::uint16_t session_id;
    std::uint32_t serial;
  };

  void send_query(RtrEvents& events);
  void send_pdu(const RtrPdu& pdu, RtrEvents& events);
  void handle_frame(const base::Bytes& frame, RtrTime now, RtrEvents& events);
  void handle_pdu(const RtrPdu& pdu, const base::Bytes& frame, RtrTime now, RtrEvents& events);
  void handle_error_report(const ErrorReportPdu& report, std::uint8_t report_version, RtrTime now,
                           RtrEvents& events);
  void handle_prefix(const PrefixPdu& pdu, const base::Bytes& frame, RtrTime now,
                     RtrEvents& events);
  void handle_router_key(const RouterKeyPdu& pdu, const base::Bytes& frame, RtrTime now,
                         RtrEvents& events);
  void handle_aspa(const AspaPdu& pdu, const base::Bytes& frame, RtrTime now, RtrEvents& events);
  void clear_pending();
  void commit(const EndOfDataPdu& eod, RtrTime now, RtrEvents& events);
  // Sends an Error Report (unless `reply` is false), closes, drops the data and schedules a
  // reconnect after Retry.
  void fail_session(RtrErrorCode code, const std::string& text, const base::Bytes& frame,
                    bool reply, RtrTime now, RtrEvents& events,
                    RtrDropReason why = RtrDropReason::ProtocolError);
  void drop_all(const std::string& reason, RtrDropReason why, RtrEvents& events);
  void close_connection(RtrTime reconnect_at, RtrEvents& events);
  void downgrade(std::uint8_t to, RtrEvents& events);
  // The wait before the next reconnect: 1 s, doubling per failure, at most Retry; reset by a
  // committed End of Data.
  std::chrono::seconds next_reconnect_delay();

  static constexpr std::chrono::seconds kFirstReconnectDelay{1};

  RtrClientConfig config_;
  RtrClientState state_ = RtrClientState::Idle;
  std::uint8_t version_;         // of the current connection
  std::uint8_t sticky_version_;  // where new connections start (lowered by explicit downgrade)
  std::optional<std::uint8_t> next_attempt_version_;  // one attempt after a silent close
  bool negotiated_ = false;                           // the cache answered in version_
  // The highest version the cache has ever answered a query in (Cache Response / Cache Reset).
  std::optional<std::uint8_t> answered_version_;
  bool got_pdu_ = false;  // on this connection
  RtrFramer framer_;

  std::optional<Session> session_;
  bool need_reset_ = false;                   // Cache Reset received: next query is a Reset Query
  std::optional<std::uint8_t> data_version_;  // version the held data was learned with
  bool has_data_ = false;
  RtrIntervals intervals_;
  std::set<VrpKey> vrps_;
  std::map<KeyId, crypto::PublicKey> keys_;
  std::map<AspaKey, Providers> aspas_;

  bool reset_mode_ = false;  // the outstanding query is a Reset Query
  std::uint16_t txn_session_id_ = 0;
  std::map<VrpKey, bool> pending_vrps_;  // key -> present after commit
  std::map<KeyId, PendingKey> pending_keys_;
  std::map<AspaKey, std::optional<Providers>> pending_aspas_;  // nullopt: withdrawn

  std::chrono::seconds reconnect_backoff_ = kFirstReconnectDelay;
  std::optional<RtrTime> reconnect_at_;
  std::optional<RtrTime> refresh_at_;
  std::optional<RtrTime> retry_query_at_;
  std::optional<RtrTime> expire_at_;
};

}  // namespace bgpsecd::rpki
