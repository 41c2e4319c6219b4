#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""validation_server.two_proxies_push: result changes pushed to the proxies that hold an update,
on 127.0.30.3 port 17932 (address and port belong to this test).

RPKI file: router keys of 65001 and 65002, ROA 10.30.0.0/16-24 => 65001. Proxy A (ID 1) asks
for origin and path of the signed route 10.30.1.0/24 (65002 65001, signed to 65000); proxy B
(ID 2) asks for the origin of the same route (the same update ID). Both get Valid. Then:
  - the ROA is removed from the file and bgpsecvd gets SIGHUP (it re-reads --rpki): A and B each
    get one origin notification (NotFound, bit 0x01 only, token 0, the update ID); no path
    notification, nothing else;
  - 65002's router key is removed and SIGHUP again: A gets one path notification (Invalid, bit
    0x02 only); B, which never asked for the path, gets nothing;
  - A route only A holds (10.30.2.0/24, origin only) checks that B is not told about it.
Run by ctest with BGPSECVD, BGPSEC (and BGPSECCTL) set.
"""

import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import srx_proxy as srx  # noqa: E402
from scenario_lib import WAIT, Scenario, describe, drain, verify_results  # noqa: E402

HOST, PORT = "127.0.30.3", 17932
ROUTER_AS, ORIGIN_AS, NEIGHBOUR_AS = 65000, 65001, 65002


def body(t):
    keys = os.path.join(t.work, "keys")
    for asn in (ORIGIN_AS, NEIGHBOUR_AS):
        t.keygen(asn, keys)
    keys_without = os.path.join(t.work, "keys-without-65002")
    os.mkdir(keys_without)
    for f in os.listdir(keys):
        if f.startswith("%d." % ORIGIN_AS):
            shutil.copy(os.path.join(keys, f), keys_without)
    rpki = os.path.join(t.work, "rpki.json")
    roa = "10.30.0.0/16-24=%d" % ORIGIN_AS
    t.rpki_json(keys, [roa], rpki)
    path = [NEIGHBOUR_AS, ORIGIN_AS]
    attr = t.sign("10.30.1.0/24", path, ROUTER_AS, keys)
    if t.check("start bgpsecvd", t.start_vd, HOST, PORT, rpki) is None:
        return

    a = t.client(HOST, PORT, "A")
    b = t.client(HOST, PORT, "B")
    if t.check("A: handshake", a.hello, 1, ROUTER_AS) is None or t.check("B: handshake", b.hello, 2, ROUTER_AS) is None:
        return

    def req(flags, token, prefix="10.30.1.0/24", signed=True):
        return srx.verify_v4(prefix, ORIGIN_AS, as_path=path, attr=attr if signed else b"", flags=flags,
                             token=token, afi=1, safi=1, local_as=ROUTER_AS)

    shared_id = srx.request_update_id(req(0x83, 1))

    def a_holds():
        uid, values = verify_results(a, req(0x83, 1))
        assert values == {"origin": srx.VALID, "path": srx.VALID}, values

    def b_holds():
        uid, values = verify_results(b, req(0x81, 1), strict=False)
        assert uid == shared_id and values == {"origin": srx.VALID}, values
        extra = [p for p in drain(b) if not (p.type == srx.VERIFY_NOTIFICATION and p.update_id == uid
                                            and p.result_type == srx.F_ORIGIN and p.roa == srx.VALID)]
        assert not extra, "B also got %s" % describe(extra)

    def a_only():
        uid, values = verify_results(a, req(0x81, 2, prefix="10.30.2.0/24", signed=False))
        assert values == {"origin": srx.VALID}, values

    if t.check("A: origin and path Valid", a_holds) is None or t.check("B: origin Valid, same ID", b_holds) is None:
        return
    t.check("A: a second route, origin Valid", a_only)
    a_only_id = srx.request_update_id(req(0x81, 2, prefix="10.30.2.0/24", signed=False))

    def quiet(*clients):
        for c in clients:
            c.expect_silence()

    t.check("nothing more on either session", quiet, a, b)

    t.rpki_json(keys, [], rpki)
    t.reload_vd()

    def origin_pushed():
        got_a = {}
        # A holds two updates whose origin changed; the order is the server's
        for _ in range(2):
            n = a.expect(srx.VERIFY_NOTIFICATION, timeout=WAIT, result_type=srx.F_ORIGIN, roa=srx.NOTFOUND, token=0)
            got_a[n.update_id] = n
        assert set(got_a) == {shared_id, a_only_id}, "A got notifications for %s" % ["%08X" % i for i in got_a]
        b.expect(srx.VERIFY_NOTIFICATION, timeout=WAIT, result_type=srx.F_ORIGIN, roa=srx.NOTFOUND, token=0,
                 update_id=shared_id)
        quiet(a, b)

    t.check("ROA removed, SIGHUP: A and B one origin notification each (NotFound), nothing else", origin_pushed)

    t.rpki_json(keys_without, [], rpki)
    t.reload_vd()

    def path_pushed():
        a.expect(srx.VERIFY_NOTIFICATION, timeout=WAIT, result_type=srx.F_PATH, bgpsec=srx.INVALID, token=0,
                 update_id=shared_id)
        quiet(a, b)

    t.check("65002's key removed, SIGHUP: a path notification (Invalid) to A only, nothing else", path_pushed)
    t.check("bgpsecvd still runs", t.vd_alive)


if __name__ == "__main__":
    Scenario("two_proxies_push", 120).run(body)
