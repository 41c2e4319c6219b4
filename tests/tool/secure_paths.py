# SPDX-License-Identifier: BSD-2-Clause
# secure_paths.py UPDATES.BIN: for each BGPsec UPDATE of a `bgpsec gen` file, one line
# "prefix pcount:asn,pcount:asn,... BGPsec_PATH-attribute-hex" (the sender first).
import ipaddress, struct, sys
data = open(sys.argv[1], "rb").read()
at = 0
while at < len(data):
    length = struct.unpack("!H", data[at + 16:at + 18])[0]
    body = data[at + 19:at + length]
    at += length
    alen = struct.unpack("!H", body[2:4])[0]
    i, attrs, raw = 4, {}, None
    while i < 4 + alen:
        flags, code = body[i], body[i + 1]
        vlen, hl = (struct.unpack("!H", body[i + 2:i + 4])[0], 4) if flags & 0x10 else (body[i + 2], 3)
        attrs[code] = body[i + hl:i + hl + vlen]
        if code == 33:
            raw = body[i:i + hl + vlen]
        i += hl + vlen
    mp = attrs[14]
    afi, nhl = struct.unpack("!H", mp[:2])[0], mp[3]
    nlri = mp[5 + nhl:]
    plen, width = nlri[0], (4 if afi == 1 else 16)
    addr = ipaddress.ip_address((bytes(nlri[1:]) + bytes(width))[:width])
    bp = attrs[33]
    spl = struct.unpack("!H", bp[:2])[0]
    segs = [struct.unpack("!BBI", bp[k:k + 6]) for k in range(2, spl, 6)]
    print("%s/%d %s %s" % (addr, plen, ",".join("%d:%d" % (s[0], s[2]) for s in segs), raw.hex()))
