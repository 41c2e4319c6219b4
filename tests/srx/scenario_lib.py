# SPDX-License-Identifier: BSD-2-Clause
"""Shared harness of the bgpsecvd scenario tests (tests/srx/*_test.py, python3 stdlib only).

A Scenario owns a temporary directory (KEEP=1 keeps it), the bgpsecvd it starts and an
overall deadline (SIGALRM ends the process; cleanup still runs). Checks are counted:
`check(WHAT, FUNCTION)` runs one step and counts it as passed, or as failed when it raises
(SrxTestError, AssertionError, OSError, subprocess errors); `summary()` prints the counts and
gives the exit status. Programs come from the environment: BGPSECVD, BGPSEC, BGPSECCTL.

Helpers: keygen / rpki_json / sign (`bgpsec`), start_vd / reload_vd (SIGHUP) / vd_log_tail,
client (an SrxClient bounded by the deadline), verify_results (one VERIFY with receipt: the
receipt, then the requested results), drain (what arrives within a window).
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback

import srx_proxy as srx

# how long the scenarios wait for silence, and for any one expected PDU
SILENCE = float(os.environ.get("SRX_SILENCE", "1.0"))
WAIT = 10.0
# bgpsecvd refuses to run as root unless told to; CI runs the suite as root, developers as
# themselves: the flag only when we are root.
ALLOW_ROOT = ["--allow-root"] if os.geteuid() == 0 else []


class Scenario:
    def __init__(self, name, total_seconds):
        for var in ("BGPSECVD", "BGPSEC"):
            if not os.environ.get(var):
                sys.exit("%s is not set (run by ctest)" % var)
        self.name = name
        self.vd_bin = os.environ["BGPSECVD"]
        self.bgpsec_bin = os.environ["BGPSEC"]
        self.ctl_bin = os.environ.get("BGPSECCTL", "")
        self.work = tempfile.mkdtemp(prefix="srx-%s." % name)
        self.passed = self.failed = 0
        self.started = time.monotonic()
        self.deadline = self.started + total_seconds - 5
        self.vd = None
        self.vd_logfile = os.path.join(self.work, "bgpsecvd.log")
        self.ctl_socket = os.path.join(self.work, "bgpsecvd.sock")
        self.clients = []
        srx.deadline_alarm(total_seconds)

    # --- counting ---------------------------------------------------------------------------------
    def ok(self):
        self.passed += 1

    def bad(self, what):
        self.failed += 1
        print("FAIL: %s" % what, flush=True)

    def check(self, what, fn, *args, **kw):
        """Runs one step; counts it; returns its value (True for None), or None when it failed."""
        try:
            value = fn(*args, **kw)
        except (srx.SrxTestError, AssertionError, OSError, subprocess.SubprocessError, ValueError) as e:
            self.bad("%s: %s" % (what, e or traceback.format_exc(limit=2)))
            return None
        self.ok()
        return True if value is None else value

    def summary(self):
        print("%d passed, %d failed in %d s" % (self.passed, self.failed, time.monotonic() - self.started))
        if self.failed:
            print("--- last lines of the bgpsecvd log ---")
            print(self.vd_log_tail(40))
        return 0 if self.failed == 0 and self.passed > 0 else 1

    def cleanup(self):
        for c in self.clients:
            c.close()
        if self.vd is not None and self.vd.poll() is None:
            self.vd.terminate()
            try:
                self.vd.wait(5)
            except subprocess.TimeoutExpired:
                self.vd.kill()
                self.vd.wait()
        if os.environ.get("KEEP"):
            print("kept %s" % self.work)
        else:
            shutil.rmtree(self.work, ignore_errors=True)

    def run(self, body):
        """Runs BODY(self), then cleanup; exits with the summary's status."""
        status = 1
        try:
            body(self)
            status = self.summary()
        except SystemExit as e:  # the overall deadline, or an early end
            self.bad("ended early (exit %s)" % e)
            self.summary()
            status = 1
        except Exception:  # a broken step outside check(): still a failure with its trace
            self.bad("unexpected error:\n%s" % traceback.format_exc())
            self.summary()
            status = 1
        finally:
            signal.alarm(0)
            self.cleanup()
        sys.exit(status)

    # --- bgpsec tool --------------------------------------------------------------------------------
    def bgpsec(self, *args):
        r = subprocess.run([self.bgpsec_bin, *args], capture_output=True, text=True, timeout=30)
        if r.returncode != 0:
            raise AssertionError("bgpsec %s: exit %d: %s" % (" ".join(args), r.returncode, r.stderr.strip()))
        return r.stdout

    def keygen(self, asn, key_dir):
        self.bgpsec("keygen", "--asn", str(asn), "--out", key_dir)

    def rpki_json(self, key_dir, roas, path):
        """Writes the RPKI JSON (router keys of KEY_DIR, ROAs 'PREFIX[-MAX]=ASN') to PATH in one
        rename, so a reader never sees half a file."""
        args = ["rpki-json", "--key-dir", key_dir]
        for r in roas:
            args += ["--roa", r]
        text = self.bgpsec(*args)
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, path)

    def sign(self, prefix, as_path, target_as, key_dir):
        """The whole BGPsec_PATH attribute (bytes) for PREFIX along AS_PATH, signed to TARGET_AS."""
        import json
        out = self.bgpsec("sign", "--prefix", prefix, "--as-path", " ".join(map(str, as_path)),
                          "--target-as", str(target_as), "--key-dir", key_dir)
        return bytes.fromhex(json.loads(out)["attribute"])

    # --- bgpsecvd -----------------------------------------------------------------------------------
    def start_vd(self, host, port, rpki, key_dir=None, extra=()):
        """Starts bgpsecvd on HOST:PORT and waits until it accepts connections (10 s at most).
        RPKI None: no --rpki (the data comes from a configuration file in EXTRA)."""
        args = [self.vd_bin, "--listen", "%s:%d" % (host, port),
                "--control-socket", self.ctl_socket, "--log-level", "debug"] + ALLOW_ROOT
        if rpki:
            args += ["--rpki", rpki]
        if key_dir:
            args += ["--key-dir", key_dir]
        args += list(extra)
        log = open(self.vd_logfile, "ab")
        self.vd = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        end = time.monotonic() + 10
        while time.monotonic() < end:
            if self.vd.poll() is not None:
                raise AssertionError("bgpsecvd exited with %d: %s" % (self.vd.returncode, self.vd_log_tail(10)))
            try:
                socket.create_connection((host, port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("bgpsecvd does not accept connections on %s:%d" % (host, port))

    def reload_vd(self):
        self.vd.send_signal(signal.SIGHUP)

    def vd_alive(self):
        if self.vd.poll() is not None:
            raise AssertionError("bgpsecvd exited with %d" % self.vd.returncode)

    def vd_log_tail(self, n):
        try:
            with open(self.vd_logfile, errors="replace") as f:
                return "".join(f.readlines()[-n:])
        except OSError:
            return "(no log)"

    def ctl(self, *args):
        """bgpsecctl's answer (text), for failure messages."""
        if not self.ctl_bin:
            return "(BGPSECCTL not set)"
        r = subprocess.run([self.ctl_bin, "-s", self.ctl_socket, *args], capture_output=True, text=True,
                           timeout=10)
        return (r.stdout + r.stderr).strip()

    def client(self, host, port, name):
        c = srx.SrxClient(host, port, timeout=WAIT, deadline=self.deadline, name=name)
        self.clients.append(c)
        return c


def verify_results(c, pdu, strict=True):
    """Sends the VERIFY bytes PDU (with the receipt flag and a non-zero token) and returns
    (update ID, {"origin": value, "path": value}) for the requested types. Checks: the first
    PDU is the receipt (bit 0x80 plus exactly the requested bits, the token echoed, the update
    ID NIST's function gives for the request); then notifications (no 0x80, token 0, the same
    ID, only requested bits) until every requested type has a result. With strict=False (an
    update the server already knows), a receipt value other than UNDEFINED counts as the
    result; the requests use the default UNDEFINED, so a receipt never echoes a real value."""
    req = srx.decode(pdu)
    assert req.flags & srx.F_RECEIPT and req.token
    wanted = req.flags & (srx.F_ORIGIN | srx.F_PATH | srx.F_ASPA)
    expect_id = srx.request_update_id(pdu)
    c.send(pdu)
    r = c.expect(srx.VERIFY_NOTIFICATION)
    if r.result_type != srx.F_RECEIPT | wanted or r.token != req.token or r.update_id != expect_id:
        raise srx.SrxTestError("%s: expected the receipt %02x token %d ID %08X, got %s (%s)" % (
            c.name, srx.F_RECEIPT | wanted, req.token, expect_id, r, r.raw.hex()))
    values = {}
    pending = wanted
    if not strict:
        for bit, key, v in ((srx.F_ORIGIN, "origin", r.roa), (srx.F_PATH, "path", r.bgpsec)):
            if pending & bit and v != srx.UNDEFINED:
                values[key] = v
                pending &= ~bit
    while pending & (srx.F_ORIGIN | srx.F_PATH):
        n = c.expect(srx.VERIFY_NOTIFICATION)
        if n.result_type & srx.F_RECEIPT or n.token != 0 or n.update_id != expect_id \
                or n.result_type & ~wanted or not n.result_type:
            raise srx.SrxTestError("%s: expected a notification for %08X with bits of %02x, got %s (%s)" % (
                c.name, expect_id, wanted, n, n.raw.hex()))
        if n.result_type & srx.F_ORIGIN:
            values["origin"] = n.roa
        if n.result_type & srx.F_PATH:
            values["path"] = n.bgpsec
        pending &= ~n.result_type
    return expect_id, values


def drain(c, window=None):
    """Every PDU that arrives within WINDOW seconds (until a quiet WINDOW)."""
    got = []
    while True:
        p = c.recv(window or SILENCE)
        if p is None:
            return got
        got.append(p)


def describe(pdus):
    return "[%s]" % ", ".join("%s %s" % (p.name, p.raw.hex()) for p in pdus)
