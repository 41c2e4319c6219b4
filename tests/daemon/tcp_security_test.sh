#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Session protection against BIRD 2: TCP MD5 (RFC 2385) and GTSM (RFC 5082). bgpsecd
# (AS 65401, 127.0.40.1) and bird (AS 65402, 127.0.40.2) on port $PORT:
#   1. the same MD5 password on both (bgpsecd's from a 0600 password_file): Established, and
#      the password appears nowhere: not in bgpsecd's log, `bgpsecd -n` or bgpsecctl;
#   2. bird with another password: the session goes down and never comes up again;
#   3. the password back, plus GTSM on both (bgpsecd ttl_security, bird `ttl security on`):
#      Established;
#   4. bird without `ttl security` (it sends with TTL 2, `multihop 2`): never Established.
# Run by ctest with BGPSECD, BGPSECCTL and PORT set; 127.0.40.1-2 and PORT belong to this test.
set -uo pipefail
: "${BGPSECD:?}" "${BGPSECCTL:?}" "${PORT:?}"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
need bird
us=127.0.40.1
them=127.0.40.2
secret="md5-Pr0tect"
sock="$work/bird.ctl"
bird_pid=
on_cleanup() {
  [ -n "$bird_pid" ] || return 0
  birdc -s "$sock" down >/dev/null 2>&1
  sleep 0.5
  kill "$bird_pid" 2>/dev/null
  wait "$bird_pid" 2>/dev/null
}

# bird_config PASSWORD TTL-SECURITY(on|off)
bird_config() {
  cat >"$work/bird.conf" <<CONF
log "$work/bird.log" all;
router id 10.0.40.2;
protocol device { }
protocol static { ipv4; route 198.51.100.0/24 blackhole; }
protocol bgp bgpsecd {
  local $them port $PORT as 65402;
  neighbor $us port $PORT as 65401;
  hold time 9; keepalive time 3; connect delay time 1; connect retry time 2;
  error wait time 1, 3;
  strict bind on; multihop 2;
  password "$1";
  ttl security $2;
  ipv4 { import all; export all; next hop address 192.0.2.40; };
}
CONF
}
# bgpsecd_config TTL-SECURITY(true|false)
bgpsecd_config() {
  {
    global_toml x 65401 $us
    printf '\n[[policy]]\nname = "all"\ndefault_action = "accept"\n'
    neighbor_toml $them 65402 $us '["ipv4"]' "password_file = \"$work/md5.key\"" \
      "ttl_security = $1"
  } >"$work/x.toml"
}
judge_py <<'PY'
def state(out):
    return out["neighbors"][0]["state"]
PY
# never_established SECONDS: the session stays down for that long (checked twice a second)
never_established() {
  local deadline=$((SECONDS + $1))
  while [ $SECONDS -lt "$deadline" ]; do
    if [ "$(value 'state(out)' ctl x show neighbors)" = "established" ]; then return 1; fi
    sleep 0.5
  done
  return 0
}

printf '%s\n' "$secret" >"$work/md5.key"
chmod 600 "$work/md5.key"
bgpsecd_config false
start x
bird_config "$secret" off
bird -p -c "$work/bird.conf" || { echo "bird rejects the config"; exit 1; }
bird -f -c "$work/bird.conf" -s "$sock" -P "$work/bird.pid" >>"$work/bird.out" 2>&1 &
bird_pid=$!
pids+=("$bird_pid")

# 1. same password
expect "1: Established with the same TCP MD5 password" 40 "state(out) == 'established'" \
  ctl x show neighbors
expect "1: bird's route arrived" 20 \
  "any(r['prefix'] == '198.51.100.0/24' for r in out['routes'])" ctl x show routes
expect "1: show neighbors says tcp_md5, not the key" 0 \
  "out['neighbors'][0]['tcp_md5'] is True and '$secret' not in str(out)" ctl x show neighbors
"$BGPSECD" -n -c "$work/x.toml" >"$work/normal.toml" 2>&1 || bad "1: bgpsecd -n failed"
if grep -q "$secret" "$work/normal.toml" "$work/x.log"; then
  bad "1: the password is in bgpsecd -n or the log"
else ok; fi

# 2. bird with another password: the session goes and stays down
bird_config "not-$secret" off
birdc -s "$sock" configure >/dev/null
expect "2: the session goes down" 30 "state(out) != 'established'" ctl x show neighbors
if never_established 12; then ok; else bad "2: Established with a different password"; fi

# 3. the password back, GTSM on both
bird_config "$secret" on
birdc -s "$sock" configure >/dev/null
bgpsecd_config true
ctl x reload >"$work/reload.json" 2>&1 || bad "3: reload: $(cat "$work/reload.json")"
expect "3: Established with TCP MD5 and GTSM" 40 "state(out) == 'established'" \
  ctl x show neighbors
expect "3: show neighbors has ttl_security 1" 0 "out['neighbors'][0]['ttl_security'] == 1" \
  ctl x show neighbors

# 4. bird sends with TTL 2: nothing it sends gets through
bird_config "$secret" off
birdc -s "$sock" configure >/dev/null
expect "4: the session goes down" 30 "state(out) != 'established'" ctl x show neighbors
if never_established 12; then ok; else bad "4: Established with a TTL below 255"; fi
summary
