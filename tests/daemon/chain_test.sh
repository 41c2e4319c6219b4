#!/usr/bin/env bash
# Three bgpsecd instances in a chain on loopback, AS 65101 - 65102 - 65103 (127.0.0.41-43,
# port $PORT): routes originated at each end reach the other end with the right AS path, over
# IPv4 and IPv6 (MP_REACH), seen through `bgpsecctl --json`; a withdrawal (the originating
# daemon stopped) propagates; `bgpsecd -n` prints the normal form; a bad config names its line.
# Run by ctest with BGPSECD, BGPSECCTL and PORT set.
set -uo pipefail
: "${BGPSECD:?}" "${BGPSECCTL:?}" "${PORT:?}"
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  [ -n "${KEEP:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# config NAME ASN ADDR NETWORK4 NETWORK6 NEIGHBOR...  (NEIGHBOR = addr:asn)
config() {
  local name=$1 asn=$2 addr=$3 net4=$4 net6=$5
  shift 5
  cat >"$work/$name.toml" <<TOML
[global]
asn = $asn
router_id = "$addr"
listen = ["$addr:$PORT"]
hold_time = 9

[control]
socket = "$work/$name.sock"

[metrics]
listen = ""

[[network]]
prefix = "$net4"

[[network]]
prefix = "$net6"

[[policy]]
name = "all"
default_action = "accept"
TOML
  for n in "$@"; do
    cat >>"$work/$name.toml" <<TOML

[[neighbor]]
address = "${n%%:*}"
remote_as = ${n##*:}
local_address = "$addr"
port = $PORT
families = ["ipv4", "ipv6"]
import = "all"
export = "all"
TOML
  done
}
config a 65101 127.0.0.41 192.0.2.0/24 2001:db8:41::/48 127.0.0.42:65102
config b 65102 127.0.0.42 198.51.100.0/24 2001:db8:42::/48 127.0.0.41:65101 127.0.0.43:65103
config c 65103 127.0.0.43 203.0.113.0/24 2001:db8:43::/48 127.0.0.42:65102

# --- config check ------------------------------------------------------------------------------
if "$BGPSECD" -n -c "$work/b.toml" >"$work/normal.toml" 2>"$work/err" &&
  grep -q 'asn = 65102' "$work/normal.toml"; then ok; else bad "bgpsecd -n: $(cat "$work/err")"; fi
printf '[global]\nasn = 65001\nrouter_id = "127.0.0.1"\nhold_time = 2\n' >"$work/bad.toml"
"$BGPSECD" -n -c "$work/bad.toml" >/dev/null 2>"$work/err"
rc=$?
if [ $rc -eq 2 ] && grep -q 'bad.toml:4' "$work/err"; then ok; else bad "bad config: exit $rc, $(cat "$work/err")"; fi

start() {
  "$BGPSECD" -c "$work/$1.toml" >"$work/$1.log" 2>&1 &
  pids+=($!)
  eval "pid_$1=$!"
}
start a
start b
start c

ctl() { "$BGPSECCTL" --socket "$work/$1.sock" --json "${@:2}"; }
# wait_for SECONDS PYTHON-EXPR NAME ARGS...: polls `bgpsecctl --json ARGS` until EXPR holds
wait_for() {
  local seconds=$1 expr=$2 name=$3
  shift 3
  local deadline=$((SECONDS + seconds))
  while [ $SECONDS -lt $deadline ]; do
    if ctl "$name" "$@" 2>/dev/null | python3 -c "import json,sys; out=json.load(sys.stdin); sys.exit(0 if ($expr) else 1)" 2>/dev/null; then
      return 0
    fi
    sleep 0.5
  done
  return 1
}
established='all(n["state"] == "established" for n in out["neighbors"])'
if wait_for 40 "$established" b show neighbors; then ok; else bad "sessions at b: $(ctl b show neighbors)"; fi

route_has() {  # route_has PREFIX ASPATH (python list)
  echo "any(r['prefix'] == '$1' and r['best'] and r['as_path'] == $2 for r in out['routes'])"
}
if wait_for 20 "$(route_has 192.0.2.0/24 '[65102, 65101]')" c show routes; then ok
else bad "c lacks 192.0.2.0/24 via 65102 65101: $(ctl c show routes)"; fi
if wait_for 10 "$(route_has 2001:db8:41::/48 '[65102, 65101]')" c show routes; then ok
else bad "c lacks 2001:db8:41::/48: $(ctl c show routes)"; fi
if wait_for 10 "$(route_has 203.0.113.0/24 '[65102, 65103]')" a show routes; then ok
else bad "a lacks 203.0.113.0/24: $(ctl a show routes)"; fi
# next hop self on eBGP
if wait_for 5 "any(r['prefix'] == '192.0.2.0/24' and r['next_hop'] == '127.0.0.42' for r in out['routes'])" c show routes; then ok
else bad "next hop at c: $(ctl c show routes)"; fi
# origin state without RPKI data: not-found; unsigned routes
if wait_for 5 "all(r['origin_state'] == 'not-found' and r['path_state'] == 'unsigned' for r in out['routes'])" c show routes; then ok
else bad "states at c: $(ctl c show routes)"; fi
# the text view names the peer and the state
if "$BGPSECCTL" --socket "$work/b.sock" show neighbors | grep -q '127.0.0.41.*stablished'; then ok
else bad "text view: $("$BGPSECCTL" --socket "$work/b.sock" show neighbors)"; fi

# --- a stopped origin: its routes are withdrawn down the chain -----------------------------------
kill "$pid_a"
if wait_for 20 "not any(r['prefix'] in ('192.0.2.0/24', '2001:db8:41::/48') for r in out['routes'])" c show routes; then ok
else bad "withdrawal did not reach c: $(ctl c show routes)"; fi

# --- graceful restart (RFC 4724): a daemon killed without a NOTIFICATION ------------------------
start a
if wait_for 30 "$(route_has 192.0.2.0/24 '[65102, 65101]')" c show routes; then ok
else bad "192.0.2.0/24 did not come back at c: $(ctl c show routes)"; fi
kill -9 "$pid_a"
stale='any(r["prefix"] == "192.0.2.0/24" and r["stale"] for r in out["routes"])'
if wait_for 20 "$stale" b show routes --received --peer 127.0.0.41; then ok
else bad "b did not keep a's routes as stale: $(ctl b show routes --received --peer 127.0.0.41)"; fi
if ctl c show routes | python3 -c "import json,sys; out=json.load(sys.stdin); sys.exit(0 if any(r['prefix'] == '192.0.2.0/24' for r in out['routes']) else 1)"; then ok
else bad "c lost the route during a's restart"; fi
start a
if wait_for 30 "not $stale and any(r['prefix'] == '192.0.2.0/24' for r in out['routes'])" b show routes --received --peer 127.0.0.41; then ok
else bad "stale flag not cleared after a came back: $(ctl b show routes --received --peer 127.0.0.41)"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
