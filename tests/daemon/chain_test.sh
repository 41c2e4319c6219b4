#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Three bgpsecd instances in a chain on loopback, AS 65101 - 65102 - 65103 (127.0.0.41-43,
# port $PORT), and d (127.0.0.44) in AS 65103 as c's iBGP neighbor: routes originated at each
# end reach the other end with the right AS path, over IPv4 and IPv6 (MP_REACH), seen through
# `bgpsecctl --json`; a withdrawal (the originating daemon stopped) propagates; `bgpsecd -n`
# prints the normal form; a bad config names its line. Reload: a [[network]] added and SIGHUP
# reaches the far end; a broken config fails `bgpsecctl reload` with file:line and changes
# nothing; [metrics] turned on by reload serves bgpsecd_peer_established on $PORT+1; the
# verification engine is named by show rpki and multi_buffer = false applies by reload.
# ROUTE-REFRESH from a scripted IPv4-only peer (bgp_test_peer.py on 127.0.0.45): ignored for
# IPv6, answered with b's IPv4 routes. b's export policy towards it sets a MED and a community
# on a's routes, and the UPDATEs it records carry them.
# Graceful restart: a killed daemon's routes stay (stale) and come back; `bgpsecd -R` waits
# for End-of-RIB before sending its table.
# Run by ctest with BGPSECD, BGPSECCTL and PORT set; addresses 127.0.0.41-49 and ports
# PORT..PORT+9 belong to this test (apps/bgpsecd/CMakeLists.txt).
set -uo pipefail
: "${BGPSECD:?}" "${BGPSECCTL:?}" "${PORT:?}"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

# config NAME ASN ADDR NETWORK4 NETWORK6 NEIGHBOR...  (NEIGHBOR = addr:asn)
config() {
  local name=$1 asn=$2 addr=$3 net4=$4 net6=$5
  shift 5
  global_toml "$name" "$asn" "$addr" >"$work/$name.toml"
  cat >>"$work/$name.toml" <<TOML

[[network]]
prefix = "$net4"

[[network]]
prefix = "$net6"

[[policy]]
name = "all"
default_action = "accept"
TOML
  for n in "$@"; do
    neighbor_toml "${n%%:*}" "${n##*:}" "$addr" '["ipv4", "ipv6"]' >>"$work/$name.toml"
  done
}
config a 65101 127.0.0.41 192.0.2.0/24 2001:db8:41::/48 127.0.0.42:65102
config b 65102 127.0.0.42 198.51.100.0/24 2001:db8:42::/48 127.0.0.41:65101 127.0.0.43:65103
config c 65103 127.0.0.43 203.0.113.0/24 2001:db8:43::/48 127.0.0.42:65102 127.0.0.44:65103
config d 65103 127.0.0.44 10.44.0.0/16 2001:db8:44::/48 127.0.0.43:65103
# b also has a scripted peer (tests/daemon/bgp_test_peer.py, AS 65105 on 127.0.0.45) that
# offers IPv4 only, for ROUTE-REFRESH and to record what b's export policy sends.
cat >>"$work/b.toml" <<TOML

[[neighbor]]
address = "127.0.0.45"
remote_as = 65105
local_address = "127.0.0.42"
port = $PORT
passive = true
families = ["ipv4", "ipv6"]
import = "all"
export = "tag-for-45"

# What b sends the scripted peer: a's routes (origin AS 65101) with a MED and a community
# set by the export policy, everything else as it is.
[[policy]]
name = "tag-for-45"
default_action = "accept"

[[policy.rule]]
match = { origin_as = 65101 }
set = { med = 77, add_community = ["65102:45"] }
action = "accept"
TOML

# --- config check ------------------------------------------------------------------------------
if "$BGPSECD" -n -c "$work/b.toml" >"$work/normal.toml" 2>"$work/err" &&
  grep -q 'asn = 65102' "$work/normal.toml"; then ok; else bad "bgpsecd -n: $(cat "$work/err")"; fi
printf '[global]\nasn = 65001\nrouter_id = "127.0.0.1"\nhold_time = 2\n' >"$work/bad.toml"
"$BGPSECD" -n -c "$work/bad.toml" >/dev/null 2>"$work/err"
rc=$?
if [ $rc -eq 2 ] && grep -q 'bad.toml:4' "$work/err"; then ok; else bad "bad config: exit $rc, $(cat "$work/err")"; fi

start a
start b
start c
start d
: >"$work/rr.lines"
python3 "$(dirname "$0")/bgp_test_peer.py" session --asn 65105 --router-id 127.0.0.45 \
  --connect "127.0.0.42:$PORT" --bind 127.0.0.45 --families ipv4 --no-bgpsec --hold-time 9 \
  --timeout 600 --updates "$work/rr.lines" --follow >"$work/rr.out" 2>&1 &
pids+=($!)

established='all(n["state"] == "established" for n in out["neighbors"])'
if wait_for 40 "$established" b show neighbors; then ok; else bad "sessions at b: $(ctl b show neighbors)"; fi
if wait_for 20 "$established" c show neighbors; then ok; else bad "sessions at c: $(ctl c show neighbors)"; fi

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
# iBGP (c - d): no AS added inside the AS, the LOCAL_PREF travels, d's routes leave AS 65103
if wait_for 10 "any(n['peer'] == '127.0.0.43' and n['type'] == 'ibgp' for n in out['neighbors'])" d show neighbors; then ok
else bad "d: c is not iBGP: $(ctl d show neighbors)"; fi
if wait_for 20 "any(r['prefix'] == '192.0.2.0/24' and r['best'] and r['as_path'] == [65102, 65101] and r['local_pref'] == 100 for r in out['routes'])" d show routes; then ok
else bad "d lacks 192.0.2.0/24 via iBGP: $(ctl d show routes)"; fi
if wait_for 20 "$(route_has 10.44.0.0/16 '[65102, 65103]')" a show routes; then ok
else bad "a lacks d's 10.44.0.0/16: $(ctl a show routes)"; fi
# show routes comes in pages (bgpsecctl joins them): one route per request gives the same
# answer, for the Loc-RIB and both Adj-RIBs (two routes or more each: two pages or more)
for view in "" --received --advertised; do
  # shellcheck disable=SC2086  # $view is one flag or none
  if [ "$(ctl a show routes $view)" = "$(ctl a show routes $view --page-size 1)" ] &&
    [ "$(ctl a show routes $view | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["routes"]))')" -ge 2 ]; then ok
  else bad "show routes $view in pages of 1 differs: $(ctl a show routes $view --page-size 1)"; fi
done
# ROUTE-REFRESH (RFC 2918 §4) from the scripted peer: for IPv6, which its session did not
# negotiate, it is ignored; for IPv4 b sends its routes again.
updates_from_b() { grep -c '"event": "update"' "$work/rr.out"; }
eor4=$(printf 'ff%.0s' {1..16})00170200000000
deadline=$((SECONDS + 20))
until grep -q "\"hex\": \"$eor4\"" "$work/rr.out" || [ $SECONDS -ge $deadline ]; do sleep 0.3; done
n0=$(updates_from_b)
if grep -q "\"hex\": \"$eor4\"" "$work/rr.out" && [ "$n0" -ge 4 ]; then ok
else bad "scripted peer: no table and End-of-RIB from b: $(tail -5 "$work/rr.out")"; fi
# The export policy's set reached the wire: the UPDATE with a's 192.0.2.0/24 carries MED 77
# and community 65102:45; b's own 198.51.100.0/24 and c's 203.0.113.0/24 (origin AS 65103,
# learned over eBGP like a's) carry neither.
sent_attributes() {
  python3 - "$work/rr.out" "$1" "$(dirname "$0")" <<'PY'
import json, struct, sys
sys.path.insert(0, sys.argv[3])
from bgp_test_peer import decode_prefixes, path_attributes, split_update
want = sys.argv[2]
last = None  # what the latest UPDATE naming the prefix left the peer holding
for line in open(sys.argv[1]):
    try:
        event = json.loads(line)
    except ValueError:
        continue  # the peer's own diagnostics share the file
    if event.get("event") != "update":
        continue
    withdrawn, attrs, nlri = split_update(bytes.fromhex(event["hex"]))
    if want in decode_prefixes(withdrawn):
        last = None
    if want not in decode_prefixes(nlri):
        continue
    last = {"med": None, "communities": []}
    for _, code, value in path_attributes(attrs):
        if code == 4:  # MULTI_EXIT_DISC (RFC 4271 §4.3)
            (last["med"],) = struct.unpack("!I", value)
        elif code == 8:  # COMMUNITIES (RFC 1997)
            last["communities"] = ["%d:%d" % struct.unpack("!HH", value[j:j + 4])
                                   for j in range(0, len(value), 4)]
print(json.dumps(last))
PY
}
# a's route may reach the peer after b's End-of-RIB to it: wait for it.
deadline=$((SECONDS + 20))
until [ "$(sent_attributes 192.0.2.0/24)" != null ] || [ $SECONDS -ge $deadline ]; do sleep 0.3; done
untagged='{"med": null, "communities": []}'
if [ "$(sent_attributes 192.0.2.0/24)" = '{"med": 77, "communities": ["65102:45"]}' ] &&
  [ "$(sent_attributes 198.51.100.0/24)" = "$untagged" ] &&
  [ "$(sent_attributes 203.0.113.0/24)" = "$untagged" ]; then ok
else bad "export policy set: sent a's route as $(sent_attributes 192.0.2.0/24), b's as $(sent_attributes 198.51.100.0/24), c's as $(sent_attributes 203.0.113.0/24)"; fi
echo "$(printf 'ff%.0s' {1..16})0017050002 00 01" >>"$work/rr.lines"
deadline=$((SECONDS + 10))
until grep -q "ROUTE-REFRESH for AFI 2 SAFI 1 subtype 0 ignored" "$work/b.log" || [ $SECONDS -ge $deadline ]; do sleep 0.3; done
sleep 1
n1=$(updates_from_b)
if grep -q "ROUTE-REFRESH for AFI 2 SAFI 1 subtype 0 ignored" "$work/b.log" && [ "$n1" -eq "$n0" ]; then ok
else bad "ROUTE-REFRESH for a family not negotiated: $n0 -> $n1 UPDATEs; b: $(grep -i refresh "$work/b.log")"; fi
advertised=$(ctl b show routes --advertised --peer 127.0.0.45 | python3 -c "import json,sys; print(len(json.load(sys.stdin)['routes']))")
echo "$(printf 'ff%.0s' {1..16})0017050001 00 01" >>"$work/rr.lines"
deadline=$((SECONDS + 10))
until [ "$(updates_from_b)" -ge $((n1 + advertised)) ] || [ $SECONDS -ge $deadline ]; do sleep 0.3; done
sleep 1
n2=$(updates_from_b)
if [ "$advertised" -ge 4 ] && [ "$n2" -eq $((n1 + advertised)) ]; then ok
else bad "ROUTE-REFRESH for IPv4: b sent $((n2 - n1)) UPDATEs, expected its $advertised routes"; fi
echo quit >>"$work/rr.lines"
# the text view names the peer and the state
if "$BGPSECCTL" --socket "$work/b.sock" show neighbors | grep '127.0.0.41.*stablished' >/dev/null; then ok
else bad "text view: $("$BGPSECCTL" --socket "$work/b.sock" show neighbors)"; fi

# --- reload --------------------------------------------------------------------------------------
# state_seconds of NAME's session with PEER
state_seconds() {
  ctl "$1" show neighbors | python3 -c "import json,sys; print(next(n['state_seconds'] for n in json.load(sys.stdin)['neighbors'] if n['peer'] == '$2' and n['state'] == 'established'))" 2>/dev/null || echo -1
}
routes_of() {
  ctl "$1" show routes | python3 -c "import json,sys; print(sorted((r['prefix'], r['peer'], r['best'], tuple(r['as_path'])) for r in json.load(sys.stdin)['routes']))"
}
# SIGHUP after a [[network]] was added at a: it reaches c, and no session was reset.
sleep 2
before=$(state_seconds b 127.0.0.41)
cp "$work/a.toml" "$work/a.toml.orig"
printf '\n[[network]]\nprefix = "10.41.0.0/16"\n' >>"$work/a.toml"
kill -HUP "$pid_a"
if wait_for 20 "$(route_has 10.41.0.0/16 '[65102, 65101]')" c show routes; then ok
else bad "SIGHUP: 10.41.0.0/16 did not reach c: $(ctl c show routes); a: $(tail -5 "$work/a.log")"; fi
after=$(state_seconds b 127.0.0.41)
if [ "$before" -ge 0 ] && [ "$after" -ge "$before" ]; then ok
else bad "SIGHUP reset the a-b session (state_seconds $before -> $after)"; fi
# A broken config: `bgpsecctl reload` fails naming file:line, and nothing changes.
cp "$work/a.toml" "$work/a.toml.good"
routes_before=$(routes_of a)
before=$(state_seconds a 127.0.0.42)
sed -i 's/^hold_time = 9$/hold_time = 2/' "$work/a.toml"
line=$(grep -n '^hold_time = 2$' "$work/a.toml" | cut -d: -f1)
"$BGPSECCTL" --socket "$work/a.sock" reload >"$work/reload.out" 2>&1
rc=$?
if [ $rc -ne 0 ] && grep -q "a.toml:$line:" "$work/reload.out"; then ok
else bad "broken config: reload exit $rc: $(cat "$work/reload.out")"; fi
sleep 1
after=$(state_seconds a 127.0.0.42)
if [ "$before" -ge 0 ] && [ "$after" -ge "$before" ]; then ok
else bad "broken reload touched the a-b session (state_seconds $before -> $after)"; fi
if [ "$(routes_of a)" = "$routes_before" ]; then ok
else bad "broken reload changed a's routes: $routes_before -> $(routes_of a)"; fi
cp "$work/a.toml.good" "$work/a.toml"
# One reload at b turns [metrics] on (bgpsecd_peer_established for a's session is 1), adds a
# BGP listen address, sets log_level, and moves [control] (not applied: needs a restart).
metrics_port=$((PORT + 1))
before=$(state_seconds b 127.0.0.43)
sed -i -e "/^\[metrics\]$/{n;s/^listen = \"\"$/listen = \"127.0.0.42:$metrics_port\"/}" \
  -e "s/^listen = \[\"127.0.0.42:$PORT\"\]$/listen = [\"127.0.0.42:$PORT\", \"127.0.0.46:$PORT\"]\nlog_level = \"debug\"/" \
  -e "s|^socket = \"$work/b.sock\"$|socket = \"$work/b2.sock\"|" "$work/b.toml"
if ctl b reload >"$work/reload.out" 2>&1 && grep -q "metrics: 127.0.0.42:$metrics_port" "$work/reload.out" &&
  grep -q "listen: 127.0.0.42:$PORT, 127.0.0.46:$PORT" "$work/reload.out" &&
  grep -q "log_level: debug" "$work/reload.out" &&
  grep -q "control: changed, needs restart" "$work/reload.out"; then ok
else bad "reload at b: $(cat "$work/reload.out")"; fi
if python3 -c "import socket,sys; socket.create_connection(('127.0.0.46', $PORT), timeout=3)"; then ok
else bad "b does not listen on the added 127.0.0.46:$PORT"; fi
after=$(state_seconds b 127.0.0.43)
if [ "$before" -ge 0 ] && [ "$after" -ge "$before" ] && [ ! -e "$work/b2.sock" ]; then ok
else bad "reload at b: session with c $before -> $after s, or the control socket moved"; fi
if python3 - "http://127.0.0.42:$metrics_port/metrics" <<'PY'; then ok; else bad "metrics at b (what it served is above)"; fi
import re, sys, time, urllib.request
pattern = re.compile(r'^bgpsecd_peer_established\{[^}]*peer="127\.0\.0\.41"[^}]*\} 1$', re.M)
body = ""
for _ in range(20):
    try:
        body = urllib.request.urlopen(sys.argv[1], timeout=5).read().decode()
        # and the validation engine's series (no labels)
        # the build identity: constant 1, labels sorted by name
        build_info = re.search(
            r'^bgpsecd_build_info\{revision="[^"]+",version="\d+\.\d+\.\d+"\} 1$', body, re.M)
        if pattern.search(body) and build_info and all(
                re.search(r'^' + name + r'(\{\})? \d', body, re.M) for name in (
                    "bgpsecd_bgpsec_validations_pending", "bgpsecd_bgpsec_validations_queued",
                    "bgpsecd_bgpsec_validations_total",
                    "bgpsecd_signature_cache_hits_total", "bgpsecd_key_table_bytes",
                    "bgpsecd_bgpsec_stored_path_bytes")):
            sys.exit(0)
    except OSError as e:
        body = str(e)
    time.sleep(0.5)
sys.stderr.write(body[:2000] + "\n")
sys.exit(1)
PY

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
# a comes back as a restarting speaker (RFC 4724 §4.1): it sends its table once b's
# End-of-RIB is in, well before the deferral timer (graceful_restart_time, 120 s).
start a -R
if wait_for 30 "not $stale and any(r['prefix'] == '192.0.2.0/24' for r in out['routes'])" b show routes --received --peer 127.0.0.41; then ok
else bad "stale flag not cleared after a came back: $(ctl b show routes --received --peer 127.0.0.41)"; fi
if grep -q "graceful restart: every graceful-restart peer sent End-of-RIB" "$work/a.log"; then ok
else bad "a -R did not end its deferral on End-of-RIB: $(grep -i 'graceful\|End-of-RIB' "$work/a.log")"; fi
if wait_for 10 "$(route_has 10.41.0.0/16 '[65102, 65101]')" c show routes; then ok
else bad "c lacks 10.41.0.0/16 after a's graceful restart: $(ctl c show routes)"; fi

# --- RPKI files and SLURM at c, by reload; `expires` honoured by a timer -------------------------
now=$(date +%s)
cat >"$work/rpki-c.json" <<JSON
{"roas": [{"prefix": "192.0.2.0/24", "maxLength": 24, "asn": 65101},
          {"prefix": "2001:db8:41::/48", "maxLength": 48, "asn": 65101},
          {"prefix": "198.51.100.0/24", "maxLength": 24, "asn": 65102, "expires": $((now + 5))}]}
JSON
slurm_c() {  # slurm_c MAXLEN: filters 192.0.2.0/24 out, asserts 2001:db8:42::/48 for AS 65999
  cat >"$work/slurm-c.json" <<JSON
{"slurmVersion": 1,
 "validationOutputFilters": {"prefixFilters": [{"prefix": "192.0.2.0/24"}], "bgpsecFilters": []},
 "locallyAddedAssertions": {"bgpsecAssertions": [],
   "prefixAssertions": [{"prefix": "2001:db8:42::/48", "asn": 65999, "maxPrefixLength": $1}]}}
JSON
}
slurm_c 48
printf '\n[rpki]\nfiles = ["%s"]\nslurm = "%s"\n' "$work/rpki-c.json" "$work/slurm-c.json" >>"$work/c.toml"
if ctl c reload >"$work/reload.out" 2>&1 && grep -q "rpki files reloaded" "$work/reload.out"; then ok
else bad "rpki reload at c: $(cat "$work/reload.out")"; fi
origin_is() {  # origin_is PREFIX STATE: a python expression over `show routes`
  echo "any(r['prefix'] == '$1' and r['best'] and r['origin_state'] == '$2' for r in out['routes'])"
}
rpki_states="$(origin_is 2001:db8:41::/48 valid) and $(origin_is 192.0.2.0/24 not-found) and $(origin_is 2001:db8:42::/48 invalid)"
if wait_for 5 "$rpki_states and $(origin_is 198.51.100.0/24 valid)" c show routes; then ok
else bad "RPKI file + SLURM at c: $(ctl c show routes)"; fi
# A broken SLURM file fails the reload, naming the entry; the data in use stays.
slurm_c 200
"$BGPSECCTL" --socket "$work/c.sock" reload >"$work/reload.out" 2>&1
rc=$?
if [ $rc -ne 0 ] && grep -q "prefixAssertions\[0\]" "$work/reload.out"; then ok
else bad "broken SLURM: reload exit $rc: $(cat "$work/reload.out")"; fi
if wait_for 2 "$rpki_states" c show routes && wait_for 2 "out['slurm']['prefix_assertions'] == 1" c show rpki; then ok
else bad "broken SLURM changed the RPKI data: $(ctl c show rpki)"; fi
# 198.51.100.0/24's ROA expires: a timer takes it out, without a reload.
if wait_for 15 "$(origin_is 198.51.100.0/24 not-found)" c show routes; then ok
else bad "expired ROA still in use at c: $(ctl c show routes)"; fi

# --- the verification engine: named by show rpki, multi_buffer switched off by reload ---------
if wait_for 2 "out['validation']['engine'] in ('avx512-ifma', 'scalar')" c show rpki; then ok
else bad "engine at c: $(ctl c show rpki)"; fi
slurm_c 48  # the broken SLURM file above would fail the reload
printf '\n[bgpsec]\nmulti_buffer = false\n' >>"$work/c.toml"
if ctl c reload >"$work/reload.out" 2>&1 && grep -q "bgpsec multi_buffer: scalar" "$work/reload.out" &&
  wait_for 2 "out['validation']['engine'] == 'scalar'" c show rpki; then ok
else bad "multi_buffer = false at c: $(cat "$work/reload.out") $(ctl c show rpki)"; fi

summary
