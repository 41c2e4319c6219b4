#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# ASPA verification in the daemon (docs/aspa.md §7-§8). D (AS 65000) has a provider, P
# (AS 65001, a scripted peer), and an iBGP neighbor I; the ASPA records come from an
# rpki-client style JSON file. P sends four unsigned routes:
#   10.1.0.0/16  65001 65100        65100 names 65001 its provider: valid
#   10.2.0.0/16  65001 65200 65300  65001, 65200 and 65300 each name only AS 65999: no two of
#                                   them are provider and customer, a path no valley-free
#                                   route could take: invalid
#   10.3.0.0/16  65001 65500 65400  65500 and 65400 have no ASPA: unknown
#   10.4.0.0/16  65001 65001 65100  a prepend collapses: valid
# Checked: D's states (and the same answers from `bgpsec aspa` on the same file), the hop
# `show routes` names, the text column, the metrics; the state carried to I in the
# community and trusted there; an ASPA change that makes 10.2 valid revalidates that route
# only; `[aspa] drop_invalid` and a policy on `aspa_state`, applied by reload.
# Run by ctest with BGPSECD, BGPSECCTL, BGPSEC and PORT set. Addresses 127.0.52.1-9 and ports
# $PORT-$((PORT + 9)) belong to this test.
set -uo pipefail
: "${BGPSECD:?}" "${BGPSECCTL:?}" "${BGPSEC:?}" "${PORT:?}"
. "$(dirname "$0")/lib.sh"
d=127.0.52.1
p=127.0.52.2
i=127.0.52.3
metrics=$d:$((PORT + 1))
peer_py="$(dirname "$0")/bgp_test_peer.py"

# aspa_json FILE 10.2-RECORDS: the RPKI file; the second argument is the JSON of the records
# of 65200 and 65300, which the change step rewrites.
aspa_json() {
  cat >"$1.new" <<JSON
{"roas": [{"prefix": "10.1.0.0/16", "maxLength": 16, "asn": 65100}], "bgpsec_keys": [], "aspas": [
  {"customer_asid": 65100, "providers": [65001]},
  {"customer_asid": 65001, "providers": [65999]},
  $2
]}
JSON
  mv "$1.new" "$1"
}
aspa_json "$work/rpki.json" '{"customer_asid": 65200, "providers": [65999]},
  {"customer_asid": 65300, "providers": [65999]}'

d_toml() {  # d_toml [EXTRA-TOML]: D's config, EXTRA-TOML before the neighbors
  global_toml d 65000 $d
  printf '\n[rpki]\nfiles = ["%s"]\n' "$work/rpki.json"
  printf '%b' "${1:-}"
  printf '\n[[policy]]\nname = "all"\ndefault_action = "accept"\n'
  neighbor_toml $p 65001 $d '["ipv4"]' 'passive = true'
  neighbor_toml $i 65000 $d '["ipv4"]'
}
d_toml >"$work/d.toml"
sed -i "s/^listen = \"\"$/listen = \"$metrics\"/" "$work/d.toml"
{
  global_toml i 65000 $i
  printf '\n[[policy]]\nname = "all"\ndefault_action = "accept"\n'
  neighbor_toml $d 65000 $i '["ipv4"]' 'passive = true'
} >"$work/i.toml"

update() { python3 "$peer_py" update --next-hop $p --as-path "$1" --nlri "$2"; }
{
  update "65001 65100" 10.1.0.0/16
  update "65001 65200 65300" 10.2.0.0/16
  update "65001 65500 65400" 10.3.0.0/16
  update "65001 65001 65100" 10.4.0.0/16
} >"$work/p.updates"

start i
wait_listening $i || bad "I does not listen"  # D's first connection attempt must get through
start d
wait_listening $d || bad "D does not listen"
python3 "$peer_py" session --asn 65001 --router-id $p --bind $p --connect $d:$PORT \
  --families ipv4 --no-bgpsec --updates "$work/p.updates" --timeout 240 >"$work/p.out" 2>&1 &
pids+=($!)

judge_py <<'PY'
def route(out, prefix):
    return next((r for r in out["routes"] if r["prefix"] == prefix), None)
def states(out):
    return {r["prefix"]: r["aspa_state"] for r in out["routes"] if r["prefix"].startswith("10.")}
PY
expected="{'10.1.0.0/16': 'valid', '10.2.0.0/16': 'invalid', '10.3.0.0/16': 'unknown', '10.4.0.0/16': 'valid'}"
expect "D's ASPA states (downstream: P is a provider)" 30 "states(out) == $expected" \
  ctl d show routes

# The offline tool on the same file gives the same answers.
for case in "65001 65100:valid" "65001 65200 65300:invalid" "65001 65500 65400:unknown" \
  "65001 65001 65100:valid"; do
  path=${case%:*}
  want=${case##*:}
  got=$("$BGPSEC" aspa --as-path "$path" --direction down --neighbor-as 65001 \
    --rpki "$work/rpki.json" 2>&1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["aspa"])' 2>&1)
  if [ "$got" = "$want" ]; then ok; else bad "bgpsec aspa '$path': $got, not $want"; fi
done

expect "show routes names the reason and the hop of the invalid route" 5 \
  "(a := route(out, '10.2.0.0/16').get('aspa')) and a['procedure'] == 'downstream' and a['reason'] == 'not-provider+' and a['up_hop']['customer'] == 65300 and a['up_hop']['provider'] == 65200" \
  ctl d show routes
expect "no detail under a valid route" 5 "'aspa' not in route(out, '10.1.0.0/16')" ctl d show routes
expect "the Adj-RIB-In view gives the same states" 5 "states(out) == $expected" \
  ctl d show routes --received --peer $p
# The origin state too (RFC 6811: 10.1's ROA names its origin), as import finds it.
expect "the Adj-RIB-In view gives the origin states" 5 \
  "route(out, '10.1.0.0/16')['origin_state'] == 'valid' and route(out, '10.2.0.0/16')['origin_state'] == 'not-found'" \
  ctl d show routes --received --peer $p
expect "invalid ranks 10 lower by default" 5 \
  "route(out, '10.2.0.0/16')['local_pref'] == 90 and route(out, '10.1.0.0/16')['local_pref'] == 100" \
  ctl d show routes
text=$("$BGPSECCTL" --socket "$work/d.sock" show routes 2>&1)
if grep -E '^>? *10\.2\.0\.0/16 .* invalid ' <<<"$text" >/dev/null &&
  grep -F 'aspa invalid (downstream): not-provider+, up-ramp ends at AS65300 -> AS65200' <<<"$text" >/dev/null; then ok
else bad "show routes text: $text"; fi

scrape() { python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())' "http://$metrics/metrics" 2>&1; }
m=$(scrape)
if grep -x 'bgpsecd_loc_rib_aspa_routes{state="invalid"} 1' <<<"$m" >/dev/null &&
  grep -x 'bgpsecd_loc_rib_aspa_routes{state="valid"} 2' <<<"$m" >/dev/null &&
  grep -x 'bgpsecd_rpki_aspa_customers 4' <<<"$m" >/dev/null; then ok
else bad "metrics: $(grep aspa <<<"$m")"; fi

# iBGP: I trusts the state D put on each route (it has no ASPA data of its own).
expect "I has D's states from the community" 30 "states(out) == $expected" ctl i show routes

# An ASPA change: 65300 -> 65200 -> 65001, so 10.2 goes up a provider chain to P: valid.
# Only the route through 65200 / 65300 is looked at again.
aspa_json "$work/rpki.json" '{"customer_asid": 65200, "providers": [65001]},
  {"customer_asid": 65300, "providers": [65200]}'
ctl d reload >/dev/null 2>&1 || bad "reload at D"
expect "after the change 10.2 is valid at D" 20 "route(out, '10.2.0.0/16')['aspa_state'] == 'valid'" \
  ctl d show routes
expect "the change revalidated exactly one route" 5 "out['last_change_routes_revalidated'] == 1" \
  ctl d show rpki
expect "and I follows" 20 "route(out, '10.2.0.0/16')['aspa_state'] == 'valid'" ctl i show routes

# Back to invalid, then drop_invalid by reload: the route leaves the Loc-RIB, stays received.
aspa_json "$work/rpki.json" '{"customer_asid": 65200, "providers": [65999]},
  {"customer_asid": 65300, "providers": [65999]}'
d_toml '\n[aspa]\ndrop_invalid = true\n' >"$work/d.toml"
sed -i "s/^listen = \"\"$/listen = \"$metrics\"/" "$work/d.toml"
ctl d reload >"$work/reload.json" 2>&1 || bad "reload at D: $(cat "$work/reload.json")"
if grep -F "aspa settings applied" "$work/reload.json" >/dev/null; then ok
else bad "reload does not say the aspa settings changed: $(cat "$work/reload.json")"; fi
expect "drop_invalid: 10.2 is not in D's Loc-RIB" 20 "route(out, '10.2.0.0/16') is None" \
  ctl d show routes
expect "but still in its Adj-RIB-In, invalid" 5 "route(out, '10.2.0.0/16')['aspa_state'] == 'invalid'" \
  ctl d show routes --received --peer $p
expect "and withdrawn from I" 20 "route(out, '10.2.0.0/16') is None" ctl i show routes

# A policy instead: unknown routes rejected on import, invalid ones kept.
d_toml '' >"$work/d.toml"
sed -i "s/^default_action = \"accept\"$/default_action = \"accept\"\n[[policy.rule]]\nmatch = { aspa_state = \"unknown\" }\naction = \"reject\"/" "$work/d.toml"
sed -i "s/^listen = \"\"$/listen = \"$metrics\"/" "$work/d.toml"
ctl d reload >/dev/null 2>&1 || bad "reload at D (policy)"
expect "policy on aspa_state: 10.3 rejected, 10.2 back" 20 \
  "route(out, '10.3.0.0/16') is None and route(out, '10.2.0.0/16')['aspa_state'] == 'invalid'" \
  ctl d show routes

summary
