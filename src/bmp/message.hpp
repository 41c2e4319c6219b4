// SPDX-License-Identifier: BSD-2-Clause
// BMP, the BGP Monitoring Protocol (RFC 7854), with the Loc-RIB peer type of RFC 9069: the
// messages bgpsecd sends to a monitoring station. A pure encoder: values and already-encoded
// BGP PDUs in, bytes out. The BGP messages inside (OPEN, UPDATE, NOTIFICATION) are taken as
// the bytes the session sent or received, so a pre-policy Route Monitoring carries the UPDATE
// exactly as the peer sent it, BGPsec_PATH included. docs/bmp.md has the layouts in short.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "base/bytes.hpp"
#include "base/prefix.hpp"

namespace bgpsecd::bmp {

inline constexpr std::uint8_t kVersion = 3;          // RFC 7854 §4.1
inline constexpr std::size_t kCommonHeaderSize = 6;  // version, length, type
inline constexpr std::size_t kPeerHeaderSize = 42;   // RFC 7854 §4.2

// RFC 7854 §4.1 (the IANA "BMP Message Types" registry).
enum class MessageType : std::uint8_t {
  RouteMonitoring = 0,
  StatisticsReport = 1,
  PeerDown = 2,
  PeerUp = 3,
  Initiation = 4,
  Termination = 5,
};

// RFC 7854 §4.2, RFC 9069 §4.1.
enum class PeerType : std::uint8_t { Global = 0, Rd = 1, Local = 2, LocRib = 3 };

// The per-peer header of every message except Initiation and Termination (RFC 7854 §4.2).
struct PeerHeader {
  PeerType type = PeerType::Global;
  bool post_policy = false;     // L: after import policy (types 0-2)
  bool legacy_as_path = false;  // A: the UPDATE uses 2-octet AS_PATH (types 0-2)
  bool adj_rib_out = false;     // O: RFC 8671 Adj-RIB-Out (types 0-2)
  bool filtered = false;        // F: RFC 9069 §4.2, a filtered Loc-RIB (type 3 only)
  std::uint64_t distinguisher = 0;
  base::IpAddress address;  // the V flag follows its family; all zero for Loc-RIB
  std::uint32_t asn = 0;
  std::uint32_t bgp_id = 0;
  std::uint32_t seconds = 0;  // POSIX time of the event or of the route
  std::uint32_t micros = 0;
};

// RFC 9069 §4.1: the Loc-RIB of the global instance: distinguisher 0, address zero, our AS and
// router ID.
[[nodiscard]] PeerHeader loc_rib_peer_header(std::uint32_t local_asn, std::uint32_t bgp_id,
                                             std::uint32_t seconds, std::uint32_t micros,
                                             bool filtered);

// Information TLV (type, length, value) as used by Initiation, Termination, Peer Up and
// Peer Down.
struct Tlv {
  std::uint16_t type = 0;
  base::Bytes value;
};
[[nodiscard]] Tlv string_tlv(std::uint16_t type, std::string_view text);

// Initiation TLV types (RFC 7854 §4.4), also used in Peer Up (RFC 7854 §4.10, RFC 9069 §5.1).
inline constexpr std::uint16_t kInfoString = 0;
inline constexpr std::uint16_t kInfoSysDescr = 1;
inline constexpr std::uint16_t kInfoSysName = 2;
inline constexpr std::uint16_t kInfoTableName = 3;  // RFC 9069 §5.1 VRF/Table Name

// RFC 7854 §4.5.
inline constexpr std::uint16_t kTerminationString = 0;
inline constexpr std::uint16_t kTerminationReason = 1;
enum class TerminationReason : std::uint16_t {
  AdminClosed = 0,
  Unspecified = 1,
  OutOfResources = 2,
  RedundantConnection = 3,
  PermanentlyAdminClosed = 4,
};

// RFC 7854 §4.9, RFC 9069 §5.3.
enum class PeerDownReason : std::uint8_t {
  LocalNotification = 1,     // data: the NOTIFICATION PDU we sent
  LocalNoNotification = 2,   // data: the 2-octet FSM event code (fsm_event_data)
  RemoteNotification = 3,    // data: the NOTIFICATION PDU we received
  RemoteNoNotification = 4,  // no data
  PeerDeconfigured = 5,      // no data
  LocalTlv = 6,              // data: information TLVs (tlv_data); Loc-RIB
};

// Statistics types (RFC 7854 §4.8, RFC 8671 §5). The experimental ones are ours: see
// docs/bmp.md for what they count.
inline constexpr std::uint16_t kStatRejectedPrefixes = 0;
inline constexpr std::uint16_t kStatDuplicatePrefixes = 1;
inline constexpr std::uint16_t kStatDuplicateWithdraws = 2;
inline constexpr std::uint16_t kStatAsPathLoop = 4;
inline constexpr std::uint16_t kStatAdjRibInRoutes = 7;
inline constexpr std::uint16_t kStatLocRibRoutes = 8;
inline constexpr std::uint16_t kStatPerAfiAdjRibInRoutes = 9;
inline constexpr std::uint16_t kStatPerAfiLocRibRoutes = 10;
inline constexpr std::uint16_t kStatTreatAsWithdrawUpdates = 11;
inline constexpr std::uint16_t kStatTreatAsWithdrawPrefixes = 12;
// 65531-65534: the experimental range of the statistics types registry (RFC 7854 §10.7).
inline constexpr std::uint16_t kStatBgpsecValid = 65531;
inline constexpr std::uint16_t kStatBgpsecInvalid = 65532;
inline constexpr std::uint16_t kStatBgpsecNotFound = 65533;  // unsigned or not checked
inline constexpr std::uint16_t kStatRovInvalid = 65534;

struct Stat {
  std::uint16_t type = 0;
  base::Bytes value;
};
[[nodiscard]] Stat counter32(std::uint16_t type, std::uint32_t value);  // types 0-6, 11-13
[[nodiscard]] Stat gauge64(std::uint16_t type, std::uint64_t value);    // types 7, 8, 14, 15
// Types 9, 10, 16, 17: AFI, SAFI, then the gauge.
[[nodiscard]] Stat per_afi_gauge64(std::uint16_t type, base::Afi afi, std::uint8_t safi,
                                   std::uint64_t value);

// RFC 7854 §4.3: sysDescr and sysName, then any further TLVs.
[[nodiscard]] base::Bytes encode_initiation(std::string_view sys_descr, std::string_view sys_name,
                                            const std::vector<Tlv>& more = {});
// RFC 7854 §4.5: the Reason TLV, and a String TLV when `text` is not empty.
[[nodiscard]] base::Bytes encode_termination(TerminationReason reason, std::string_view text = {});
// RFC 7854 §4.10: local address and ports, the OPEN we sent and the OPEN we received (whole
// PDUs, header included), then information TLVs. For Loc-RIB (RFC 9069 §5.1) the address and
// ports are zero and both OPENs are the same one describing ourselves.
[[nodiscard]] base::Bytes encode_peer_up(const PeerHeader& peer, const base::IpAddress& local,
                                         std::uint16_t local_port, std::uint16_t remote_port,
                                         std::span<const std::uint8_t> sent_open,
                                         std::span<const std::uint8_t> received_open,
                                         const std::vector<Tlv>& info = {});
// RFC 7854 §4.9: the reason, then its data as PeerDownReason says.
[[nodiscard]] base::Bytes encode_peer_down(const PeerHeader& peer, PeerDownReason reason,
                                           std::span<const std::uint8_t> data = {});
[[nodiscard]] base::Bytes fsm_event_data(std::uint16_t event);
[[nodiscard]] base::Bytes tlv_data(const std::vector<Tlv>& tlvs);
// RFC 7854 §4.6: one whole BGP UPDATE PDU, header included.
[[nodiscard]] base::Bytes encode_route_monitoring(const PeerHeader& peer,
                                                  std::span<const std::uint8_t> update);
// RFC 7854 §4.8: Stats Count, then the counters.
[[nodiscard]] base::Bytes encode_statistics(const PeerHeader& peer, const std::vector<Stat>& stats);

}  // namespace bgpsecd::bmp
