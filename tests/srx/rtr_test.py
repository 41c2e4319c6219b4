#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""validation_server.rtr: bgpsecvd fed by an RTR cache (StayRTR) and a SLURM file, started with
-c CONFIG, no RPKI file. Addresses 127.0.53.1-2 and ports 18420-18422 belong to this test:
StayRTR on 127.0.53.1:18420 (its metrics on 18421), bgpsecvd on 127.0.53.2:18422.

The cache's JSON has three ROAs: 10.53.1.0/24 => 65001, 10.53.2.0/24 => 65001 and
10.53.2.0/23 => 65009. The SLURM file (RFC 8416 §3.3.1) filters 10.53.2.0/24 out; the /23 is
less specific than the filter and stays.
  - bgpsecctl show rpki: the cache is in sync with its 3 VRPs, 2 are in use after SLURM;
  - VERIFY (origin) of 10.53.1.0/24 from 65001: Valid, by the cache's ROA;
  - VERIFY (origin) of 10.53.2.0/24 from 65001: Invalid (RFC 6811: only the /23 of 65009
    covers it once the filter took the /24 out);
  - the JSON StayRTR serves loses 10.53.1.0/24 (StayRTR re-reads it every second and notifies,
    RFC 8210 §5.2): without a reload the router is pushed one VERIFY_NOTIFICATION for that
    update, origin NotFound, token 0; nothing about the other update.
Run by ctest with BGPSECVD, BGPSEC and BGPSECCTL set; StayRTR from $STAYRTR or the PATH.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import srx_proxy as srx  # noqa: E402
from scenario_lib import WAIT, Scenario, describe, drain, verify_results  # noqa: E402

CACHE, CACHE_METRICS = "127.0.53.1:18420", "127.0.53.1:18421"
HOST, PORT = "127.0.53.2", 18422
ROUTER_AS, ORIGIN_AS, OTHER_AS = 65000, 65001, 65009
KEPT, FILTERED, COVERING = "10.53.1.0/24", "10.53.2.0/24", "10.53.2.0/23"


def write_cache_json(t, roas, path):
    """StayRTR's input: the ROAs 'PREFIX=ASN' (and the router key in keys/) as `bgpsec rpki-json`
    writes them, with a fresh buildtime (StayRTR refuses a stale file), replaced in one rename."""
    args = ["rpki-json", "--key-dir", os.path.join(t.work, "keys")]
    for r in roas:
        args += ["--roa", r]
    data = json.loads(t.bgpsec(*args))
    data["metadata"] = {"buildtime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                        "generated": int(time.time())}
    with open(path + ".tmp", "w") as f:
        json.dump(data, f)
    os.replace(path + ".tmp", path)


def rpki_view(t):
    r = subprocess.run([t.ctl_bin, "-s", t.ctl_socket, "--json", "show", "rpki"], capture_output=True, text=True,
                       timeout=10)
    if r.returncode != 0:
        raise AssertionError("bgpsecctl show rpki: exit %d: %s" % (r.returncode, r.stderr.strip()))
    return json.loads(r.stdout)


def body(t):
    stayrtr = os.environ.get("STAYRTR") or shutil.which("stayrtr")
    if not stayrtr or not t.ctl_bin:
        t.bad("stayrtr (scripts/setup) and BGPSECCTL are needed")
        return
    t.keygen(ORIGIN_AS, os.path.join(t.work, "keys"))
    cache_json = os.path.join(t.work, "cache.json")
    write_cache_json(t, ["%s=%d" % (KEPT, ORIGIN_AS), "%s=%d" % (FILTERED, ORIGIN_AS),
                         "%s=%d" % (COVERING, OTHER_AS)], cache_json)
    slurm = os.path.join(t.work, "slurm.json")
    with open(slurm, "w") as f:
        json.dump({"slurmVersion": 1,
                   "validationOutputFilters": {"prefixFilters": [{"prefix": FILTERED}], "bgpsecFilters": []},
                   "locallyAddedAssertions": {"prefixAssertions": [], "bgpsecAssertions": []}}, f)
    config = os.path.join(t.work, "bgpsecvd.toml")
    with open(config, "w") as f:
        f.write('[server]\nlisten = ["%s:%d"]\n\n[metrics]\nlisten = ""\n\n[rpki]\nslurm = "%s"\n\n'
                '[[rpki.cache]]\naddress = "%s"\n' % (HOST, PORT, slurm, CACHE))

    log = open(os.path.join(t.work, "stayrtr.log"), "ab")
    cache = subprocess.Popen([stayrtr, "-bind", CACHE, "-metrics.addr", CACHE_METRICS, "-cache", cache_json,
                              "-refresh", "1"], stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    log.close()
    try:
        run_against_cache(t, cache_json, config)
    finally:
        cache.terminate()
        try:
            cache.wait(5)
        except subprocess.TimeoutExpired:
            cache.kill()
            cache.wait()


def listening(address):
    """Until ADDRESS accepts a connection (10 s at most), so bgpsecvd finds StayRTR at its first
    attempt rather than after its reconnect backoff."""
    host, port = address.rsplit(":", 1)
    end = time.monotonic() + 10
    while True:
        try:
            socket.create_connection((host, int(port)), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > end:
                raise
            time.sleep(0.1)


def run_against_cache(t, cache_json, config):
    if t.check("StayRTR listens on %s" % CACHE, listening, CACHE) is None:
        return
    if t.check("start bgpsecvd -c CONFIG (an RTR cache and SLURM, no file)", t.start_vd, HOST, PORT, None,
               None, ["-c", config]) is None:
        return

    def synced():
        end = time.monotonic() + 20
        view = {}
        while time.monotonic() < end:
            view = rpki_view(t)
            caches = view.get("caches", [])
            if len(caches) == 1 and caches[0].get("in_sync") and caches[0].get("vrps") == 3 and view.get("vrps") == 2:
                return
            time.sleep(0.2)
        raise AssertionError("no sync with 3 VRPs from the cache, 2 in use: %s" % json.dumps(view))

    if t.check("show rpki: the cache in sync with 3 VRPs, 2 in use after the SLURM filter", synced) is None:
        return

    c = t.client(HOST, PORT, "proxy")
    if t.check("handshake", c.hello, 53, ROUTER_AS) is None:
        return

    def request(prefix, token):
        return srx.verify_v4(prefix, ORIGIN_AS, as_path=[ORIGIN_AS], flags=0x81, token=token, afi=1, safi=1,
                             local_as=ROUTER_AS)

    def origin(prefix, token, expected):
        uid, values = verify_results(c, request(prefix, token))
        assert values == {"origin": expected}, values
        return uid

    kept_id = t.check("%s from AS%d: Valid by the cache's ROA" % (KEPT, ORIGIN_AS), origin, KEPT, 1, srx.VALID)
    t.check("%s from AS%d: Invalid, its ROA filtered by SLURM, the %s of AS%d covers it" % (
        FILTERED, ORIGIN_AS, COVERING, OTHER_AS), origin, FILTERED, 2, srx.INVALID)
    if kept_id is None:
        return
    t.check("nothing more", c.expect_silence)

    write_cache_json(t, ["%s=%d" % (FILTERED, ORIGIN_AS), "%s=%d" % (COVERING, OTHER_AS)], cache_json)

    def pushed():
        n = c.expect(srx.VERIFY_NOTIFICATION, timeout=WAIT + 20, result_type=srx.F_ORIGIN, roa=srx.NOTFOUND,
                     token=0, update_id=kept_id)
        extra = drain(c)
        assert not extra, "then also %s" % describe(extra)
        return n

    t.check("the cache drops %s's ROA: NotFound pushed for its update alone, no reload" % KEPT, pushed)
    t.check("bgpsecvd still runs", t.vd_alive)


if __name__ == "__main__":
    Scenario("rtr", 90).run(body)
