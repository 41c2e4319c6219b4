#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Forges a BGPsec path with an AS inserted that never signed (for the daemon tests).

  bgpsec_forge.py ATTR PREFIX ASN SKI SIGNER-ASN SIGNER-KEY SIGNER-SKI TARGET

ATTR is a BGPsec_PATH attribute as `bgpsec sign` prints it (hex, one Signature_Block), for
example the origin's signature towards ASN. On top of it the script puts a Secure_Path segment
for ASN whose signature is made up (random octets under ASN's real SKI: ASN never signed),
then a segment for SIGNER-ASN signed correctly with SIGNER-KEY (a PEM private key, via the
openssl command) towards TARGET, as RFC 8205 §4.2 defines the signed octets. Prints the new
attribute as hex. So a validator finds the signer's signature good and the inserted one bad:
"signature-invalid" at segment 1 (RFC 8205 §5.2, newest first).
"""

import ipaddress
import os
import struct
import subprocess
import sys


def main():
    if len(sys.argv) != 9:
        sys.exit(__doc__.strip().split("\n")[2].strip())
    attr, prefix = bytes.fromhex(sys.argv[1]), ipaddress.ip_network(sys.argv[2])
    asn, ski = int(sys.argv[3]), bytes.fromhex(sys.argv[4])
    s_asn, s_key, s_ski = int(sys.argv[5]), sys.argv[6], bytes.fromhex(sys.argv[7])
    target = int(sys.argv[8])

    value = attr[4:] if attr[0] & 0x10 else attr[3:]
    spl = struct.unpack("!H", value[:2])[0]
    segs = [value[i:i + 6] for i in range(2, spl, 6)]
    blen, suite = struct.unpack("!HB", value[spl:spl + 3])
    if spl + blen != len(value):
        sys.exit("bgpsec_forge.py: ATTR must have exactly one Signature_Block")
    sigs, i = [], spl + 3
    while i < spl + blen:
        n = struct.unpack("!H", value[i + 20:i + 22])[0]
        sigs.append(value[i:i + 22 + n])
        i += 22 + n

    # The inserted AS: pCount 1, no flags; a DER-shaped ECDSA signature of random octets.
    made_up = b"\x30\x44\x02\x20" + os.urandom(32) + b"\x02\x20" + os.urandom(32)
    segs.insert(0, struct.pack("!BBI", 1, 0, asn))
    sigs.insert(0, ski + struct.pack("!H", len(made_up)) + made_up)
    segs.insert(0, struct.pack("!BBI", 1, 0, s_asn))

    # RFC 8205 §4.2, in wire order (0 = newest, `sigs` holds the signatures of segments 1..):
    # Target AS | Sig[1] | Seg[0] | Sig[2] | Seg[1] | ... | Sig[n-1] | Seg[n-2] | Seg[n-1] |
    # Algorithm Suite | AFI | SAFI | NLRI (length in bits, then the prefix octets)
    afi = 1 if prefix.version == 4 else 2
    nlri = bytes([prefix.prefixlen]) + prefix.network_address.packed[:(prefix.prefixlen + 7) // 8]
    data = struct.pack("!I", target)
    for sig, seg in zip(sigs, segs):
        data += sig + seg
    data += segs[-1] + bytes([suite]) + struct.pack("!HB", afi, 1) + nlri
    signature = subprocess.run(["openssl", "dgst", "-sha256", "-sign", s_key], input=data,
                               capture_output=True, check=True).stdout
    sigs.insert(0, s_ski + struct.pack("!H", len(signature)) + signature)

    body = bytes([suite]) + b"".join(sigs)
    v = struct.pack("!H", 2 + 6 * len(segs)) + b"".join(segs)
    v += struct.pack("!H", 2 + len(body)) + body
    print((struct.pack("!BBH", 0x90, 33, len(v)) + v).hex())


if __name__ == "__main__":
    main()
