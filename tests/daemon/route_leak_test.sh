#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Route leaks between four bgpsecd (docs/roles.md, docs/aspa.md §7):
#   O  AS 65010  127.0.51.1  originates 10.10.0.0/16; customer of P1
#   P1 AS 65001  127.0.51.2  provider of O and of L
#   L  AS 65003  127.0.51.3  customer of P1 and of P2, originates 10.30.0.0/16 (metrics 18402)
#   P2 AS 65002  127.0.51.4  provider of L; ASPA data from a JSON file (metrics 18401)
# L passing P1's route 10.10.0.0/16 on to P2 is a route leak (a valley: up, down, up).
#   1. Roles everywhere: P1 marks the route OTC 65001 on its way down to L, and L's own egress
#      holds it back from its provider P2 (counted once at L); P2 never sees it.
#   2. L without roles (a legacy leaker), P1 still with roles: the route reaches P2 with OTC
#      65001 from a customer: a leak at P2's ingress, kept in its Adj-RIB-In, not selected.
#   3. P1 without roles too: no OTC anywhere, so the leak reaches P2's Loc-RIB, where ASPA,
#      upstream since P2's role towards L is provider, finds it Invalid; L's own route (a
#      valley-free path) is Valid.
# Run by ctest with BGPSECD, BGPSECCTL and PORT set. Addresses 127.0.51.1-9 and ports
# $PORT-$((PORT + 8)) belong to this test.
set -uo pipefail
: "${BGPSECD:?}" "${BGPSECCTL:?}" "${PORT:?}"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
o=127.0.51.1
p1=127.0.51.2
l=127.0.51.3
p2=127.0.51.4
p2_metrics=$p2:$((PORT + 1))
l_metrics=$l:$((PORT + 2))

cat >"$work/rpki.json" <<'JSON'
{"roas": [], "bgpsec_keys": [], "aspas": [
  {"customer_asid": 65010, "providers": [65001]},
  {"customer_asid": 65003, "providers": [65001, 65002]},
  {"customer_asid": 65001, "providers": [65999]},
  {"customer_asid": 65002, "providers": [65999]}
]}
JSON

# node NAME ASN ADDR NETWORK|- [TOML]: the start of a config (before the neighbors)
node() {
  global_toml "$1" "$2" "$3"
  [ "$4" != - ] && printf '\n[[network]]\nprefix = "%s"\n' "$4"
  printf '%b' "${5:-}"
  printf '\n[[policy]]\nname = "all"\ndefault_action = "accept"\n'
}
# role ROLE|-: the neighbor line for ROLE, nothing for -
role() { [ "$1" != - ] && printf 'role = "%s"' "$1"; }
# write_configs L-ROLES P1-ROLES: "yes" or "no" for each
write_configs() {
  local lr=$1 pr=$2
  {
    node o 65010 $o 10.10.0.0/16
    neighbor_toml $p1 65001 $o '["ipv4"]' "$(role customer)"
  } >"$work/o.toml"
  {
    node p1 65001 $p1 -
    neighbor_toml $o 65010 $p1 '["ipv4"]' 'passive = true' "$(role "$([ "$pr" = yes ] && echo provider || echo -)")"
    neighbor_toml $l 65003 $p1 '["ipv4"]' 'passive = true' "$(role "$([ "$pr" = yes ] && echo provider || echo -)")"
  } >"$work/p1.toml"
  {
    node l 65003 $l 10.30.0.0/16
    neighbor_toml $p1 65001 $l '["ipv4"]' "$(role "$([ "$lr" = yes ] && echo customer || echo -)")"
    neighbor_toml $p2 65002 $l '["ipv4"]' "$(role "$([ "$lr" = yes ] && echo customer || echo -)")"
  } >"$work/l.toml"
  {
    node p2 65002 $p2 - "\n[rpki]\nfiles = [\"$work/rpki.json\"]\n"
    neighbor_toml $l 65003 $p2 '["ipv4"]' 'passive = true' "$(role provider)"
  } >"$work/p2.toml"
  sed -i "s/^listen = \"\"$/listen = \"$l_metrics\"/" "$work/l.toml"
  sed -i "s/^listen = \"\"$/listen = \"$p2_metrics\"/" "$work/p2.toml"
}
write_configs yes yes

judge_py <<'PY'
def route(out, prefix):
    return next((r for r in out["routes"] if r["prefix"] == prefix), None)
def role(out):
    return out["neighbors"][0]["role"]
PY
scrape() { python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())' "http://$1/metrics" 2>&1; }

start p1
start p2
wait_listening $p1 || bad "P1 does not listen"
wait_listening $p2 || bad "P2 does not listen"
start o
start l

# ----- 1. roles everywhere: L's egress holds the leak back -----------------------------------------
expect "L has P1's route, marked OTC 65001 by P1" 40 \
  "(r := route(out, '10.10.0.0/16')) is not None and r['otc'] == 65001 and not r['route_leak']" \
  ctl l show routes
expect "P2 has L's own route, unmarked, ASPA valid (upstream)" 40 \
  "(r := route(out, '10.30.0.0/16')) is not None and 'otc' not in r and r['aspa_state'] == 'valid'" \
  ctl p2 show routes
expect "P2 never got the leak" 5 "route(out, '10.10.0.0/16') is None" \
  ctl p2 show routes --received --peer $l
expect "L counted the route held back from P2 once" 5 \
  "role(out) == {'local': 'customer', 'peer': 'provider', 'strict': False, 'leaks_received': 0, 'leaks_held_back': 1}" \
  ctl l show neighbors $p2
m=$(scrape "$l_metrics")
if grep -x "bgpsecd_route_leaks_total{direction=\"egress\",peer=\"$p2\"} 1" <<<"$m" >/dev/null &&
  grep -x "bgpsecd_route_leaks_total{direction=\"egress\",peer=\"$p1\"} 0" <<<"$m" >/dev/null; then ok
else bad "L's metrics: $(grep route_leaks <<<"$m")"; fi

# ----- 2. L a legacy leaker: P2's ingress catches the OTC -------------------------------------------
write_configs no yes
ctl l reload >/dev/null 2>&1 || bad "reload at L (no roles)"
expect "the leak reaches P2's Adj-RIB-In, marked a leak" 40 \
  "(r := route(out, '10.10.0.0/16')) is not None and r['route_leak'] and r['otc'] == 65001" \
  ctl p2 show routes --received --peer $l
expect "not in P2's Loc-RIB" 5 "route(out, '10.10.0.0/16') is None" ctl p2 show routes
expect "P2 counted it once" 5 "role(out)['leaks_received'] == 1" ctl p2 show neighbors
m=$(scrape "$p2_metrics")
if grep -x "bgpsecd_route_leaks_total{direction=\"ingress\",peer=\"$l\"} 1" <<<"$m" >/dev/null; then ok
else bad "P2's metrics: $(grep route_leaks <<<"$m")"; fi

# ----- 3. no OTC anywhere: ASPA finds the leak Invalid ---------------------------------------------
write_configs no no
ctl p1 reload >/dev/null 2>&1 || bad "reload at P1 (no roles)"
expect "the unmarked leak is in P2's Loc-RIB, ASPA invalid by the upstream procedure" 40 \
  "(r := route(out, '10.10.0.0/16')) is not None and 'otc' not in r and not r['route_leak'] and r['aspa_state'] == 'invalid' and r['aspa']['procedure'] == 'upstream'" \
  ctl p2 show routes
expect "the valley-free route stays valid" 5 \
  "route(out, '10.30.0.0/16')['aspa_state'] == 'valid'" ctl p2 show routes
expect "P2's ingress leak count is unchanged" 5 "role(out)['leaks_received'] == 1" \
  ctl p2 show neighbors

summary
