#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Validation outsourced to bgpsecvd (RFC 8374 §9.3.2, docs/srx-proxy.md §10) with failover:
# the replayed table of R (AS 65402, `bgpsec gen`) reaches the observer B (bgpsecd, AS 65401),
# which validates its paths through two bgpsecvd, V1 (preference 0) and V2 (preference 1), and
# passes the routes to C (bgpsecd, AS 65403), the observer downstream. B has no router key of
# its own: it sends its routes to C signed by the server that holds them ([validation] signing =
# "server", the servers have B's key), and C validates them itself.
#   1. every route of R is Valid at B, validated by V1 (B's own key table is never used), and
#      C has them all, Valid: signed for B by V1
#   2. V1 killed: the routes move to V2 (a failover), stay Valid, and C sees no withdrawal
#   3. V1 back: the routes move back to it
#   4. V1 stopped (SIGSTOP) and a second table from R2 (AS 65404): V1 gives no receipt, B ends
#      the session after answer_timeout, V2 validates the table; C still sees no withdrawal
#   5. V1 back and home again, then killed (SIGKILL) in the middle of a table from R4 (AS
#      65406), its answers outstanding: the connection is lost well before answer_timeout,
#      everything moves to V2, R4's routes all end Valid, C sees no withdrawal
#   6. the key of AS 65402 removed from the servers' RPKI file (B's own file keeps it): V2
#      pushes the change and R's routes turn Not Valid at B ("server-invalid"), R2's stay Valid;
#      a neighbor of a new AS added and removed by reload reaches V2 as PEER_CHANGE
#   7. every server gone: a third table from R3 (AS 65405, neighbor mode server-or-local) is
#      validated by B itself after fallback_after; `show validation` says so; what B sends on
#      now goes unsigned (signing_fallback = "unsigned": B has no key), and C keeps every prefix
# Run by ctest with BGPSECD, BGPSECVD, BGPSECCTL, BGPSEC and PORT set; KEEP=1 keeps $work.
# Addresses 127.0.43.1-20 and ports 18320-18329 belong to this test.
set -uo pipefail
: "${BGPSECD:?}" "${BGPSECVD:?}" "${BGPSECCTL:?}" "${BGPSEC:?}" "${PORT:?}"
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$here/lib.sh"
b=127.0.43.1
c=127.0.43.2
r=127.0.43.3
r2=127.0.43.4
r3=127.0.43.5
r4=127.0.43.6
v1=127.0.43.11
v2=127.0.43.12
v1_port=$((PORT + 1))
v2_port=$((PORT + 2))
n=300

# ----- the tables and the RPKI files --------------------------------------------------------------
if "$BGPSEC" gen --target-as 65401 --peer-as 65402 --also-peer-as 65404 --also-peer-as 65405 \
  --also-peer-as 65406 \
  --prefixes $n --seed 43 --threads 2 --out "$work/table" >"$work/gen.json"; then ok
else bad "bgpsec gen failed: $(cat "$work/gen.json")"; exit 1; fi
cp "$work/table/rpki.json" "$work/b-rpki.json"
cp "$work/table/rpki.json" "$work/vd-rpki.json"

# ----- the servers --------------------------------------------------------------------------------
start_vd() {  # start_vd NAME ADDR PORT
  "$BGPSECVD" --listen "$2:$3" --rpki "$work/vd-rpki.json" --key-dir "$work/keys" \
    --control-socket "$work/$1.sock" \
    --metrics none --log-level debug "${allow_root[@]}" >>"$work/$1.log" 2>&1 &
  pids+=($!)
  eval "pid_$1=$!"
}
# B's key: only the servers have it. C's RPKI has it beside the table's keys.
"$BGPSEC" keygen --asn 65401 --out "$work/keys" >/dev/null || { bad "keygen"; exit 1; }
"$BGPSEC" rpki-json --key-dir "$work/keys" >"$work/b-key.json" || { bad "rpki-json"; exit 1; }
python3 - "$work/table/rpki.json" "$work/b-key.json" "$work/c-rpki.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
doc["bgpsec_keys"] += json.load(open(sys.argv[2]))["bgpsec_keys"]
json.dump(doc, open(sys.argv[3], "w"))
PY
start_vd v1 $v1 $v1_port
start_vd v2 $v2 $v2_port
wait_listening $v1 $v1_port  # both listening before B starts
wait_listening $v2 $v2_port

# ----- B and C ------------------------------------------------------------------------------------
global_toml b 65401 $b >"$work/b.toml"
cat >>"$work/b.toml" <<TOML

[rpki]
files = ["$work/b-rpki.json"]

[validation]
signing = "server"
signing_fallback = "unsigned"
mode = "server"
answer_timeout = 10
hello_timeout = 3
connect_timeout = 2
fallback_after = 4

[[validation_server]]
address = "$v2:$v2_port"
preference = 1

[[validation_server]]
address = "$v1:$v1_port"
preference = 0

[[policy]]
name = "all"
default_action = "accept"
TOML
for peer in "$r:65402:" "$r2:65404:" "$r3:65405:server-or-local" "$r4:65406:"; do
  IFS=: read -r addr asn mode <<<"$peer"
  printf '\n[[neighbor]]\naddress = "%s"\nremote_as = %s\npassive = true\nfamilies = ["ipv4", "ipv6"]\nbgpsec = { receive = ["ipv4", "ipv6"] }\nimport = "all"\n' \
    "$addr" "$asn" >>"$work/b.toml"
  [ -n "$mode" ] && printf 'validation = "%s"\n' "$mode" >>"$work/b.toml"
done
neighbor_toml $c 65403 $b '["ipv4", "ipv6"]' 'bgpsec = { send = ["ipv4", "ipv6"] }' >>"$work/b.toml"
global_toml c 65403 $c >"$work/c.toml"
printf '\n[rpki]\nfiles = ["%s"]\n\n[[policy]]\nname = "all"\ndefault_action = "accept"\n' \
  "$work/c-rpki.json" >>"$work/c.toml"
neighbor_toml $b 65401 $c '["ipv4", "ipv6"]' 'bgpsec = { receive = ["ipv4", "ipv6"] }' >>"$work/c.toml"
if "$BGPSECD" -n -c "$work/b.toml" >"$work/b.normal" 2>&1; then ok
else bad "bgpsecd -n: $(cat "$work/b.normal")"; fi
start b
start c

judge_py <<'PY'
def count(out, peer, state):  # routes from `peer` with this path state
    return sum(1 for r in out["routes"] if r["peer"] == peer and r["path_state"] == state)

def failure(out, peer):  # the failure reasons of peer's Not Valid routes
    return {str(r.get("failure")) for r in out["routes"] if r["peer"] == peer and r["path_state"] == "not-valid"}

def server(out, address):
    return [s for s in out["servers"] if s["address"] == address][0]

def counter(out, peer, name):
    return [x for x in out["neighbors"] if x["peer"] == peer][0]["counters"][name]
PY
expect "B: the servers by preference, V1 active and home" 20 \
  "[s['address'] for s in out['servers']] == ['$v1:$v1_port', '$v2:$v2_port'] and server(out, '$v1:$v1_port')['state'] == 'active' and out['home'] == '$v1:$v1_port'" \
  ctl b show validation
# Failovers from here on: a loaded machine may have had B meet the servers out of order.
fo=$(value "out['failovers']" ctl b show validation)
expect "B and C established" 20 "out['neighbors'][0]['state'] == 'established'" ctl c show neighbors

replay() {  # replay ADDR ASN FILE: in the background, session kept 600 s (cleanup ends it)
  "$BGPSEC" replay --connect "$b:$PORT" --bind "$1" --local-as "$2" --peer-as 65401 \
    --router-id "$1" --updates "$3" --hold-after 600 >"$work/$1.json" 2>"$work/$1.err" &
  pids+=($!)
}

# ----- 1. through V1 ------------------------------------------------------------------------------
replay $r 65402 "$work/table/updates.bin"
expect "1: all $n routes of R Valid at B" 60 "count(out, '$r', 'valid') == $n" ctl b show routes --received
expect "1: V1 holds them and answered" 10 \
  "server(out, '$v1:$v1_port')['routes'] == $n and server(out, '$v1:$v1_port')['receipts'] >= $n and out['results'] >= $n and out['failovers'] == $((fo + 0))" \
  ctl b show validation
expect "1: B's own workers checked nothing" 5 "out['validation']['signatures_checked'] == 0" ctl b show rpki
expect "1: V1 validated them" 10 "out['routers'] >= 1" ctl v1 show server
expect "1: C has all $n, Valid: signed for B by V1" 30 \
  "len(out['routes']) == $n and all(r['path_state'] == 'valid' for r in out['routes'])" ctl c show routes
expect "1: B's Adj-RIB-Out towards C shows V1's signatures for B" 10 \
  "len(out['routes']) == $n and all(r.get('secure_path') and r['secure_path'][0]['asn'] == 65401 for r in out['routes'])" \
  ctl b show routes --advertised --peer $c
expect "1: B asked the server for every signature" 5 \
  "out['signed_by_server'] >= $n and out['signing_fallbacks'] == 0 and out['signing_pending'] == 0" \
  ctl b show validation

# ----- 2. V1 killed -------------------------------------------------------------------------------
# shellcheck disable=SC2154  # pid_v1 is set by start_vd
kill -9 "$pid_v1"
expect "2: the routes move to V2" 20 \
  "out['home'] == '$v2:$v2_port' and out['failovers'] == $((fo + 1)) and server(out, '$v2:$v2_port')['routes'] == $n" \
  ctl b show validation
expect "2: still $n Valid at B" 5 "count(out, '$r', 'valid') == $n" ctl b show routes --received
expect "2: C saw no withdrawal" 5 "counter(out, '$b', 'withdrawals_received') == 0" ctl c show neighbors
if grep -q "validation server $v1:$v1_port" "$work/b.log"; then ok
else bad "2: B's log does not name the server it lost: $(tail -5 "$work/b.log")"; fi

# ----- 3. V1 back ---------------------------------------------------------------------------------
start_vd v1 $v1 $v1_port
expect "3: the routes move back to V1" 30 \
  "out['home'] == '$v1:$v1_port' and out['failovers'] == $((fo + 2)) and server(out, '$v1:$v1_port')['routes'] == $n" \
  ctl b show validation
expect "3: still $n Valid at B" 10 "count(out, '$r', 'valid') == $n" ctl b show routes --received

# ----- 4. V1 answers nothing ----------------------------------------------------------------------
kill -STOP "$pid_v1"
replay $r2 65404 "$work/table/updates-1.bin"
expect "4: R2's $n routes Valid at B through V2" 60 \
  "count(out, '$r2', 'valid') == $n and count(out, '$r', 'valid') == $n" ctl b show routes --received
expect "4: V2 is home, V1 not active" 5 \
  "out['home'] == '$v2:$v2_port' and server(out, '$v1:$v1_port')['state'] != 'active' and out['failovers'] == $((fo + 3))" \
  ctl b show validation
expect "4: C has both tables' prefixes, no withdrawal" 30 \
  "counter(out, '$b', 'withdrawals_received') == 0 and out['neighbors'][0]['prefixes']['received'] == $n" ctl c show neighbors
kill -9 "$pid_v1"

# ----- 5. V1 killed with answers outstanding ------------------------------------------------------
start_vd v1 $v1 $v1_port
expect "5: V1 back, home, holding R's and R2's routes" 30 \
  "out['home'] == '$v1:$v1_port' and out['failovers'] == $((fo + 4)) and server(out, '$v1:$v1_port')['routes'] == 2 * $n" \
  ctl b show validation
# Stopped first, so that R4's VERIFYs are certainly sent and unanswered when it dies (and
# answer_timeout, 10 s, leaves the kill ample time to come first).
kill -STOP "$pid_v1"
lines=$(wc -l <"$work/b.log")
replay $r4 65406 "$work/table/updates-3.bin"
expect "5: R4's VERIFYs at V1 unanswered" 8 "server(out, '$v1:$v1_port')['awaiting_answers'] > 0" \
  ctl b show validation
kill -9 "$pid_v1"
expect "5: every route moves to V2" 20 \
  "out['home'] == '$v2:$v2_port' and out['failovers'] == $((fo + 5)) and server(out, '$v2:$v2_port')['routes'] == 3 * $n" \
  ctl b show validation
expect "5: R4's $n routes Valid at B, R's and R2's still" 60 \
  "count(out, '$r4', 'valid') == $n and count(out, '$r', 'valid') == $n and count(out, '$r2', 'valid') == $n" \
  ctl b show routes --received
expect "5: C saw no withdrawal" 20 \
  "counter(out, '$b', 'withdrawals_received') == 0 and out['neighbors'][0]['prefixes']['accepted'] == $n" \
  ctl c show neighbors
since_kill=$(tail -n +$((lines + 1)) "$work/b.log")
if grep -q "validation server $v1:$v1_port: \(closed by the server\|read failed\)" <<<"$since_kill" &&
  ! grep -q "no answer to the VERIFY" <<<"$since_kill"; then ok
else bad "5: B did not see V1's connection go (rather than time out): $(grep "$v1" <<<"$since_kill" | tail -5)"; fi

# ----- 6. a router key removed at the servers' cache ----------------------------------------------
python3 - "$work/vd-rpki.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
doc["bgpsec_keys"] = [k for k in doc["bgpsec_keys"] if int(str(k["asn"]).removeprefix("AS")) != 65402]
json.dump(doc, open(sys.argv[1] + ".new", "w"))
PY
mv "$work/vd-rpki.json.new" "$work/vd-rpki.json"
# shellcheck disable=SC2154
kill -HUP "$pid_v2"
expect "6: R's routes Not Valid at B, pushed by V2" 30 \
  "count(out, '$r', 'not-valid') == $n and count(out, '$r2', 'valid') == $n and count(out, '$r4', 'valid') == $n and 'server-invalid' in str(failure(out, '$r'))" \
  ctl b show routes --received
expect "6: B's own RPKI still has the key" 5 "out['router_keys'] > 0 and out['validation']['signatures_checked'] == 0" ctl b show rpki
expect "6: C saw no withdrawal, and every route it has is Valid (R2's now)" 20 \
  "counter(out, '$b', 'withdrawals_received') == 0 and out['neighbors'][0]['prefixes']['accepted'] == $n" ctl c show neighbors
expect "6: C's routes all Valid" 20 \
  "len(out['routes']) == $n and all(r['path_state'] == 'valid' for r in out['routes'])" ctl c show routes
# A neighbor of a new AS added by reload: the server hears of it (PEER_CHANGE) on the session it
# has, and a neighbor removed says so again.
connects=$(value "server(out, '$v2:$v2_port')['connects']" ctl b show validation)
cp "$work/b.toml" "$work/b.toml.before"
printf '\n[[neighbor]]\naddress = "127.0.43.7"\nremote_as = 65407\npassive = true\nfamilies = ["ipv4"]\n' \
  >>"$work/b.toml"
if ctl b reload >"$work/reload.json" 2>&1 && grep -q "neighbor 127.0.43.7 added" "$work/reload.json" &&
  ! grep -q "needs restart" "$work/reload.json"; then ok
else bad "6: reload adding a neighbor: $(cat "$work/reload.json")"; fi
cp "$work/b.toml.before" "$work/b.toml"
ctl b reload >"$work/reload.json" 2>&1 || bad "6: reload removing the neighbor: $(cat "$work/reload.json")"
for _ in $(seq 50); do
  [ "$(grep -c "PEER_CHANGE" "$work/v2.log")" -ge 2 ] && break
  sleep 0.1
done
if [ "$(grep -c "PEER_CHANGE" "$work/v2.log")" -ge 2 ] &&
  grep -q "PEER_CHANGE, AS65407 added" "$work/b.log" && grep -q "PEER_CHANGE, AS65407 removed" "$work/b.log" &&
  [ "$(value "server(out, '$v2:$v2_port')['connects']" ctl b show validation)" = "$connects" ]; then ok
else bad "6: PEER_CHANGE for AS 65407 added and removed: V2 log $(grep -c PEER_CHANGE "$work/v2.log"), B log $(grep PEER_CHANGE "$work/b.log")"; fi

# ----- 7. no server at all ------------------------------------------------------------------------
kill -9 "$pid_v2"
expect "7: no server available" 20 "out['available'] is False" ctl b show validation
replay $r3 65405 "$work/table/updates-2.bin"
expect "7: R3's routes Valid, checked by B itself" 60 "count(out, '$r3', 'valid') == $n" ctl b show routes --received
expect "7: show validation says so" 5 \
  "out['fallback_active'] is True and out['fallback_local'] >= $n and out['neighbors']['$r3']['mode'] == 'server-or-local'" \
  ctl b show validation
expect "7: B's workers did the checking" 5 "out['validation']['signatures_checked'] > 0" ctl b show rpki
expect "7: R's, R2's and R4's routes keep their states" 5 \
  "count(out, '$r', 'not-valid') == $n and count(out, '$r2', 'valid') == $n and count(out, '$r4', 'valid') == $n" \
  ctl b show routes --received
expect "7: C keeps every prefix, no withdrawal" 20 \
  "counter(out, '$b', 'withdrawals_received') == 0 and out['neighbors'][0]['prefixes']['accepted'] == $n" ctl c show neighbors
if "$BGPSECCTL" --socket "$work/b.sock" show validation >"$work/text" 2>&1 &&
  grep -q "$v1:$v1_port" "$work/text" && grep -q "No server has answered" "$work/text"; then ok
else bad "7: show validation as text: $(cat "$work/text")"; fi
summary
