#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""validation_server.quagga_conversation: bgpsecvd talking to a proxy that behaves like
QuaggaSRx (srx_proxy.py), on 127.0.30.1 port 17930 (address and port belong to this test).

RPKI: router keys of AS 65000 (the router), 65001 (origin) and 65002 (its neighbour); ROAs
10.1.0.0/16-24 => 65001, 2001:db8::/32-48 => 65001. The routes: 65002 65001 signed to 65000.
Checks, in one session unless said otherwise:
  - the 20-byte HELLO (proxy ID 10.0.0.1, AS 65000) gets HELLO_RESPONSE (version 3, the ID
    echoed), then SYNC_REQUEST;
  - VERIFY_V4 with flags 0x83 (origin, path, receipt) of a signed route: the receipt first
    (0x83, token echoed, update ID = NIST's function of the request), then origin Valid and
    path Valid;
  - an unsigned route with the path bit: origin Valid, path Invalid;
  - an origin covered by a ROA of another AS: origin Invalid; an origin without any ROA: NotFound;
  - VERIFY without receipt, default = result: nothing within the silence window; with
    default != result: exactly one notification (origin bit, token 0, the NIST ID, Valid);
  - VERIFY_V6 in the standard layout and in libSRxProxy's shifted layout (path data at offset
    60, local AS 0, so the HELLO's AS stands in): origin Valid and path Valid for both, IDs as
    NIST computes them (the shifted one hashed at offset 72);
  - DELETE_UPDATE of a held update: silence; of an unknown ID: ERROR 5, the session stays;
    PEER_CHANGE: silence;
  - a HELLO with proxy ID 0 (on a second connection): HELLO_RESPONSE with a non-zero ID the
    server assigned, then SYNC_REQUEST;
  - GOODBYE: the server closes;
  - reconnect with the same proxy ID: HELLO_RESPONSE + SYNC_REQUEST; the signed route re-sent
    with a receipt gets the same update ID, and without a receipt and with the current results
    as defaults, nothing.
Run by ctest with BGPSECVD, BGPSEC (and BGPSECCTL) set.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import srx_proxy as srx  # noqa: E402
from scenario_lib import SILENCE, Scenario, drain, verify_results  # noqa: E402

HOST, PORT = "127.0.30.1", 17930
PROXY_ID = 0x0A000001  # 10.0.0.1, QuaggaSRx's default: its router ID
ROUTER_AS, ORIGIN_AS, NEIGHBOUR_AS, OTHER_AS = 65000, 65001, 65002, 65009
WAIT_CLOSE = 5.0


def body(t):
    keys = os.path.join(t.work, "keys")
    for asn in (ROUTER_AS, ORIGIN_AS, NEIGHBOUR_AS):
        t.keygen(asn, keys)
    rpki = os.path.join(t.work, "rpki.json")
    t.rpki_json(keys, ["10.1.0.0/16-24=%d" % ORIGIN_AS, "2001:db8::/32-48=%d" % ORIGIN_AS], rpki)
    path = [NEIGHBOUR_AS, ORIGIN_AS]
    attr4 = t.sign("10.1.1.0/24", path, ROUTER_AS, keys)
    attr6 = t.sign("2001:db8:1::/48", path, ROUTER_AS, keys)
    if t.check("start bgpsecvd", t.start_vd, HOST, PORT, rpki) is None:
        return

    c = t.client(HOST, PORT, "quagga")
    c.connect()
    hello = srx.hello(PROXY_ID, ROUTER_AS)
    assert len(hello) == 20

    def handshake(client):
        client.send(hello)
        client.expect(srx.HELLO_RESPONSE, version=3, proxy_id=PROXY_ID)
        client.expect(srx.SYNC_REQUEST)

    if t.check("20-byte HELLO: HELLO_RESPONSE (ID echoed), then SYNC_REQUEST", handshake, c) is None:
        return

    token = [0]

    def v4(prefix, origin, **kw):
        token[0] += 1
        kw.setdefault("token", token[0])
        kw.setdefault("flags", 0x83)
        return srx.verify_v4(prefix, origin, sources=(1, 1, 1), as_type=2, **kw)

    def results(pdu, origin, path=None):
        uid, values = verify_results(c, pdu)
        want = {"origin": origin}
        if path is not None:
            want["path"] = path
        assert values == want, "results %s, expected %s (ID %08X)" % (values, want, uid)
        return uid

    signed = v4("10.1.1.0/24", ORIGIN_AS, as_path=path, attr=attr4, afi=1, safi=1, local_as=ROUTER_AS)
    signed_id = t.check("signed route, 0x83: receipt then origin Valid, path Valid", results, signed,
                        srx.VALID, srx.VALID)
    unsigned = v4("10.1.2.0/24", ORIGIN_AS, as_path=path, afi=0, safi=0)
    t.check("unsigned route with the path bit: origin Valid, path Invalid", results, unsigned,
            srx.VALID, srx.INVALID)
    t.check("origin covered by another AS's ROA: origin Invalid", results,
            v4("10.1.3.0/24", OTHER_AS, as_path=[NEIGHBOUR_AS, OTHER_AS], flags=0x81, afi=0, safi=0),
            srx.INVALID)
    t.check("origin without a covering ROA: origin NotFound", results,
            v4("192.0.2.0/24", OTHER_AS, as_path=[NEIGHBOUR_AS, OTHER_AS], flags=0x81, afi=0, safi=0),
            srx.NOTFOUND)

    # no receipt: the server validates, and notifies only when the result differs from the default
    quiet = v4("10.1.4.0/24", ORIGIN_AS, as_path=path, flags=0x01, token=0, defaults=(srx.VALID, 3, 3),
               afi=0, safi=0)

    def no_receipt_same_default():
        c.send(quiet)
        c.expect_silence(SILENCE)

    t.check("VERIFY without receipt, default = result (Valid): silence", no_receipt_same_default)

    loud = v4("10.1.5.0/24", ORIGIN_AS, as_path=path, flags=0x01, token=0, defaults=(srx.NOTFOUND, 3, 3),
              afi=0, safi=0)

    def no_receipt_other_default():
        c.send(loud)
        c.expect(srx.VERIFY_NOTIFICATION, result_type=srx.F_ORIGIN, roa=srx.VALID, token=0,
                 update_id=srx.request_update_id(loud))
        c.expect_silence(SILENCE)

    t.check("VERIFY without receipt, default NotFound != Valid: one origin notification", no_receipt_other_default)

    def v6(shifted):
        token[0] += 1
        return srx.verify_v6("2001:db8:1::/48", ORIGIN_AS, as_path=path, attr=attr6, flags=0x83, token=token[0],
                             local_as=ROUTER_AS, shifted=shifted)

    standard6 = v6(False)
    shifted6 = v6(True)
    assert srx.decode(shifted6).shifted and not srx.decode(standard6).shifted
    assert srx.request_update_id(shifted6) != srx.request_update_id(standard6)
    t.check("VERIFY_V6, standard layout: origin Valid, path Valid", results, standard6, srx.VALID, srx.VALID)
    t.check("VERIFY_V6, libSRxProxy's shifted layout: origin Valid, path Valid, ID hashed at offset 72",
            results, shifted6, srx.VALID, srx.VALID)

    unsigned_id = srx.request_update_id(unsigned)

    def delete_held():
        c.send(srx.delete_update(unsigned_id))
        c.expect_silence(SILENCE)

    t.check("DELETE_UPDATE of a held update: silence", delete_held)

    unknown = 0x0BADF00D
    assert unknown not in [srx.request_update_id(p) for p in (signed, unsigned, quiet, loud, standard6, shifted6)]

    def delete_unknown():
        c.send(srx.delete_update(unknown))
        c.expect(srx.ERROR, code=srx.E_UPDATE_NOT_FOUND)
        c.expect_silence(SILENCE)  # ERROR 5 is not followed by GOODBYE; the session stays

    t.check("DELETE_UPDATE of an unknown ID: ERROR 5, nothing more", delete_unknown)
    def peer_change():
        c.send(srx.peer_change(65003, 1))
        c.expect_silence(SILENCE)

    t.check("PEER_CHANGE: silence", peer_change)
    t.check("the session still answers after ERROR 5 and PEER_CHANGE", results,
            v4("10.1.6.0/24", ORIGIN_AS, as_path=path, flags=0x81, afi=0, safi=0), srx.VALID)

    def goodbye():
        c.send(srx.goodbye(900))
        got = c.read_until_close(WAIT_CLOSE)
        assert all(p.type == srx.GOODBYE for p in got), "before the close: %s" % got

    def proxy_id_zero():
        z = t.client(HOST, PORT, "id-zero")
        z.connect()
        z.send(srx.hello(0, ROUTER_AS))
        r = z.expect(srx.HELLO_RESPONSE, version=3)
        assert r.proxy_id not in (0, PROXY_ID), "HELLO_RESPONSE proxy ID %08X" % r.proxy_id
        z.expect(srx.SYNC_REQUEST)
        z.send(srx.goodbye(900))
        z.read_until_close(WAIT_CLOSE)

    t.check("HELLO with proxy ID 0: a unique non-zero ID assigned, SYNC_REQUEST", proxy_id_zero)
    t.check("GOODBYE: the server closes the connection", goodbye)
    c.close()
    t.check("bgpsecvd still runs", t.vd_alive)

    c2 = t.client(HOST, PORT, "quagga-again")
    c2.connect()
    if t.check("reconnect with the same proxy ID: HELLO_RESPONSE + SYNC_REQUEST", handshake, c2) is None:
        return

    again = v4("10.1.1.0/24", ORIGIN_AS, as_path=path, attr=attr4, afi=1, safi=1, local_as=ROUTER_AS)

    def resend():
        uid, values = verify_results(c2, again, strict=False)
        assert uid == signed_id, "ID %08X, first session %s" % (uid, signed_id and "%08X" % signed_id)
        assert values == {"origin": srx.VALID, "path": srx.VALID}, values
        # duplicates of the same results are harmless to QuaggaSRx; anything else is not
        for p in drain(c2):
            assert p.type == srx.VERIFY_NOTIFICATION and p.update_id == uid and not p.result_type & 0x80 \
                and (not p.result_type & 1 or p.roa == 0) and (not p.result_type & 2 or p.bgpsec == 0), p

    t.check("re-sent signed route with receipt: the same update ID, Valid/Valid", resend)

    sync = v4("10.1.1.0/24", ORIGIN_AS, as_path=path, attr=attr4, flags=0x03, token=0,
              defaults=(srx.VALID, srx.VALID, 3), afi=1, safi=1, local_as=ROUTER_AS)

    def sync_resend():
        c2.send(sync)
        c2.expect_silence(SILENCE)

    t.check("SYNC-style re-send without receipt, defaults = results: silence", sync_resend)
    t.check("bgpsecvd still runs at the end", t.vd_alive)


if __name__ == "__main__":
    Scenario("quagga_conversation", 120).run(body)
