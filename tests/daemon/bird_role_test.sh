#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# BGP Roles and OTC (RFC 9234, docs/roles.md) between bgpsecd X (AS 65020, 127.0.51.11) and
# BIRD 2 B (AS 65021, 127.0.51.12), both on $PORT; bird's `local role` and `require roles`.
#   1. peer - peer: the session comes up, each side sees the other's role; B's route reaches X
#      with OTC 65021 (B adds it towards a peer) and is no leak, X's route reaches B with OTC
#      65020 (`birdc show route all` BGP.otc).
#   2. customer - customer: NOTIFICATION 2/11 Role Mismatch, seen by X (show neighbors
#      last_error) and by B (show protocols all, its log).
#   3. X strict, B without a role: X sends 2/11, B receives it.
#   4. X provider, B customer: the route B sends up (no OTC) is accepted at X; a route with an
#      OTC from B (a customer) is a leak at X: kept in the Adj-RIB-In with route_leak, never in
#      the Loc-RIB, counted once.
# Run by ctest with BGPSECD, BGPSECCTL and PORT set. Addresses 127.0.51.11-12 belong to this test.
set -uo pipefail
: "${BGPSECD:?}" "${BGPSECCTL:?}" "${PORT:?}"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
need bird
x=127.0.51.11
b=127.0.51.12

# bird_config ROLE-LINES [EXPORT-FILTER]: B's config; ROLE-LINES go into the bgp protocol
bird_config() {
  cat >"$work/bird.conf" <<CONF
log "$work/bird.log" all;
router id 10.0.51.12;
debug protocols { states, events, packets };
protocol device { }
protocol static static4 { ipv4; route 10.21.0.0/16 blackhole; route 10.22.0.0/16 blackhole; }
protocol bgp x {
  local $b port $PORT as 65021;
  neighbor $x port $PORT as 65020;
  hold time 9; keepalive time 3;
  connect delay time 1; connect retry time 2; error wait time 1, 2;
  strict bind on; multihop 2;
  $1
  ipv4 { import all; export ${2:-all}; next hop address 192.0.2.12; };
}
CONF
}
# x_config LINE...: X's config, the LINEs in its neighbor table
x_config() {
  {
    global_toml x 65020 $x
    printf '\n[[network]]\nprefix = "10.20.0.0/16"\n'
    printf '\n[[policy]]\nname = "all"\ndefault_action = "accept"\n'
    neighbor_toml $b 65021 $x '["ipv4"]' "$@"
  } >"$work/x.toml"
}
touch "$work/bird.log"
bird_json_py
judge_py <<'PY'
def route(out, prefix):
    return next((r for r in out["routes"] if r["prefix"] == prefix), None)
def nb(out):
    return out["neighbors"][0]
def broute(out, prefix):
    return next((r for r in out["routes"] if r["prefix"] == prefix), None)
PY
up="nb(out)['state'] == 'established'"

# ----- 1. peer - peer ----------------------------------------------------------------------------
bird_config 'local role peer;'
x_config 'role = "peer"'
start x
wait_listening $x || bad "X does not listen"
start_bird
expect "peer-peer: X established, roles recorded" 30 \
  "$up and nb(out)['role'] == {'local': 'peer', 'peer': 'peer', 'strict': False, 'leaks_received': 0, 'leaks_held_back': 0}" \
  ctl x show neighbors
expect "peer-peer: B established" 30 "out.get('state') == 'up'" proto x
expect "B's route reaches X with B's OTC, no leak" 30 \
  "(r := route(out, '10.21.0.0/16')) is not None and r['otc'] == 65021 and not r['route_leak']" \
  ctl x show routes
expect "X's route reaches B with X's OTC" 30 \
  "(r := broute(out, '10.20.0.0/16')) is not None and r['attrs'].get('BGP.otc') == '65020'" \
  bird_routes
text=$("$BGPSECCTL" --socket "$work/x.sock" show neighbors 2>&1)
if grep -F "$b: role peer, peer role peer; 0 leaks received, 0 held back" <<<"$text" >/dev/null; then ok
else bad "show neighbors text: $text"; fi

# ----- 2. customer - customer: Role Mismatch ----------------------------------------------------
x_config 'role = "customer"'
ctl x reload >/dev/null 2>&1 || bad "reload at X (customer)"
bird_config 'local role customer;'
birdc -s "$bird_sock" configure >/dev/null 2>&1 || bad "birdc configure (customer)"
expect "customer-customer: X reports 2/11 Role Mismatch" 40 \
  "'2/11' in nb(out).get('last_error', '') and 'Role Mismatch' in nb(out)['last_error'] and not $up" \
  ctl x show neighbors
expect "customer-customer: B reports a role mismatch" 40 \
  "'role mismatch' in out['text'].lower() and out.get('state') != 'up'" proto x
if grep -i "role mismatch" "$work/bird.log" >/dev/null; then ok
else bad "bird's log has no role mismatch: $(grep -i notif "$work/bird.log" | tail -3)"; fi

# ----- 3. X strict, B without a role ------------------------------------------------------------
x_config 'role = "peer"' 'role_strict = true'
ctl x reload >/dev/null 2>&1 || bad "reload at X (strict)"
bird_config ''
birdc -s "$bird_sock" configure >/dev/null 2>&1 || bad "birdc configure (no role)"
expect "strict: X sends 2/11 to a peer without a role" 40 \
  "'sent NOTIFICATION 2/11' in nb(out).get('last_error', '') and not $up" ctl x show neighbors
expect "strict: B receives the role mismatch" 40 \
  "'role mismatch' in out['text'].lower() and out.get('state') != 'up'" proto x

# ----- 4. X provider, B customer; a leak from B -------------------------------------------------
# B marks 10.22.0.0/16 with an OTC of its own making (a route it got from a provider, leaked
# up); BIRD itself would not send that route to a provider, so the filter sets the attribute
# after its own checks: B plays the leaker.
x_config 'role = "provider"'
ctl x reload >/dev/null 2>&1 || bad "reload at X (provider)"
bird_config 'local role customer;' 'filter { if net = 10.22.0.0/16 then bgp_otc = 65099; accept; }'
birdc -s "$bird_sock" configure >/dev/null 2>&1 || bad "birdc configure (leaker)"
expect "provider-customer: established" 40 \
  "$up and nb(out)['role']['local'] == 'provider' and nb(out)['role']['peer'] == 'customer'" \
  ctl x show neighbors
expect "the customer's own route is in X's Loc-RIB" 30 \
  "(r := route(out, '10.21.0.0/16')) is not None and 'otc' not in r" ctl x show routes
expect "the leak is in X's Adj-RIB-In, marked" 30 \
  "(r := route(out, '10.22.0.0/16')) is not None and r['route_leak'] and r['otc'] == 65099" \
  ctl x show routes --received --peer $b
expect "and not in X's Loc-RIB" 5 "route(out, '10.22.0.0/16') is None" ctl x show routes
expect "counted once" 5 "nb(out)['role']['leaks_received'] == 1" ctl x show neighbors
text=$("$BGPSECCTL" --socket "$work/x.sock" show routes --received --peer $b 2>&1)
if grep -E '^ L +10\.22\.0\.0/16 ' <<<"$text" >/dev/null; then ok; else bad "show routes text: $text"; fi
# B refreshes its routes: the same leak again is not counted again.
birdc -s "$bird_sock" reload out x >/dev/null 2>&1
sleep 3
expect "a route sent again is not counted again" 5 "nb(out)['role']['leaks_received'] == 1" \
  ctl x show neighbors

summary
