#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# TCP-AO (RFC 5925) between two bgpsecd: X (AS 65491, 127.0.49.1) and Y (AS 65492, 127.0.49.2)
# on port $PORT.
# On a kernel without TCP-AO (no CONFIG_TCP_AO, or older than 6.7):
#   1. X with [[neighbor.tcp_ao]] keys refuses to start, exit 1, saying what the kernel lacks
#      and naming the neighbor, never the key;
#   2. X started without keys refuses a reload that adds them and keeps running as it was.
# On a kernel with TCP-AO:
#   3. X and Y with key 1: Established, show neighbors names the current key, not the secret;
#   4. hitless rollover (RFC 5925 §6.1): both get key 2 by reload, key 2 preferred: both switch
#      to it and the session never resets (established_transitions unchanged);
#   5. key 1 removed on both by reload: still the same session;
#   6. Y's key 2 replaced by another secret: the session goes down and never comes up again.
# Run by ctest with BGPSECD, BGPSECCTL and PORT set; 127.0.49.1-2 and PORT belong to this test.
set -uo pipefail
: "${BGPSECD:?}" "${BGPSECCTL:?}" "${PORT:?}"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
x=127.0.49.1
y=127.0.49.2
secret1="ao-Key-One-5925"
secret2="ao-Key-Two-5926"

# key SEND RECV SECRET [EXTRA...]
key() {
  printf '\n[[neighbor.tcp_ao]]\nsend_id = %s\nrecv_id = %s\nkey = "%s"\n' "$1" "$2" "$3"
  [ $# -gt 3 ] && printf '%s\n' "${@:4}"
}
# config NAME AS ADDRESS PEER-AS PEER-ADDRESS [KEY-BLOCK...]
config() {
  {
    global_toml "$1" "$2" "$3"
    printf '\n[[policy]]\nname = "all"\ndefault_action = "accept"\n'
    neighbor_toml "$5" "$4" "$3" '["ipv4"]'
    [ $# -gt 5 ] && printf '%s' "${@:6}"
  } >"$work/$1.toml"
}
judge_py <<'PY'
def state(out):
    return out["neighbors"][0]["state"]
def transitions(out):
    return out["neighbors"][0]["established_transitions"]
def ao(out):
    return out["neighbors"][0].get("tcp_ao", {})
PY
never_established() {
  local deadline=$((SECONDS + $2))
  while [ $SECONDS -lt "$deadline" ]; do
    if [ "$(value 'state(out)' ctl "$1" show neighbors)" = "established" ]; then return 1; fi
    sleep 0.5
  done
  return 0
}

if python3 -c 'import socket; socket.socket().getsockopt(6, 40, 48)' 2>/dev/null ||
  python3 -c 'import socket, errno, sys
try: socket.socket().getsockopt(6, 40, 48)
except OSError as e: sys.exit(0 if e.errno == errno.ENOENT else 1)'; then
  have_ao=1
else
  have_ao=0
fi

if [ $have_ao = 0 ]; then
  echo "this kernel has no TCP-AO: checking the refusal (parts 1-2); parts 3-6 need CONFIG_TCP_AO"
  # 1. refuses to start
  config x 65491 $x 65492 $y "$(key 1 1 "$secret1")"
  "$BGPSECD" -c "$work/x.toml" "${allow_root[@]}" >"$work/x-start.log" 2>&1
  rc=$?
  if [ $rc = 1 ]; then ok; else bad "1: exit code $rc, expected 1"; fi
  if grep -q "neighbor $y has \[\[neighbor.tcp_ao\]\] keys, but TCP-AO (RFC 5925) is not available" \
    "$work/x-start.log" && grep -q "CONFIG_TCP_AO" "$work/x-start.log"; then ok; else
    bad "1: no clear reason: $(cat "$work/x-start.log")"
  fi
  if grep -q "$secret1" "$work/x-start.log"; then bad "1: the key is in the log"; else ok; fi
  # 2. a reload that adds keys is refused; the running configuration stays
  config x 65491 $x 65492 $y
  start x
  wait_listening $x
  config x 65491 $x 65492 $y "$(key 1 1 "$secret1")"
  if ctl x reload >"$work/reload.json" 2>&1; then bad "2: the reload was accepted"; else ok; fi
  if grep -q "CONFIG_TCP_AO" "$work/reload.json"; then ok; else
    bad "2: the refusal does not say why: $(cat "$work/reload.json")"
  fi
  expect "2: still running with the old neighbor, no tcp_ao" 5 \
    "len(out['neighbors']) == 1 and 'tcp_ao' not in out['neighbors'][0]" ctl x show neighbors
  skip 9 "parts 3-6 need a kernel with TCP-AO (Linux 6.7+, CONFIG_TCP_AO)"
  summary
  exit $?
fi

# 3. key 1 on both
config x 65491 $x 65492 $y "$(key 1 1 "$secret1")"
config y 65492 $y 65491 $x "$(key 1 1 "$secret1")"
start x
start y
expect "3: Established with TCP-AO key 1" 40 "state(out) == 'established'" ctl x show neighbors
expect "3: sending with key 1, secret not shown" 5 \
  "ao(out).get('current_send_id') == 1 and '$secret1' not in str(out)" ctl x show neighbors
before=$(value 'transitions(out)' ctl x show neighbors)

# 4. key 2 added on both, preferred
config x 65491 $x 65492 $y "$(key 1 1 "$secret1")" "$(key 2 2 "$secret2" "preferred = true")"
config y 65492 $y 65491 $x "$(key 1 1 "$secret1")" "$(key 2 2 "$secret2" "preferred = true")"
ctl y reload >/dev/null 2>&1 || bad "4: reload y"
ctl x reload >/dev/null 2>&1 || bad "4: reload x"
expect "4: X sends with key 2" 20 "ao(out).get('current_send_id') == 2" ctl x show neighbors
expect "4: Y sends with key 2" 20 "ao(out).get('current_send_id') == 2" ctl y show neighbors
sleep 4  # a keepalive each way under the new key
expect "4: the same session" 0 "state(out) == 'established' and transitions(out) == $before" \
  ctl x show neighbors

# 5. key 1 removed
config x 65491 $x 65492 $y "$(key 2 2 "$secret2")"
config y 65492 $y 65491 $x "$(key 2 2 "$secret2")"
ctl y reload >/dev/null 2>&1 || bad "5: reload y"
ctl x reload >/dev/null 2>&1 || bad "5: reload x"
sleep 4
expect "5: the same session with only key 2" 5 \
  "state(out) == 'established' and transitions(out) == $before and len(ao(out)['keys']) == 1" \
  ctl x show neighbors
if grep -q -e "$secret1" -e "$secret2" "$work/x.log" "$work/y.log"; then
  bad "5: a key is in a log"
else ok; fi

# 6. a wrong key on Y
config y 65492 $y 65491 $x "$(key 2 2 "wrong-$secret2")"
ctl y reload >/dev/null 2>&1 || bad "6: reload y"
expect "6: the session goes down" 40 "state(out) != 'established'" ctl x show neighbors
if never_established x 15; then ok; else bad "6: Established with a wrong key"; fi
summary
