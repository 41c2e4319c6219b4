#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# RFC 8374 §8.7: a route received over iBGP marked "validation deferred" (our path-state
# community with value 3) is validated by the egress itself, with the default
# ibgp_state = "trust" too, and a route marked Valid by the ingress is trusted as it is.
# bgpsecd M (AS 65902, 127.0.9.1) and the scripted iBGP peer P (AS 65902, 127.0.9.2) sending
# paths signed by AS 65901 for M's AS: a good one and a forged one, both marked deferred, and a
# forged one marked Valid (trusted, so it stays Valid: the ingress vouches for it).
# Run by ctest with BGPSECD, BGPSECCTL, BGPSEC and PORT set. Addresses 127.0.9.1-9 and port
# $PORT belong to this test.
set -uo pipefail
: "${BGPSECD:?}" "${BGPSECCTL:?}" "${BGPSEC:?}" "${PORT:?}"
. "$(dirname "$0")/lib.sh"
peer_py="$(dirname "$0")/bgp_test_peer.py"
m=127.0.9.1
p=127.0.9.2
for asn in 65901 65902; do "$BGPSEC" keygen --asn $asn --out "$work/keys" >/dev/null; done
"$BGPSEC" rpki-json --key-dir "$work/keys" --roa 10.90.0.0/15-24=65901 >"$work/rpki.json"
{
  node_toml m 65902 $m "$work/rpki.json" "$work/keys"
  neighbor_toml $p 65902 $m '["ipv4"]' 'bgpsec = true' 'passive = true'
} >"$work/m.toml"
start m

sign() {  # sign PREFIX: A's BGPsec_PATH for PREFIX towards M's AS
  "$BGPSEC" sign --prefix "$1" --as-path 65901 --target-as 65902 --key-dir "$work/keys" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["attribute"])'
}
forged() {  # forged PREFIX: the same with one signature bit flipped (last octet)
  local a
  a=$(sign "$1")
  printf '%s%02x\n' "${a%??}" $(((16#${a: -2}) ^ 1))
}
state_community() {  # state_community CODE: EXTENDED_COMMUNITIES with our path-state community
  printf 'c01008438800000000000%s\n' "$1"
}
local_pref=4005040000006e # LOCAL_PREF 110 (iBGP)
upd() { python3 "$peer_py" update --next-hop 192.0.2.90 --mp "$1" --attr "$local_pref" --attr "$2" --attr "$3"; }
{
  upd 10.90.1.0/24 "$(sign 10.90.1.0/24)" "$(state_community 3)"
  upd 10.90.2.0/24 "$(forged 10.90.2.0/24)" "$(state_community 3)"
  upd 10.90.3.0/24 "$(forged 10.90.3.0/24)" "$(state_community 0)"
} >"$work/p.in"
python3 "$peer_py" session --asn 65902 --router-id $p --connect "$m:$PORT" --bind $p \
  --families ipv4 --hold-time 30 --timeout 600 --updates "$work/p.in" >"$work/p.out" 2>&1 &
pids+=($!)

judge_py <<'PY'
def state(out, prefix):
    return next((r['path_state'] for r in out['routes'] if r['prefix'] == prefix), None)
PY
expect "deferred and good: M validated it itself (valid)" 30 \
  "state(out, '10.90.1.0/24') == 'valid'" ctl m show routes
expect "deferred and forged: M validated it itself (not-valid)" 10 \
  "state(out, '10.90.2.0/24') == 'not-valid'" ctl m show routes
expect "marked Valid by the ingress: trusted (ibgp_state = trust)" 10 \
  "state(out, '10.90.3.0/24') == 'valid'" ctl m show routes
expect "M verified exactly the two deferred paths" 5 "out['validation']['completed'] == 2" \
  ctl m show rpki
summary
