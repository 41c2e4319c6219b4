#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# BMP (RFC 7854, Loc-RIB per RFC 9069) from bgpsecd D (AS 65471) to pmacct's pmbmpd writing
# JSON. D holds a signed table (`bgpsec gen`, replayed by R in AS 65472) and one network of
# its own. Checks:
#   - pmbmpd logs D's Initiation, a Peer Up for R, R's prefixes pre-policy, post-policy and in
#     the Loc-RIB, and Statistics Reports;
#   - removing D's network by reload gives a Loc-RIB withdrawal;
#   - pmbmpd stopped and started again: D reconnects and sends Peer Up and the table again,
#     while the BGP session with R never drops;
#   - R gone: a Peer Down.
# Run by ctest with BGPSECD, BGPSECCTL, BGPSEC and PORT set; KEEP=1 keeps $work.
# Addresses 127.0.47.1-20 and ports PORT..PORT+9 on them belong to this test.
set -uo pipefail
: "${BGPSECD:?}" "${BGPSECCTL:?}" "${BGPSEC:?}" "${PORT:?}"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
need pmbmpd
d=127.0.47.1
r=127.0.47.3
station=127.0.47.10
bmp_port=$((PORT + 1))
n=12

if "$BGPSEC" gen --target-as 65471 --peer-as 65472 --prefixes $n --seed 47 --threads 2 \
  --out "$work/table" >"$work/gen.json"; then ok
else bad "bgpsec gen failed: $(cat "$work/gen.json")"; exit 1; fi
d_toml() {  # d_toml WITH-NETWORK
  global_toml d 65471 $d
  printf '\n[rpki]\nfiles = ["%s"]\n' "$work/table/rpki.json"
  [ "$1" = yes ] && printf '\n[[network]]\nprefix = "192.0.2.0/24"\n'
  printf '\n[[policy]]\nname = "all"\ndefault_action = "accept"\n'
  printf '\n[[neighbor]]\naddress = "%s"\nremote_as = 65472\npassive = true\nfamilies = ["ipv4", "ipv6"]\nbgpsec = { receive = ["ipv4", "ipv6"] }\nimport = "all"\n' $r
  printf '\n[[bmp]]\naddress = "%s:%s"\nviews = ["pre-policy", "post-policy", "loc-rib"]\nstats_interval = 2\nreconnect_min = 1\nreconnect_max = 2\n' \
    $station $bmp_port
}
pmbmpd_start() {  # pmbmpd_start LOG-FILE
  cat >"$work/pmbmpd.conf" <<CONF
core_proc_name: pmbmpd
daemonize: false
bmp_daemon_ip: $station
bmp_daemon_port: $bmp_port
bmp_daemon_msglog_output: json
bmp_daemon_msglog_file: $1
CONF
  pmbmpd -f "$work/pmbmpd.conf" >>"$work/pmbmpd.log" 2>&1 &
  pmbmpd_pid=$!
  pids+=($pmbmpd_pid)
  wait_listening $station $bmp_port
}
# bmp_count FILE PYTHON-EXPR: the JSON lines of FILE for which EXPR (over `m`) holds
bmp_count() {
  python3 - "$1" "$2" <<'PY'
import json, sys
count = 0
try:
    for line in open(sys.argv[1]):
        try:
            m = json.loads(line)
        except ValueError:
            continue
        if eval(sys.argv[2]):
            count += 1
except OSError:
    pass
print(count)
PY
}
# bmp_expect WHAT SECONDS FILE EXPR MIN: until at least MIN lines match
bmp_expect() {
  local deadline=$((SECONDS + $2)) got=0
  while [ $SECONDS -lt $deadline ]; do
    got=$(bmp_count "$3" "$4")
    [ "$got" -ge "$5" ] && { ok; return 0; }
    sleep 0.5
  done
  bad "$1: $got of $5 messages at pmbmpd ($3)"
  return 1
}
rm_pre="m.get('bmp_msg_type') == 'route_monitor' and m.get('is_post') == 0 and m.get('peer_ip') == '$r' and m.get('log_type') == 'update'"
rm_post="m.get('bmp_msg_type') == 'route_monitor' and m.get('is_post') == 1 and m.get('peer_ip') == '$r' and m.get('log_type') == 'update'"
rm_loc="m.get('bmp_msg_type') == 'route_monitor' and m.get('is_loc') == 1 and m.get('log_type') == 'update'"

pmbmpd_start "$work/bmp1.json"
d_toml yes >"$work/d.toml"
start d
wait_listening $d
"$BGPSEC" replay --connect "$d:$PORT" --bind $r --local-as 65472 --peer-as 65471 \
  --router-id $r --updates "$work/table/updates.bin" --hold-after 600 >"$work/r.json" \
  2>"$work/r.err" &
r_pid=$!
pids+=($r_pid)
judge_py <<'PY'
def valid_from(out, peer):
    return sum(1 for r in out["routes"] if r["peer"] == peer and r["path_state"] == "valid")
PY
expect "R's table Valid at D" 60 "valid_from(out, '$r') == $n" ctl d show routes

f1=$work/bmp1.json
bmp_expect "initiation" 30 "$f1" "m.get('bmp_msg_type') == 'init' and m.get('bmp_init_info_sysname') == '$d'" 1
bmp_expect "peer up for R" 30 "$f1" "m.get('bmp_msg_type') == 'peer_up' and m.get('peer_ip') == '$r' and m.get('peer_asn') == 65472" 1
bmp_expect "R's prefixes pre-policy" 30 "$f1" "$rm_pre" $n
bmp_expect "R's prefixes post-policy" 30 "$f1" "$rm_post" $n
bmp_expect "Loc-RIB peer up" 30 "$f1" "m.get('bmp_msg_type') == 'peer_up' and m.get('peer_type') == 3" 1
bmp_expect "Loc-RIB routes (R's and D's own)" 30 "$f1" "$rm_loc" $((n + 1))
bmp_expect "statistics for R incl. our BGPsec Valid count" 30 "$f1" \
  "m.get('bmp_msg_type') == 'stats' and m.get('peer_ip') == '$r' and m.get('counter_type') == 65531" 1

# A route leaves the Loc-RIB: D's network removed by reload.
d_toml no >"$work/d.toml"
if ctl d reload >"$work/reload.out" 2>&1; then ok; else bad "reload: $(cat "$work/reload.out")"; fi
bmp_expect "Loc-RIB withdrawal of 192.0.2.0/24" 30 "$f1" \
  "m.get('bmp_msg_type') == 'route_monitor' and m.get('is_loc') == 1 and m.get('log_type') == 'withdraw' and m.get('ip_prefix') == '192.0.2.0/24'" 1

# The station goes away and comes back: D reconnects and sends everything again.
kill "$pmbmpd_pid"
wait "$pmbmpd_pid" 2>/dev/null
expect "D sees the station down" 30 "out['stations'][0]['state'] != 'up'" ctl d show bmp
pmbmpd_start "$work/bmp2.json"
f2=$work/bmp2.json
bmp_expect "peer up for R after the reconnect" 60 "$f2" "m.get('bmp_msg_type') == 'peer_up' and m.get('peer_ip') == '$r'" 1
bmp_expect "R's prefixes pre-policy after the reconnect" 30 "$f2" "$rm_pre" $n
bmp_expect "Loc-RIB after the reconnect" 30 "$f2" "$rm_loc" $n
if ctl d show bmp | python3 -c "import json,sys; s=json.load(sys.stdin)['stations'][0]; sys.exit(0 if s['state']=='up' and s['reconnects']>=1 and s['messages_sent']>0 else 1)"; then ok
else bad "show bmp after the reconnect: $(ctl d show bmp)"; fi
if "$BGPSECCTL" --socket "$work/d.sock" show bmp | grep "^$station:$bmp_port *up" >/dev/null; then ok
else bad "show bmp text: $("$BGPSECCTL" --socket "$work/d.sock" show bmp)"; fi
# The BGP session stayed up all along: established once, and established now.
if [ "$(grep -c "peer $r (AS65472): established" "$work/d.log")" -eq 1 ] &&
  ctl d show neighbors | python3 -c "import json,sys; p=[p for p in json.load(sys.stdin)['neighbors'] if p['peer']=='$r'][0]; sys.exit(0 if p['state']=='established' else 1)"; then ok
else bad "the BGP session with R did not stay up: $(grep "peer $r" "$work/d.log" | tail -3)"; fi

# R goes: Peer Down.
kill "$r_pid"
bmp_expect "peer down for R" 60 "$f2" "m.get('bmp_msg_type') == 'peer_down' and m.get('peer_ip') == '$r'" 1
summary
