#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# bgpsecd against BIRD 2 on loopback. bgpsecd is AS 4200000001, bird AS 65010
# with its own control socket in the work directory. Two eBGP sessions:
#   IPv4 unicast: bgpsecd 127.0.0.52:$PORT  <->  bird 127.0.0.53:$PORT
#   IPv6 unicast: bgpsecd [::1]:$PORT+1     <->  bird [::1]:$PORT+2
# IPv6 has a session of its own because BIRD refuses the IPv4-mapped IPv6 next hop bgpsecd sends
# for IPv6 NLRI over an IPv4 session ("Invalid NEXT_HOP attribute - mismatched address family").
# Read back through `birdc` and `bgpsecctl --json`: sessions and 4-octet ASNs; routes both ways
# with AS path, next hop, origin and path state; reload (a network added, the import policy
# changed) keeps the sessions; withdraw both ways; route refresh both ways; hard reset; bird
# restarted; graceful restart (RFC 4724) of bgpsecd (kill -9: bird keeps its routes) and of bird
# (`birdc graceful restart`: bgpsecd keeps bird's routes stale until bird's End-of-RIB).
# Run by ctest with BGPSECD, BGPSECCTL and PORT set; KEEP=1 keeps the work directory.
set -uo pipefail
: "${BGPSECD:?}" "${BGPSECCTL:?}" "${PORT:?}"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
need bird
sock=$bird_sock
us=127.0.0.52
them=127.0.0.53
port6=$((PORT + 1))      # bgpsecd on [::1]
bird_port6=$((PORT + 2)) # bird on [::1]

# ----- JSON polling helpers -------------------------------------------------------------------
bird_json_py
judge_py <<'PY'
def broute(out, prefix, proto):  # bird's route of `prefix` from protocol `proto`, or None
    return next((r for r in out["routes"] if r["prefix"] == prefix and r["proto"] == proto), None)

def bgp(out, prefix, proto, as_path, next_hop):  # bird has it with this AS path and next hop
    r = broute(out, prefix, proto)
    return (r is not None and r["attrs"].get("BGP.as_path") == as_path
            and r["attrs"].get("BGP.next_hop") == next_hop)

def has(out, prefix, **fields):  # a bgpsecctl route of `prefix` with these field values
    return any(r["prefix"] == prefix and all(r.get(k) == v for k, v in fields.items())
               for r in out["routes"])

def prefixes(out):
    return {r["prefix"] for r in out["routes"]}

def stale(out):  # {prefix: stale flag} of a bgpsecctl route list
    return {r["prefix"]: r["stale"] for r in out["routes"]}

def ms_of(hms):  # bird's "HH:MM:SS.mmm" as milliseconds of the day
    h, m, s = hms.split(":")
    return round(((int(h) * 60 + int(m)) * 60 + float(s)) * 1000)

# same_time(A, B): A and B name the same instant of bird's. bird keeps event times on the
# monotonic clock and prints them as wall-clock times by subtracting their age from the wall
# clock it last read, so one instant prints a millisecond or more apart from one `birdc` call to
# the next (seen: 08:38:59.291, then .292, under load). A session reset moves the time by at
# least bird's error wait (1 s) plus a new connection, and a re-announced route by the seconds
# between the baseline and the reload, so 250 ms tells a reset from the printing jitter.
def same_time(a, b):
    d = abs(ms_of(a) - ms_of(b)) % 86400000
    return min(d, 86400000 - d) <= 250
PY
# near_time A B: same_time for the shell
near_time() { python3 "$work/judge.py" "same_time('$1', '$2')" <<<'{}' 2>/dev/null; }
# bird_log PATTERN: how many lines of bird's log match (bird logs every message it sends/gets)
bird_log() { grep -c -- "$1" "$work/bird.log"; }
# eor_count PEER: End-of-RIB markers bgpsecd logged from PEER (IPv4 for 127.0.0.53, IPv6 for ::1)
eor_count() { grep -c "peer $1: End-of-RIB" "$work/bgpsecd.log"; }

# ----- configs --------------------------------------------------------------------------------
# bird_config STATIC4-ROUTE...: (re)writes bird's config
bird_config() {
  local routes4=""
  for r in "$@"; do routes4+=" route $r blackhole;"; done
  cat >"$work/bird.conf" <<CONF
log "$work/bird.log" all;
router id 10.0.0.53;
debug protocols { states, events, packets };
protocol device { }
protocol static static4 { ipv4;$routes4 }
protocol static static6 { ipv6; route 2001:db8:53::/48 blackhole; }
template bgp peer {
  hold time 9; keepalive time 3;
  connect delay time 1; connect retry time 2; error wait time 1, 5;
  graceful restart on; graceful restart time 30;
  enable route refresh on;
  strict bind on; multihop 2;   # loopback neighbours are not "directly connected"
}
# Non-loopback next hops towards bgpsecd (docs/peers.md §3.1; BIRD also refuses to send
# a next hop equal to the neighbour's address, which ::1 would be).
protocol bgp bgpsecd from peer {
  local $them port $PORT as 65010;
  neighbor $us port $PORT as 4200000001;
  ipv4 { import all; export all; next hop address 192.0.2.53; };
}
protocol bgp bgpsecd6 from peer {
  local ::1 port $bird_port6 as 65010;
  neighbor ::1 port $port6 as 4200000001;
  ipv6 { import all; export all; next hop address 2001:db8:ffff::53; };
}
CONF
}
# bgpsecd_config IMPORT-POLICY NETWORK...: (re)writes bgpsecd's config; IMPORT-POLICY is used
# for the IPv4 neighbor
bgpsecd_config() {
  local import=$1
  shift
  {
    cat <<TOML
[global]
asn = 4200000001
router_id = "10.0.0.52"
listen = ["$us:$PORT", "[::1]:$port6"]
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
families = ["ipv4"]
import = "$import"
export = "all"

[[neighbor]]
address = "::1"
remote_as = 65010
local_address = "::1"
port = $bird_port6
families = ["ipv6"]
import = "all"
export = "all"
TOML
  } >"$work/bgpsecd.toml"
}

touch "$work/bird.log" "$work/bgpsecd.log"

bird_config 10.53.0.0/16 10.54.0.0/16
bgpsecd_config all 198.51.100.0/24 203.0.113.0/24 2001:db8:52::/48
start_bird
start bgpsecd

# ----- sessions: eBGP with 4-octet ASNs -------------------------------------------------------
both_established="len(out['neighbors']) == 2 and all(n['state'] == 'established' and n['peer_as'] == 65010 and n['local_as'] == 4200000001 for n in out['neighbors'])"
bird_established="out.get('info') == 'Established'"
expect "bgpsecd: sessions with bird" 30 "$both_established" ctl bgpsecd show neighbors
for p in bgpsecd bgpsecd6; do
  expect "bird: $p session with 4-octet AS 4200000001" 10 \
    "$bird_established and 'Neighbor AS: 4200000001' in out['text'] and '4-octet AS numbers' in out['neighbor_caps'] and 'AS4' in out['text']" \
    proto $p
done

# ----- bird's routes at bgpsecd ---------------------------------------------------------------
unsigned="path_state='unsigned', origin_state='not-found', best=True"
expect "bgpsecd lacks bird's 10.53.0.0/16 [65010] via 192.0.2.53" 15 \
  "has(out, '10.53.0.0/16', peer='$them', as_path=[65010], next_hop='192.0.2.53', $unsigned) and has(out, '10.54.0.0/16', peer='$them', as_path=[65010], $unsigned)" \
  ctl bgpsecd show routes
expect "bgpsecd lacks bird's 2001:db8:53::/48 [65010] via 2001:db8:ffff::53" 10 \
  "has(out, '2001:db8:53::/48', peer='::1', as_path=[65010], next_hop='2001:db8:ffff::53', $unsigned)" ctl bgpsecd show routes
expect "bgpsecd's Adj-RIB-In from $them" 5 \
  "stale(out) == {'10.53.0.0/16': False, '10.54.0.0/16': False}" ctl bgpsecd show routes --received --peer "$them"

# ----- bgpsecd's networks at bird -------------------------------------------------------------
# bird accepts bgpsecd's session address as next hop (shown "unreachable": bird resolves next
# hops of multihop sessions recursively and has no IGP routes here).
expect "bird lacks 198.51.100.0/24 and 203.0.113.0/24 [4200000001] via $us" 10 \
  "bgp(out, '198.51.100.0/24', 'bgpsecd', '4200000001', '$us') and bgp(out, '203.0.113.0/24', 'bgpsecd', '4200000001', '$us')" \
  bird_routes
expect "bird lacks 2001:db8:52::/48 [4200000001] via ::1" 10 \
  "bgp(out, '2001:db8:52::/48', 'bgpsecd6', '4200000001', '::1')" bird_routes
expect "bird: a route of the wrong family on a session" 0 \
  "all((':' in r['prefix']) == (r['proto'] == 'bgpsecd6') for r in out['routes'] if r['proto'] in ('bgpsecd', 'bgpsecd6'))" \
  bird_routes

# ----- reload: a network added keeps the sessions ---------------------------------------------
poll 10 "all(n['state_seconds'] >= 2 for n in out['neighbors'])" ctl bgpsecd show neighbors
# The baseline is taken once bird's view has settled: bird and bgpsecd dial each other at start,
# and under a slow build (ASan) bird's protocol time was seen to move after bgpsecd's sessions
# were 2 s old (and once after a baseline of two equal reads 1.5 s apart). The baseline needs
# both of bird's sessions Established and three reads a second apart with the same times (within
# same_time's tolerance) and the same number of state changes bird logged for them. What follows
# checks that the reloads reset nothing.
bird_sessions() {  # bird's view of its two sessions: Established, times, state changes logged
  local s4 s6
  s4=$(value "out['since'] if $bird_established else 'not established'" proto bgpsecd)
  s6=$(value "out['since'] if $bird_established else 'not established'" proto bgpsecd6)
  echo "$s4 $s6 $(grep -c -E 'bgpsecd6?: State changed' "$work/bird.log")"
}
settled=""
reads=0
deadline=$((SECONDS + 20))
while [ $SECONDS -lt $deadline ]; do
  now=$(bird_sessions)
  read -r -a fields <<<"$now"
  read -r -a before <<<"$settled"
  if [ ${#fields[@]} = 3 ] && [ ${#before[@]} = 3 ] && [ "${fields[2]}" = "${before[2]}" ] &&
    near_time "${fields[0]}" "${before[0]}" && near_time "${fields[1]}" "${before[1]}"; then
    reads=$((reads + 1))
  else
    settled=$now
    reads=1
  fi
  [ $reads -ge 3 ] && break
  sleep 1
done
[ $reads -ge 3 ] || bad "bird's sessions did not settle in 20 s: $now"
read -r bird_since bird_since6 bird_changes <<<"$settled"
transitions=$(value "[n['established_transitions'] for n in out['neighbors']]" ctl bgpsecd show neighbors)
opens=$(bird_log "bgpsecd: Got OPEN")
opens6=$(bird_log "bgpsecd6: Got OPEN")
route_since=$(value "broute(out, '198.51.100.0/24', 'bgpsecd')['since']" bird_routes)
same_sessions() {  # same_sessions WHAT: no session was reset on either side
  expect "$1: bgpsecd reset a session (transitions to Established were $transitions)" 0 \
    "$both_established and [n['established_transitions'] for n in out['neighbors']] == $transitions" \
    ctl bgpsecd show neighbors
  expect "$1: bird's IPv4 session was reset (up since $bird_since at the baseline)" 0 "$bird_established and same_time(out['since'], '$bird_since')" proto bgpsecd
  expect "$1: bird's IPv6 session was reset (up since $bird_since6 at the baseline)" 0 "$bird_established and same_time(out['since'], '$bird_since6')" proto bgpsecd6
  local changes
  changes=$(grep -c -E 'bgpsecd6?: State changed' "$work/bird.log")
  [ "$changes" = "$bird_changes" ] && ok ||
    bad "$1: bird logged $((changes - bird_changes)) state changes of its sessions since the baseline (times $bird_since, $bird_since6): $(grep -E 'bgpsecd6?: (State changed|Got OPEN|Incoming|Connecting|Sending NOTIFICATION|Got NOTIFICATION|BGP session|Neighbor graceful)' "$work/bird.log" | tail -12 | tr '\n' ';')"
  [ "$(bird_log "bgpsecd: Got OPEN")" = "$opens" ] && [ "$(bird_log "bgpsecd6: Got OPEN")" = "$opens6" ] &&
    ok || bad "$1: bird got a new OPEN"
}
bgpsecd_config all 198.51.100.0/24 203.0.113.0/24 198.18.52.0/24 2001:db8:52::/48
expect "reload with a network added" 0 "'networks changed' in out['changes']" ctl bgpsecd reload
expect "bird lacks the added 198.18.52.0/24" 10 "bgp(out, '198.18.52.0/24', 'bgpsecd', '4200000001', '$us')" bird_routes
same_sessions "reload (network added)"
# The networks that did not change are not withdrawn and re-announced (bird's route time stays).
expect "reload re-announced the unchanged 198.51.100.0/24 (bird had it since $route_since)" 0 \
  "same_time(broute(out, '198.51.100.0/24', 'bgpsecd')['since'], '$route_since')" bird_routes

# ----- reload: the IPv4 neighbor's import policy changed: soft, no reset ----------------------
bgpsecd_config pref200 198.51.100.0/24 203.0.113.0/24 198.18.52.0/24 2001:db8:52::/48
expect "reload with the import policy changed" 0 "'neighbor $them policy applied' in out['changes']" ctl bgpsecd reload
expect "new import policy not applied (local_pref 200)" 10 \
  "has(out, '10.53.0.0/16', local_pref=200) and has(out, '2001:db8:53::/48', local_pref=100)" ctl bgpsecd show routes
same_sessions "reload (import policy)"

# ----- withdraw both ways ---------------------------------------------------------------------
birdc -s "$sock" disable static4 >/dev/null
expect "bird's withdrawals (static4 disabled) did not reach bgpsecd" 10 \
  "not prefixes(out) & {'10.53.0.0/16', '10.54.0.0/16'} and '2001:db8:53::/48' in prefixes(out)" ctl bgpsecd show routes
birdc -s "$sock" enable static4 >/dev/null
expect "bird's routes did not come back (static4 enabled)" 10 \
  "has(out, '10.53.0.0/16', as_path=[65010], local_pref=200) and has(out, '10.54.0.0/16', as_path=[65010])" ctl bgpsecd show routes
bgpsecd_config pref200 198.51.100.0/24 198.18.52.0/24 2001:db8:52::/48
expect "reload with a network removed" 0 "'networks changed' in out['changes']" ctl bgpsecd reload
expect "bgpsecd's withdrawal of 203.0.113.0/24 did not reach bird" 10 \
  "broute(out, '203.0.113.0/24', 'bgpsecd') is None and broute(out, '198.51.100.0/24', 'bgpsecd') is not None" bird_routes
same_sessions "withdrawals"

# ----- route refresh both ways ----------------------------------------------------------------
refreshes=$(bird_log "bgpsecd: Got ROUTE-REFRESH")
# Soft reset out: the whole Adj-RIB-Out goes to bird again (bird logs every UPDATE it gets;
# unchanged routes were not sent again before, only End-of-RIB).
advertised=$(value "out['neighbors'][0]['prefixes']['advertised']" ctl bgpsecd show neighbors "$them")
got_updates=$(bird_log "bgpsecd: Got UPDATE")
expect "bgpsecctl clear neighbor --soft: every advertised route sent again, ROUTE-REFRESH sent" 0 \
  "out['soft'] is True and out['routes_sent'] == $advertised >= 2 and out['route_refresh_sent']" \
  ctl bgpsecd clear neighbor "$them" --soft
deadline=$((SECONDS + 10))
until [ "$(bird_log "bgpsecd: Got UPDATE")" -ge $((got_updates + advertised)) ] || [ $SECONDS -ge $deadline ]; do sleep 0.3; done
[ "$(bird_log "bgpsecd: Got UPDATE")" -ge $((got_updates + advertised)) ] && ok ||
  bad "bird got $(($(bird_log "bgpsecd: Got UPDATE") - got_updates)) UPDATEs after the soft reset, expected $advertised"
deadline=$((SECONDS + 10))
until [ "$(bird_log "bgpsecd: Got ROUTE-REFRESH")" -gt "$refreshes" ] || [ $SECONDS -ge $deadline ]; do sleep 0.3; done
[ "$(bird_log "bgpsecd: Got ROUTE-REFRESH")" -gt "$refreshes" ] && ok || bad "bird got no ROUTE-REFRESH from bgpsecd"
updates_out=$(value "out['neighbors'][0]['counters']['updates_out']" ctl bgpsecd show neighbors "$them")
birdc -s "$sock" reload in bgpsecd >/dev/null # bird asks bgpsecd with a ROUTE-REFRESH
expect "bgpsecd did not answer bird's ROUTE-REFRESH (reload in)" 10 \
  "out['neighbors'][0]['counters']['updates_out'] > $updates_out" ctl bgpsecd show neighbors "$them"
[ "$(bird_log "bgpsecd: Sending ROUTE-REFRESH")" -gt 0 ] && ok || bad "bird sent no ROUTE-REFRESH on reload in"
updates_in=$(value "out['neighbors'][0]['counters']['updates_in']" ctl bgpsecd show neighbors "$them")
birdc -s "$sock" reload out bgpsecd >/dev/null
expect "bird's reload out sent nothing to bgpsecd" 10 \
  "out['neighbors'][0]['counters']['updates_in'] > $updates_in" ctl bgpsecd show neighbors "$them"
# BIRD advertises Enhanced Route Refresh (RFC 7313): both refreshes above went between BoRR and
# EoRR, ours (the soft reset, bird's reload in) and bird's answer to our ROUTE-REFRESH; the
# routes bird sent again in its window stay (checked below).
expect "Enhanced Route Refresh with bird: BoRR / EoRR both ways" 10 \
  "out['neighbors'][0]['route_refresh'] == {'plain': True, 'enhanced': True} and all(out['neighbors'][0]['counters'][k] >= n for k, n in [('borr_sent', 2), ('eorr_sent', 2), ('borr_received', 1), ('eorr_received', 1)]) and out['neighbors'][0]['counters']['refresh_stale_removed'] == 0" \
  ctl bgpsecd show neighbors "$them"
same_sessions "route refresh"
expect "routes lost at bgpsecd after the route refreshes" 5 \
  "has(out, '10.53.0.0/16', as_path=[65010], local_pref=200, $unsigned) and has(out, '10.54.0.0/16', as_path=[65010])" \
  ctl bgpsecd show routes
expect "routes lost at bird after the route refreshes" 5 \
  "bgp(out, '198.51.100.0/24', 'bgpsecd', '4200000001', '$us') and bgp(out, '198.18.52.0/24', 'bgpsecd', '4200000001', '$us')" \
  bird_routes

# ----- hard reset: the session comes back with its routes ------------------------------------
expect "bgpsecctl clear neighbor" 0 "out['soft'] is False" ctl bgpsecd clear neighbor "$them"
deadline=$((SECONDS + 30))
until [ "$(bird_log "bgpsecd: Got OPEN")" -gt "$opens" ] || [ $SECONDS -ge $deadline ]; do sleep 0.3; done
[ "$(bird_log "bgpsecd: Got OPEN")" -gt "$opens" ] && ok || bad "no new OPEN at bird after bgpsecctl clear neighbor"
expect "bird: session not back after clear" 30 "$bird_established" proto bgpsecd
expect "bgpsecd: session not back after clear" 10 "$both_established" ctl bgpsecd show neighbors
expect "bgpsecd: routes not back after clear" 10 \
  "has(out, '10.53.0.0/16', peer='$them', as_path=[65010], $unsigned)" ctl bgpsecd show routes
expect "bird: routes not back after clear" 10 "bgp(out, '198.51.100.0/24', 'bgpsecd', '4200000001', '$us')" bird_routes

# ----- bird restarts --------------------------------------------------------------------------
stop_bird
expect "bgpsecd kept bird's routes after bird shut down (Cease)" 10 \
  "not any(r['peer'] in ('$them', '::1') for r in out['routes'])" ctl bgpsecd show routes
start_bird
expect "bgpsecd: sessions not back after bird restarted" 40 "$both_established" ctl bgpsecd show neighbors
expect "bgpsecd: routes not back after bird restarted" 10 \
  "has(out, '10.53.0.0/16', peer='$them', as_path=[65010], $unsigned) and has(out, '2001:db8:53::/48', peer='::1', as_path=[65010], $unsigned)" \
  ctl bgpsecd show routes
expect "bird: routes not back after its restart" 10 \
  "bgp(out, '198.51.100.0/24', 'bgpsecd', '4200000001', '$us') and bgp(out, '2001:db8:52::/48', 'bgpsecd6', '4200000001', '::1')" \
  bird_routes

# ----- graceful restart of bgpsecd (killed with -9): bird keeps its routes as stale ------------
{ kill -9 "$pid_bgpsecd" && wait "$pid_bgpsecd"; } 2>/dev/null
expect "bird: no graceful restart of the bgpsecd session" 10 \
  "'Neighbor graceful restart active' in out['text']" proto bgpsecd
kept="bgp(out, '198.51.100.0/24', 'bgpsecd', '4200000001', '$us') and bgp(out, '198.18.52.0/24', 'bgpsecd', '4200000001', '$us') and bgp(out, '2001:db8:52::/48', 'bgpsecd6', '4200000001', '::1')"
expect "bird dropped bgpsecd's routes when bgpsecd died" 0 "$kept" bird_routes
sleep 2 # a short look, to see that they stay (no timing is asserted)
expect "bird dropped bgpsecd's routes during its restart" 0 "$kept" bird_routes
# bgpsecd comes back without 198.18.52.0/24: that route must go, the others stay.
bgpsecd_config pref200 198.51.100.0/24 2001:db8:52::/48
start bgpsecd
expect "bgpsecd: sessions not back after its restart" 30 "$both_established" ctl bgpsecd show neighbors
expect "bird did not end the graceful restart" 10 "'Neighbor graceful restart active' not in out['text'] and $bird_established" \
  proto bgpsecd
[ "$(bird_log "bgpsecd: Neighbor graceful restart done")" -gt 0 ] && ok || bad "bird logged no 'graceful restart done'"
expect "bird: wrong routes after bgpsecd's restart (198.18.52.0/24 must be gone)" 10 \
  "bgp(out, '198.51.100.0/24', 'bgpsecd', '4200000001', '$us') and bgp(out, '2001:db8:52::/48', 'bgpsecd6', '4200000001', '::1') and broute(out, '198.18.52.0/24', 'bgpsecd') is None" \
  bird_routes

# ----- graceful restart of bird: bgpsecd keeps bird's routes stale until End-of-RIB -----------
expect "bgpsecd: bird's routes not back after bgpsecd's restart" 10 \
  "has(out, '10.53.0.0/16', peer='$them') and has(out, '10.54.0.0/16', peer='$them') and has(out, '2001:db8:53::/48', peer='::1')" \
  ctl bgpsecd show routes
eors=$(eor_count "$them")
eors6=$(eor_count ::1)
birdc -s "$sock" graceful restart >/dev/null
wait "$bird_pid" 2>/dev/null
bird_pid=
stale4="stale(out) == {'10.53.0.0/16': True, '10.54.0.0/16': True}"
kept_until_eor="set(stale(out)) == {'10.53.0.0/16', '10.54.0.0/16'} and stale(out)['10.54.0.0/16']"
expect "bgpsecd did not keep $them's routes as stale" 10 "$stale4" ctl bgpsecd show routes --received --peer "$them"
expect "bgpsecd did not keep ::1's route as stale" 10 "stale(out) == {'2001:db8:53::/48': True}" \
  ctl bgpsecd show routes --received --peer ::1
expect "bgpsecd dropped bird's stale routes from the Loc-RIB" 0 \
  "{'10.53.0.0/16', '10.54.0.0/16', '2001:db8:53::/48'} <= prefixes(out)" ctl bgpsecd show routes
# bird comes back (graceful restart recovery) without 10.54.0.0/16: that route must go at bird's
# End-of-RIB; until then the routes stay stale, also once the session is up again.
bird_config 10.53.0.0/16
start_bird -R
deadline=$((SECONDS + 40))
early=""
while [ "$(eor_count "$them")" -le "$eors" ] && [ $SECONDS -lt $deadline ]; do
  up=$(value "out['neighbors'][0]['state']" ctl bgpsecd show neighbors "$them")
  received=$(ctl bgpsecd show routes --received --peer "$them" 2>/dev/null)
  # A route bird announces again before its End-of-RIB is fresh at once (RFC 4724 §4.2: it
  # replaces the stale copy); only 10.54.0.0/16, which bird no longer has, must stay stale.
  if [ "$up" = established ] && [ "$(eor_count "$them")" -le "$eors" ] &&
    ! python3 "$work/judge.py" "$kept_until_eor" <<<"$received"; then
    early="$received"
  fi
  sleep 0.3
done
[ "$(eor_count "$them")" -gt "$eors" ] && ok || bad "bgpsecd logged no End-of-RIB from $them after bird's restart"
[ -z "$early" ] && ok ||
  bad "bgpsecd dropped the stale routes before bird's End-of-RIB (session up): $(tr -s ' \n' ' ' <<<"$early" | head -c 600)"
expect "bgpsecd: stale flags not cleared after bird's End-of-RIB" 10 \
  "stale(out) == {'10.53.0.0/16': False}" ctl bgpsecd show routes --received --peer "$them"
expect "bgpsecd kept 10.54.0.0/16, which bird did not announce again before its End-of-RIB" 5 \
  "has(out, '10.53.0.0/16', peer='$them', as_path=[65010], $unsigned) and '10.54.0.0/16' not in prefixes(out)" \
  ctl bgpsecd show routes
expect "bgpsecd: ::1's stale flag not cleared after bird's End-of-RIB" 30 \
  "stale(out) == {'2001:db8:53::/48': False}" ctl bgpsecd show routes --received --peer ::1
[ "$(eor_count ::1)" -gt "$eors6" ] && ok || bad "bgpsecd logged no End-of-RIB from ::1 after bird's restart"
expect "bgpsecd: sessions not established after bird's graceful restart" 10 "$both_established" ctl bgpsecd show neighbors

if [ "$fail" != 0 ]; then
  echo "--- bgpsecd"; tail -25 "$work/bgpsecd.log"
  echo "--- bird"; grep -v -i -e keepalive -e "connect" "$work/bird.log" | tail -25
fi
summary
