// SPDX-License-Identifier: BSD-2-Clause
// AS_PATH as text, the way BGP implementations print it: most recently added AS first, ASNs
// separated by blanks, an AS_SET as "{a,b}", confederation segments as "(a b)" and "[a,b]"
// (RFC 5065). Used by the `bgpsec` tool's --as-path options and in its output.
#pragma once

#include <string>
#include <string_view>

#include "base/result.hpp"
#include "wire/as_path.hpp"

namespace bgpsecd::wire {

// "65001 65002 65002 {65003,65004} 65005": consecutive plain ASNs make one AS_SEQUENCE, each
// "{...}" one AS_SET, each "(...)" one AS_CONFED_SEQUENCE and each "[...]" one AS_CONFED_SET.
// ASNs as base::parse_asn takes them. An empty text is an empty path.
[[nodiscard]] base::Result<AsPath> parse_as_path_text(std::string_view text);

// The inverse of parse_as_path_text (sets and confederation sets with commas, no blanks).
[[nodiscard]] std::string as_path_to_text(const AsPath& path);

}  // namespace bgpsecd::wire
