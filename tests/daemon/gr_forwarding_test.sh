#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# RFC 4724 §4.2, the receiving speaker after the peer restarted: the routes kept stale stay
# (until End-of-RIB or the restart time) only for the families whose forwarding state the
# peer's new OPEN says it preserved (F bit); the others go as soon as the session is back.
# bgpsecd M (AS 65702, 127.0.7.1) and the scripted peer P (AS 65701, 127.0.7.2) that never
# sends End-of-RIB, so only the F bit can explain a removal:
#   1. P with graceful restart for ipv4 and ipv6 sends 10.70.0.0/16 and 2001:db8:70::/48.
#   2. P is killed (no NOTIFICATION): M keeps both, stale.
#   3. P comes back with the F bit for ipv4 only: the IPv6 route is gone at once, the IPv4
#      route stays stale.
#   4. P is killed and comes back without the graceful-restart capability: the IPv4 route is
#      gone too.
# Run by ctest with BGPSECD, BGPSECCTL, BGPSEC and PORT set. Addresses 127.0.7.1-9 and port
# $PORT belong to this test.
set -uo pipefail
: "${BGPSECD:?}" "${BGPSECCTL:?}" "${PORT:?}"
. "$(dirname "$0")/lib.sh"
peer_py="$(dirname "$0")/bgp_test_peer.py"
m=127.0.7.1
p=127.0.7.2

{
  global_toml m 65702 $m
  printf '\n[[policy]]\nname = "all"\ndefault_action = "accept"\n'
  neighbor_toml $p 65701 $m '["ipv4", "ipv6"]' 'passive = true'
} >"$work/m.toml"
start m
judge_py <<'PY'
def stale(out):
    return {r['prefix']: r['stale'] for r in out['routes']}
PY

python3 "$peer_py" update --next-hop 192.0.2.70 --as-path 65701 --nlri 10.70.0.0/16 >"$work/p.in"
python3 "$peer_py" update --next-hop 2001:db8:ffff::70 --as-path 65701 --mp 2001:db8:70::/48 \
  >>"$work/p.in"
start_p() {  # start_p [PEER-ARGS...]: P connects to M and sends p.in once
  python3 "$peer_py" session --asn 65701 --router-id $p --connect "$m:$PORT" --bind $p \
    --families ipv4,ipv6 --no-bgpsec --hold-time 30 --timeout 600 --updates "$work/p.in" "$@" \
    >>"$work/p.out" 2>&1 &
  pids+=($!)
  pid_p=$!
}
established() {
  poll 30 "any(n['peer'] == '$p' and n['state'] == 'established' for n in out['neighbors'])" \
    ctl m show neighbors
}

# 1.
start_p --graceful-restart 120 --gr-forwarding ipv4,ipv6
established || bad "P never established: $(tail -3 "$work/m.log")"
expect "M has both routes of P, not stale" 20 \
  "stale(out) == {'10.70.0.0/16': False, '2001:db8:70::/48': False}" ctl m show routes --received --peer $p
# 2.
kill -KILL "$pid_p"
expect "M keeps both routes stale after P's crash" 20 \
  "stale(out) == {'10.70.0.0/16': True, '2001:db8:70::/48': True}" ctl m show routes --received --peer $p
# 3. The same table is not sent again (no p.in), and no End-of-RIB ever.
: >"$work/p.in"
start_p --graceful-restart 120 --gr-forwarding ipv4
established || bad "P did not come back: $(tail -3 "$work/m.log")"
expect "F bit for ipv4 only: the IPv6 stale route is removed at once, the IPv4 one kept stale" 10 \
  "stale(out) == {'10.70.0.0/16': True}" ctl m show routes --received --peer $p
if grep -q "forwarding state of IPv6 not preserved" "$work/m.log"; then ok
else bad "M's log does not say why the IPv6 routes went: $(tail -5 "$work/m.log")"; fi
# 4.
kill -KILL "$pid_p"
poll 20 "not any(n['peer'] == '$p' and n['state'] == 'established' for n in out['neighbors'])" \
  ctl m show neighbors || bad "M did not see P go"
start_p
established || bad "P did not come back the second time"
expect "no graceful-restart capability: the IPv4 stale route is removed too" 10 \
  "stale(out) == {}" ctl m show routes --received --peer $p
summary
