// SPDX-License-Identifier: BSD-2-Clause
// The three SRx result types (origin, path, ASPA) and the results an update has, in the
// protocol's one-byte encoding (docs/srx-proxy.md §2, VERIFY_NOTIFICATION). Both sides of the
// conversation speak them: the server stores them per update, the proxy per route.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "srx/pdu.hpp"

namespace bgpsecd::srx {

// The three result types of SRx (VERIFY flag and notification bits).
enum class ResultType : std::uint8_t {
  Origin = kFlagOrigin,  // RFC 6811 origin validation
  Path = kFlagPath,      // RFC 8205 §5.2 BGPsec path validation
  Aspa = kFlagAspa,      // ASPA path verification
};
// Validation bits of a VERIFY request or a notification (kFlagOrigin | kFlagPath | kFlagAspa).
inline constexpr std::uint8_t kValidationBits = kFlagOrigin | kFlagPath | kFlagAspa;
inline constexpr std::array<ResultType, 3> kResultTypes{ResultType::Origin, ResultType::Path,
                                                        ResultType::Aspa};

// The results of an update, in SRx's one-byte encoding. Undefined until computed.
struct UpdateResults {
  SrxResult origin = SrxResult::Undefined;
  SrxResult path = SrxResult::Undefined;
  SrxResult aspa = SrxResult::Undefined;
  friend bool operator==(const UpdateResults&, const UpdateResults&) = default;
};

// Index 0, 1, 2 of a result type, and its value in `results`.
[[nodiscard]] std::size_t result_index(ResultType type) noexcept;
[[nodiscard]] SrxResult& result_of(UpdateResults& results, ResultType type) noexcept;
[[nodiscard]] SrxResult result_of(const UpdateResults& results, ResultType type) noexcept;
// "valid", "notfound", "invalid", "undefined", "donotuse", "unknown", "unverifiable".
[[nodiscard]] const char* result_name(SrxResult result) noexcept;

}  // namespace bgpsecd::srx
