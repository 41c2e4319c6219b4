#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Both daemons under a stand-in for systemd's Type=notify: a datagram socket named by
NOTIFY_SOCKET, WATCHDOG_USEC set. Each must say READY=1 once it listens (its control socket
answers by then), send WATCHDOG=1 keep-alives, RELOADING=1 then READY=1 on SIGHUP, and
STOPPING=1 on SIGTERM, then exit 0. bgpsecd on 127.0.42.1 port 17967, bgpsecvd on 127.0.42.2
port 17968 (127.0.42.1-2 and these ports belong to this test). Run by ctest with BGPSECD,
BGPSECVD and BGPSECCTL set.
"""
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

failures = []


def check(what, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + what + ("" if ok else ": " + detail))
    if not ok:
        failures.append(what)


def messages(sock, until, seconds=5.0):
    """Datagrams until one starts with `until` (returned last), or the time is up."""
    got = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        sock.settimeout(max(0.05, end - time.monotonic()))
        try:
            text = sock.recv(4096).decode()
        except socket.timeout:
            break
        got.append(text)
        if text.startswith(until):
            break
    return got


# The daemons refuse to run as root unless told to: the flag only when we are root (CI).
ALLOW_ROOT = ["--allow-root"] if os.geteuid() == 0 else []


def run(name, argv, ctl_socket, work):
    path = os.path.join(work, name + ".notify")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    env = dict(os.environ, NOTIFY_SOCKET=path, WATCHDOG_USEC="400000")
    log = open(os.path.join(work, name + ".log"), "w")
    proc = subprocess.Popen(argv + ALLOW_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        got = messages(sock, "READY=1", 10)
        check(name + ": READY=1 at start", bool(got) and got[-1].startswith("READY=1\nSTATUS="),
              repr(got))
        answer = subprocess.run([os.environ["BGPSECCTL"], "-s", ctl_socket, "--json", "show",
                                 "neighbors" if name == "bgpsecd" else "server"],
                                capture_output=True, text=True)
        check(name + ": the control socket answers once READY=1 is sent", answer.returncode == 0,
              answer.stderr)
        got = messages(sock, "WATCHDOG=1", 2)
        check(name + ": WATCHDOG=1 within half of WATCHDOG_USEC",
              bool(got) and got[-1] == "WATCHDOG=1", repr(got))
        proc.send_signal(signal.SIGHUP)
        got = [m for m in messages(sock, "READY=1", 5) if m != "WATCHDOG=1"]
        check(name + ": SIGHUP gives RELOADING=1, then READY=1",
              len(got) == 2 and got[0].startswith("RELOADING=1\nMONOTONIC_USEC=")
              and got[1].startswith("READY=1"), repr(got))
        proc.send_signal(signal.SIGTERM)
        got = [m for m in messages(sock, "STOPPING=1", 5) if m != "WATCHDOG=1"]
        check(name + ": SIGTERM gives STOPPING=1", got == ["STOPPING=1"], repr(got))
        check(name + ": exit 0 after SIGTERM", proc.wait(10) == 0)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        sock.close()


def main():
    with tempfile.TemporaryDirectory() as work:
        conf = os.path.join(work, "bgpsecd.toml")
        ctl_d = os.path.join(work, "d.sock")
        with open(conf, "w") as f:
            f.write('[global]\nasn = 65420\nrouter_id = "127.0.42.1"\nlisten = ["127.0.42.1:17967"]\n'
                    '\n[control]\nsocket = "%s"\n\n[metrics]\nlisten = ""\n' % ctl_d)
        run("bgpsecd", [os.environ["BGPSECD"], "-c", conf], ctl_d, work)
        rpki = os.path.join(work, "rpki.json")
        with open(rpki, "w") as f:
            json.dump({"roas": [], "bgpsec_keys": []}, f)
        ctl_v = os.path.join(work, "v.sock")
        run("bgpsecvd", [os.environ["BGPSECVD"], "--listen", "127.0.42.2:17968", "--rpki", rpki,
                         "--control-socket", ctl_v], ctl_v, work)
    print("%d failed" % len(failures))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
