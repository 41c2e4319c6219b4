#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""The proxy side of the SRx proxy protocol, version 3 (python3 standard library only).

A second implementation of the protocol, written from the protocol description (not from
src/srx), used to test bgpsecvd from the router's side: the PDU encoders and decoder, NIST's
update identifier, and a blocking client with timeouts.

Importable API (see the functions' docstrings):
  encoders   hello() hello_response() goodbye() verify_v4() verify_v6() sign_request()
             verify_notification() sign_notification() delete_update() peer_change()
             sync_request() error() raw_pdu()
  decoder    decode(bytes) -> Pdu (fields as attributes), raises DecodeError(code)
  update ID  update_id(origin_as, address, prefix_len, blob), update_id_text(...),
             request_update_id(verify_pdu_bytes)
  client     SrxClient(host, port): connect(), hello(), send(), expect(), expect_silence(),
             read_until_close(), close(); every wait has a timeout and SrxClient.deadline
             (an absolute time.monotonic() value) caps all of them.

Command line (every command ends by itself: --deadline seconds, default 30):
  srx_proxy.py decode HEX                 one PDU as JSON
  srx_proxy.py id HEX                     the update ID of a VERIFY PDU (8 hex digits)
  srx_proxy.py update-id --origin AS --prefix ADDR/LEN [--as-path "A B"] [--attr HEX]
  srx_proxy.py encode 'EXPR'              the hex of EXPR, a call of this module's encoders,
                                          e.g. 'verify_v4("10.0.0.0/24", 65100, token=5)'
  srx_proxy.py session --connect HOST:PORT [--deadline S] < SCRIPT
      SCRIPT lines: `send HEX` (one or more PDUs, spaces ignored), `recv [SECONDS]` (print the
      next PDU as JSON; fails on timeout or close), `silence SECONDS` (fails if a PDU arrives),
      `closed [SECONDS]` (print what arrives until the server closes; fails if it does not),
      blank lines and `#` comments. Output: one JSON object per line. Exit 0 when every line
      succeeded, 1 otherwise.
"""

import argparse
import ipaddress
import json
import select
import signal
import socket
import struct
import sys
import time
import zlib

# --- registries ---------------------------------------------------------------------------------
VERSION = 3
HELLO, HELLO_RESPONSE, GOODBYE, VERIFY_V4, VERIFY_V6, SIGN_REQUEST = 0, 1, 2, 3, 4, 5
VERIFY_NOTIFICATION, SIGN_NOTIFICATION, DELETE_UPDATE, PEER_CHANGE = 6, 7, 8, 9
SYNC_REQUEST, ERROR = 10, 11
NAMES = {
    HELLO: "HELLO", HELLO_RESPONSE: "HELLO_RESPONSE", GOODBYE: "GOODBYE",
    VERIFY_V4: "VERIFY_V4_REQUEST", VERIFY_V6: "VERIFY_V6_REQUEST",
    SIGN_REQUEST: "SIGN_REQUEST", VERIFY_NOTIFICATION: "VERIFY_NOTIFICATION",
    SIGN_NOTIFICATION: "SIGN_NOTIFICATION", DELETE_UPDATE: "DELETE_UPDATE",
    PEER_CHANGE: "PEER_CHANGE", SYNC_REQUEST: "SYNC_REQUEST", ERROR: "ERROR",
}

# VERIFY flags and VERIFY_NOTIFICATION result-type bits
F_ORIGIN, F_PATH, F_ASPA, F_RECEIPT = 0x01, 0x02, 0x04, 0x80
# result values (one numbering for origin, path and ASPA)
VALID, NOTFOUND, INVALID, UNDEFINED, DONOTUSE, UNKNOWN, UNVERIFIABLE = 0, 1, 2, 3, 4, 5, 6
# result sources
SRC_SRX, SRC_ROUTER, SRC_IGP, SRC_UNKNOWN = 0, 1, 2, 3
# ERROR codes
E_WRONG_VERSION, E_DUPLICATE_PROXY_ID, E_INVALID_PACKET = 0, 1, 2
E_INTERNAL_ERROR, E_ALGO_NOT_SUPPORTED, E_UPDATE_NOT_FOUND = 3, 4, 5

HEADER = 12
VERIFY_V4_FIXED = 60
VERIFY_V6_FIXED = 72
NOTIFICATION_LENGTH = 20
# the largest PDU a proxy can build: a VERIFY_V6 with 65535 ASNs and a 65535-byte attribute
MAX_PDU = VERIFY_V6_FIXED + 4 * 0xFFFF + 0xFFFF
# lengths of the fixed-size PDUs
FIXED_LENGTH = {
    HELLO_RESPONSE: 16, GOODBYE: 12, SIGN_REQUEST: 24, VERIFY_NOTIFICATION: 20,
    DELETE_UPDATE: 16, PEER_CHANGE: 16, SYNC_REQUEST: 12, ERROR: 12,
}


# --- encoders -----------------------------------------------------------------------------------
def raw_pdu(pdu_type, b1_3=b"\0\0\0", b4_7=b"\0\0\0\0", body=b"", length=None):
    """Any PDU: the 12-byte header (LENGTH defaults to the real one) and BODY."""
    assert len(b1_3) == 3 and len(b4_7) == 4
    if length is None:
        length = HEADER + len(body)
    return bytes([pdu_type]) + b1_3 + b4_7 + struct.pack(">I", length) + body


def hello(proxy_id, asn, peers=None, version=VERSION):
    """HELLO. Without PEERS it is QuaggaSRx's 20-byte HELLO (no noPeers field at all); with a
    list it carries noPeers and every peer ASN (24 + 4n bytes)."""
    body = struct.pack(">II", proxy_id, asn)
    if peers is not None:
        body += struct.pack(">I", len(peers)) + b"".join(struct.pack(">I", p) for p in peers)
    return raw_pdu(HELLO, struct.pack(">HB", version, 0), body=body)


def hello_response(proxy_id, version=VERSION):
    return raw_pdu(HELLO_RESPONSE, struct.pack(">HB", version, 0), body=struct.pack(">I", proxy_id))


def goodbye(keep_window=900):
    return raw_pdu(GOODBYE, struct.pack(">HB", keep_window, 0))


def _address(prefix):
    """'ADDR/LEN' (host bits kept as given) -> (ipaddress address, length)."""
    addr, _, length = prefix.partition("/")
    return ipaddress.ip_address(addr), int(length)


def _verify(pdu_type, prefix, origin_as, as_path=(), attr=b"", flags=F_ORIGIN | F_RECEIPT,
            token=0, defaults=(UNDEFINED, UNDEFINED, UNDEFINED), sources=(1, 1, 1),
            as_type=2, as_rel=0, afi=None, safi=1, sca_len=0, sca_addr=b"\0" * 16,
            local_as=0, shifted=False, bgpsec_length=None, num_hops=None, attr_len=None,
            length=None):
    addr, plen = _address(prefix)
    v6 = pdu_type == VERIFY_V6
    assert addr.version == (6 if v6 else 4), "prefix family does not match the PDU type"
    if afi is None:
        afi = 2 if v6 else 1
    path = b"".join(struct.pack(">I", a) for a in as_path)
    data = path + bytes(attr)
    if num_hops is None:
        num_hops = len(as_path)
    if attr_len is None:
        attr_len = len(attr)
    if bgpsec_length is None:
        bgpsec_length = len(data)
    fixed = VERIFY_V6_FIXED if v6 else VERIFY_V4_FIXED
    if shifted:
        # libSRxProxy's IPv6 request: ASPA fields, asType, asRelType, AFI, SAFI and local AS
        # left 0, the path data written at offset 60 (over SCA address bytes 8-15 and local
        # AS), the last 12 bytes of the PDU zero
        assert v6
        sources = (sources[0], sources[1], 0)
        defaults = (defaults[0], defaults[1], 0)
        as_type = as_rel = afi = safi = sca_len = local_as = 0
        sca_addr = b"\0" * 16
    b1_3 = bytes([flags, sources[0], sources[1]])
    b4_7 = bytes([sources[2], 0, as_type, as_rel])
    body = bytes([defaults[0], defaults[1], defaults[2], plen]) + struct.pack(">I", token)
    body += addr.packed + struct.pack(">IIHH", origin_as, bgpsec_length, num_hops, attr_len)
    body += struct.pack(">HBB", afi, safi, sca_len) + bytes(sca_addr)
    if shifted:
        body = body[: VERIFY_V4_FIXED - HEADER] + data + b"\0" * 12
    else:
        body += struct.pack(">I", local_as) + data
    if length is None:
        length = fixed + len(data)
    return raw_pdu(pdu_type, b1_3, b4_7, body, length)


def verify_v4(prefix, origin_as, **kw):
    """VERIFY_V4_REQUEST for PREFIX ('ADDR/LEN') and ORIGIN_AS. Keywords: as_path (ASNs, AS_PATH
    order, origin last), attr (the whole BGPsec_PATH attribute, header included), flags
    (default origin + receipt), token, defaults (origin, path, ASPA), sources, as_type, as_rel,
    afi/safi/sca_len/sca_addr (the SCA prefix), local_as; for malformed requests bgpsec_length,
    num_hops, attr_len and length override the computed values."""
    return _verify(VERIFY_V4, prefix, origin_as, **kw)


def verify_v6(prefix, origin_as, **kw):
    """VERIFY_V6_REQUEST; as verify_v4, plus shifted=True for libSRxProxy's layout (path data at
    offset 60 and 12 zero bytes at the end)."""
    return _verify(VERIFY_V6, prefix, origin_as, **kw)


def sign_request(update_id_, algorithm=1, block_type=0, prepend_counter=1, peer_as=0):
    return raw_pdu(SIGN_REQUEST, struct.pack(">HB", algorithm, block_type),
                   body=struct.pack(">III", update_id_, prepend_counter, peer_as))


def verify_notification(result_type, roa, bgpsec, aspa, token, update_id_):
    return raw_pdu(VERIFY_NOTIFICATION, bytes([result_type, roa, bgpsec]), bytes([aspa, 0, 0, 0]),
                   struct.pack(">II", token, update_id_))


def sign_notification(update_id_, data):
    return raw_pdu(SIGN_NOTIFICATION, body=struct.pack(">II", update_id_, len(data)) + bytes(data))


def delete_update(update_id_, keep_window=900):
    return raw_pdu(DELETE_UPDATE, struct.pack(">HB", keep_window, 0), body=struct.pack(">I", update_id_))


def peer_change(peer_as, change_type=1):
    return raw_pdu(PEER_CHANGE, bytes([0, 0, change_type]), body=struct.pack(">I", peer_as))


def sync_request():
    return raw_pdu(SYNC_REQUEST)


def error(code):
    return raw_pdu(ERROR, struct.pack(">HB", code, 0))


# --- decoder ------------------------------------------------------------------------------------
class DecodeError(Exception):
    """A PDU the decoder refuses; CODE is the ERROR code a server answers with (0 or 2)."""

    def __init__(self, code, text):
        super().__init__("ERROR %d: %s" % (code, text))
        self.code = code


class Pdu:
    """A decoded PDU: `type`, `name`, `length`, `raw` and the type's fields as attributes."""

    def __init__(self, raw, **fields):
        self.raw = bytes(raw)
        self.type = raw[0]
        self.name = NAMES.get(raw[0], "TYPE_%d" % raw[0])
        self.length = len(raw)
        self.__dict__.update(fields)

    def fields(self):
        out = {}
        for k, v in self.__dict__.items():
            if k == "raw":
                continue
            if isinstance(v, (bytes, bytearray)):
                v = v.hex()
            elif isinstance(v, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
                v = str(v)
            out[k] = v
        return out

    def __repr__(self):
        return "%s %s" % (self.name, json.dumps({k: v for k, v in self.fields().items() if k not in ("name",)}))


def _u16(b, o):
    return struct.unpack_from(">H", b, o)[0]


def _u32(b, o):
    return struct.unpack_from(">I", b, o)[0]


def _decode_verify(b):
    v6 = b[0] == VERIFY_V6
    fixed = VERIFY_V6_FIXED if v6 else VERIFY_V4_FIXED
    if len(b) < fixed:
        raise DecodeError(E_INVALID_PACKET, "VERIFY shorter than its fixed part")
    alen = 16 if v6 else 4
    o = 20 + alen
    f = dict(flags=b[1], roa_src=b[2], bgpsec_src=b[3], aspa_src=b[4], as_type=b[6], as_rel=b[7],
             roa_def=b[12], bgpsec_def=b[13], aspa_def=b[14], prefix_len=b[15], token=_u32(b, 16),
             prefix_bytes=bytes(b[20:o]), origin_as=_u32(b, o), bgpsec_length=_u32(b, o + 4),
             num_hops=_u16(b, o + 8), attr_len=_u16(b, o + 10), afi=_u16(b, o + 12), safi=b[o + 14],
             sca_len=b[o + 15], sca_addr=bytes(b[o + 16:o + 32]), local_as=_u32(b, o + 32))
    f["prefix"] = ipaddress.ip_address(f["prefix_bytes"])
    if f["prefix_len"] > 8 * alen:
        raise DecodeError(E_INVALID_PACKET, "prefix length %d beyond the family" % f["prefix_len"])
    data_len = 4 * f["num_hops"] + f["attr_len"]
    if f["bgpsec_length"] != data_len:
        raise DecodeError(E_INVALID_PACKET, "bgpsecLength %d is not 4*numHops + attrLen = %d"
                          % (f["bgpsec_length"], data_len))
    if len(b) != fixed + data_len:
        raise DecodeError(E_INVALID_PACKET, "length %d is not %d + bgpsecLength %d" % (len(b), fixed, data_len))
    # libSRxProxy's IPv6 layout: path data present, SCA AFI 0, and the last 12 bytes zero
    shifted = v6 and data_len > 0 and f["afi"] == 0 and b[-12:] == b"\0" * 12
    start = VERIFY_V4_FIXED if shifted else fixed
    data = b[start:start + data_len]
    if shifted:
        f["sca_addr"] = f["sca_addr"][:8] + b"\0" * 8
        f["local_as"] = 0
    f["shifted"] = shifted
    f["as_path"] = [_u32(data, 4 * i) for i in range(f["num_hops"])]
    f["attr"] = bytes(data[4 * f["num_hops"]:])
    return f


def decode(buf):
    """One whole PDU (exactly its length) -> Pdu, or DecodeError."""
    b = bytes(buf)
    if len(b) < HEADER:
        raise DecodeError(E_INVALID_PACKET, "fewer than 12 bytes")
    length = _u32(b, 8)
    if length < HEADER or length > MAX_PDU:
        raise DecodeError(E_INVALID_PACKET, "length %d out of range" % length)
    if length != len(b):
        raise DecodeError(E_INVALID_PACKET, "length field %d, %d bytes" % (length, len(b)))
    t = b[0]
    if t > ERROR:
        raise DecodeError(E_INVALID_PACKET, "unknown PDU type %d" % t)
    if t in FIXED_LENGTH and length != FIXED_LENGTH[t]:
        raise DecodeError(E_INVALID_PACKET, "%s of %d bytes" % (NAMES[t], length))
    if t == HELLO:
        if length < 20:
            raise DecodeError(E_INVALID_PACKET, "HELLO of %d bytes" % length)
        version = _u16(b, 1)
        if version != VERSION:
            raise DecodeError(E_WRONG_VERSION, "HELLO version %d" % version)
        has_count = length >= 24
        count = _u32(b, 20) if has_count else 0
        n = min(count, (length - 24) // 4) if has_count else 0
        return Pdu(b, version=version, proxy_id=_u32(b, 12), asn=_u32(b, 16), has_peer_count=has_count,
                   peer_count=count, peers=[_u32(b, 24 + 4 * i) for i in range(n)])
    if t == HELLO_RESPONSE:
        version = _u16(b, 1)
        if version != VERSION:
            raise DecodeError(E_WRONG_VERSION, "HELLO_RESPONSE version %d" % version)
        return Pdu(b, version=version, proxy_id=_u32(b, 12))
    if t == GOODBYE:
        return Pdu(b, keep_window=_u16(b, 1))
    if t in (VERIFY_V4, VERIFY_V6):
        return Pdu(b, **_decode_verify(b))
    if t == SIGN_REQUEST:
        return Pdu(b, algorithm=_u16(b, 1), block_type=b[3], update_id=_u32(b, 12),
                   prepend_counter=_u32(b, 16), peer_as=_u32(b, 20))
    if t == VERIFY_NOTIFICATION:
        return Pdu(b, result_type=b[1], roa=b[2], bgpsec=b[3], aspa=b[4], token=_u32(b, 12),
                   update_id=_u32(b, 16))
    if t == SIGN_NOTIFICATION:
        if length < 20 or _u32(b, 16) != length - 20:
            raise DecodeError(E_INVALID_PACKET, "SIGN_NOTIFICATION count does not match its length")
        return Pdu(b, update_id=_u32(b, 12), count=_u32(b, 16), data=b[20:])
    if t == DELETE_UPDATE:
        return Pdu(b, keep_window=_u16(b, 1), update_id=_u32(b, 12))
    if t == PEER_CHANGE:
        return Pdu(b, change_type=b[3], peer_as=_u32(b, 12))
    if t == SYNC_REQUEST:
        return Pdu(b)
    return Pdu(b, code=_u16(b, 1))  # ERROR


def split(stream):
    """Bytes holding whole PDUs back to back -> list of Pdu (DecodeError on a bad one)."""
    out, o = [], 0
    while o < len(stream):
        if len(stream) - o < HEADER:
            raise DecodeError(E_INVALID_PACKET, "trailing %d bytes" % (len(stream) - o))
        n = _u32(stream, o + 8)
        if n < HEADER or o + n > len(stream):
            raise DecodeError(E_INVALID_PACKET, "bad length %d at offset %d" % (n, o))
        out.append(decode(stream[o:o + n]))
        o += n
    return out


# --- NIST's update identifier --------------------------------------------------------------------
def update_id_text(origin_as, address, prefix_len, blob=b""):
    """The text NIST's x86-64 build hashes: origin AS as 8 hex digits; an IPv4 address as the
    little-endian reading of its 4 bytes (so the bytes reversed), an IPv6 address as its 16
    bytes in order; the prefix length as 2 digits; per blob byte its 2 digits, or "FF" for any
    byte >= 0x80 (NIST formats the byte as a signed char). ADDRESS: text, ipaddress or bytes."""
    if isinstance(address, (bytes, bytearray)):
        raw = bytes(address)
    else:
        raw = ipaddress.ip_address(address).packed
    if len(raw) == 4:
        addr_text = "%08X" % struct.unpack("<I", raw)[0]
    else:
        addr_text = raw.hex().upper()
    blob_text = "".join("FF" if c >= 0x80 else "%02X" % c for c in bytes(blob))
    return "%08X%s%02X%s" % (origin_as, addr_text, prefix_len, blob_text)


def update_id(origin_as, address, prefix_len, blob=b""):
    """NIST's update ID: CRC-32 (zlib) of update_id_text()."""
    return zlib.crc32(update_id_text(origin_as, address, prefix_len, blob).encode("ascii")) & 0xFFFFFFFF


def path_blob(as_path=(), attr=b""):
    """The hashed blob: the attribute if there is one, otherwise the AS path list (BE ASNs)."""
    if attr:
        return bytes(attr)
    return b"".join(struct.pack(">I", a) for a in as_path)


def request_blob(pdu):
    """The blob NIST hashes for the VERIFY bytes PDU, read where NIST reads it: at the fixed
    size of the type (72 for IPv6, also for libSRxProxy's shifted layout, whose data really
    starts at 60), the attribute after 4*numHops bytes, else the AS path list."""
    b = bytes(pdu)
    fixed = VERIFY_V6_FIXED if b[0] == VERIFY_V6 else VERIFY_V4_FIXED
    o = 36 if b[0] == VERIFY_V6 else 24
    hops, alen = _u16(b, o + 8), _u16(b, o + 10)
    if alen:
        return b[fixed + 4 * hops:fixed + 4 * hops + alen]
    return b[fixed:fixed + 4 * hops]


def request_update_id(pdu):
    """The update ID a NIST-compatible server gives the VERIFY bytes PDU (without collisions)."""
    b = bytes(pdu)
    alen = 16 if b[0] == VERIFY_V6 else 4
    o = 20 + alen
    return update_id(_u32(b, o), b[20:o], b[15], request_blob(b))


# --- blocking client ----------------------------------------------------------------------------
class SrxTestError(Exception):
    """A conversation did not go as expected (timeout, close, wrong PDU)."""


class Closed(SrxTestError):
    pass


class SrxClient:
    """One proxy connection. Every wait is bounded by its own timeout and by `deadline` (an
    absolute time.monotonic() value, default 60 s after creation)."""

    def __init__(self, host, port, timeout=5.0, deadline=None, name="proxy"):
        self.host, self.port, self.timeout, self.name = host, port, timeout, name
        self.deadline = deadline if deadline is not None else time.monotonic() + 60
        self.sock = None
        self.buf = b""
        self.log = []  # ("send"|"recv", Pdu or raw bytes)

    def _left(self, timeout):
        left = min(timeout if timeout is not None else self.timeout, self.deadline - time.monotonic())
        if left <= 0:
            raise SrxTestError("%s: overall deadline passed" % self.name)
        return left

    def connect(self, source=None):
        self.sock = socket.create_connection((self.host, self.port), timeout=self._left(None),
                                             source_address=(source, 0) if source else None)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return self

    def send(self, data):
        self.log.append(("send", bytes(data)))
        self.sock.settimeout(self._left(None))
        try:
            self.sock.sendall(bytes(data))
        except OSError as e:
            raise Closed("%s: send failed: %s" % (self.name, e))

    def _fill(self, n, end):
        """Reads until the buffer holds N bytes; False at the time END, Closed on EOF."""
        while len(self.buf) < n:
            left = min(end, self.deadline) - time.monotonic()
            if left <= 0:
                if time.monotonic() >= self.deadline:
                    raise SrxTestError("%s: overall deadline passed" % self.name)
                return False
            r, _, _ = select.select([self.sock], [], [], left)
            if not r:
                continue
            try:
                chunk = self.sock.recv(65536)
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                raise Closed("%s: closed by the server%s" % (
                    self.name, " with %d bytes of a PDU pending" % len(self.buf) if self.buf else ""))
            self.buf += chunk
        return True

    def recv(self, timeout=None):
        """The next PDU (decoded), or None when TIMEOUT seconds pass; Closed on EOF."""
        end = time.monotonic() + self._left(timeout)
        if not self._fill(HEADER, end):
            return None
        n = _u32(self.buf, 8)
        if n < HEADER or n > MAX_PDU:
            raise SrxTestError("%s: server sent a PDU header with length %d: %s"
                               % (self.name, n, self.buf[:HEADER].hex()))
        if not self._fill(n, end):
            return None
        raw, self.buf = self.buf[:n], self.buf[n:]
        try:
            pdu = decode(raw)
        except DecodeError as e:
            raise SrxTestError("%s: server sent an undecodable PDU %s: %s" % (self.name, raw.hex(), e))
        self.log.append(("recv", pdu))
        return pdu

    def expect(self, pdu_type=None, timeout=None, **fields):
        """The next PDU; fails unless it is of PDU_TYPE and has the given field values."""
        try:
            pdu = self.recv(timeout)
        except Closed as e:
            raise Closed("%s (expected %s)" % (e, NAMES.get(pdu_type, "a PDU")))
        if pdu is None:
            raise SrxTestError("%s: no %s within %.1f s" % (self.name, NAMES.get(pdu_type, "PDU"),
                                                          timeout or self.timeout))
        if pdu_type is not None and pdu.type != pdu_type:
            raise SrxTestError("%s: expected %s, got %r (%s)" % (self.name, NAMES[pdu_type], pdu, pdu.raw.hex()))
        for k, v in fields.items():
            if getattr(pdu, k, None) != v:
                raise SrxTestError("%s: %s %s = %r, expected %r (%s)" % (
                    self.name, pdu.name, k, getattr(pdu, k, None), v, pdu.raw.hex()))
        return pdu

    def expect_silence(self, window=1.0):
        """Fails if a PDU (or the close) arrives within WINDOW seconds."""
        try:
            pdu = self.recv(window)
        except Closed as e:
            raise SrxTestError("%s: expected silence, but %s" % (self.name, e))
        if pdu is not None:
            raise SrxTestError("%s: expected silence, got %r (%s)" % (self.name, pdu, pdu.raw.hex()))

    def read_until_close(self, timeout=None):
        """Every PDU until the server closes; fails if it has not closed within TIMEOUT."""
        end = time.monotonic() + self._left(timeout)
        got = []
        while True:
            try:
                pdu = self.recv(max(0.0, end - time.monotonic()) or 0.001)
            except Closed:
                return got
            if pdu is None:
                raise SrxTestError("%s: server did not close within %.1f s (got %s)" % (
                    self.name, timeout or self.timeout, [p.name for p in got]))
            got.append(pdu)

    def hello(self, proxy_id, asn, peers=None):
        """Connects if needed, sends HELLO, expects HELLO_RESPONSE (version 3) then SYNC_REQUEST."""
        if self.sock is None:
            self.connect()
        self.send(hello(proxy_id, asn, peers))
        resp = self.expect(HELLO_RESPONSE, version=VERSION)
        sync = self.expect(SYNC_REQUEST)
        return resp, sync

    def close(self):
        if self.sock is not None:
            self.sock.close()
            self.sock = None


def deadline_alarm(seconds):
    """Ends the whole process (exit 124) after SECONDS, whatever it waits for."""
    def fire(_sig, _frame):
        sys.stderr.write("overall deadline of %d s passed\n" % seconds)
        sys.stderr.flush()
        raise SystemExit(124)
    signal.signal(signal.SIGALRM, fire)
    signal.alarm(int(seconds))


# --- command line -------------------------------------------------------------------------------
def _hex(text):
    return bytes.fromhex("".join(text.split()))


def _session(args):
    host, _, port = args.connect.rpartition(":")
    c = SrxClient(host.strip("[]"), int(port), deadline=time.monotonic() + args.deadline)
    c.connect()
    ok = True

    def emit(obj):
        print(json.dumps(obj), flush=True)

    for line in sys.stdin:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        cmd, _, arg = line.partition(" ")
        try:
            if cmd == "send":
                c.send(_hex(arg))
                emit({"event": "sent", "hex": _hex(arg).hex()})
            elif cmd == "recv":
                pdu = c.expect(timeout=float(arg) if arg else None)
                emit(dict(event="recv", hex=pdu.raw.hex(), **pdu.fields()))
            elif cmd == "silence":
                c.expect_silence(float(arg or 1))
                emit({"event": "silence", "seconds": float(arg or 1)})
            elif cmd == "closed":
                for pdu in c.read_until_close(float(arg) if arg else None):
                    emit(dict(event="recv", hex=pdu.raw.hex(), **pdu.fields()))
                emit({"event": "closed"})
            else:
                raise SrxTestError("unknown script line: %s" % line)
        except SrxTestError as e:
            emit({"event": "error", "line": line, "what": str(e)})
            ok = False
            break
    c.close()
    return 0 if ok else 1


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--deadline", type=float, default=30, help="overall seconds (default 30)")
    sub = p.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("decode")
    d.add_argument("hex")
    i = sub.add_parser("id")
    i.add_argument("hex")
    u = sub.add_parser("update-id")
    u.add_argument("--origin", type=int, required=True)
    u.add_argument("--prefix", required=True)
    u.add_argument("--as-path", default="")
    u.add_argument("--attr", default="")
    e = sub.add_parser("encode")
    e.add_argument("expr")
    s = sub.add_parser("session")
    s.add_argument("--connect", required=True)
    args = p.parse_args(argv)
    deadline_alarm(args.deadline + 5)
    try:
        if args.cmd == "decode":
            print(json.dumps(decode(_hex(args.hex)).fields()))
        elif args.cmd == "id":
            print("%08X" % request_update_id(_hex(args.hex)))
        elif args.cmd == "encode":
            # a test tool: EXPR is the caller's own script, evaluated over this module's names
            print(bytes(eval(args.expr, dict(globals()))).hex())  # noqa: S307
        elif args.cmd == "update-id":
            addr, plen = _address(args.prefix)
            blob = path_blob([int(a) for a in args.as_path.split()], _hex(args.attr))
            print("%08X" % update_id(args.origin, addr, plen, blob))
        else:
            return _session(args)
    except DecodeError as e:
        print("cannot decode: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
