#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""srx.python_codec: the Python SRx proxy codec (srx_proxy.py) against fixed bytes.

Vectors: the two byte strings of src/srx/test_vectors.hpp (read from that header, so both
implementations are held to the same bytes), the wire examples of the protocol's PDU layouts,
and NIST's update-ID worked examples (text and CRC). Every vector is checked both ways: decoding
gives the expected fields and encoding those fields gives the bytes back.

Usage: srx_codec_test.py PATH/TO/test_vectors.hpp
"""

import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import srx_proxy as srx  # noqa: E402

VECTORS_HPP = None


def header_vectors(path):
    """name -> bytes for every `inline constexpr std::string_view kName = "hex" "hex";`."""
    with open(path) as f:
        text = f.read()
    out = {}
    for m in re.finditer(r"std::string_view\s+(k\w+)\s*=\s*((?:\s*\"[^\"]*\")+)\s*;", text):
        hexed = "".join(re.findall(r"\"([^\"]*)\"", m.group(2)))
        out[m.group(1)] = bytes.fromhex("".join(hexed.split()))
    return out


def h(text):
    return bytes.fromhex("".join(text.split()))


class HeaderVectors(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.v = header_vectors(VECTORS_HPP)

    def test_both_vectors_found(self):
        self.assertIn("kQuaggaVerifyV4", self.v)
        self.assertIn("kShiftedVerifyV6", self.v)
        self.assertEqual(len(self.v["kQuaggaVerifyV4"]), 171)
        self.assertEqual(len(self.v["kShiftedVerifyV6"]), 0x5C)

    def test_quagga_verify_v4_decodes(self):
        b = self.v["kQuaggaVerifyV4"]
        p = srx.decode(b)
        self.assertEqual(p.type, srx.VERIFY_V4)
        self.assertEqual((p.flags, p.roa_src, p.bgpsec_src, p.aspa_src), (0x83, 1, 1, 1))
        self.assertEqual((p.as_type, p.as_rel), (2, 0))
        self.assertEqual((p.roa_def, p.bgpsec_def, p.aspa_def), (3, 3, 3))
        self.assertEqual((str(p.prefix), p.prefix_len, p.token), ("10.5.0.0", 20, 1))
        self.assertEqual((p.origin_as, p.bgpsec_length, p.num_hops, p.attr_len), (65005, 111, 1, 107))
        self.assertEqual((p.afi, p.safi, p.sca_len, p.sca_addr), (1, 1, 0, b"\0" * 16))
        self.assertEqual(p.local_as, 65000)
        self.assertEqual(p.as_path, [65005])
        self.assertEqual(p.attr[:4], h("90 21 0067"))
        self.assertEqual(len(p.attr), 107)
        self.assertFalse(p.shifted)

    def test_quagga_verify_v4_encodes(self):
        b = self.v["kQuaggaVerifyV4"]
        p = srx.decode(b)
        again = srx.verify_v4("10.5.0.0/20", 65005, as_path=[65005], attr=p.attr, flags=0x83, token=1,
                              defaults=(3, 3, 3), sources=(1, 1, 1), as_type=2, as_rel=0, afi=1, safi=1,
                              local_as=65000)
        self.assertEqual(again.hex(), b.hex())

    def test_quagga_verify_v4_update_id(self):
        b = self.v["kQuaggaVerifyV4"]
        self.assertEqual(srx.request_update_id(b), 0x2E427F2B)
        p = srx.decode(b)
        text = srx.update_id_text(p.origin_as, p.prefix, p.prefix_len, p.attr)
        self.assertEqual(len(text), 232)
        self.assertTrue(text.startswith(
            "0000FDED0000050A14FF210067000801000000FFFF005F01FFFFFF6579FF274AFFFF7CFFFF1AFFFF3AFFFF6000463044022001"),
            text)

    def test_shifted_verify_v6_decodes(self):
        b = self.v["kShiftedVerifyV6"]
        p = srx.decode(b)
        self.assertEqual(p.type, srx.VERIFY_V6)
        self.assertTrue(p.shifted)
        self.assertEqual((p.flags, p.prefix_len, p.token, str(p.prefix)), (0x83, 0x30, 7, "2001:db8:1::"))
        self.assertEqual((p.origin_as, p.bgpsec_length, p.num_hops, p.attr_len), (65020, 20, 2, 12))
        self.assertEqual((p.afi, p.safi, p.local_as, p.as_type, p.as_rel), (0, 0, 0, 0, 0))
        self.assertEqual(p.as_path, [65005, 65020])
        self.assertEqual(p.attr, h("90210008 aabbccddeeff1122"))

    def test_shifted_verify_v6_encodes(self):
        b = self.v["kShiftedVerifyV6"]
        again = srx.verify_v6("2001:db8:1::/48", 65020, as_path=[65005, 65020], attr=h("90210008aabbccddeeff1122"),
                              flags=0x83, token=7, defaults=(3, 3, 3), shifted=True)
        self.assertEqual(again.hex(), b.hex())

    def test_shifted_verify_v6_update_id_hashes_offset_72(self):
        b = self.v["kShiftedVerifyV6"]
        # the path data really sits at 60-79 (8 bytes of AS path, the 12-byte attribute); NIST
        # reads the attribute at 72 + 4*numHops = 80, which is the 12-byte zero tail
        self.assertEqual(srx.request_blob(b), b"\0" * 12)
        # the value the C++ implementation (src/srx) computes for the same bytes
        self.assertEqual(srx.request_update_id(b), 0x378B969F)

    def test_standard_v6_not_taken_for_shifted(self):
        b = srx.verify_v6("2001:db8:1::/48", 65020, as_path=[65005, 65020], attr=h("90210008aabbccddeeff1122"),
                          flags=0x83, token=7, local_as=65000)
        p = srx.decode(b)
        self.assertFalse(p.shifted)
        self.assertEqual((p.afi, p.safi, p.local_as, p.as_path), (2, 1, 65000, [65005, 65020]))
        self.assertEqual(p.attr, h("90210008aabbccddeeff1122"))


class WireExamples(unittest.TestCase):
    """Each (bytes, value) pair: the decoder's fields and the encoder's bytes."""

    def roundtrip(self, wire, encoded, pdu_type, **fields):
        self.assertEqual(encoded.hex(), h(wire).hex())
        p = srx.decode(h(wire))
        self.assertEqual(p.type, pdu_type)
        for k, v in fields.items():
            self.assertEqual(getattr(p, k), v, k)
        return p

    def test_quagga_hello_20_bytes(self):
        p = self.roundtrip("00 0003 00 00000000 00000014 7f000028 0000fde8", srx.hello(0x7F000028, 65000),
                           srx.HELLO, version=3, proxy_id=0x7F000028, asn=65000, has_peer_count=False, peers=[])
        self.assertEqual(p.length, 20)

    def test_hello_with_peers(self):
        self.roundtrip("00 0003 00 00000000 00000020 00000001 0000fde8 00000002 0000fde9 0000fdea",
                       srx.hello(1, 65000, [65001, 65002]), srx.HELLO, peer_count=2, peers=[65001, 65002])

    def test_hello_truncated_peer_list(self):
        # libSRxProxy with one peer: noPeers = 1 and no list
        p = srx.decode(h("00 0003 00 00000000 00000018 00000001 0000fde8 00000001"))
        self.assertEqual((p.has_peer_count, p.peer_count, p.peers), (True, 1, []))

    def test_hello_response(self):
        self.roundtrip("01 0003 00 00000000 00000010 7f000028", srx.hello_response(0x7F000028),
                       srx.HELLO_RESPONSE, version=3, proxy_id=0x7F000028)

    def test_goodbye(self):
        self.roundtrip("02 0384 00 00000000 0000000c", srx.goodbye(900), srx.GOODBYE, keep_window=900)
        self.roundtrip("02 0000 00 00000000 0000000c", srx.goodbye(0), srx.GOODBYE, keep_window=0)

    def test_unsigned_quagga_verify_68_bytes(self):
        # QuaggaSRx, unsigned route: numHops 2, attrLen 0, AFI/SAFI/local AS 0
        wire = ("03 83 01 01 01 00 02 00 00000044 03 03 03 18 00000005 0a620000 0000fdfc 00000008 0002 0000"
                " 0000 00 00 00000000000000000000000000000000 00000000 0000fded 0000fdfc")
        p = self.roundtrip(wire, srx.verify_v4("10.98.0.0/24", 65020, as_path=[65005, 65020], flags=0x83,
                                               token=5, afi=0, safi=0),
                           srx.VERIFY_V4, as_path=[65005, 65020], attr=b"", afi=0, local_as=0)
        self.assertEqual(srx.request_update_id(p.raw), 0xABC86756)  # E2

    def test_origin_only_verify_60_bytes(self):
        b = srx.verify_v4("10.0.0.0/24", 65100, flags=0x81, token=9)
        self.assertEqual(len(b), 60)
        self.assertEqual(srx.request_update_id(b), 0xF0F4232E)  # E1
        self.assertEqual(srx.decode(b).as_path, [])

    def test_receipt(self):
        self.roundtrip("06 83 03 03 03 00 0000 00000014 00000001 2e427f2b",
                       srx.verify_notification(0x83, 3, 3, 3, 1, 0x2E427F2B), srx.VERIFY_NOTIFICATION,
                       result_type=0x83, roa=3, bgpsec=3, aspa=3, token=1, update_id=0x2E427F2B)

    def test_origin_notification(self):
        self.roundtrip("06 01 00 03 03 00 0000 00000014 00000000 2e427f2b",
                       srx.verify_notification(0x01, 0, 3, 3, 0, 0x2E427F2B), srx.VERIFY_NOTIFICATION,
                       result_type=0x01, roa=0, token=0, update_id=0x2E427F2B)

    def test_sync_request(self):
        self.roundtrip("0a 000000 00000000 0000000c", srx.sync_request(), srx.SYNC_REQUEST)

    def test_error(self):
        self.roundtrip("0b 0005 00 00000000 0000000c", srx.error(5), srx.ERROR, code=5)

    def test_sign_request(self):
        self.roundtrip("05 0001 00 00000000 00000018 2e427f2b 00000001 0000fdfd", srx.sign_request(0x2E427F2B,
                       peer_as=65021), srx.SIGN_REQUEST, algorithm=1, block_type=0, update_id=0x2E427F2B,
                       prepend_counter=1, peer_as=65021)

    def test_sign_notification(self):
        self.roundtrip("07 000000 00000000 00000017 2e427f2b 00000003 902100", srx.sign_notification(
                       0x2E427F2B, h("902100")), srx.SIGN_NOTIFICATION, update_id=0x2E427F2B, count=3,
                       data=h("902100"))

    def test_delete_update(self):
        self.roundtrip("08 0384 00 00000000 00000010 2e427f2b", srx.delete_update(0x2E427F2B),
                       srx.DELETE_UPDATE, keep_window=900, update_id=0x2E427F2B)

    def test_peer_change(self):
        self.roundtrip("09 0000 01 00000000 00000010 0000fde9", srx.peer_change(65001), srx.PEER_CHANGE,
                       change_type=1, peer_as=65001)
        # libSRxProxy's garbage in the reserved bytes is ignored
        p = srx.decode(h("09 abcd 00 deadbeef 00000010 0000fde9"))
        self.assertEqual((p.change_type, p.peer_as), (0, 65001))

    def test_split_stream(self):
        stream = srx.hello_response(7) + srx.sync_request() + srx.verify_notification(0x83, 3, 3, 3, 1, 2)
        self.assertEqual([p.type for p in srx.split(stream)],
                         [srx.HELLO_RESPONSE, srx.SYNC_REQUEST, srx.VERIFY_NOTIFICATION])


class UpdateIdExamples(unittest.TestCase):
    def test_crc32_check_value(self):
        import zlib
        self.assertEqual(zlib.crc32(b"123456789"), 0xCBF43926)

    def test_worked_examples(self):
        cases = [
            ("E1", 65100, "10.0.0.0", 24, b"", "0000FE4C0000000A18", 0xF0F4232E),
            ("E2", 65020, "10.98.0.0", 24, srx.path_blob([65005, 65020]),
             "0000FDFC0000620A180000FFFF0000FFFF", 0xABC86756),
            ("E3", 65000, "2001:db8:1::", 48, srx.path_blob([65001, 65000]),
             "0000FDE820010DB8000100000000000000000000300000FFFF0000FFFF", 0xEF54DB5E),
            ("E4", 4200000001, "2001:db8:1::", 48, srx.path_blob([64496, 4200000001]),
             "FA56EA0120010DB8000100000000000000000000300000FFFFFF56FF01", 0xFADC7506),
            ("E5", 64496, "192.0.2.0", 24, srx.path_blob([1, 2], h("90 21 00 08 00 08 01 00 FB F0")),
             "0000FBF0000200C018FF21000800080100FFFF", 0xE5DBA44F),
        ]
        for name, origin, addr, plen, blob, text, ident in cases:
            with self.subTest(name):
                self.assertEqual(srx.update_id_text(origin, addr, plen, blob), text)
                self.assertEqual(srx.update_id(origin, addr, plen, blob), ident)

    def test_signed_char_quirk(self):
        # 0x80 and 0xFF render alike; 0x7F does not; the correct rendering gives another ID
        self.assertEqual(srx.update_id_text(1, "10.0.0.0", 8, b"\x80"), srx.update_id_text(1, "10.0.0.0", 8, b"\xff"))
        self.assertNotEqual(srx.update_id_text(1, "10.0.0.0", 8, b"\x7f"), srx.update_id_text(1, "10.0.0.0", 8, b"\xff"))
        self.assertNotEqual(srx.update_id(65020, "10.98.0.0", 24, srx.path_blob([65005, 65020])), 0x458B6DF3)

    def test_attribute_hides_the_path(self):
        attr = h("90 21 00 08 00 08 01 00 FB F0")
        a = srx.verify_v4("192.0.2.0/24", 64496, as_path=[64496], attr=attr)
        b = srx.verify_v4("192.0.2.0/24", 64496, as_path=[1, 2, 64496], attr=attr)
        self.assertEqual(srx.request_update_id(a), 0xE5DBA44F)
        self.assertEqual(srx.request_update_id(b), 0xE5DBA44F)


class Malformed(unittest.TestCase):
    def code(self, data):
        with self.assertRaises(srx.DecodeError) as cm:
            srx.decode(data)
        return cm.exception.code

    def test_framing(self):
        self.assertEqual(self.code(h("02 0000 00 00000000 0000")), srx.E_INVALID_PACKET)  # < 12 bytes
        self.assertEqual(self.code(h("02 0000 00 00000000 0000000b")), srx.E_INVALID_PACKET)  # length 11
        self.assertEqual(self.code(srx.raw_pdu(srx.GOODBYE, length=srx.MAX_PDU + 1)), srx.E_INVALID_PACKET)
        self.assertEqual(self.code(srx.goodbye() + b"\0"), srx.E_INVALID_PACKET)  # length != bytes

    def test_types_and_fixed_lengths(self):
        self.assertEqual(self.code(srx.raw_pdu(12)), srx.E_INVALID_PACKET)
        self.assertEqual(self.code(srx.raw_pdu(200)), srx.E_INVALID_PACKET)
        self.assertEqual(self.code(srx.raw_pdu(srx.GOODBYE, body=b"\0" * 4)), srx.E_INVALID_PACKET)
        self.assertEqual(self.code(srx.raw_pdu(srx.HELLO, b"\0\x03\0", body=b"\0" * 4)), srx.E_INVALID_PACKET)

    def test_wrong_version(self):
        self.assertEqual(self.code(srx.hello(1, 65000, version=2)), srx.E_WRONG_VERSION)
        self.assertEqual(self.code(srx.hello_response(1, version=4)), srx.E_WRONG_VERSION)

    def test_verify_lengths(self):
        ok = dict(as_path=[65001, 65000], attr=h("90210004"))
        self.assertEqual(srx.decode(srx.verify_v4("10.0.0.0/24", 65000, **ok)).as_path, [65001, 65000])
        bad = [
            dict(bgpsec_length=11),  # not 4*2 + 4
            dict(num_hops=3),  # data shorter than claimed
            dict(attr_len=3),
            dict(length=60 + 12 + 4),  # PDU longer than the data (length field and buffer agree)
        ]
        for over in bad:
            with self.subTest(over):
                b = srx.verify_v4("10.0.0.0/24", 65000, **ok, **over)
                if "length" in over:
                    b = b + b"\0" * (over["length"] - len(b))
                self.assertEqual(self.code(b), srx.E_INVALID_PACKET)
        self.assertEqual(self.code(srx.verify_v4("10.0.0.0/33", 65000)), srx.E_INVALID_PACKET)
        self.assertEqual(self.code(srx.verify_v4("10.0.0.0/24", 65000)[:59] + b""), srx.E_INVALID_PACKET)

    def test_sign_notification_count(self):
        self.assertEqual(self.code(h("07 000000 00000000 00000017 2e427f2b 00000004 902100")), srx.E_INVALID_PACKET)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: srx_codec_test.py PATH/TO/test_vectors.hpp")
    VECTORS_HPP = sys.argv.pop(1)
    unittest.main(verbosity=1)
