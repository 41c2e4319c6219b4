#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""validation_server.operator: bgpsecvd as an operator runs it, on 127.0.31.1 port 17920
(metrics on 127.0.31.1 port 17921; 127.0.31.1-9 and ports 17920-17929 belong to this test).

  - `bgpsecvd -n -c FILE` prints the normal form, which checks again unchanged; a config
    error names FILE:LINE:COLUMN; key_files (which name no AS) is refused;
  - started with a config file: a proxy's signed route is held; bgpsecctl `show routers`,
    `show updates`, `show updates ID`, `show server`, `show rpki` answer in text and JSON with
    the router, the update and its results;
  - /metrics has the bgpsecvd_ series with the PDUs received and results computed;
  - [server] allow: a router from an address outside it is closed before any answer;
  - [server] max_routers: a router beyond the limit is closed before any answer, and neither
    it nor one turned away counts in bgpsecvd_routers;
  - `bgpsecctl reload` re-reads the RPKI file: a ROA removed turns the held update's origin
    result NotFound, pushed to the proxy;
  - a reload with a broken RPKI file fails, names the file, and changes nothing;
  - a reload applies [server] settings: a lower max_updates_per_router refuses the next update
    with ERROR 5, and keep_window 0 has an update let go of collected within seconds;
  - SIGTERM: GOODBYE to the proxy, exit 0.
Run by ctest with BGPSECVD, BGPSEC and BGPSECCTL set.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import srx_proxy as srx  # noqa: E402
from scenario_lib import ALLOW_ROOT, WAIT, Scenario, verify_results  # noqa: E402

HOST, PORT, METRICS = "127.0.31.1", 17920, 17921
OUTSIDER = "127.0.31.2"
ROUTER_AS, ORIGIN_AS = 65100, 65101
PREFIX = "10.31.1.0/24"


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def run(t, *args, ok=True):
    r = subprocess.run(list(args), capture_output=True, text=True, timeout=20)
    if ok and r.returncode != 0:
        raise AssertionError("%s: exit %d: %s" % (" ".join(args), r.returncode, r.stderr.strip()))
    return r


def ctl(t, *args):
    return run(t, t.ctl_bin, "-s", t.ctl_socket, *args).stdout


def body(t):
    keys = os.path.join(t.work, "keys")
    t.keygen(ROUTER_AS, keys)
    t.keygen(ORIGIN_AS, keys)
    rpki = os.path.join(t.work, "rpki.json")
    t.rpki_json(keys, ["10.31.0.0/16-24=%d" % ORIGIN_AS], rpki)
    conf = os.path.join(t.work, "bgpsecvd.toml")
    write(conf, """[server]
listen = ["%s:%d"]
allow = ["127.0.0.0/24"]
keep_window = 60
max_routers = 2

[control]
socket = "%s"

[metrics]
listen = "%s:%d"

[rpki]
files = ["%s"]

[bgpsec]
key_dir = "%s"
""" % (HOST, PORT, t.ctl_socket, HOST, METRICS, rpki, keys))

    def normal_form():
        first = run(t, t.vd_bin, "-n", "-c", conf).stdout
        assert 'listen = ["127.0.31.1:17920"]' in first and "keep_window = 60" in first, first
        again = os.path.join(t.work, "again.toml")
        write(again, first)
        second = run(t, t.vd_bin, "-n", "-c", again).stdout
        assert first == second, "the normal form does not check to itself"

    t.check("-n prints a normal form that checks to itself", normal_form)

    def errors():
        bad = os.path.join(t.work, "bad.toml")
        write(bad, '[server]\nlisten = ["%s:%d"]\nkeep_window = "long"\n' % (HOST, PORT))
        r = run(t, t.vd_bin, "-n", "-c", bad, ok=False)
        assert r.returncode == 2 and "bad.toml:3:" in r.stderr, r.stderr
        write(bad, '[bgpsec]\nkey_files = ["k.pem"]\n')
        r = run(t, t.vd_bin, "-n", "-c", bad, ok=False)
        assert r.returncode == 2 and "key_files" in r.stderr, r.stderr

    t.check("config errors name file:line and refuse key_files", errors)

    log = open(t.vd_logfile, "ab")
    t.vd = subprocess.Popen([t.vd_bin, "-c", conf] + ALLOW_ROOT, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    end = time.monotonic() + 10
    while time.monotonic() < end:
        try:
            socket.create_connection((HOST, PORT), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)

    c = t.client(HOST, PORT, "proxy")
    if t.check("handshake", c.hello, 11, ROUTER_AS) is None:
        return
    attr = t.sign(PREFIX, [ORIGIN_AS], ROUTER_AS, keys)
    request = srx.verify_v4(PREFIX, ORIGIN_AS, as_path=[ORIGIN_AS], attr=attr, flags=0x83, token=5,
                            afi=1, safi=1, local_as=ROUTER_AS)
    got = t.check("the signed route: Valid/Valid", verify_results, c, request)
    if got is None:
        return
    uid, values = got

    def results():
        assert values == {"origin": srx.VALID, "path": srx.VALID}, values

    t.check("results", results)

    def views():
        routers = json.loads(ctl(t, "--json", "show", "routers"))
        assert len(routers) == 1 and routers[0]["proxy_id"] == 11 and routers[0]["asn"] == ROUTER_AS \
            and routers[0]["updates_held"] == 1 and routers[0]["state"] == "active", routers
        text = ctl(t, "show", "routers")
        assert "Proxy ID" in text and "65100" in text, text
        summary = json.loads(ctl(t, "--json", "show", "updates"))
        assert summary["updates"] == 1 and summary["keep_window"] == 60, summary
        one = json.loads(ctl(t, "--json", "show", "updates", str(uid)))
        assert one["prefix"] == PREFIX and one["origin"] == "valid" and one["path"] == "valid" \
            and one["holders"] == [{"proxy_id": 11, "types": ["origin", "path"]}], one
        text = ctl(t, "show", "updates", str(uid))
        assert "origin valid, path valid" in text and "held by: 11 (origin,path)" in text, text
        server = json.loads(ctl(t, "--json", "show", "server"))
        assert server["routers"] == 1 and server["listen"] == ["%s:%d" % (HOST, PORT)] \
            and server["validation"]["completed"] >= 1, server
        rpki = json.loads(ctl(t, "--json", "show", "rpki"))
        assert rpki["vrps"] == 1 and rpki["router_keys"] == 2 and len(rpki["signing_keys"]) == 2, rpki
        assert "Signing key AS65100" in ctl(t, "show", "rpki")
        r = run(t, t.ctl_bin, "-s", t.ctl_socket, "show", "updates", "12345", ok=False)
        assert r.returncode == 1 and "no update 12345" in r.stderr, r.stderr

    t.check("bgpsecctl show routers / updates / server / rpki", views)

    def metrics():
        body_text = urllib.request.urlopen("http://%s:%d/metrics" % (HOST, METRICS), timeout=5).read().decode()
        for line in ('bgpsecvd_pdus_received_total{type="VERIFY_V4_REQUEST"} 1',
                     'bgpsecvd_results_total{result="valid",type="path"} 1',
                     'bgpsecvd_receipts_total 1', "bgpsecvd_routers 1", "bgpsecvd_updates 1"):
            assert line in body_text, "%s not in /metrics" % line

    t.check("metrics", metrics)

    def outsider():
        s = socket.create_connection((HOST, PORT), timeout=WAIT, source_address=(OUTSIDER, 0))
        s.sendall(srx.hello(12, ROUTER_AS))
        s.settimeout(WAIT)
        assert s.recv(100) == b"", "an address outside [server] allow got an answer"
        s.close()

    t.check("[server] allow closes a router outside it", outsider)

    def max_routers():
        second = t.client(HOST, PORT, "second")
        second.hello(12, ROUTER_AS)
        third = socket.create_connection((HOST, PORT), timeout=WAIT)
        third.sendall(srx.hello(13, ROUTER_AS))
        third.settimeout(WAIT)
        assert third.recv(100) == b"", "a router beyond max_routers got an answer"
        third.close()
        text = urllib.request.urlopen("http://%s:%d/metrics" % (HOST, METRICS), timeout=5).read().decode()
        assert "bgpsecvd_routers 2\n" in text, [l for l in text.splitlines() if "routers" in l]
        second.close()
        # The second's place is free again once its connection is gone.
        end = time.monotonic() + WAIT
        while len(json.loads(ctl(t, "--json", "show", "routers"))) != 1 and time.monotonic() < end:
            time.sleep(0.1)
        fourth = t.client(HOST, PORT, "fourth")
        fourth.hello(14, ROUTER_AS)
        fourth.close()

    t.check("[server] max_routers closes a router beyond it, counts only those served", max_routers)

    def reload_pushes():
        t.rpki_json(keys, [], rpki)
        out = ctl(t, "reload")
        assert "rpki files re-read" in out, out
        n = c.expect(srx.VERIFY_NOTIFICATION)
        assert n.result_type == srx.F_ORIGIN and n.roa == srx.NOTFOUND and n.update_id == uid, n

    t.check("bgpsecctl reload: the ROA removed is pushed as NotFound", reload_pushes)

    def reload_broken_file():
        before = json.loads(ctl(t, "--json", "show", "rpki"))
        write(rpki, '{"roas": [')
        r = run(t, t.ctl_bin, "-s", t.ctl_socket, "reload", ok=False)
        assert r.returncode == 1 and "rpki.json" in r.stderr, (r.returncode, r.stderr)
        after = json.loads(ctl(t, "--json", "show", "rpki"))
        assert after["vrps"] == before["vrps"] and after["router_keys"] == before["router_keys"] \
            and after["signing_keys"] == before["signing_keys"], (before, after)
        c.expect_silence(0.5)
        t.rpki_json(keys, [], rpki)
        assert t.vd.poll() is None, "bgpsecvd exited"

    t.check("a reload with a broken RPKI file fails and changes nothing", reload_broken_file)

    def reload_server_settings():
        text = open(conf).read().replace("keep_window = 60", "keep_window = 0\nmax_updates_per_router = 1")
        write(conf, text)
        out = ctl(t, "reload")
        assert "server settings applied" in out, out
        summary = json.loads(ctl(t, "--json", "show", "updates"))
        assert summary["keep_window"] == 0 and summary["max_updates_per_router"] == 1, summary
        # The proxy holds one update: a second one is over its new limit.
        other = srx.verify_v4("10.31.2.0/24", ORIGIN_AS, as_path=[ORIGIN_AS], flags=0x81, token=6,
                              afi=1, safi=1, local_as=ROUTER_AS)
        c.send(other)
        c.expect(srx.ERROR, code=srx.E_UPDATE_NOT_FOUND)
        # Let go of the held one: with keep_window 0 it is collected within a few seconds.
        c.send(srx.delete_update(uid, keep_window=0))
        end = time.monotonic() + 10
        while json.loads(ctl(t, "--json", "show", "updates"))["updates"] != 0:
            assert time.monotonic() < end, "the update let go of was not collected"
            time.sleep(0.2)
        metrics_text = urllib.request.urlopen("http://%s:%d/metrics" % (HOST, METRICS), timeout=5).read().decode()
        assert "bgpsecvd_updates_collected_total 1" in metrics_text, \
            [l for l in metrics_text.splitlines() if "collected" in l]

    t.check("a reload applies [server] limits and keep_window; collection follows", reload_server_settings)

    def stop():
        t.vd.send_signal(signal.SIGTERM)
        c.expect(srx.GOODBYE)
        assert t.vd.wait(10) == 0

    t.check("SIGTERM: GOODBYE and exit 0", stop)


if __name__ == "__main__":
    Scenario("operator", 120).run(body)
