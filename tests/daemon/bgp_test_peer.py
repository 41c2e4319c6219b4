#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""A scripted BGP-4 test peer (python3 standard library only).

Two subcommands:

  bgp_test_peer.py session --asn AS --router-id ID (--connect ADDR:PORT [--bind ADDR] |
                           --listen ADDR:PORT) [--updates FILE [--follow]] [--hold-time S]
                           [--timeout S] [--families ipv4,ipv6] [--no-bgpsec]
                           [--graceful-restart TIME [--gr-forwarding ipv4,ipv6]]
                           [--route-refresh] [--enhanced-route-refresh]
      Opens one BGP session over TCP (connecting out, retried until it succeeds, or accepting
      one connection). Our OPEN: 4-octet AS (capability 65; AS_TRANS in My AS above 65535),
      multiprotocol unicast (1) per family, BGPsec (7) send and receive per family (value
      0x08 AFI / 0x00 AFI, RFC 8205 §2; left out with --no-bgpsec), extended messages (6),
      with --graceful-restart graceful restart (64: Restart State set, every family, the F bit
      for those of --gr-forwarding), with --route-refresh route refresh (2, RFC 2918), with
      --enhanced-route-refresh route refresh and Enhanced Route Refresh (70, RFC 7313).
      After the KEEPALIVE exchange it sends KEEPALIVEs every hold/3 s and, from FILE, one BGP
      message per line (see below); with --follow it keeps reading lines appended to FILE
      later (only complete lines, ending in a newline). It exits by itself after --timeout
      seconds (default 60), or when FILE says `quit`, or when the session ends.

  bgp_test_peer.py update [--origin igp|egp|incomplete|none] [--as-path "A B C"]
                          [--next-hop ADDR] [--mp PREFIX]... [--nlri PREFIX]...
                          [--withdraw PREFIX]... [--mp-withdraw PREFIX]... [--attr HEX]...
      Prints one whole UPDATE message as hex, ready to be a line of FILE. Attributes in this
      order: ORIGIN (default igp), AS_PATH (only with --as-path; one AS_SEQUENCE of 4-octet
      ASNs, "" = empty), NEXT_HOP (only with --nlri, = --next-hop), MP_REACH_NLRI (only with
      --mp; next hop = --next-hop; all --mp prefixes of one family), MP_UNREACH_NLRI (with
      --mp-withdraw), then every --attr verbatim (a whole attribute: flags, type, length,
      value, e.g. the BGPsec_PATH printed by `bgpsec sign`). --nlri / --withdraw are the
      classic IPv4 fields.

  bgp_test_peer.py refresh [--afi ipv4|ipv6] [--subtype request|borr|eorr|NUMBER]
                           [--extra HEX]
      Prints one ROUTE-REFRESH message (RFC 2918 §3) as hex: AFI, Message Subtype (RFC 7313
      §3.2: 0 request, 1 BoRR, 2 EoRR), SAFI unicast; --extra HEX is appended to the body
      (a message of the wrong length, RFC 7313 §5).

FILE lines: the hex of one whole BGP message (marker, length, type, body; sent as is, so it
may be malformed on purpose; spaces are ignored), `quit` (send NOTIFICATION Cease /
Administrative Shutdown and exit), blank or `#` comment (skipped).

stdout: one JSON object per line, flushed at once, with "event" one of
  connected {local, remote}; open {asn, hold_time, router_id, capabilities [{code, value}]};
  established; update {hex}; route-refresh {hex, afi, subtype}; notification {code, subcode,
  data};
  sent {line, type, length}; closed {reason}; timeout; error {what}.

Exit status: 0 when the session was Established and stayed up until --timeout or `quit`;
1 when it never came up or went down (NOTIFICATION, closed, bad message); 2 for usage errors.
"""

import argparse
import ipaddress
import json
import os
import select
import socket
import struct
import sys
import time

MARKER = b"\xff" * 16
OPEN, UPDATE, NOTIFICATION, KEEPALIVE, ROUTE_REFRESH = 1, 2, 3, 4, 5
AS_TRANS = 23456
AFI = {"ipv4": 1, "ipv6": 2}


def emit(event, **fields):
    fields = {"event": event, **fields}
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def message(msg_type, body=b""):
    return MARKER + struct.pack("!HB", 19 + len(body), msg_type) + body


# ----- UPDATE builder --------------------------------------------------------------------------

def attribute(flags, type_code, value):
    if len(value) > 255:
        return struct.pack("!BBH", flags | 0x10, type_code, len(value)) + value
    return struct.pack("!BBB", flags & ~0x10, type_code, len(value)) + value


def encode_prefix(text):
    net = ipaddress.ip_network(text, strict=True)
    nbytes = (net.prefixlen + 7) // 8
    return bytes([net.prefixlen]) + net.network_address.packed[:nbytes]


def decode_prefixes(field):
    """The IPv4 prefixes of an UPDATE's Withdrawn Routes or NLRI field (RFC 4271 §4.3)."""
    out, i = [], 0
    while i < len(field):
        bits = field[i]
        octets = (bits + 7) // 8
        address = field[i + 1:i + 1 + octets] + bytes(4 - octets)
        out.append(str(ipaddress.ip_network((address, bits), strict=False)))
        i += 1 + octets
    return out


def split_update(msg):
    """(withdrawn routes, path attributes, NLRI) of a whole UPDATE message (RFC 4271 §4.3)."""
    body = msg[19:]
    (withdrawn_len,) = struct.unpack("!H", body[:2])
    (attrs_len,) = struct.unpack("!H", body[2 + withdrawn_len:4 + withdrawn_len])
    attrs_end = 4 + withdrawn_len + attrs_len
    return body[2:2 + withdrawn_len], body[4 + withdrawn_len:attrs_end], body[attrs_end:]


def path_attributes(field):
    """(flags, type code, value) of each attribute in a Path Attributes field (RFC 4271 §4.3)."""
    i = 0
    while i < len(field):
        flags, type_code = field[i], field[i + 1]
        if flags & 0x10:  # Extended Length
            (length,) = struct.unpack("!H", field[i + 2:i + 4])
            i += 4
        else:
            length = field[i + 2]
            i += 3
        yield flags, type_code, field[i:i + length]
        i += length


def family_of(prefixes):
    versions = {ipaddress.ip_network(p).version for p in prefixes}
    if len(versions) != 1:
        raise ValueError("prefixes of one family only: %s" % " ".join(prefixes))
    return 1 if versions == {4} else 2


def build_update(args):
    attrs = b""
    origins = {"igp": 0, "egp": 1, "incomplete": 2}
    if args.origin != "none":
        attrs += attribute(0x40, 1, bytes([origins[args.origin]]))
    if args.as_path is not None:
        asns = [int(a) for a in args.as_path.split()]
        value = b"" if not asns else bytes([2, len(asns)]) + b"".join(
            struct.pack("!I", a) for a in asns)
        attrs += attribute(0x40, 2, value)
    if args.nlri:
        if args.next_hop is None or ipaddress.ip_address(args.next_hop).version != 4:
            raise ValueError("--nlri needs an IPv4 --next-hop")
        attrs += attribute(0x40, 3, ipaddress.ip_address(args.next_hop).packed)
    if args.mp:
        if args.next_hop is None:
            raise ValueError("--mp needs --next-hop")
        nh = ipaddress.ip_address(args.next_hop).packed
        value = struct.pack("!HB", family_of(args.mp), 1) + bytes([len(nh)]) + nh + b"\x00"
        value += b"".join(encode_prefix(p) for p in args.mp)
        attrs += attribute(0x80, 14, value)
    if args.mp_withdraw:
        value = struct.pack("!HB", family_of(args.mp_withdraw), 1)
        value += b"".join(encode_prefix(p) for p in args.mp_withdraw)
        attrs += attribute(0x80, 15, value)
    for h in args.attr:
        attrs += bytes.fromhex(h)
    withdrawn = b"".join(encode_prefix(p) for p in args.withdraw)
    nlri = b"".join(encode_prefix(p) for p in args.nlri)
    body = struct.pack("!H", len(withdrawn)) + withdrawn + struct.pack("!H", len(attrs)) + attrs
    return message(UPDATE, body + nlri)


SUBTYPES = {"request": 0, "borr": 1, "eorr": 2}


def build_refresh(args):
    subtype = SUBTYPES[args.subtype] if args.subtype in SUBTYPES else int(args.subtype)
    body = struct.pack("!HBB", AFI[args.afi], subtype, 1) + bytes.fromhex(args.extra)
    return message(ROUTE_REFRESH, body)


# ----- session ---------------------------------------------------------------------------------

def build_open(args):
    caps = b""
    for fam in args.families:
        caps += struct.pack("!BBHBB", 1, 4, AFI[fam], 0, 1)           # multiprotocol unicast
    caps += struct.pack("!BBI", 65, 4, args.asn)                       # 4-octet AS
    if not args.no_bgpsec:
        for fam in args.families:
            caps += struct.pack("!BBBH", 7, 3, 0x08, AFI[fam])         # BGPsec send
            caps += struct.pack("!BBBH", 7, 3, 0x00, AFI[fam])         # BGPsec receive
    caps += struct.pack("!BB", 6, 0)                                   # extended messages
    if args.route_refresh or args.enhanced_route_refresh:
        caps += struct.pack("!BB", 2, 0)                               # route refresh
    if args.enhanced_route_refresh:
        caps += struct.pack("!BB", 70, 0)                              # enhanced route refresh
    if args.graceful_restart is not None:                              # RFC 4724 §3
        value = struct.pack("!H", 0x8000 | (args.graceful_restart & 0x0FFF))  # R bit, time
        for fam in args.families:
            forwarding = 0x80 if fam in args.gr_forwarding else 0x00
            value += struct.pack("!HBB", AFI[fam], 1, forwarding)
        caps += struct.pack("!BB", 64, len(value)) + value
    params = struct.pack("!BB", 2, len(caps)) + caps
    my_as = args.asn if args.asn <= 0xFFFF else AS_TRANS
    body = struct.pack("!BHH", 4, my_as, args.hold_time)
    body += ipaddress.IPv4Address(args.router_id).packed + bytes([len(params)]) + params
    return message(OPEN, body)


def parse_open(body):
    version, asn, hold, rid, plen = struct.unpack("!BHH4sB", body[:10])
    caps = []
    params = body[10:10 + plen]
    i = 0
    while i + 2 <= len(params):
        ptype, pl = params[i], params[i + 1]
        value = params[i + 2:i + 2 + pl]
        i += 2 + pl
        j = 0
        while ptype == 2 and j + 2 <= len(value):
            code, cl = value[j], value[j + 1]
            cap = value[j + 2:j + 2 + cl]
            caps.append({"code": code, "value": cap.hex()})
            if code == 65 and cl == 4:
                asn = struct.unpack("!I", cap)[0]
            j += 2 + cl
    return {"asn": asn, "hold_time": hold, "router_id": socket.inet_ntoa(rid),
            "capabilities": caps, "version": version}


def endpoint(text):
    host, _, port = text.rpartition(":")
    return host.strip("[]"), int(port)


def open_socket(args, deadline):
    if args.listen:
        host, port = endpoint(args.listen)
        srv = socket.create_server((host, port), reuse_port=False)
        srv.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            sock, _ = srv.accept()
        finally:
            srv.close()
        return sock
    host, port = endpoint(args.connect)
    while True:
        try:
            return socket.create_connection(
                (host, port), timeout=2,
                source_address=(args.bind, 0) if args.bind else None)
        except OSError:
            if time.monotonic() + 0.5 >= deadline:
                raise
            time.sleep(0.5)


class Session:
    def __init__(self, args):
        self.args = args
        self.deadline = time.monotonic() + args.timeout
        self.established = False
        self.hold = args.hold_time
        self.next_keepalive = None
        self.buf = b""
        self.file_pos = 0
        self.line_no = 0
        self.pending = b""
        self.max_len = 4096

    def run(self):
        try:
            self.sock = open_socket(self.args, self.deadline)
        except OSError as e:
            emit("error", what="no connection: %s" % e)
            return 1
        self.sock.setblocking(False)
        emit("connected", local="%s:%d" % self.sock.getsockname()[:2],
             remote="%s:%d" % self.sock.getpeername()[:2])
        self.send(build_open(self.args))
        try:
            return self.loop()
        finally:
            self.sock.close()

    def send(self, data):
        self.sock.setblocking(True)
        try:
            self.sock.sendall(data)
        finally:
            self.sock.setblocking(False)

    def loop(self):
        while True:
            now = time.monotonic()
            if now >= self.deadline:
                emit("timeout")
                return 0 if self.established else 1
            if self.established and self.next_keepalive is not None and now >= self.next_keepalive:
                self.send(message(KEEPALIVE))
                self.next_keepalive = now + self.hold / 3
            if self.established:
                status = self.send_file_lines()
                if status is not None:
                    return status
            ready, _, _ = select.select([self.sock], [], [], 0.1)
            if not ready:
                continue
            try:
                data = self.sock.recv(65536)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError as e:
                emit("closed", reason=str(e))
                return 1
            if not data:
                emit("closed", reason="connection closed by the other side")
                return 1
            self.buf += data
            status = self.read_messages()
            if status is not None:
                return status

    def read_messages(self):
        while len(self.buf) >= 19:
            if self.buf[:16] != MARKER:
                emit("error", what="bad marker")
                return 1
            length, msg_type = struct.unpack("!HB", self.buf[16:19])
            if length < 19 or length > self.max_len:
                emit("error", what="bad message length %d" % length)
                return 1
            if len(self.buf) < length:
                return None
            msg, self.buf = self.buf[:length], self.buf[length:]
            body = msg[19:]
            if msg_type == OPEN:
                info = parse_open(body)
                emit("open", **info)
                self.hold = min(self.args.hold_time, info["hold_time"])
                if any(c["code"] == 6 for c in info["capabilities"]):
                    self.max_len = 65535
                self.send(message(KEEPALIVE))
            elif msg_type == KEEPALIVE:
                if not self.established:
                    self.established = True
                    emit("established")
                    if self.hold > 0:
                        self.next_keepalive = time.monotonic() + self.hold / 3
            elif msg_type == UPDATE:
                emit("update", hex=msg.hex())
            elif msg_type == NOTIFICATION:
                emit("notification", code=body[0] if body else None,
                     subcode=body[1] if len(body) > 1 else None, data=body[2:].hex())
                return 1
            elif msg_type == ROUTE_REFRESH:
                afi, subtype = struct.unpack("!HB", body[:3]) if len(body) >= 3 else (None, None)
                emit("route-refresh", hex=msg.hex(), afi=afi, subtype=subtype)
            else:
                emit("error", what="unknown message type %d" % msg_type)
        return None

    def send_file_lines(self):
        if not self.args.updates:
            return None
        try:
            with open(self.args.updates, "rb") as f:
                f.seek(self.file_pos)
                chunk = f.read()
        except FileNotFoundError:
            return None
        # Following, only complete lines are taken (the rest may still be being written).
        end = chunk.rfind(b"\n") + 1 if self.args.follow else len(chunk)
        self.file_pos += end
        for raw in chunk[:end].splitlines():
            self.line_no += 1
            line = raw.decode(errors="replace").strip()
            if not line or line.startswith("#"):
                continue
            if line == "quit":
                self.send(message(NOTIFICATION, bytes([6, 2])))
                emit("closed", reason="quit")
                return 0
            try:
                data = bytes.fromhex(line.replace(" ", ""))
            except ValueError:
                emit("error", what="line %d is not hex" % self.line_no)
                continue
            self.send(data)
            emit("sent", line=self.line_no, type=data[18] if len(data) > 18 else None,
                 length=len(data))
        if not self.args.follow:
            self.args.updates = None  # the file was sent once; keep the session until timeout
        return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("session", help="run one BGP session")
    s.add_argument("--asn", type=int, required=True)
    s.add_argument("--router-id", required=True)
    where = s.add_mutually_exclusive_group(required=True)
    where.add_argument("--connect", help="ADDR:PORT to connect to")
    where.add_argument("--listen", help="ADDR:PORT to accept one connection on")
    s.add_argument("--bind", help="local address when connecting")
    s.add_argument("--updates", help="file of hex lines, one BGP message each")
    s.add_argument("--follow", action="store_true", help="keep reading lines appended to --updates")
    s.add_argument("--hold-time", type=int, default=30)
    s.add_argument("--timeout", type=float, default=60)
    s.add_argument("--families", default="ipv4,ipv6")
    s.add_argument("--no-bgpsec", action="store_true")
    s.add_argument("--graceful-restart", type=int, metavar="TIME",
                   help="send the graceful-restart capability (R bit set, Restart Time TIME) "
                        "listing every family")
    s.add_argument("--gr-forwarding", default="",
                   help="families (of --families) listed with the F bit set")
    s.add_argument("--route-refresh", action="store_true",
                   help="send the route refresh capability (2)")
    s.add_argument("--enhanced-route-refresh", action="store_true",
                   help="send route refresh (2) and enhanced route refresh (70)")
    r = sub.add_parser("refresh", help="print one ROUTE-REFRESH message as hex")
    r.add_argument("--afi", default="ipv4", choices=sorted(AFI))
    r.add_argument("--subtype", default="request")
    r.add_argument("--extra", default="")
    u = sub.add_parser("update", help="print one UPDATE message as hex")
    u.add_argument("--origin", default="igp", choices=["igp", "egp", "incomplete", "none"])
    u.add_argument("--as-path")
    u.add_argument("--next-hop")
    u.add_argument("--mp", action="append", default=[])
    u.add_argument("--nlri", action="append", default=[])
    u.add_argument("--withdraw", action="append", default=[])
    u.add_argument("--mp-withdraw", action="append", default=[])
    u.add_argument("--attr", action="append", default=[])
    args = parser.parse_args()
    try:
        if args.command == "update":
            print(build_update(args).hex())
            return 0
        if args.command == "refresh":
            print(build_refresh(args).hex())
            return 0
        args.families = [f for f in args.families.split(",") if f]
        if any(f not in AFI for f in args.families):
            raise ValueError("--families: ipv4, ipv6")
        args.gr_forwarding = [f for f in args.gr_forwarding.split(",") if f]
        if any(f not in args.families for f in args.gr_forwarding):
            raise ValueError("--gr-forwarding: families of --families")
        if args.hold_time != 0 and args.hold_time < 3:
            raise ValueError("--hold-time: 0 or at least 3")
    except ValueError as e:
        print("bgp_test_peer.py: %s" % e, file=sys.stderr)
        return 2
    return Session(args).run()


if __name__ == "__main__":
    sys.exit(main())
