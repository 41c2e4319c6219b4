// SPDX-License-Identifier: BSD-2-Clause
// The UPDATE message (RFC 4271 §4.3) as a value, its codec with RFC 7606 error handling, the
// End-of-RIB marker (RFC 4724 §2) and a JSON view. decode_update reads the body after the
// 19-octet header; encode_update writes the whole message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "base/bytes.hpp"
#include "base/prefix.hpp"
#include "base/result.hpp"
#include "base/wire_error.hpp"
#include "wire/attributes.hpp"
#include "wire/context.hpp"

namespace bgpsecd::wire {

struct UpdateMessage {
  std::vector<base::Prefix> withdrawn;  // IPv4 only (RFC 4271 §4.3); others in MP_UNREACH_NLRI
  PathAttributes attrs;
  std::vector<base::Prefix> nlri;  // IPv4 only; others (and every BGPsec route) in MP_REACH_NLRI
  friend bool operator==(const UpdateMessage&, const UpdateMessage&) = default;
};

struct DecodedUpdate {
  UpdateMessage update;
  // Non-fatal RFC 7606 errors (attribute discard, treat-as-withdraw), in the order found.
  // Malformed or discarded attributes are absent from `update`.
  std::vector<base::WireError> errors;
  // The BGPsec_PATH, when it was left out of `update` for being malformed (its error is one of
  // `errors`): the receiver treats the UPDATE as withdrawn or, as RFC 8374 §8.5 allows, keeps
  // the route unsigned; strongest_elsewhere() says whether the rest of the UPDATE permits that.
  std::optional<MalformedBgpsecPath> malformed_bgpsec_path;
  // The action to apply (RFC 7606 §3(h): the strongest wins); AttributeDiscard when there are
  // no errors, so check has_errors() first.
  [[nodiscard]] base::Action strongest() const noexcept;
  // The strongest action of the errors other than the malformed BGPsec_PATH's; nullopt when
  // there are none.
  [[nodiscard]] std::optional<base::Action> strongest_elsewhere() const noexcept;
  [[nodiscard]] bool has_errors() const noexcept { return !errors.empty(); }
};

// Decodes an UPDATE body (`base_offset` = offset of body[0] in the message, so WireError
// offsets are message-relative). Returns an error only when the session has to be reset
// (RFC 7606: framing of the withdrawn routes / attributes / NLRI, a repeated or unparsable
// MP_* attribute, or treat-as-withdraw without any NLRI to withdraw); everything weaker is in
// DecodedUpdate::errors. A missing mandatory attribute is reported as treat-as-withdraw with
// UPDATE Message Error / Missing Well-known Attribute, `detail` = the missing type code, and
// offset/length = the Path Attributes field.
[[nodiscard]] base::Result<DecodedUpdate, base::WireError> decode_update(
    std::span<const std::uint8_t> body, const DecodeContext& ctx,
    std::size_t base_offset = kHeaderSize) noexcept;

// The whole message, header included. Fails if withdrawn/nlri hold non-IPv4 prefixes or the
// message is longer than ctx.max_message_size().
[[nodiscard]] base::Result<base::Bytes> encode_update(const UpdateMessage& update,
                                                      const EncodeContext& ctx);

// RFC 4724 §2: the AFI/SAFI whose End-of-RIB `update` is (an empty UPDATE for IPv4 unicast,
// or one whose only content is an empty MP_UNREACH_NLRI), or nullopt.
[[nodiscard]] std::optional<std::pair<base::Afi, std::uint8_t>> end_of_rib(
    const UpdateMessage& update);
// The End-of-RIB marker for `afi` / `safi` (the form end_of_rib recognises).
[[nodiscard]] UpdateMessage make_end_of_rib(base::Afi afi, std::uint8_t safi = base::kSafiUnicast);

// JSON views (update_json.cpp), for `bgpsec decode` and the control API. Include
// <nlohmann/json.hpp> to use the result.
[[nodiscard]] nlohmann::json update_to_json(const UpdateMessage& update);
[[nodiscard]] nlohmann::json path_attributes_to_json(const PathAttributes& attrs);

}  // namespace bgpsecd::wire
