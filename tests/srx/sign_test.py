#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""validation_server.sign: SIGN_REQUEST answered with the new BGPsec_PATH attribute or segment, on
127.0.30.4 port 17933 (address and port belong to this test).

Keys of 65000 (the proxy's AS), 65001 and 65002 in one directory; bgpsecvd gets it as
--key-dir, and the RPKI file has all three router keys and ROA 10.40.0.0/16-24 => 65001.
  - the proxy (ID 7, AS 65000) sends the signed route 10.40.1.0/24 (65002 65001, signed to
    65000) with a receipt: Valid/Valid;
  - SIGN_REQUEST (algorithm 1, block type 0: the complete BGPsec data, prepend count 1, peer AS
    65003) for its update ID: one SIGN_NOTIFICATION with that ID and a payload of the whole new
    attribute (flags 0x90, type 33, extended length matching the payload), whose newest
    Secure_Path segment is AS 65000 with pCount 1; `bgpsec verify --as 65003` with the RPKI
    file says Valid (exit 0);
  - SIGN_REQUEST with block type 0x01 (only what this hop adds) for the same ID: the payload is,
    byte for byte as bgpsecvd(8) SIGNING defines it, pCount 1, flags 0, AS 65000, the SKI of
    65000's key, the 2-byte signature length, the signature (n = 28 + length, the PDU's length
    20 + n); spliced into the received attribute (segment in front of the Secure_Path,
    Signature_Segment in front of the suite-1 block, the three lengths fixed) it gives the
    Secure_Path of the whole-attribute answer, and `bgpsec verify --as 65003` says Valid;
  - SIGN_REQUEST for an unknown update ID: ERROR 5, then SYNC_REQUEST, and the session stays.
Run by ctest with BGPSECVD, BGPSEC (and BGPSECCTL) set.
"""

import os
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import srx_proxy as srx  # noqa: E402
from scenario_lib import SILENCE, Scenario, verify_results  # noqa: E402

HOST, PORT = "127.0.30.4", 17933
ROUTER_AS, ORIGIN_AS, NEIGHBOUR_AS, PEER_AS = 65000, 65001, 65002, 65003
PREFIX = "10.40.1.0/24"


def secure_path(attr):
    """The Secure_Path (length field included) of a whole BGPsec_PATH attribute, and the offset of
    the Signature_Block after it (RFC 8205 §3)."""
    start = 4 if attr[0] & 0x10 else 3
    sp_len = struct.unpack(">H", attr[start:start + 2])[0]
    return attr[start:start + sp_len], start + sp_len


def splice(attr, added):
    """ATTR (one suite-1 Signature_Block) with ADDED, a new Secure_Path segment and its
    Signature_Segment, put in front, as bgpsecvd(8) tells a router to do."""
    segment, signature = added[:6], added[6:]
    path, block_at = secure_path(attr)
    block_len, suite = struct.unpack(">HB", attr[block_at:block_at + 3])
    assert suite == 1 and block_at + block_len == len(attr), "not one suite-1 Signature_Block: %s" % attr.hex()
    new_path = struct.pack(">H", len(path) + 6) + segment + path[2:]
    new_block = struct.pack(">HB", block_len + len(signature), 1) + signature + attr[block_at + 3:]
    value = new_path + new_block
    return struct.pack(">BBH", 0x90, 33, len(value)) + value


def body(t):
    keys = os.path.join(t.work, "keys")
    for asn in (ROUTER_AS, ORIGIN_AS, NEIGHBOUR_AS):
        t.keygen(asn, keys)
    rpki = os.path.join(t.work, "rpki.json")
    t.rpki_json(keys, ["10.40.0.0/16-24=%d" % ORIGIN_AS], rpki)
    path = [NEIGHBOUR_AS, ORIGIN_AS]
    attr = t.sign(PREFIX, path, ROUTER_AS, keys)
    if t.check("start bgpsecvd with --key-dir", t.start_vd, HOST, PORT, rpki, keys) is None:
        return

    c = t.client(HOST, PORT, "proxy")
    if t.check("handshake", c.hello, 7, ROUTER_AS) is None:
        return
    request = srx.verify_v4(PREFIX, ORIGIN_AS, as_path=path, attr=attr, flags=0x83, token=1, afi=1, safi=1,
                            local_as=ROUTER_AS)

    def held():
        uid, values = verify_results(c, request)
        assert values == {"origin": srx.VALID, "path": srx.VALID}, values
        return uid

    uid = t.check("the signed route: Valid/Valid", held)
    if uid is None:
        return

    def signed():
        c.send(srx.sign_request(uid, algorithm=1, block_type=0, prepend_counter=1, peer_as=PEER_AS))
        n = c.expect(srx.SIGN_NOTIFICATION, update_id=uid)
        new = n.data
        assert len(new) >= 4 and new[0] & 0x10 and new[1] == 33, "not a BGPsec_PATH attribute: %s" % new.hex()
        assert struct.unpack(">H", new[2:4])[0] == len(new) - 4, "attribute length %s for %d bytes" % (
            new[2:4].hex(), len(new))
        # Secure_Path (RFC 8205 §3.1): its length, then 6-byte segments, newest first
        sp_len = struct.unpack(">H", new[4:6])[0]
        assert sp_len == 2 + 6 * 3, "Secure_Path length %d, expected 3 segments" % sp_len
        pcount, _flags, asn = struct.unpack(">BBI", new[6:12])
        assert (pcount, asn) == (1, ROUTER_AS), "newest segment pCount %d AS %d" % (pcount, asn)
        return new

    def verifies(attribute):
        r = subprocess.run([t.bgpsec_bin, "verify", "--prefix", PREFIX, "--attribute", attribute.hex(), "--as",
                            str(PEER_AS), "--rpki", rpki], capture_output=True, text=True, timeout=30)
        assert r.returncode == 0, "bgpsec verify exit %d: %s %s" % (r.returncode, r.stdout, r.stderr)

    new = t.check("SIGN_REQUEST (block type 0): SIGN_NOTIFICATION with the whole new attribute", signed)
    if new is not None:
        t.check("bgpsec verify at AS %d accepts the new attribute" % PEER_AS, verifies, new)

    ski = bytes.fromhex(next(f.split(".")[1] for f in os.listdir(keys) if f.startswith("%d." % ROUTER_AS)))

    def segment_only():
        c.send(srx.sign_request(uid, algorithm=1, block_type=0x01, prepend_counter=1, peer_as=PEER_AS))
        n = c.expect(srx.SIGN_NOTIFICATION, update_id=uid)
        data = n.data
        assert len(data) >= 28, "payload too short: %s" % data.hex()
        sig_len = struct.unpack(">H", data[26:28])[0]
        assert len(data) == 28 + sig_len and n.count == len(data), "n %d for a %d-byte signature" % (n.count, sig_len)
        assert struct.unpack(">I", n.raw[8:12])[0] == 20 + len(data), "PDU length %s" % n.raw[8:12].hex()
        assert data[:6] == struct.pack(">BBI", 1, 0, ROUTER_AS), "Secure_Path segment %s" % data[:6].hex()
        assert data[6:26] == ski, "SKI %s, expected %s" % (data[6:26].hex(), ski.hex())
        assert 8 <= sig_len <= 72 and data[28] == 0x30, "not a DER ECDSA signature: %s" % data[28:].hex()
        spliced = splice(attr, data)
        if new is not None:
            assert secure_path(spliced)[0] == secure_path(new)[0], "Secure_Path %s, whole answer %s" % (
                secure_path(spliced)[0].hex(), secure_path(new)[0].hex())
        return spliced

    spliced = t.check("SIGN_REQUEST (block type 0x01): the new segment and Signature_Segment, byte for byte",
                      segment_only)
    if spliced is not None:
        t.check("bgpsec verify at AS %d accepts the received attribute with the new segment" % PEER_AS, verifies,
                spliced)

    unknown = uid ^ 0x5A5A5A5A

    def sign_unknown():
        c.send(srx.sign_request(unknown, peer_as=PEER_AS))
        c.expect(srx.ERROR, code=srx.E_UPDATE_NOT_FOUND)
        c.expect(srx.SYNC_REQUEST)
        c.expect_silence(SILENCE)

    t.check("SIGN_REQUEST for an unknown ID: ERROR 5, then SYNC_REQUEST", sign_unknown)

    def still_answers():
        _, values = verify_results(c, srx.verify_v4("10.40.2.0/24", ORIGIN_AS, as_path=path, flags=0x81, token=2))
        assert values == {"origin": srx.VALID}, values

    t.check("the session still answers", still_answers)


if __name__ == "__main__":
    Scenario("sign", 90).run(body)
