// SPDX-License-Identifier: BSD-2-Clause
// Owned byte strings.
#pragma once

#include <cstdint>
#include <vector>

namespace bgpsecd::base {

using Bytes = std::vector<std::uint8_t>;

}  // namespace bgpsecd::base
