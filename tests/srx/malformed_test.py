#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""validation_server.malformed: bgpsecvd against broken and out-of-order PDUs, on 127.0.30.2
port 17931 (address and port belong to this test).

A well-behaved proxy ("steady", proxy ID 1) connects first and stays connected. Then each case
runs on a fresh connection, and must end with ERROR <code>, GOODBYE and the server closing:
  - a PDU whose length field is below 12 (after the handshake): ERROR 2;
  - a length beyond the largest possible PDU (header only sent): ERROR 2;
  - HELLO with version 2: ERROR 0;
  - an unknown PDU type (12, and 200): ERROR 2;
  - a server-to-proxy type from the proxy (SYNC_REQUEST): ERROR 2;
  - a second HELLO: ERROR 2;
  - VERIFY before HELLO: ERROR 3 (NIST's code for requests before the handshake);
  - VERIFY whose bgpsecLength is not 4*numHops + attrLen: ERROR 2;
  - VERIFY whose length field is not the fixed part + bgpsecLength: ERROR 2;
  - HELLO with the proxy ID the steady proxy holds: ERROR 1.
After every case the steady proxy sends a new VERIFY with receipt and gets the receipt and the
origin result (Valid), and bgpsecvd is still running: the server survives and other sessions
are unaffected.
Run by ctest with BGPSECVD, BGPSEC (and BGPSECCTL) set.
"""

import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import srx_proxy as srx  # noqa: E402
from scenario_lib import Scenario, describe, verify_results  # noqa: E402

HOST, PORT = "127.0.30.2", 17931
ROUTER_AS, ORIGIN_AS = 65000, 65001
STEADY_ID = 1
CLOSE_WAIT = 5.0


def body(t):
    keys = os.path.join(t.work, "keys")
    t.keygen(ORIGIN_AS, keys)
    rpki = os.path.join(t.work, "rpki.json")
    t.rpki_json(keys, ["10.20.0.0/16-24=%d" % ORIGIN_AS], rpki)
    if t.check("start bgpsecvd", t.start_vd, HOST, PORT, rpki) is None:
        return

    steady = t.client(HOST, PORT, "steady")
    if t.check("steady proxy: handshake", steady.hello, STEADY_ID, ROUTER_AS) is None:
        return
    counter = [0]

    def steady_answers():
        counter[0] += 1
        pdu = srx.verify_v4("10.20.%d.0/24" % counter[0], ORIGIN_AS, as_path=[65002, ORIGIN_AS], flags=0x81,
                            token=counter[0])
        _, values = verify_results(steady, pdu)
        assert values == {"origin": srx.VALID}, values
        t.vd_alive()

    t.check("steady proxy: VERIFY answered before the cases", steady_answers)

    good_verify = srx.verify_v4("10.20.200.0/24", ORIGIN_AS, as_path=[65002, ORIGIN_AS],
                                attr=bytes.fromhex("90210004"), flags=0x83, token=99)
    bad_bgpsec_length = srx.verify_v4("10.20.201.0/24", ORIGIN_AS, as_path=[65002, ORIGIN_AS], flags=0x81,
                                      token=98, bgpsec_length=12)
    long_verify = srx.verify_v4("10.20.202.0/24", ORIGIN_AS, as_path=[65002, ORIGIN_AS], flags=0x81, token=97)
    long_verify = long_verify[:8] + struct.pack(">I", len(long_verify) + 4) + long_verify[12:] + b"\0" * 4
    cases = [
        # (name, handshake first?, bytes to send, expected ERROR code, proxy ID)
        ("length field 8 (< 12)", True, srx.raw_pdu(srx.VERIFY_V4, length=8), srx.E_INVALID_PACKET),
        ("length field beyond the maximum (header only)", True,
         srx.raw_pdu(srx.VERIFY_V4, b"\x81\x01\x01", length=srx.MAX_PDU + 1), srx.E_INVALID_PACKET),
        ("length field 0xFFFFFFFF (header only)", True, srx.raw_pdu(srx.VERIFY_V4, length=0xFFFFFFFF),
         srx.E_INVALID_PACKET),
        ("HELLO version 2", False, srx.hello(3, ROUTER_AS, version=2), srx.E_WRONG_VERSION),
        ("unknown PDU type 12", True, srx.raw_pdu(12), srx.E_INVALID_PACKET),
        ("unknown PDU type 200", True, srx.raw_pdu(200), srx.E_INVALID_PACKET),
        ("SYNC_REQUEST from the proxy", True, srx.sync_request(), srx.E_INVALID_PACKET),
        ("second HELLO", True, srx.hello(3, ROUTER_AS), srx.E_INVALID_PACKET),
        ("VERIFY before HELLO", False, good_verify, srx.E_INTERNAL_ERROR),
        ("VERIFY with bgpsecLength != 4*numHops + attrLen", True, bad_bgpsec_length, srx.E_INVALID_PACKET),
        ("VERIFY with length != fixed part + bgpsecLength", True, long_verify, srx.E_INVALID_PACKET),
        ("HELLO with the steady proxy's ID", False, srx.hello(STEADY_ID, ROUTER_AS), srx.E_DUPLICATE_PROXY_ID),
    ]
    for i, (name, handshake, data, code) in enumerate(cases):
        c = t.client(HOST, PORT, "case %d" % (i + 1))

        def run_case():
            c.connect()
            if handshake:
                c.hello(100 + i, ROUTER_AS)
            c.send(data)
            got = c.read_until_close(CLOSE_WAIT)
            want = [srx.error(code), srx.goodbye(0)]
            # the GOODBYE's keepWindow is the server's to choose; compare it without
            norm = [p.raw if p.type != srx.GOODBYE else srx.goodbye(0) for p in got]
            assert norm == want, "expected ERROR %d, GOODBYE, close; got %s" % (code, describe(got))

        t.check("%s: ERROR %d, GOODBYE, close" % (name, code), run_case)
        c.close()
        t.check("after '%s': the steady proxy still gets its answers" % name, steady_answers)


if __name__ == "__main__":
    Scenario("malformed", 150).run(body)
