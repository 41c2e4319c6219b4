#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# RFC 8374 §8.1 step 2: origin validation and import policy come before any crypto. A (AS
# 65801) signs 10.80.0.0/16 to M (AS 65802, drop_origin_invalid = true); the RPKI data has a
# ROA for it with another AS, so the origin is Invalid and M must reject the route without
# verifying a single signature. When the ROA is corrected (reload), M verifies and installs it.
# Run by ctest with BGPSECD, BGPSECCTL, BGPSEC and PORT set. Addresses 127.0.8.1-9 and port
# $PORT belong to this test.
set -uo pipefail
: "${BGPSECD:?}" "${BGPSECCTL:?}" "${BGPSEC:?}" "${PORT:?}"
. "$(dirname "$0")/lib.sh"
a=127.0.8.1
m=127.0.8.2
for asn in 65801 65802; do "$BGPSEC" keygen --asn $asn --out "$work/keys" >/dev/null; done
rpki() {  # rpki ROA-ASN: both keys and the ROA for A's prefix
  "$BGPSEC" rpki-json --key-dir "$work/keys" --roa "10.80.0.0/16=$1" >"$work/rpki.json.new" &&
    mv "$work/rpki.json.new" "$work/rpki.json"
}
rpki 65999
{
  node_toml a 65801 $a "$work/rpki.json" "$work/keys" 10.80.0.0/16
  neighbor_toml $m 65802 $a '["ipv4"]' 'bgpsec = true'
} >"$work/a.toml"
{
  global_toml m 65802 $m
  printf '\n[rpki]\nfiles = ["%s"]\n\n[bgpsec]\nkey_dir = "%s"\ndrop_origin_invalid = true\n' \
    "$work/rpki.json" "$work/keys"
  printf '\n[[policy]]\nname = "all"\ndefault_action = "accept"\n'
  neighbor_toml $a 65801 $m '["ipv4"]' 'bgpsec = true' 'passive = true'
} >"$work/m.toml"
start m
# A dials once M listens (a refused first attempt would wait out the ConnectRetry time).
for _ in $(seq 50); do
  python3 -c "import socket; socket.create_connection(('$m', $PORT), timeout=1).close()" \
    2>/dev/null && break
  sleep 0.1
done
start a

judge_py <<'PY'
def nb(out, peer):
    return next(n for n in out["neighbors"] if n["peer"] == peer)
def route(out, prefix):
    return next((r for r in out["routes"] if r["prefix"] == prefix), None)
PY
expect "M holds A's route in its Adj-RIB-In, Pending, signatures not checked" 30 \
  "(r := route(out, '10.80.0.0/16')) and r['path_state'] == 'pending'" \
  ctl m show routes --received --peer $a
expect "M counts one route and one signature not verified" 10 \
  "nb(out, '$a')['counters']['validations_avoided'] == 1 and nb(out, '$a')['counters']['signatures_not_verified'] == 1" \
  ctl m show neighbors
expect "M ran no verification at all (RFC 8374 §8.1)" 5 \
  "out['validation']['completed'] == 0 and out['validation']['signatures_checked'] == 0" ctl m show rpki
expect "the route is not in M's Loc-RIB" 5 "route(out, '10.80.0.0/16') is None" ctl m show routes
# The ROA corrected: the route can now be installed, so its signature is checked.
rpki 65801
ctl m reload >/dev/null 2>&1 || bad "reload at m"
expect "after the ROA change M verified the path and installed the route Valid" 20 \
  "(r := route(out, '10.80.0.0/16')) and r['path_state'] == 'valid' and r['origin_state'] == 'valid'" \
  ctl m show routes
expect "one verification ran" 5 "out['validation']['completed'] == 1" ctl m show rpki
summary
