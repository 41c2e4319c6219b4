#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Route refresh with and without Enhanced Route Refresh (RFC 2918, RFC 7313). bgpsecd M (AS
# 65231, 127.0.23.1) and three scripted peers (bgp_test_peer.py, IPv4 only): P (AS 65232,
# 127.0.23.2) with route refresh and Enhanced Route Refresh, Q (AS 65233, 127.0.23.3) with
# route refresh only, D (AS 65234, 127.0.23.4) without either, who watches what M passes on.
#   1. M advertises capability 70; the session with P has it, the one with Q not.
#   2. `clear neighbor P --soft`: M asks P for its routes and sends its own between BoRR and
#      EoRR.
#   3. P answers with BoRR, one of its two routes again, EoRR: the other route is removed at M
#      (and withdrawn at D); the one sent again stays, and D is not sent it again.
#   4. P's own ROUTE-REFRESH is answered with BoRR, the routes, EoRR.
#   5. Q: a soft clear and Q's messages with subtypes 1 and 2 are plain route refresh: no
#      BoRR / EoRR either way, nothing removed.
#   6. R (AS 65235, 127.0.23.5, Enhanced Route Refresh, `eorr_timeout = 1` at M) sends BoRR
#      and nothing more: its routes are removed when the timer has passed (RFC 7313 §4). (Its
#      routes are not sent again, so no race with the 1 s decides the outcome.)
#   7. A ROUTE-REFRESH of the wrong length from P: NOTIFICATION 7/1 (RFC 7313 §5).
# To follow the order of messages without timing, each step ends with a route announced by
# one peer: when it has arrived where it goes, everything sent before it has too.
# Run by ctest with BGPSECD, BGPSECCTL and PORT set. Addresses 127.0.23.1-9 and ports $PORT
# (BGP) and $PORT+1 (M's metrics) belong to this test.
set -uo pipefail
: "${BGPSECD:?}" "${BGPSECCTL:?}" "${PORT:?}"
. "$(dirname "$0")/lib.sh"
peer_py="$(dirname "$0")/bgp_test_peer.py"
m=127.0.23.1
p=127.0.23.2
q=127.0.23.3
d=127.0.23.4
r=127.0.23.5

{
  global_toml m 65231 $m
  printf '\n[[policy]]\nname = "all"\ndefault_action = "accept"\n'
  neighbor_toml $p 65232 $m '["ipv4"]' 'passive = true'
  neighbor_toml $q 65233 $m '["ipv4"]' 'passive = true'
  neighbor_toml $d 65234 $m '["ipv4"]' 'passive = true'
  neighbor_toml $r 65235 $m '["ipv4"]' 'passive = true' 'eorr_timeout = 1'
} >"$work/m.toml"
# Metrics on $PORT+1: the BoRR / EoRR counters are checked there too.
sed -i -e "/^\[metrics\]$/{n;s/^listen = \"\"$/listen = \"$m:$((PORT + 1))\"/}" "$work/m.toml"
start m
wait_listening $m
judge_py <<'PY'
import ipaddress, struct

def prefixes(data):
    out, i = set(), 0
    while i < len(data):
        n = data[i]
        octets = (n + 7) // 8
        addr = data[i + 1:i + 1 + octets] + bytes(4 - octets)
        out.add(str(ipaddress.ip_network((addr, n))))
        i += 1 + octets
    return out

def update(hexstr):
    """(announced, withdrawn) IPv4 prefixes of an UPDATE (classic fields)"""
    body = bytes.fromhex(hexstr)[19:]
    wlen = struct.unpack("!H", body[:2])[0]
    withdrawn = prefixes(body[2:2 + wlen])
    alen = struct.unpack("!H", body[2 + wlen:4 + wlen])[0]
    return prefixes(body[4 + wlen + alen:]), withdrawn

def seq(out, since=0):
    """the peer's received messages from event `since` on: ('rr', subtype) or ('up', a, w)"""
    s = []
    for e in out[since:]:
        if e['event'] == 'route-refresh':
            s.append(('rr', e['subtype']))
        elif e['event'] == 'update':
            s.append(('up',) + update(e['hex']))
    return s

def announced(out, since=0):
    return set().union(*[x[1] for x in seq(out, since) if x[0] == 'up'])

def withdrawn(out, since=0):
    return set().union(*[x[2] for x in seq(out, since) if x[0] == 'up'])

def markers(out, since=0):
    return [x[1] for x in seq(out, since) if x[0] == 'rr']

def between(out, since=0):
    """the prefixes announced between the first BoRR and the next EoRR"""
    s = seq(out, since)
    kinds = [x[:2] for x in s]
    if ('rr', 1) not in kinds:
        return None
    b = kinds.index(('rr', 1))
    if ('rr', 2) not in kinds[b:]:
        return None
    e = b + kinds[b:].index(('rr', 2))
    return set().union(*[x[1] for x in s[b:e] if x[0] == 'up'])

def has_cap(out, code):
    return any(c['code'] == code for e in out if e['event'] == 'open' for c in e['capabilities'])

def rib(out, peer):
    return {r['prefix'] for r in out['routes'] if r['peer'] == peer}

def metric(out, name, **labels):
    return next((v for n, l, v in out if n == name and l == labels), None)

def nb(out, peer):
    return next(n for n in out['neighbors'] if n['peer'] == peer)
PY
metrics() {  # metrics: M's metrics as a JSON list of [name, labels, value]
  python3 - "http://$m:$((PORT + 1))/metrics" <<'PY'
import json, re, sys, urllib.request
body = urllib.request.urlopen(sys.argv[1], timeout=5).read().decode()
out = []
for line in body.splitlines():
    m = re.match(r'^(\w+)(?:\{(.*)\})? (\S+)$', line)
    if m:
        labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group(2) or ""))
        out.append([m.group(1), labels, float(m.group(3))])
print(json.dumps(out))
PY
}
count() { evs "$1" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))'; }
start_peer() {  # start_peer NAME ASN ADDR [PEER-ARGS...]: a session that follows NAME.in
  : >"$work/$1.in"
  python3 "$peer_py" session --asn "$2" --router-id "$3" --connect "$m:$PORT" --bind "$3" \
    --families ipv4 --no-bgpsec --hold-time 30 --timeout 600 --updates "$work/$1.in" --follow \
    "${@:4}" >"$work/$1.out" 2>&1 &
  pids+=($!)
}
announce() {  # announce NAME ASN PREFIX...: NAME sends one UPDATE per PREFIX
  local pfx
  for pfx in "${@:3}"; do
    python3 "$peer_py" update --next-hop 192.0.2.23 --as-path "$2" --nlri "$pfx" >>"$work/$1.in"
  done
}
refresh() {  # refresh NAME SUBTYPE [EXTRA-HEX]: NAME sends a ROUTE-REFRESH for IPv4 unicast
  python3 "$peer_py" refresh --subtype "$2" --extra "${3:-}" >>"$work/$1.in"
}
start_peer p 65232 $p --enhanced-route-refresh
start_peer q 65233 $q --route-refresh
start_peer d 65234 $d
start_peer r 65235 $r --enhanced-route-refresh
expect "the four peers are not established" 30 \
  "all(nb(out, a)['state'] == 'established' for a in ['$p', '$q', '$d', '$r'])" ctl m show neighbors

# 1. Capability 70 in M's OPEN; negotiated with P only.
expect "M's OPEN to P lacks Enhanced Route Refresh (70)" 5 "has_cap(out, 70) and has_cap(out, 2)" evs p
expect "Enhanced Route Refresh negotiated with P, not with Q" 5 \
  "nb(out, '$p')['route_refresh'] == {'plain': True, 'enhanced': True} and nb(out, '$q')['route_refresh'] == {'plain': True, 'enhanced': False}" \
  ctl m show neighbors

announce p 65232 10.232.1.0/24 10.232.2.0/24
announce q 65233 10.233.1.0/24 10.233.2.0/24
announce d 65234 10.234.1.0/24
expect "M lacks the peers' routes" 20 \
  "rib(out, '$p') == {'10.232.1.0/24', '10.232.2.0/24'} and rib(out, '$q') == {'10.233.1.0/24', '10.233.2.0/24'} and rib(out, '$d') == {'10.234.1.0/24'}" \
  ctl m show routes
expect "D lacks the routes of P and Q" 20 \
  "announced(out) == {'10.232.1.0/24', '10.232.2.0/24', '10.233.1.0/24', '10.233.2.0/24'}" evs d
expect "P lacks the routes of Q and D" 20 \
  "announced(out) >= {'10.233.1.0/24', '10.233.2.0/24', '10.234.1.0/24'}" evs p

# 2. Soft clear of P: request to P, M's routes again between BoRR and EoRR.
mark_p=$(count p)
expect "clear neighbor P --soft" 0 \
  "out['route_refresh_sent'] is True and out['enhanced_route_refresh'] is True and out['routes_sent'] >= 3" \
  ctl m clear neighbor $p --soft
expect "P did not get a ROUTE-REFRESH request, then M's routes between BoRR and EoRR" 10 \
  "markers(out, $mark_p) == [0, 1, 2] and between(out, $mark_p) >= {'10.233.1.0/24', '10.233.2.0/24', '10.234.1.0/24'}" \
  evs p
expect "M's BoRR / EoRR to P not counted" 5 \
  "nb(out, '$p')['counters']['borr_sent'] == 1 and nb(out, '$p')['counters']['eorr_sent'] == 1" \
  ctl m show neighbors

# 3. P's answer: BoRR, 10.232.1.0/24 again (the same route), EoRR; then 10.232.3.0/24.
mark_d=$(count d)
refresh p borr
announce p 65232 10.232.1.0/24
refresh p eorr
announce p 65232 10.232.3.0/24
expect "after P's EoRR M still has the route P did not send again, or lost the one it did" 20 \
  "rib(out, '$p') == {'10.232.1.0/24', '10.232.3.0/24'}" ctl m show routes
expect "D: the route P did not send again is not withdrawn, or the one it did was sent again" 20 \
  "'10.232.3.0/24' in announced(out, $mark_d) and announced(out, $mark_d) == {'10.232.3.0/24'} and withdrawn(out, $mark_d) == {'10.232.2.0/24'}" \
  evs d
expect "P's BoRR / EoRR and the removed route not counted" 5 \
  "nb(out, '$p')['counters']['borr_received'] == 1 and nb(out, '$p')['counters']['eorr_received'] == 1 and nb(out, '$p')['counters']['refresh_stale_removed'] == 1" \
  ctl m show neighbors
expect "metrics: the BoRR / EoRR counts of P" 5 \
  "[metric(out, 'bgpsecd_route_refresh_markers_total', peer='$p', direction=d, marker=k) for d in ['sent', 'received'] for k in ['borr', 'eorr']] == [1, 1, 1, 1]" \
  metrics
expect "M's Adj-RIB-In from P has stale routes after the EoRR" 5 \
  "all(not r.get('stale', False) for r in out['routes'])" ctl m show routes --received --peer $p

# 4. P's own request: BoRR, M's routes, EoRR.
mark_p=$(count p)
refresh p request
expect "M did not answer P's ROUTE-REFRESH with BoRR, its routes, EoRR" 10 \
  "markers(out, $mark_p) == [1, 2] and between(out, $mark_p) >= {'10.233.1.0/24', '10.233.2.0/24', '10.234.1.0/24'}" \
  evs p

# 5. Q, without Enhanced Route Refresh.
mark_q=$(count q)
expect "clear neighbor Q --soft" 0 \
  "out['route_refresh_sent'] is True and out['enhanced_route_refresh'] is False" \
  ctl m clear neighbor $q --soft
announce d 65234 10.234.2.0/24
expect "Q: M's routes again, after a plain request, without BoRR / EoRR" 10 \
  "'10.234.2.0/24' in announced(out, $mark_q) and markers(out, $mark_q) == [0] and announced(out, $mark_q) >= {'10.232.1.0/24', '10.232.3.0/24', '10.234.1.0/24'}" \
  evs q
# Subtypes 1 and 2 from Q mean nothing without the capability: each is a request (RFC 2918
# §3, the octet is Reserved), and no route of Q is marked stale or removed.
mark_q=$(count q)
refresh q borr
announce q 65233 10.233.1.0/24
refresh q eorr
announce q 65233 10.233.3.0/24
expect "M removed a route of Q at a subtype 2 without the capability" 20 \
  "rib(out, '$q') == {'10.233.1.0/24', '10.233.2.0/24', '10.233.3.0/24'}" ctl m show routes
announce d 65234 10.234.3.0/24
expect "Q's subtype 1 and 2 messages were not answered as plain requests" 10 \
  "'10.234.3.0/24' in announced(out, $mark_q) and markers(out, $mark_q) == [] and sum(1 for x in seq(out, $mark_q) if x[0] == 'up' and '10.234.1.0/24' in x[1]) == 2" \
  evs q
expect "markers counted for Q" 5 \
  "all(nb(out, '$q')['counters'][k] == 0 for k in ['borr_sent', 'eorr_sent', 'borr_received', 'eorr_received'])" \
  ctl m show neighbors

# 6. R's BoRR without an EoRR.
announce r 65235 10.235.1.0/24 10.235.2.0/24
expect "M lacks R's routes" 20 "rib(out, '$r') == {'10.235.1.0/24', '10.235.2.0/24'}" ctl m show routes
expect "M's routes from R are stale before any BoRR" 0 \
  "all(not r.get('stale', False) for r in out['routes'])" ctl m show routes --received --peer $r
refresh r borr
expect "M did not remove R's routes left stale when no EoRR came within eorr_timeout" 20 \
  "rib(out, '$r') == set()" ctl m show routes
expect "the stale count of R" 5 \
  "nb(out, '$r')['counters']['refresh_stale_removed'] == 2 and nb(out, '$r')['counters']['borr_received'] == 1 and nb(out, '$r')['counters']['eorr_received'] == 0" \
  ctl m show neighbors
if grep -q "peer $r: no EoRR for IPv4 within 1 s of its BoRR" "$work/m.log"; then ok
else bad "M's log does not say why R's route went: $(tail -3 "$work/m.log")"; fi

# 7. RFC 7313 §5: a ROUTE-REFRESH whose body is not 4 octets.
refresh p borr 00
expect "P did not get NOTIFICATION 7/1 for a 24-octet ROUTE-REFRESH" 10 \
  "any(e['event'] == 'notification' and e['code'] == 7 and e['subcode'] == 1 for e in out)" evs p
summary
