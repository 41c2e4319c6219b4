#!/usr/bin/env bash
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

# --- rpki-json -------------------------------------------------------------------------
expect 0 "rpki-json" -- "$BGPSEC" rpki-json --key-dir "$keys" --roa 192.0.2.0/24=65001 \
  --roa 2001:db8::/32-48=65001
check "rpki-json lists every key and ROA" -- \
  "len(out['bgpsec_keys']) == 4 and len(out['roas']) == 2 and out['roas'][1]['maxLength'] == 48"
cp "$work/out" "$work/rpki.json"

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

expect 0 "sign with prepending (pCount 3)" -- "$BGPSEC" sign --prefix 2001:db8::/32 \
  --as-path "65002 65002 65002 65001" --target-as 65003 --key-dir "$keys"
attr6=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["attribute"])' "$work/out")
expect 0 "decode the signed attribute" -- "$BGPSEC" decode --attribute "$attr6"
check "pCount 3 then 1" -- "'3' in json.dumps(out) and 'pcount' in json.dumps(out).lower()"
expect 0 "verify the prepended IPv6 path" -- "$BGPSEC" verify --prefix 2001:db8::/32 \
  --attribute "$attr6" --as 65003 --rpki "$work/rpki.json"

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
