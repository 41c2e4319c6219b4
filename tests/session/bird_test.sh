#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# bgpsecd's Peer against BIRD 2 on loopback: session_peer_probe (127.0.0.33, AS 65033) connects
# to bird (127.0.0.32:$BGP_PORT, AS 65032, its own control socket), reaches Established,
# announces 198.51.100.0/24 (bird must show it) and must receive bird's static IPv4 and IPv6
# routes, decoded. Run by ctest with PROBE (the binary) and BGP_PORT set.
set -uo pipefail
: "${PROBE:?}" "${BGP_PORT:?}"
command -v bird >/dev/null || { echo "bird is not installed (scripts/setup)"; exit 1; }
work=$(mktemp -d)
sock="$work/bird.ctl"
bird_pid=
cleanup() {
  [ -S "$sock" ] && birdc -s "$sock" down >/dev/null 2>&1
  [ -n "$bird_pid" ] && { kill "$bird_pid" 2>/dev/null; wait "$bird_pid" 2>/dev/null; }
  [ -n "${KEEP:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT
fail=0
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

cat >"$work/bird.conf" <<CONF
log "$work/bird.log" all;
router id 10.0.0.32;
protocol device { }
protocol static static4 { ipv4; route 10.32.0.0/16 blackhole; }
protocol static static6 { ipv6; route 2001:db8:32::/48 blackhole; }
protocol bgp probe {
  local 127.0.0.32 port $BGP_PORT as 65032;
  neighbor 127.0.0.33 as 65033;
  strict bind on; multihop 2; passive on;
  hold time 9; keepalive time 3;
  ipv4 { import all; export all; next hop address 192.0.2.32; };
  ipv6 { import all; export all; next hop address 2001:db8:ffff::32; };
}
CONF
bird -p -c "$work/bird.conf" || { echo "bird rejects the config"; exit 1; }
bird -f -c "$work/bird.conf" -s "$sock" -P "$work/bird.pid" >"$work/bird.out" 2>&1 &
bird_pid=$!
for _ in $(seq 50); do birdc -s "$sock" show status >/dev/null 2>&1 && break; sleep 0.2; done

"$PROBE" --local 127.0.0.33 --remote 127.0.0.32 --port "$BGP_PORT" --local-as 65033 \
  --peer-as 65032 --router-id 10.0.0.33 --hold 9 --seconds 6 --next-hop 203.0.113.33 \
  >"$work/probe.out" 2>"$work/probe.err" &
probe_pid=$!
got_route=0
for _ in $(seq 20); do
  if birdc -s "$sock" show route protocol probe all 2>/dev/null | grep "198.51.100.0/24" >/dev/null; then
    got_route=1; break
  fi
  sleep 0.25
done
[ "$got_route" = 1 ] || bad "bird has no 198.51.100.0/24 from the probe"
birdc -s "$sock" show route protocol probe all | grep "BGP.as_path: 65033" >/dev/null || bad "bird shows the wrong AS_PATH"
birdc -s "$sock" show protocols probe | grep Established >/dev/null || bad "bird does not show the session Established"
wait "$probe_pid"; rc=$?
[ "$rc" = 0 ] || bad "probe exited $rc"
python3 - "$work/probe.out" <<'PY' || bad "probe did not receive bird's routes"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
text = json.dumps([l for l in lines if l["event"] == "update"])
need = ["10.32.0.0/16", "2001:db8:32::/48", "65032"]
missing = [n for n in need if n not in text]
if missing or not any(l["event"] == "established" for l in lines):
    print("missing", missing, "in", lines)
    sys.exit(1)
PY
sleep 0.5
grep -q "Received: Administrative shutdown" "$work/bird.log" || bad "bird did not log the Cease"
if [ "$fail" != 0 ]; then
  echo "--- probe stdout"; cat "$work/probe.out"; echo "--- probe stderr"; tail -20 "$work/probe.err"
  echo "--- bird"; tail -20 "$work/bird.log"
  exit 1
fi
echo "bird interop: ok"
