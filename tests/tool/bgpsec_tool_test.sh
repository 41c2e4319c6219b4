#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# End-to-end tests of the `bgpsec` tool: exit codes (0 positive, 1 negative, 2 bad input),
# JSON on stdout, one-line errors on stderr, and sign -> verify across a lab of keys.
# Run by ctest with BGPSEC (the binary) and BGPSEC_VECTORS_DIR (tests/vectors) set.
set -uo pipefail
: "${BGPSEC:?}" "${BGPSEC_VECTORS_DIR:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0
fail=0

# expect CODE DESCRIPTION -- command...   (stdout in $work/out, stderr in $work/err)
expect() {
  local code=$1 what=$2
  shift 3
  "$@" >"$work/out" 2>"$work/err"
  local got=$?
  if [ "$got" -eq "$code" ]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL: $what: exit $got, expected $code"
    sed 's/^/  stdout: /' "$work/out" | head -5
    sed 's/^/  stderr: /' "$work/err" | head -5
  fi
}
# check DESCRIPTION -- python expression over `out` (parsed stdout JSON) and `err` (text)
check() {
  local what=$1
  shift 2
  if python3 - "$work/out" "$work/err" "$@" <<'PY'; then
import json, sys
raw = open(sys.argv[1]).read()
err = open(sys.argv[2]).read()
out = json.loads(raw) if raw.strip() else None
ok = eval(sys.argv[3])
sys.exit(0 if ok else 1)
PY
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL: $what"
    sed 's/^/  stdout: /' "$work/out" | head -5
    sed 's/^/  stderr: /' "$work/err" | head -5
  fi
}
one_line_error() {
  check "$1: one line on stderr, nothing on stdout" -- \
    "out is None and len(err.strip().splitlines()) == 1 and err.startswith('bgpsec: ')"
}

keys="$work/keys"

# --- keygen ---------------------------------------------------------------------------
for asn in 65001 65002 65003 4200000001; do
  expect 0 "keygen $asn" -- "$BGPSEC" keygen --asn "$asn" --out "$keys"
  check "keygen $asn prints the bgpsec_keys entry" -- \
    "set(out) == {'asn','ski','pubkey'} and out['asn'] == $asn and len(out['ski']) == 40"
done
file=$(ls "$keys"/65001.*.pem)
mode=$(stat -c %a "$file")
[ "$mode" = "600" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: key mode $mode"; }
expect 2 "keygen with a bad AS" -- "$BGPSEC" keygen --asn AS12x --out "$keys"
one_line_error "keygen bad AS"
expect 2 "keygen without --out" -- "$BGPSEC" keygen --asn 1
one_line_error "keygen usage"
chmod 644 "$file"
expect 2 "a group-readable key is refused" -- "$BGPSEC" sign --prefix 192.0.2.0/24 \
  --as-path 65001 --target-as 65002 --key-dir "$keys"
check "the error names the file and its mode" -- "'0644' in err and '65001' in err"
chmod 600 "$file"

# --- certification requests (RFC 8209 §3.2), read back by openssl ------------------------
expect 0 "keygen --csr (PEM by default)" -- "$BGPSEC" keygen --asn 15562 --out "$work/csrkeys" \
  --csr "$work/r.pem" --router-id 10.0.0.1
check "keygen --csr names the request" -- \
  "out['csr']['format'] == 'pem' and out['csr']['subject'] == 'CN=ROUTER-00003CCA,serialNumber=0A000001'"
csr_ski=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["ski"])' "$work/out")
if openssl req -in "$work/r.pem" -verify -noout 2>&1 | grep "verify OK" >/dev/null &&
  openssl req -in "$work/r.pem" -noout -text | grep "BGPsec Router" >/dev/null; then
  pass=$((pass + 1))
else
  fail=$((fail + 1)); echo "FAIL: openssl does not verify the request or lacks the EKU"
fi
# The key in the request is the router key: its SKI (SHA-1 of the point, RFC 6487 §4.8.2)
# computed by openssl is the one keygen printed.
req_ski=$(openssl req -in "$work/r.pem" -noout -pubkey | openssl pkey -pubin -outform DER |
  tail -c 65 | sha1sum | cut -c1-40)
[ "${req_ski^^}" = "$csr_ski" ] && pass=$((pass + 1)) ||
  { fail=$((fail + 1)); echo "FAIL: request SKI $req_ski, key SKI $csr_ski"; }
csr_key=$(ls "$work/csrkeys"/15562.*.pem)
expect 0 "csr for an existing key, DER by the file name" -- "$BGPSEC" csr --key "$csr_key" \
  --asn 15562 --out "$work/r.der"
check "csr prints the key's SKI and DER" -- "out['ski'] == '$csr_ski' and out['format'] == 'der'"
if openssl req -in "$work/r.der" -inform DER -verify -noout 2>&1 | grep "verify OK" >/dev/null; then
  pass=$((pass + 1))
else
  fail=$((fail + 1)); echo "FAIL: openssl does not verify the DER request"
fi
expect 2 "csr with a bad router id" -- "$BGPSEC" csr --key "$csr_key" --asn 15562 \
  --out "$work/r2.der" --router-id 0.0.0.0
one_line_error "csr bad router id"
expect 2 "csr with an unknown format" -- "$BGPSEC" csr --key "$csr_key" --asn 15562 \
  --out "$work/r2.der" --csr-format txt
one_line_error "csr bad format"

# --- rpki-json -------------------------------------------------------------------------
expect 0 "rpki-json" -- "$BGPSEC" rpki-json --key-dir "$keys" --roa 192.0.2.0/24=65001 \
  --roa 2001:db8::/32-48=65001
check "rpki-json lists every key and ROA" -- \
  "len(out['bgpsec_keys']) == 4 and len(out['roas']) == 2 and out['roas'][1]['maxLength'] == 48"
cp "$work/out" "$work/rpki.json"
expect 0 "rpki-json with ASPAs" -- "$BGPSEC" rpki-json --key-dir "$keys" \
  --aspa 65001=65002,AS65003 --aspa 4200000001=65001
check "rpki-json writes each --aspa as a customer with its providers, for both families" -- \
  "out['provider_authorizations']['ipv4'] == out['provider_authorizations']['ipv6'] == [{'customer_asid': 65001, 'providers': [65002, 65003]}, {'customer_asid': 4200000001, 'providers': [65001]}]"
cp "$work/out" "$work/aspa.json"
expect 0 "the ASPA file feeds bgpsec aspa" -- "$BGPSEC" aspa --as-path "65003 65001" \
  --direction up --rpki "$work/aspa.json"
check "65001 -> 65003 is an authorized hop" -- "out['aspa'] == 'valid'"
for bad in 65001 65001= =65002 65001=65002,,65003 65001=65002, 65001=x; do
  expect 2 "rpki-json --aspa '$bad'" -- "$BGPSEC" rpki-json --key-dir "$keys" --aspa "$bad"
  one_line_error "rpki-json --aspa '$bad'"
done

# --- sign and verify ----------------------------------------------------------------------
expect 0 "sign a 3-hop path" -- "$BGPSEC" sign --prefix 192.0.2.0/24 \
  --as-path "65003 65002 65001" --target-as 4200000001 --key-dir "$keys"
check "sign prints the whole attribute (flags 0x90, type 33)" -- \
  "out['attribute'].upper().startswith('9021')"
attr=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["attribute"])' "$work/out")

expect 0 "verify at the target AS" -- "$BGPSEC" verify --prefix 192.0.2.0/24 \
  --attribute "$attr" --as 4200000001 --rpki "$work/rpki.json"
check "verify says valid, with the origin result beside it" -- \
  "out['path'] == 'valid' and out['origin'] == 'valid' and out['origin_as'] == 65001"
expect 1 "verify at another AS (wrong target)" -- "$BGPSEC" verify --prefix 192.0.2.0/24 \
  --attribute "$attr" --as 65009 --rpki "$work/rpki.json"
check "wrong target is not-valid with a reason" -- "out['path'] == 'not-valid' and out['reason']"
expect 1 "verify for another prefix" -- "$BGPSEC" verify --prefix 192.0.2.0/25 \
  --attribute "$attr" --as 4200000001 --rpki "$work/rpki.json"

# flip the last signature octet (the origin's signature is last in the attribute)
bad=$(python3 -c 'import sys; a=sys.argv[1]; print(a[:-2] + ("00" if a[-2:].upper() != "00" else "01"))' "$attr")
expect 1 "a tampered signature" -- "$BGPSEC" verify --prefix 192.0.2.0/24 \
  --attribute "$bad" --as 4200000001 --rpki "$work/rpki.json"

python3 - "$work/rpki.json" "$work/nokey.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["bgpsec_keys"] = [k for k in d["bgpsec_keys"] if k["asn"] != 65002]
json.dump(d, open(sys.argv[2], "w"))
PY
expect 1 "a missing router key" -- "$BGPSEC" verify --prefix 192.0.2.0/24 \
  --attribute "$attr" --as 4200000001 --rpki "$work/nokey.json"
check "missing key is reported" -- "out['path'] == 'not-valid' and 'key' in out['reason']"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["roas"]=[]; json.dump(d, open(sys.argv[2], "w"))' \
  "$work/rpki.json" "$work/noroas.json"
expect 0 "verify with router keys but no ROAs" -- "$BGPSEC" verify --prefix 192.0.2.0/24 \
  --attribute "$attr" --as 4200000001 --rpki "$work/noroas.json"
check "no ROAs at all: the origin is not-found (RFC 6811)" -- \
  "out['path'] == 'valid' and out['origin'] == 'not-found'"

expect 0 "sign with prepending (pCount 3)" -- "$BGPSEC" sign --prefix 2001:db8::/32 \
  --as-path "65002 65002 65002 65001" --target-as 65003 --key-dir "$keys"
attr6=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["attribute"])' "$work/out")
expect 0 "decode the signed attribute" -- "$BGPSEC" decode --attribute "$attr6"
check "pCount 3 then 1" -- "'3' in json.dumps(out) and 'pcount' in json.dumps(out).lower()"
expect 0 "verify the prepended IPv6 path" -- "$BGPSEC" verify --prefix 2001:db8::/32 \
  --attribute "$attr6" --as 65003 --rpki "$work/rpki.json"

# --- results that are not valid: no supported suite, malformed structure ----------------------
# The only Signature_Block's suite octet set to 2 (after the 4-octet attribute header, the
# Secure_Path and the 2-octet block length): well-formed, but nothing we can check.
suite2=$(python3 - "$attr" <<'PY'
import sys
a = bytearray.fromhex(sys.argv[1])
sp_len = int.from_bytes(a[4:6], "big")
a[4 + sp_len + 2] = 2
print(a.hex().upper())
PY
)
expect 1 "verify a path with only a suite-2 block" -- "$BGPSEC" verify --prefix 192.0.2.0/24 \
  --attribute "$suite2" --as 4200000001 --rpki "$work/rpki.json"
check "no supported suite is not-valid with reason no-supported-suite" -- \
  "out['path'] == 'not-valid' and out['reason'] == 'no-supported-suite' and \
   out['signatures_checked'] == 0 and 'action' not in out and 'suite' not in out and \
   out['as_path'] == '65003 65002 65001' and out['origin_as'] == 65001"
# Secure_Path Length 0x000F (RFC 8205 §5.2): the framing is fine, the
# value is not, so this is a negative result (1), not bad input (2).
malformed=$(python3 -c 'import sys; a=bytearray.fromhex(sys.argv[1]); a[4:6]=b"\x00\x0f"; print(a.hex().upper())' "$attr")
expect 1 "verify a structurally malformed attribute" -- "$BGPSEC" verify \
  --prefix 192.0.2.0/24 --attribute "$malformed" --as 4200000001 --rpki "$work/rpki.json"
check "malformed is not-valid, treat-as-withdraw, with its check as reason" -- \
  "out['path'] == 'not-valid' and out['action'] == 'treat-as-withdraw' and \
   out['reason'] == 'secure-path-length' and out['signatures_checked'] == 0"
# RFC 8205 §5.2 check #1: BGPsec_PATH is optional non-transitive; Transitive set (0xD0) or
# Optional clear (0x10) is treat-as-withdraw.
for flags in D0 10; do
  expect 1 "verify with attribute flags 0x$flags" -- "$BGPSEC" verify --prefix 192.0.2.0/24 \
    --attribute "$flags${attr:2}" --as 4200000001 --rpki "$work/rpki.json"
  check "flags 0x$flags are not-valid, treat-as-withdraw, reason attribute-flags" -- \
    "out['path'] == 'not-valid' and out['action'] == 'treat-as-withdraw' and \
     out['reason'] == 'attribute-flags'"
done

# --- signed octets rebuilt outside our code, checked with openssl -----------------------------
# For a 4-hop path with a prepend (pCount 2), python rebuilds every signature's octets from the
# attribute bytes per RFC 8205 §4.2 (Target AS || G(k-1) || S(k) || ... || S(1) ||
# suite || AFI || SAFI || NLRI) and `openssl dgst -sha256 -verify` checks each signature with
# the public key of the signer's key file: the bytes are right independently of our C++.
openssl_check() {  # openssl_check PREFIX
  local prefix=$1 dir="$work/ossl-${1//[\/:]/_}"
  mkdir -p "$dir"
  expect 0 "sign $prefix along 4200000001 65003 65003 65002 65001" -- "$BGPSEC" sign \
    --prefix "$prefix" --as-path "4200000001 65003 65003 65002 65001" --target-as 65009 \
    --key-dir "$keys"
  local a
  a=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["attribute"])' "$work/out")
  if ! python3 - "$a" "$prefix" 65009 "$dir" >"$dir/list" <<'PY'; then
import ipaddress, struct, sys
a = bytes.fromhex(sys.argv[1])
net = ipaddress.ip_network(sys.argv[2])
target = int(sys.argv[3])
out = sys.argv[4]
# Attribute header (RFC 4271 §4.3): flags, type 33, 1- or 2-octet length.
flags, typ = a[0], a[1]
assert flags == 0x90 and typ == 33, (flags, typ)
length, p = (struct.unpack(">H", a[2:4])[0], 4) if flags & 0x10 else (a[2], 3)
v = a[p:]
assert len(v) == length
# Secure_Path: u16 length (counts itself), N x {pCount, Flags, AS}.
sp_len = struct.unpack(">H", v[0:2])[0]
segs = [v[i:i + 6] for i in range(2, sp_len, 6)]
n = len(segs)
assert [s[0] for s in segs] == [1, 2, 1, 1], [s[0] for s in segs]  # pCount 2: the prepend
assert [s[1] for s in segs] == [0, 0, 0, 0]
assert [struct.unpack(">I", s[2:6])[0] for s in segs] == [4200000001, 65003, 65002, 65001]
# Signature_Blocks: u16 length (counts itself and the suite), suite, N x {SKI, u16 len, sig}.
q, blocks = sp_len, []
while q < len(v):
    blen, suite = struct.unpack(">H", v[q:q + 2])[0], v[q + 2]
    body, r, sigs = v[q + 3:q + blen], 0, []
    while r < len(body):
        slen = struct.unpack(">H", body[r + 20:r + 22])[0]
        sigs.append(body[r:r + 22 + slen])  # the whole Signature_Segment
        r += 22 + slen
    assert r == len(body) and len(sigs) == n
    blocks.append((suite, sigs))
    q += blen
assert q == len(v) and [b[0] for b in blocks] == [1]
afi = 1 if net.version == 4 else 2
plen = net.prefixlen
nlri = bytes([plen]) + net.network_address.packed[:(plen + 7) // 8]
for suite, sigs in blocks:
    for k in range(n):  # k = 0 is the newest signature
        t = target if k == 0 else struct.unpack(">I", segs[k - 1][2:6])[0]
        msg = struct.pack(">I", t)
        for j in range(k, n):
            if j + 1 < n:
                msg += sigs[j + 1]
            msg += segs[j]
        msg += bytes([suite]) + struct.pack(">H", afi) + bytes([1]) + nlri
        open(f"{out}/data{k}.bin", "wb").write(msg)
        open(f"{out}/sig{k}.der", "wb").write(sigs[k][22:])
        print(k, struct.unpack(">I", segs[k][2:6])[0], sigs[k][:20].hex().upper())
PY
    fail=$((fail + 1))
    echo "FAIL: $prefix: the attribute does not parse as RFC 8205 §4.2 describes"
    return
  fi
  local verified=0 k asn ski
  while read -r k asn ski; do
    openssl pkey -in "$keys/$asn.$ski.pem" -pubout -out "$dir/pub$k.pem" 2>/dev/null
    if openssl dgst -sha256 -verify "$dir/pub$k.pem" -signature "$dir/sig$k.der" \
      "$dir/data$k.bin" >/dev/null 2>&1; then
      verified=$((verified + 1))
    else
      echo "FAIL: $prefix: openssl does not verify signature $k (AS $asn, SKI $ski)"
    fi
  done <"$dir/list"
  if [ "$verified" -eq 4 ]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL: $prefix: openssl verified $verified of 4 signatures"
  fi
  # Control: the same check fails once one signed octet changes (the newest Target AS).
  python3 -c 'import sys; d=bytearray(open(sys.argv[1],"rb").read()); d[3]^=1; open(sys.argv[1],"wb").write(d)' \
    "$dir/data0.bin"
  if openssl dgst -sha256 -verify "$dir/pub0.pem" -signature "$dir/sig0.der" \
    "$dir/data0.bin" >/dev/null 2>&1; then
    fail=$((fail + 1))
    echo "FAIL: $prefix: openssl verified octets with a changed Target AS"
  else
    pass=$((pass + 1))
  fi
}
openssl_check 192.0.2.0/24
openssl_check 2001:db8:8000::/33

# --- route origin validation (RFC 6811) ------------------------------------------------------
# rpki.json: 192.0.2.0/24=65001 and 2001:db8::/32-48=65001
origin() {  # origin CODE STATE PREFIX ASN
  expect "$1" "origin $3 AS$4" -- "$BGPSEC" origin --prefix "$3" --origin-as "$4" --rpki "$work/rpki.json"
  check "origin $3 AS$4 is $2" -- "out['origin'] == '$2'"
}
origin 0 valid 192.0.2.0/24 65001
origin 1 invalid 192.0.2.0/24 65002          # covered, other AS
origin 1 invalid 192.0.2.0/25 65001          # more specific than maxLength
origin 1 not-found 198.51.100.0/24 65001     # no covering VRP
origin 1 not-found 192.0.0.0/16 65001        # less specific: not covered
origin 0 valid 2001:db8:1::/48 65001         # IPv6 up to maxLength
origin 1 invalid 2001:db8:1::/49 65001
expect 2 "origin with both --rpki and --cache" -- "$BGPSEC" origin --prefix 192.0.2.0/24 \
  --origin-as 1 --rpki "$work/rpki.json" --cache 127.0.0.1:1
expect 2 "origin without a source" -- "$BGPSEC" origin --prefix 192.0.2.0/24 --origin-as 1
one_line_error "origin without a source"

# --- ASPA path verification (docs/aspa.md) --------------------------------------------------
# The draft's official examples (docs/aspa.md §10, set S1: A=65541 B=65542 C=65543 D=65544
# E=65545 F=65546 G=65547) in rpki-client 8's provider_authorizations shape.
cat >"$work/aspa.json" <<'JSON'
{"metadata": {"buildtime": "2025-11-24T16:00:00Z", "aspas": 5},
 "roas": [], "bgpsec_keys": [],
 "provider_authorizations": {
  "ipv4": [{"customer_asid": 65541, "providers": [65543, 65544]},
           {"customer_asid": 65543, "providers": [65546]},
           {"customer_asid": 65544, "providers": [65546, 65547]},
           {"customer_asid": 65547, "providers": [0]}],
  "ipv6": [{"customer_asid": 65542, "providers": [65545]}]}}
JSON
aspa() {  # aspa CODE STATE DIRECTION PATH
  expect "$1" "aspa $3 '$4'" -- "$BGPSEC" aspa --as-path "$4" --direction "$3" --rpki "$work/aspa.json"
  check "aspa $3 '$4' is $2" -- "out['aspa'] == '$2'"
}
aspa 0 valid up "65546 65543 65541"                     # F C A
aspa 0 valid up "65546 65546 65546 65543 65541 65541"   # the same with prepends
aspa 1 invalid up "65547 65544 65543 65541"             # G D C A: C -> D not a provider
check "the failing hop is C -> D, the second from the origin" -- \
  "out['reason'] == 'not-provider+' and out['up_hop'] == {'index': 2, 'customer': 65543, \
   'provider': 65544, 'authorization': 'not-provider+'} and 'down_hop' not in out"
aspa 1 unknown up "65547 65544 65546 65543 65541"       # G D F C A: F has no ASPA
check "the unattested hop is F -> D" -- \
  "out['reason'] == 'no-attestation' and out['up_hop']['customer'] == 65546"
aspa 0 valid up "65545 65542"                           # E B: the ipv6 list counts too
aspa 1 invalid down "65545 65547 65544 65543 65541"     # E G D C A: a valley
check "downstream invalid names both ramp ends" -- \
  "out['up_hop']['customer'] == 65543 and out['down_hop']['customer'] == 65547"
aspa 1 unknown down "65545 65547 65546 65543 65541"     # E G F C A
aspa 0 valid downstream "65546 65543 65541"
aspa 1 invalid up "65546 {65543} 65541"
check "an AS_SET is reported" -- "out['reason'] == 'as-set' and out['path_length'] == 0"
expect 1 "aspa with the wrong neighbor" -- "$BGPSEC" aspa --as-path "65545 65542" \
  --direction up --neighbor-as 64999 --rpki "$work/aspa.json"
check "neighbor mismatch" -- "out['aspa'] == 'invalid' and out['reason'] == 'neighbor-mismatch'"
expect 0 "aspa with the right neighbor" -- "$BGPSEC" aspa --as-path "65545 65542" \
  --direction up --neighbor-as AS65545 --rpki "$work/aspa.json"
expect 1 "aspa of an empty path" -- "$BGPSEC" aspa --as-path "" --direction up \
  --rpki "$work/aspa.json"
check "empty path" -- "out['aspa'] == 'invalid' and out['reason'] == 'empty-path'"
expect 2 "aspa with a bad path" -- "$BGPSEC" aspa --as-path "65545 {1" --direction up \
  --rpki "$work/aspa.json"
one_line_error "aspa with a bad path"
expect 2 "aspa with a bad direction" -- "$BGPSEC" aspa --as-path "65545" --direction left \
  --rpki "$work/aspa.json"
one_line_error "aspa with a bad direction"
expect 2 "aspa with a missing file" -- "$BGPSEC" aspa --as-path "65545" --direction up \
  --rpki "$work/none.json"
one_line_error "aspa with a missing file"

# --- bad input ------------------------------------------------------------------------------
expect 2 "verify with non-hex" -- "$BGPSEC" verify --prefix 192.0.2.0/24 --attribute XYZ \
  --as 65004 --rpki "$work/rpki.json"
one_line_error "non-hex attribute"
expect 2 "verify with a truncated attribute" -- "$BGPSEC" verify --prefix 192.0.2.0/24 \
  --attribute "${attr:0:40}" --as 4200000001 --rpki "$work/rpki.json"
one_line_error "truncated attribute"
expect 2 "verify with a missing RPKI file" -- "$BGPSEC" verify --prefix 192.0.2.0/24 \
  --attribute "$attr" --as 4200000001 --rpki "$work/none.json"
one_line_error "missing RPKI file"
echo '{"roas": [], "bgpsec_keys": [{"asn": 1, "ski": "00", "pubkey": "AA=="}]}' >"$work/broken.json"
expect 2 "verify with a broken RPKI file" -- "$BGPSEC" verify --prefix 192.0.2.0/24 \
  --attribute "$attr" --as 4200000001 --rpki "$work/broken.json"
check "the error names the entry" -- "'bgpsec_keys[0]' in err"
expect 2 "sign with a bad prefix" -- "$BGPSEC" sign --prefix 192.0.2.1/24 --as-path 65001 \
  --target-as 65002 --key-dir "$keys"
one_line_error "bad prefix"
expect 2 "sign with an AS that has no key" -- "$BGPSEC" sign --prefix 192.0.2.0/24 \
  --as-path "65007 65001" --target-as 65002 --key-dir "$keys"
check "the error names the AS" -- "'65007' in err"
expect 2 "decode garbage" -- "$BGPSEC" decode 0011
one_line_error "decode garbage"
expect 2 "no subcommand" -- "$BGPSEC"
expect 0 "help" -- "$BGPSEC" --help

# --- the RFC 8608 example ------------------------------------------------------------------
python3 - "$BGPSEC_VECTORS_DIR/rfc8608.json" "$work" <<'PY'
import base64, json, sys
v = json.load(open(sys.argv[1]))
keys = [{"asn": k["asn"], "ski": k["ski"],
         "pubkey": base64.b64encode(bytes.fromhex(k["spki_der"])).decode()} for k in v["router_keys"]]
json.dump({"roas": [], "bgpsec_keys": keys}, open(sys.argv[2] + "/rfc.json", "w"))
for ex in v["examples"]:
    open(sys.argv[2] + "/" + ex["name"] + ".attr", "w").write(ex["bgpsec_path_attribute_with_iana_type_33"])
    msg = ex["bgp_update_message"]
    # rewrite the one type octet 0x1E -> 0x21 (the type code is not signed)
    i = msg.upper().index("901E00CD")
    open(sys.argv[2] + "/" + ex["name"] + ".msg", "w").write(msg[:i] + "902100CD" + msg[i + 8:])
PY
expect 0 "RFC 8608 IPv4 example verifies at AS 65537" -- "$BGPSEC" verify \
  --prefix 192.0.2.0/24 --attribute "$(cat "$work/ipv4.attr")" --as 65537 --rpki "$work/rfc.json"
expect 0 "RFC 8608 IPv6 example verifies at AS 65537" -- "$BGPSEC" verify \
  --prefix 2001:db8::/32 --attribute "$(cat "$work/ipv6.attr")" --as 65537 --rpki "$work/rfc.json"
expect 1 "RFC 8608 example at AS 65538" -- "$BGPSEC" verify \
  --prefix 192.0.2.0/24 --attribute "$(cat "$work/ipv4.attr")" --as 65538 --rpki "$work/rfc.json"
expect 0 "decode the RFC 8608 IPv4 UPDATE" -- "$BGPSEC" decode "$(cat "$work/ipv4.msg")"
check "the UPDATE carries 192.0.2.0/24 and both SKIs" -- \
  "'192.0.2.0/24' in json.dumps(out) and '47F23BF1AB2F8A9D26864EBBD8DF2711C74406EC' in json.dumps(out).upper()"
expect 0 "decode the RFC 8608 IPv6 UPDATE" -- "$BGPSEC" decode "$(cat "$work/ipv6.msg")"
check "the UPDATE carries 2001:db8::/32" -- "'2001:db8::/32' in json.dumps(out)"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
