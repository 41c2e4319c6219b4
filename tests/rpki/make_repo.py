#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Builds a small RPKI repository for tests, laid out as rpki-client's cache expects.

make_repo.py DIR --asn N --csr ROUTER.csr [--csr ...] [--revoke K] [--prefix P ...]
             [--router-days D]

DIR/tal is the TAL (RFC 8630), DIR/cache the cache (rsync URIs mapped to directories): a
self-signed trust anchor with RFC 3779 resources, one CA below it, and in the CA's publication
point a manifest (RFC 9286), a CRL, a ROA per --prefix (RFC 9582) and a router certificate
(RFC 8209) per --csr, issued for the key in the PKCS#10 request. Keys and serials are kept in
DIR/state, so a second run with --revoke K (the K-th --csr, from 1) puts that router certificate
(same serial, still published) on a new CRL under a new manifest; the rest keeps its keys.
Router certificates are valid for D days (365 unless --router-days; a fraction for hours), the
other certificates for 365. Certificates follow the RFC 6487 profile; signed objects are CMS built by `openssl cms`.
"""
import argparse, base64, datetime, hashlib, ipaddress, json, os, subprocess, sys, tempfile

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID, ObjectIdentifier

HOST = "rpki.test"
BASE = "rsync://%s/repo/" % HOST
POLICY = ObjectIdentifier("1.3.6.1.5.5.7.14.2")  # RFC 6484 resource certificate policy
AD_CA_REPO = ObjectIdentifier("1.3.6.1.5.5.7.48.5")
AD_MANIFEST = ObjectIdentifier("1.3.6.1.5.5.7.48.10")
AD_SIGNED_OBJECT = ObjectIdentifier("1.3.6.1.5.5.7.48.11")
EKU_BGPSEC_ROUTER = ObjectIdentifier("1.3.6.1.5.5.7.3.30")  # RFC 8209 §3.1.3.2
OID_IP = ObjectIdentifier("1.3.6.1.5.5.7.1.7")  # RFC 3779 sbgp-ipAddrBlock
OID_AS = ObjectIdentifier("1.3.6.1.5.5.7.1.8")  # RFC 3779 sbgp-autonomousSysNum
ECT_MANIFEST = "1.2.840.113549.1.9.16.1.26"
ECT_ROA = "1.2.840.113549.1.9.16.1.24"


# --- DER --------------------------------------------------------------------------------------
def tlv(tag, body):
    n = len(body)
    if n < 0x80:
        return bytes([tag, n]) + body
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(b)]) + b + body


def seq(*items):
    return tlv(0x30, b"".join(items))


def integer(v):
    return tlv(0x02, v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big"))


def octets(b):
    return tlv(0x04, b)


def bits(b, unused=0):
    return tlv(0x03, bytes([unused]) + b)


def oid(dotted):
    parts = [int(x) for x in dotted.split(".")]
    out = bytes([parts[0] * 40 + parts[1]])
    for p in parts[2:]:
        enc = [p & 0x7F]
        p >>= 7
        while p:
            enc.append(0x80 | (p & 0x7F))
            p >>= 7
        out += bytes(reversed(enc))
    return tlv(0x06, out)


def gentime(t):
    return tlv(0x18, t.strftime("%Y%m%d%H%M%SZ").encode())


def prefix_bits(net):
    """RFC 3779 §2.1.2: the prefix as a BIT STRING of prefixlen bits."""
    n = net.prefixlen
    raw = net.network_address.packed[: (n + 7) // 8]
    return bits(raw, (8 - n % 8) % 8)


def afi(net):
    return b"\x00\x01" if net.version == 4 else b"\x00\x02"


def ip_resources(nets):
    """RFC 3779 §2.2.3 IPAddrBlocks; None means inherit for both families."""
    if nets is None:
        return seq(seq(octets(b"\x00\x01"), b"\x05\x00"), seq(octets(b"\x00\x02"), b"\x05\x00"))
    fams = []
    for v in (4, 6):
        mine = sorted(n for n in nets if n.version == v)
        if mine:
            fams.append(seq(octets(afi(mine[0])), seq(*[prefix_bits(n) for n in mine])))
    return seq(*fams)


def as_resources(asns):
    """RFC 3779 §3.2.3 ASIdentifiers with asnum only; None means inherit."""
    if asns is None:
        return seq(tlv(0xA0, b"\x05\x00"))
    # canonical form (§3.2.3.4): sorted, and adjacent numbers merged into a range
    runs = []
    for a in sorted(set(asns)):
        if runs and runs[-1][1] + 1 == a:
            runs[-1][1] = a
        else:
            runs.append([a, a])
    items = [integer(lo) if lo == hi else seq(integer(lo), integer(hi)) for lo, hi in runs]
    return seq(tlv(0xA0, seq(*items)))


# --- certificates -----------------------------------------------------------------------------
def now():
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def cert(subject_cn, pub, issuer, *, serial, ca, ips, asns, sia, aia=None, crldp=None,
         eku=None, days=365, self_key=None):
    """An RFC 6487 resource certificate; issuer is (name, key, ski), or None for one self-signed
    with self_key (the trust anchor). ips/asns: a list, None for inherit, False for none."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject_cn)])
    t = now()
    b = (x509.CertificateBuilder().subject_name(name).public_key(pub).serial_number(serial)
         .not_valid_before(t - datetime.timedelta(minutes=5))
         .not_valid_after(t + datetime.timedelta(days=days)))
    ski = x509.SubjectKeyIdentifier.from_public_key(pub)
    b = b.add_extension(ski, critical=False)
    if ca:
        b = b.add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
    ku = dict(digital_signature=not ca, content_commitment=False, key_encipherment=False,
              data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
              encipher_only=False, decipher_only=False)
    b = b.add_extension(x509.KeyUsage(**ku), critical=True)
    b = b.add_extension(x509.CertificatePolicies([x509.PolicyInformation(POLICY, None)]),
                        critical=True)
    if issuer is None:
        iname, ikey = name, self_key
    else:
        iname, ikey, iski = issuer
        b = b.add_extension(x509.AuthorityKeyIdentifier(iski.digest, None, None), critical=False)
        b = b.add_extension(x509.AuthorityInformationAccess(
            [x509.AccessDescription(x509.oid.AuthorityInformationAccessOID.CA_ISSUERS,
                                    x509.UniformResourceIdentifier(aia))]), critical=False)
        b = b.add_extension(x509.CRLDistributionPoints(
            [x509.DistributionPoint([x509.UniformResourceIdentifier(crldp)], None, None, None)]),
            critical=False)
    b = b.issuer_name(iname)
    if sia:
        b = b.add_extension(x509.SubjectInformationAccess(
            [x509.AccessDescription(m, x509.UniformResourceIdentifier(u)) for m, u in sia]),
            critical=False)
    if eku:
        b = b.add_extension(x509.ExtendedKeyUsage([eku]), critical=False)
    if ips is not False:
        b = b.add_extension(x509.UnrecognizedExtension(OID_IP, ip_resources(ips)), critical=True)
    if asns is not False:
        b = b.add_extension(x509.UnrecognizedExtension(OID_AS, as_resources(asns)), critical=True)
    return b.sign(ikey, hashes.SHA256()), ski


def rsa_key(state, name):
    path = os.path.join(state, name + ".pem")
    if os.path.exists(path):
        return serialization.load_pem_private_key(open(path, "rb").read(), None)
    k = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    open(path, "wb").write(k.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return k


def der(c):
    return c.public_bytes(serialization.Encoding.DER)


def signed_object(econtent, ect, ee_cn, issuer, serial, uri, crldp, aia, ips, asns):
    """RFC 6488 signed object: CMS SignedData with a one-time EE certificate."""
    eekey = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ee, _ = cert(ee_cn, eekey.public_key(), issuer, serial=serial, ca=False, ips=ips, asns=asns,
                 sia=[(AD_SIGNED_OBJECT, uri)], aia=aia, crldp=crldp)
    with tempfile.TemporaryDirectory() as d:
        open(d + "/c", "wb").write(econtent)
        open(d + "/ee.pem", "wb").write(ee.public_bytes(serialization.Encoding.PEM))
        open(d + "/k.pem", "wb").write(eekey.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))
        subprocess.run(["openssl", "cms", "-sign", "-binary", "-nodetach", "-econtent_type", ect,
                        "-keyid", "-nosmimecap", "-md", "sha256", "-outform", "DER",
                        "-signer", d + "/ee.pem", "-inkey", d + "/k.pem", "-in", d + "/c",
                        "-out", d + "/o"], check=True)
        return open(d + "/o", "rb").read()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--asn", type=int, required=True)
    ap.add_argument("--csr", action="append", default=[])
    ap.add_argument("--revoke", type=int, action="append", default=[])
    ap.add_argument("--prefix", action="append", default=[])
    ap.add_argument("--router-days", type=float, default=365)
    a = ap.parse_args()
    state = os.path.join(a.dir, "state")
    os.makedirs(state, exist_ok=True)
    stpath = os.path.join(state, "state.json")
    st = json.load(open(stpath)) if os.path.exists(stpath) else {"serial": 1, "run": 0}
    st["run"] += 1

    def serial():
        st["serial"] += 1
        return st["serial"]

    ta_dir, ca_dir = BASE + "ta/", BASE + "ca/"
    cache = os.path.join(a.dir, "cache")
    roas = [ipaddress.ip_network(p) for p in a.prefix]
    all_ips = [ipaddress.ip_network("192.0.2.0/24"), ipaddress.ip_network("198.51.100.0/24"),
               ipaddress.ip_network("203.0.113.0/24"), ipaddress.ip_network("2001:db8::/32")]
    asn_range = sorted({a.asn, 64496, 64497, 64498, 64499, 64500})

    takey = rsa_key(state, "ta")
    ta, taski = cert("test-ta", takey.public_key(), None, serial=1, ca=True, ips=all_ips,
                     asns=asn_range, self_key=takey, sia=[(AD_CA_REPO, ta_dir), (AD_MANIFEST, ta_dir + "ta.mft")])
    ta_uri = BASE + "ta.cer"
    cakey = rsa_key(state, "ca")
    ta_issuer = (ta.subject, takey, taski)
    ca, caski = cert("test-ca", cakey.public_key(), ta_issuer, serial=2, ca=True, ips=all_ips,
                     asns=asn_range, sia=[(AD_CA_REPO, ca_dir), (AD_MANIFEST, ca_dir + "ca.mft")],
                     aia=ta_uri, crldp=ta_dir + "ta.crl")
    ca_issuer = (ca.subject, cakey, caski)

    def write(uri, data):
        path = os.path.join(cache, uri[len("rsync://"):])
        os.makedirs(os.path.dirname(path), exist_ok=True)
        open(path, "wb").write(data)

    # the TA itself: the TAL names its URI and key (RFC 8630 §2.2)
    write(ta_uri, der(ta))
    os.makedirs(os.path.join(cache, "ta", "test"), exist_ok=True)
    open(os.path.join(cache, "ta", "test", "ta.cer"), "wb").write(der(ta))
    spki = takey.public_key().public_bytes(serialization.Encoding.DER,
                                           serialization.PublicFormat.SubjectPublicKeyInfo)
    open(os.path.join(a.dir, "test.tal"), "w").write(
        ta_uri + "\n\n" + base64.b64encode(spki).decode() + "\n")

    t1 = now() - datetime.timedelta(minutes=5)
    t2 = now() + datetime.timedelta(hours=24)

    def publish(issuer, issuer_cert, dir_uri, name, files, revoked):
        """the CRL and the manifest (RFC 9286) of one publication point"""
        iname, ikey, iski = issuer
        crl = x509.CertificateRevocationListBuilder().issuer_name(iname) \
            .last_update(t1).next_update(t2) \
            .add_extension(x509.AuthorityKeyIdentifier(iski.digest, None, None), False) \
            .add_extension(x509.CRLNumber(st["run"]), False)
        for s in revoked:
            crl = crl.add_revoked_certificate(x509.RevokedCertificateBuilder().serial_number(s)
                                              .revocation_date(t1).build())
        crl = crl.sign(ikey, hashes.SHA256())
        files = dict(files)
        files[name + ".crl"] = crl.public_bytes(serialization.Encoding.DER)
        for f, data in files.items():
            write(dir_uri + f, data)
        entries = [seq(tlv(0x16, f.encode()), bits(hashlib.sha256(d).digest()))
                   for f, d in sorted(files.items())]
        mft = seq(integer(st["run"]), gentime(t1), gentime(t2), oid("2.16.840.1.101.3.4.2.1"),
                  seq(*entries))
        aia = ta_uri if issuer_cert is ta else BASE + "ta/ca.cer"
        obj = signed_object(mft, ECT_MANIFEST, "mft-%s-%d" % (name, st["run"]), issuer, serial(),
                            dir_uri + name + ".mft", dir_uri + name + ".crl", aia, None, None)
        write(dir_uri + name + ".mft", obj)

    # the CA's publication point: ROAs and router certificates
    ca_files = {}
    if roas:
        addrs = []
        for v in (4, 6):
            mine = [n for n in roas if n.version == v]
            if mine:
                addrs.append(seq(octets(afi(mine[0])),
                                 seq(*[seq(prefix_bits(n), integer(n.prefixlen)) for n in mine])))
        roa = seq(integer(a.asn), seq(*addrs))
        ca_files["as%d.roa" % a.asn] = signed_object(
            roa, ECT_ROA, "roa-%d" % st["run"], ca_issuer, serial(), ca_dir + "as%d.roa" % a.asn,
            ca_dir + "ca.crl", BASE + "ta/ca.cer", roas, False)
    routers = st.setdefault("routers", {})
    revoked = []
    for i, path in enumerate(a.csr, 1):
        csr = x509.load_pem_x509_csr(open(path, "rb").read()) if open(path, "rb").read(
            ).startswith(b"-----") else x509.load_der_x509_csr(open(path, "rb").read())
        if not csr.is_signature_valid:
            sys.exit("%s: the request's signature does not verify" % path)
        key = csr.public_key()
        skihex = x509.SubjectKeyIdentifier.from_public_key(key).digest.hex().upper()
        if skihex not in routers:
            routers[skihex] = serial()
        cn = csr.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        rc, _ = cert(cn[0].value if cn else "ROUTER-%08X" % a.asn, key, ca_issuer,
                     serial=routers[skihex], ca=False, ips=False, asns=[a.asn], sia=None,
                     aia=BASE + "ta/ca.cer", crldp=ca_dir + "ca.crl", eku=EKU_BGPSEC_ROUTER,
                     days=a.router_days)
        # a revoked certificate stays published: the CRL alone must take it out (RFC 6487 §5)
        if i in a.revoke:
            revoked.append(routers[skihex])
        ca_files["router-%s.cer" % skihex] = der(rc)
    publish(ca_issuer, ca, ca_dir, "ca", ca_files, revoked)
    publish(ta_issuer, ta, ta_dir, "ta", {"ca.cer": der(ca)}, [])
    json.dump(st, open(stpath, "w"))


if __name__ == "__main__":
    main()
