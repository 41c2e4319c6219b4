#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# bgpsecd against GoBGP on loopback: bgpsecd (127.0.0.50:$PORT, AS 4200000001)
# and gobgpd (127.0.0.51:$PORT, AS 65010, gRPC API on 127.0.0.51:$API_PORT), one eBGP session
# carrying IPv4 and IPv6 unicast (IPv6 NLRI over the IPv4 session: GoBGP accepts bgpsecd's
# IPv4-mapped IPv6 next hop). Read back through `gobgp -j` and `bgpsecctl --json`:
#   session and 4-octet ASNs; routes both ways with AS path, next hop, origin and path state;
#   reload (a network added, the import policy changed) keeps the session; withdraw both ways;
#   route refresh both ways; hard reset; gobgpd restarted; bgpsecd stopped.
# GoBGP treats a 127/8 NEXT_HOP as withdrawn (docs/peers.md §3.1), so bgpsecd's IPv4
# routes only arrive when bgpsecd can send another next hop (neighbor `next_hop_ipv4`); the
# test uses that key when `bgpsecd -n` accepts it, and fails the IPv4 check otherwise.
# Run by ctest with BGPSECD, BGPSECCTL, PORT and API_PORT set; KEEP=1 keeps the work directory.
set -uo pipefail
: "${BGPSECD:?}" "${BGPSECCTL:?}" "${PORT:?}" "${API_PORT:?}"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
need gobgpd
us=127.0.0.50
them=127.0.0.51
gobgp=(gobgp -u "$them" -p "$API_PORT")
bgpsecd_pid=
gobgpd_pid=
stop_pid() {  # stop_pid PID: TERM, then wait for it (gobgpd takes more than a second)
  [ -n "$1" ] || return 0
  kill "$1" 2>/dev/null
  wait "$1" 2>/dev/null
}
on_cleanup() {
  stop_pid "$bgpsecd_pid"
  stop_pid "$gobgpd_pid"
}

# ----- JSON polling helpers -------------------------------------------------------------------
judge_py <<'PY'
def aspath(p):  # a GoBGP path's AS_PATH, flattened
    return [a for at in p.get("attrs", []) if at.get("type") == 2
            for seg in at.get("as_paths", []) for a in seg.get("asns", [])]

def nexthop(p):  # NEXT_HOP or the MP_REACH next hop of a GoBGP path
    for at in p.get("attrs", []):
        if at.get("type") in (3, 14):
            return at.get("nexthop")
    return None

def gpath(out, prefix, neighbor):  # the GoBGP path of `prefix` learned from `neighbor`, or None
    return next((p for p in out.get(prefix, []) if p.get("neighbor-ip") == neighbor), None)

def has(out, prefix, **fields):  # a bgpsecctl route of `prefix` with these field values
    return any(r["prefix"] == prefix and all(r.get(k) == v for k, v in fields.items())
               for r in out["routes"])

def prefixes(out):
    return {r["prefix"] for r in out["routes"]}
PY
g() { "${gobgp[@]}" -j "$@"; }

# ----- configs --------------------------------------------------------------------------------
cat >"$work/gobgpd.toml" <<TOML
[global.config]
  as = 65010
  router-id = "10.0.0.51"
  port = $PORT
  local-address-list = ["$them"]
[[neighbors]]
  [neighbors.config]
    neighbor-address = "$us"
    peer-as = 4200000001
  [neighbors.transport.config]
    local-address = "$them"
    remote-port = $PORT
  [neighbors.timers.config]
    connect-retry = 2
    hold-time = 9
    keepalive-interval = 3
    idle-hold-time-after-reset = 1
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-unicast"
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv6-unicast"
TOML

# Does this bgpsecd let a neighbor's next hop be configured? (See the header.)
printf '[global]\nasn = 4200000001\nrouter_id = "10.0.0.50"\n[[neighbor]]\naddress = "%s"\nremote_as = 65010\nnext_hop_ipv4 = "192.0.2.50"\nnext_hop_ipv6 = "2001:db8:ffff::50"\n' \
  "$them" >"$work/probe.toml"
if "$BGPSECD" -n -c "$work/probe.toml" >/dev/null 2>&1; then
  next_hops=$'next_hop_ipv4 = "192.0.2.50"\nnext_hop_ipv6 = "2001:db8:ffff::50"'
  nh4=192.0.2.50
  nh6=2001:db8:ffff::50
else
  next_hops=
  nh4=$us
  nh6=$us  # ::ffff:127.0.0.50, which gobgp prints as 127.0.0.50
fi

# bgpsecd_config IMPORT-POLICY NETWORK...: (re)writes bgpsecd's config
bgpsecd_config() {
  local import=$1
  shift
  {
    cat <<TOML
[global]
asn = 4200000001
router_id = "10.0.0.50"
listen = ["$us:$PORT"]
hold_time = 9
graceful_restart_time = 30

[control]
socket = "$work/bgpsecd.sock"

[metrics]
listen = ""
TOML
    for prefix in "$@"; do printf '\n[[network]]\nprefix = "%s"\n' "$prefix"; done
    cat <<TOML

[[policy]]
name = "all"
default_action = "accept"

[[policy]]
name = "pref200"
default_action = "accept"

[[policy.rule]]
set = { local_pref = 200 }
action = "accept"

[[neighbor]]
address = "$them"
remote_as = 65010
local_address = "$us"
port = $PORT
families = ["ipv4", "ipv6"]
import = "$import"
export = "all"
$next_hops
TOML
  } >"$work/bgpsecd.toml"
}

start_gobgpd() {
  gobgpd -f "$work/gobgpd.toml" --api-hosts "$them:$API_PORT" --pprof-disable -l info \
    >>"$work/gobgpd.log" 2>&1 &
  gobgpd_pid=$!
  local deadline=$((SECONDS + 15))
  until "${gobgp[@]}" global >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || { echo "gobgpd did not come up:"; tail -5 "$work/gobgpd.log"; exit 1; }
    sleep 0.2
  done
  # Routes gobgpd originates, with non-loopback next hops (docs/peers.md §3.1).
  "${gobgp[@]}" global rib add -a ipv4 10.51.0.0/16 nexthop 192.0.2.51 origin igp || exit 1
  "${gobgp[@]}" global rib add -a ipv4 10.52.0.0/16 nexthop 192.0.2.51 origin igp aspath 4200000099 || exit 1
  "${gobgp[@]}" global rib add -a ipv6 2001:db8:51::/48 nexthop 2001:db8:ffff::51 origin igp || exit 1
}
start_bgpsecd() {
  "$BGPSECD" -c "$work/bgpsecd.toml" "${allow_root[@]}" >>"$work/bgpsecd.log" 2>&1 &
  bgpsecd_pid=$!
}

bgpsecd_config all 198.51.100.0/24 2001:db8:50::/48
start_gobgpd
start_bgpsecd

# ----- session: eBGP with 4-octet ASNs --------------------------------------------------------
established="out['neighbors'][0]['state'] == 'established'"
g_established="out['state'].get('session_state') == 6"
expect "bgpsecd: session with gobgpd" 30 \
  "$established and out['neighbors'][0]['peer_as'] == 65010 and out['neighbors'][0]['local_as'] == 4200000001" \
  ctl bgpsecd show neighbors "$them"
expect "gobgpd: session with bgpsecd, 4-octet AS 4200000001" 10 \
  "$g_established and out['state']['peer_asn'] == 4200000001 and any('FourOctetASN' in c['type_url'] for c in out['state']['remote_cap'])" \
  g neighbor "$us"

# ----- routes from gobgpd at bgpsecd ----------------------------------------------------------
from_them="peer='$them', path_state='unsigned', origin_state='not-found', best=True"
expect "bgpsecd lacks 10.51.0.0/16 [65010] via 192.0.2.51" 15 \
  "has(out, '10.51.0.0/16', as_path=[65010], next_hop='192.0.2.51', $from_them)" ctl bgpsecd show routes
expect "bgpsecd lacks 10.52.0.0/16 [65010 4200000099]" 5 \
  "has(out, '10.52.0.0/16', as_path=[65010, 4200000099], $from_them)" ctl bgpsecd show routes
expect "bgpsecd lacks 2001:db8:51::/48 [65010] via 2001:db8:ffff::51" 5 \
  "has(out, '2001:db8:51::/48', as_path=[65010], next_hop='2001:db8:ffff::51', $from_them)" ctl bgpsecd show routes
expect "bgpsecd's Adj-RIB-In from gobgpd" 5 \
  "prefixes(out) == {'10.51.0.0/16', '10.52.0.0/16', '2001:db8:51::/48'} and not any(r['stale'] for r in out['routes'])" \
  ctl bgpsecd show routes --received --peer "$them"

# ----- bgpsecd's networks at gobgpd -----------------------------------------------------------
expect "gobgpd lacks 2001:db8:50::/48 [4200000001] via $nh6" 10 \
  "(p := gpath(out, '2001:db8:50::/48', '$us')) is not None and aspath(p) == [4200000001] and nexthop(p) == '$nh6'" \
  g global rib -a ipv6
if poll 5 "(p := gpath(out, '198.51.100.0/24', '$us')) is not None and aspath(p) == [4200000001] and nexthop(p) == '$nh4'" \
  g global rib -a ipv4; then
  ok
else
  bad "gobgpd lacks 198.51.100.0/24 [4200000001] via $nh4; gobgpd says: $(grep -o '"Error":"[^"]*"' "$work/gobgpd.log" | sort -u | tr '\n' ' ')$([ -z "$next_hops" ] && echo "- bgpsecd can only send its 127/8 session address as NEXT_HOP, which GoBGP treats as withdrawn; it needs a configurable next hop (neighbor next_hop_ipv4)")"
fi
expect "bgpsecd's Adj-RIB-Out to gobgpd" 5 \
  "has(out, '198.51.100.0/24', as_path=[4200000001]) and has(out, '2001:db8:50::/48', as_path=[4200000001])" \
  ctl bgpsecd show routes --advertised --peer "$them"

# ----- reload: a network added keeps the session ----------------------------------------------
# Wait until the session is some seconds old, so that a reset would show in state_seconds.
poll 10 "out['neighbors'][0]['state_seconds'] >= 2" ctl bgpsecd show neighbors "$them"
opens=$(value "out['state']['messages']['received'].get('open', 0)" g neighbor "$us")
uptime=$(value "out['timers']['state']['uptime']" g neighbor "$us")
since=$(value "out['neighbors'][0]['state_seconds']" ctl bgpsecd show neighbors "$them")
age50=$(value "gpath(out, '2001:db8:50::/48', '$us')['age']" g global rib -a ipv6)
same_session() {  # same_session WHAT: gobgpd saw no new OPEN, both sides kept the session
  expect "$1: gobgpd's session was reset" 0 \
    "$g_established and out['state']['messages']['received'].get('open', 0) == $opens and out['timers']['state']['uptime'] == $uptime" \
    g neighbor "$us"
  expect "$1: bgpsecd's session was reset" 0 "$established and out['neighbors'][0]['state_seconds'] >= $since" \
    ctl bgpsecd show neighbors "$them"
}
bgpsecd_config all 198.51.100.0/24 2001:db8:50::/48 2001:db8:5a::/48
expect "reload with a network added" 0 "'networks changed' in out['changes']" ctl bgpsecd reload
expect "gobgpd lacks the added 2001:db8:5a::/48" 10 \
  "(p := gpath(out, '2001:db8:5a::/48', '$us')) is not None and aspath(p) == [4200000001]" g global rib -a ipv6
same_session "reload (network added)"
# The networks that did not change are not withdrawn and re-announced (their age stays).
expect "reload re-announced the unchanged 2001:db8:50::/48 (age was $age50)" 0 \
  "gpath(out, '2001:db8:50::/48', '$us')['age'] == $age50" g global rib -a ipv6

# ----- reload: the neighbor's import policy changed: soft, no reset ---------------------------
bgpsecd_config pref200 198.51.100.0/24 2001:db8:50::/48 2001:db8:5a::/48
expect "reload with the import policy changed" 0 "'neighbor $them policy applied' in out['changes']" ctl bgpsecd reload
expect "new import policy not applied (local_pref 200)" 10 \
  "has(out, '10.51.0.0/16', local_pref=200) and has(out, '2001:db8:51::/48', local_pref=200)" ctl bgpsecd show routes
same_session "reload (import policy)"

# ----- withdraw both ways ---------------------------------------------------------------------
"${gobgp[@]}" global rib del -a ipv4 10.52.0.0/16
"${gobgp[@]}" global rib del -a ipv6 2001:db8:51::/48
expect "gobgpd's withdrawals did not reach bgpsecd" 10 \
  "prefixes(out) & {'10.52.0.0/16', '2001:db8:51::/48'} == set() and '10.51.0.0/16' in prefixes(out)" ctl bgpsecd show routes
expect "bgpsecd's Adj-RIB-In after gobgpd's withdrawals" 5 "prefixes(out) == {'10.51.0.0/16'}" \
  ctl bgpsecd show routes --received --peer "$them"
bgpsecd_config pref200 198.51.100.0/24 2001:db8:50::/48
expect "reload with a network removed" 0 "'networks changed' in out['changes']" ctl bgpsecd reload
expect "bgpsecd's withdrawal of 2001:db8:5a::/48 did not reach gobgpd" 10 \
  "gpath(out, '2001:db8:5a::/48', '$us') is None and gpath(out, '2001:db8:50::/48', '$us') is not None" \
  g global rib -a ipv6
same_session "reload (network removed)"

# ----- route refresh both ways ----------------------------------------------------------------
# Soft out counts at gobgpd: the UPDATEs bgpsecd sends again (its whole Adj-RIB-Out, one
# UPDATE a route) must arrive, whatever the request says of itself. Soft in: gobgpd gets our
# ROUTE-REFRESH (one per family), and with Enhanced Route Refresh negotiated (RFC 7313) also a
# BoRR and an EoRR per family around the routes, which gobgpd counts as ROUTE-REFRESH too.
refreshes=$(value "out['state']['messages']['received'].get('refresh', 0)" g neighbor "$us")
updates_at_g=$(value "out['state']['messages']['received'].get('update', 0)" g neighbor "$us")
advertised=$(value "out['neighbors'][0]['prefixes']['advertised']" ctl bgpsecd show neighbors "$them")
enhanced=$(value "out['neighbors'][0]['route_refresh']['enhanced']" ctl bgpsecd show neighbors "$them")
ctl bgpsecd clear neighbor "$them" --soft >"$work/soft.json" 2>&1
expect "bgpsecctl clear neighbor --soft" 0 \
  "out['soft'] is True and out['route_refresh_sent'] is True and out['routes_sent'] == $advertised >= 2" \
  cat "$work/soft.json"
expect "gobgpd did not receive the $advertised UPDATEs bgpsecd sent again" 10 \
  "out['state']['messages']['received'].get('update', 0) >= $updates_at_g + $advertised" g neighbor "$us"
if [ "$enhanced" = True ]; then
  expect "gobgpd did not get ROUTE-REFRESH, BoRR and EoRR for both families" 10 \
    "out['state']['messages']['received'].get('refresh', 0) >= $refreshes + 6" g neighbor "$us"
  expect "bgpsecd did not count its BoRR / EoRR to gobgpd" 0 \
    "out['neighbors'][0]['counters']['borr_sent'] >= 2 and out['neighbors'][0]['counters']['eorr_sent'] >= 2" \
    ctl bgpsecd show neighbors "$them"
else
  expect "gobgpd got no ROUTE-REFRESH from bgpsecd" 10 \
    "out['state']['messages']['received'].get('refresh', 0) >= $refreshes + 2" g neighbor "$us"
fi
"${gobgp[@]}" neighbor "$us" softresetin || bad "gobgp softresetin failed"
updates_in=$(value "out['neighbors'][0]['counters']['updates_in']" ctl bgpsecd show neighbors "$them")
"${gobgp[@]}" neighbor "$us" softresetout || bad "gobgp softresetout failed"
expect "gobgpd's softresetout sent nothing to bgpsecd" 10 \
  "out['neighbors'][0]['counters']['updates_in'] > $updates_in" ctl bgpsecd show neighbors "$them"
same_session "route refresh"
expect "routes lost at bgpsecd after the route refreshes" 5 \
  "has(out, '10.51.0.0/16', as_path=[65010], local_pref=200)" ctl bgpsecd show routes
expect "routes lost at gobgpd after the route refreshes" 5 \
  "gpath(out, '2001:db8:50::/48', '$us') is not None" g global rib -a ipv6

# ----- hard reset: the session comes back with its routes ------------------------------------
expect "bgpsecctl clear neighbor" 0 "out['soft'] is False" ctl bgpsecd clear neighbor "$them"
expect "no new session after bgpsecctl clear neighbor" 40 \
  "$g_established and out['state']['messages']['received'].get('open', 0) > $opens" g neighbor "$us"
expect "bgpsecd: session not back after clear" 10 "$established" ctl bgpsecd show neighbors "$them"
expect "bgpsecd: routes not back after clear" 10 "has(out, '10.51.0.0/16', as_path=[65010], $from_them)" \
  ctl bgpsecd show routes
expect "gobgpd: routes not back after clear" 10 \
  "(p := gpath(out, '2001:db8:50::/48', '$us')) is not None and aspath(p) == [4200000001]" g global rib -a ipv6

# ----- gobgpd restarts ------------------------------------------------------------------------
stop_pid "$gobgpd_pid"
gobgpd_pid=
expect "bgpsecd kept gobgpd's routes after gobgpd stopped (Cease)" 10 \
  "not any(r['peer'] == '$them' for r in out['routes'])" ctl bgpsecd show routes
start_gobgpd
expect "bgpsecd: session not back after gobgpd restarted" 40 "$established" ctl bgpsecd show neighbors "$them"
expect "bgpsecd: routes not back after gobgpd restarted" 10 \
  "has(out, '10.51.0.0/16', as_path=[65010], $from_them) and has(out, '2001:db8:51::/48', as_path=[65010], $from_them)" \
  ctl bgpsecd show routes
expect "gobgpd: routes not back after its restart" 10 \
  "(p := gpath(out, '2001:db8:50::/48', '$us')) is not None and aspath(p) == [4200000001]" g global rib -a ipv6

# ----- bgpsecd stops: gobgpd withdraws its routes ---------------------------------------------
stop_pid "$bgpsecd_pid"
bgpsecd_pid=
expect "gobgpd kept bgpsecd's routes after bgpsecd stopped" 10 \
  "gpath(out, '2001:db8:50::/48', '$us') is None" g global rib -a ipv6

if [ "$fail" != 0 ]; then
  echo "--- bgpsecd"; tail -25 "$work/bgpsecd.log"
  echo "--- gobgpd"; grep -v '"level":"debug"' "$work/gobgpd.log" | tail -15
fi
summary
