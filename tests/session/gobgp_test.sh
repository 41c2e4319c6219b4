#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# bgpsecd's Peer against GoBGP on loopback: session_peer_probe (127.0.0.31, AS 65031) connects
# to gobgpd (127.0.0.30:$BGP_PORT, AS 65030, gRPC API on 127.0.0.1:$BGP_PORT+1), reaches
# Established, announces 198.51.100.0/24 (gobgpd must hold it in its RIB) and must receive the
# IPv4 and IPv6 routes gobgpd originates, decoded.
# Run by ctest with PROBE (the binary) and BGP_PORT (two free ports of its own) set.
set -uo pipefail
: "${PROBE:?}" "${BGP_PORT:?}"
command -v gobgpd >/dev/null || { echo "gobgpd is not installed (scripts/setup)"; exit 1; }
work=$(mktemp -d)
api_port=$((BGP_PORT + 1))
gobgp=(gobgp -u 127.0.0.1 -p "$api_port")
gobgpd_pid=
cleanup() {
  [ -n "$gobgpd_pid" ] && kill "$gobgpd_pid" 2>/dev/null && wait "$gobgpd_pid" 2>/dev/null
  [ -n "${KEEP:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT
fail=0
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

cat >"$work/gobgpd.toml" <<TOML
[global.config]
  as = 65030
  router-id = "10.0.0.30"
  port = $BGP_PORT
  local-address-list = ["127.0.0.30"]
[[neighbors]]
  [neighbors.config]
    neighbor-address = "127.0.0.31"
    peer-as = 65031
  [neighbors.transport.config]
    local-address = "127.0.0.30"
    passive-mode = true
  [neighbors.timers.config]
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
gobgpd -f "$work/gobgpd.toml" --api-hosts "127.0.0.1:$api_port" --pprof-disable -l info \
  >"$work/gobgpd.log" 2>&1 &
gobgpd_pid=$!
for _ in $(seq 50); do "${gobgp[@]}" global >/dev/null 2>&1 && break; sleep 0.2; done
"${gobgp[@]}" global >/dev/null 2>&1 || { echo "gobgpd did not come up:"; tail -5 "$work/gobgpd.log"; exit 1; }
# Routes gobgpd originates (non-loopback next hops: docs/peers.md §3.1).
"${gobgp[@]}" global rib add -a ipv4 10.30.0.0/16 nexthop 192.0.2.30 origin igp || exit 1
"${gobgp[@]}" global rib add -a ipv6 2001:db8:30::/48 nexthop 2001:db8:ffff::30 origin igp || exit 1

"$PROBE" --local 127.0.0.31 --remote 127.0.0.30 --port "$BGP_PORT" --local-as 65031 \
  --peer-as 65030 --router-id 10.0.0.31 --hold 9 --seconds 8 --next-hop 203.0.113.31 \
  >"$work/probe.out" 2>"$work/probe.err" &
probe_pid=$!
# While the probe holds the session: gobgpd must have our route.
got_route=0
established=0
for _ in $(seq 30); do
  # Seen Established at any point while the probe holds the session (a slow run under
  # ASan may reach the route check late, when the probe is already closing).
  if "${gobgp[@]}" neighbor 127.0.0.31 2>/dev/null | grep "BGP state = ESTABLISHED" >/dev/null; then
    established=1
  fi
  if [ "$got_route" = 1 ] && [ "$established" = 1 ]; then break; fi
  [ "$got_route" = 1 ] && { sleep 0.25; continue; }
  if "${gobgp[@]}" -j global rib -a ipv4 2>/dev/null | python3 -c '
import json, sys
rib = json.load(sys.stdin)
paths = rib.get("198.51.100.0/24", [])
ok = any(p.get("neighbor-ip") == "127.0.0.31" and 65031 in [a for s in p.get("attrs", []) if s.get("type") == 2 for seg in s.get("as_paths", []) for a in seg.get("asns", [])] for p in paths)
sys.exit(0 if ok else 1)'; then got_route=1; continue; fi
  sleep 0.25
done
[ "$got_route" = 1 ] || { bad "gobgpd has no 198.51.100.0/24 from the probe"; "${gobgp[@]}" -j global rib -a ipv4; }
[ "$established" = 1 ] || bad "gobgpd does not show the session Established"
wait "$probe_pid"; rc=$?
[ "$rc" = 0 ] || bad "probe exited $rc"
python3 - "$work/probe.out" <<'PY' || bad "probe did not receive gobgpd's routes"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
text = json.dumps([l for l in lines if l["event"] == "update"])
need = ["10.30.0.0/16", "2001:db8:30::/48", "65030"]
missing = [n for n in need if n not in text]
if missing or not any(l["event"] == "established" for l in lines):
    print("missing", missing, "in", lines)
    sys.exit(1)
PY
# The probe's stop() is a Cease to gobgpd; gobgpd logs it as a received NOTIFICATION.
sleep 0.5
grep -q '"Code":6,.*"Subcode":2,.*received notification' "$work/gobgpd.log" || bad "gobgpd did not log the Cease"
if [ "$fail" != 0 ]; then
  echo "--- probe stdout"; cat "$work/probe.out"; echo "--- probe stderr"; tail -20 "$work/probe.err"
  echo "--- gobgpd"; tail -20 "$work/gobgpd.log"
  exit 1
fi
echo "gobgp interop: ok"
