// SPDX-License-Identifier: BSD-2-Clause
// SRx proxy stream framing: the header check is decode_srx_header's, so the framer and the
// decoder agree on which lengths are acceptable.
#include "srx/framer.hpp"

namespace bgpsecd::srx {

base::Result<std::optional<base::Bytes>, SrxError> SrxFramer::next() {
  return stream_.next(
      kSrxHeaderSize,
      [](std::span<const std::uint8_t> header) -> base::Result<std::size_t, SrxError> {
        BGPSEC_ASSIGN_OR_RETURN(const SrxPduHeader h, decode_srx_header(header));
        return std::size_t{h.length};
      });
}

}  // namespace bgpsecd::srx
