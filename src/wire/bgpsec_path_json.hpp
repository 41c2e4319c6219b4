// SPDX-License-Identifier: BSD-2-Clause
// A JSON view of a decoded BGPsec_PATH (for `bgpsec decode`, logs and the control API).
// Shape: {"secure_path":[{"pcount","flags","confed","asn"}...],
//         "signature_blocks":[{"suite","segments":[{"ski","signature_length","signature"}]}]}
// Segments are listed most recent first, as on the wire; byte strings are upper-case hex.
#pragma once

#include <nlohmann/json.hpp>

#include "wire/bgpsec_path.hpp"

namespace bgpsecd::wire {

[[nodiscard]] nlohmann::json bgpsec_path_to_json(const BgpsecPath& path);

}  // namespace bgpsecd::wire
