// SPDX-License-Identifier: BSD-2-Clause
// SRx proxy byte vectors shared by the codec and update-ID tests.
#pragma once

#include <cstdint>
#include <string_view>

#include "srx/pdu.hpp"

namespace bgpsecd::srx::test {

// Captured: QuaggaSRx's first VERIFY_V4 of a BGPsec route (171 bytes, token 1, one hop,
// 107-byte attribute); srx_server's receipt carried update ID 2E427F2B.
inline constexpr std::string_view kQuaggaVerifyV4 =
    "0383010101000200000000ab03030314000000010a0500000000fded0000006f0001006b0001010000000000"
    "0000000000000000000000000000fde80000fded90210067000801000000fded005f018be8ca6579f8274af2"
    "8b7c8cf91ab8943aa8a2600046304402200114d5507f7a9ccd69c84fc3390af2fb33e2470438aad061ed3683"
    "7701b59dff02206efb4a0d23bc09c637ad654f375fec299592cd99f115260e817e7fddd10b8fe8";

// libSRxProxy's VERIFY_V6 (as its own request builder writes it): the length is right, but
// the AS path [65005, 65020] and the 12-byte attribute start at offset 60, not 72, and the PDU
// ends in 12 zero bytes.
inline constexpr std::string_view kShiftedVerifyV6 =
    "04 83 01 01 00 00 00 00 0000005c 03 03 00 30 00000007 20010db8000100000000000000000000"
    "0000fdfc 00000014 0002 000c 0000 00 00 0000000000000000"
    "0000fded 0000fdfc 90210008 aabbccddeeff1122 000000000000000000000000";

// A HELLO as QuaggaSRx sends it (20 bytes, no peer count).
inline HelloPdu hello_pdu(std::uint32_t proxy_id, std::uint32_t asn) {
  HelloPdu hello;
  hello.proxy_id = proxy_id;
  hello.asn = asn;
  return hello;
}

}  // namespace bgpsecd::srx::test
