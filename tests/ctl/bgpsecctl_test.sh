#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# bgpsecctl end to end against bgpsecctl_fake_daemon (tests/ctl/fake_daemon.cpp): the requests
# it sends, text and --json output, and exit codes 0 / 1 / 2 (bgpsecctl(8)).
# Needs BGPSECCTL, FAKE_DAEMON and FIXTURES (this directory) in the environment.
set -u
dir=$(mktemp -d /tmp/bgpsecctl-test-XXXXXX)
sock="$dir/ctl.sock"
fails=0
daemon_pid=
cleanup() {
  [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT

fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# expect CODE CMD...: runs bgpsecctl, keeps stdout in $dir/out and stderr in $dir/err.
expect() {
  want=$1; shift
  "$BGPSECCTL" "$@" >"$dir/out" 2>"$dir/err"
  got=$?
  [ "$got" -eq "$want" ] || fail "bgpsecctl $*: exit $got, want $want; stderr: $(cat "$dir/err")"
}
contains() {  # contains FILE TEXT
  grep -qF -- "$2" "$1" || { fail "$1 lacks '$2':"; cat "$1"; }
}

# --- no daemon: exit 2, one line on stderr naming the socket ---
expect 2 --socket "$dir/none.sock" show neighbors
contains "$dir/err" "cannot connect to $dir/none.sock"
[ "$(wc -l <"$dir/err")" -eq 1 ] || fail "cannot-connect message is not one line"

# --- usage ---
expect 0 --help
contains "$dir/out" "--socket"
contains "$dir/out" "reload"
expect 0 show routes --help
contains "$dir/out" "--advertised"
expect 2 show
expect 2 frobnicate
expect 2 clear neighbor
expect 2 show routes --received --advertised
expect 2 show routes not-a-prefix

# --- against the fake daemon ---
"$FAKE_DAEMON" "$sock" "$FIXTURES/fixture.json" &
daemon_pid=$!
i=0
while [ ! -S "$sock" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -S "$sock" ] || { fail "fake daemon did not start"; exit 1; }

expect 0 --socket "$sock" show neighbors
contains "$dir/out" "Neighbor      AS  State         Up/Down  Rcvd  Accepted  Adv  BGPsec IPv4  BGPsec IPv6"
contains "$dir/out" "127.0.0.2  65002  established  00:05:12    10         9    4  send+recv    -"

expect 0 --socket "$sock" --json show neighbors
contains "$dir/out" '"peer_as": 65002'

export BGPSECCTL_SOCKET="$sock"  # the default when --socket is not given
expect 0 --json show routes 192.0.2.0/24 --peer 127.0.0.2 --received
unset BGPSECCTL_SOCKET
contains "$dir/out" '"prefix": "192.0.2.0/24"'
contains "$dir/out" '"peer": "127.0.0.2"'
contains "$dir/out" '"table": "adj-rib-in"'
expect 0 --socket "$sock" --json show routes --advertised
contains "$dir/out" '"table": "adj-rib-out"'

expect 0 --socket "$sock" --json clear neighbor ::1 --soft
contains "$dir/out" '"peer": "::1"'
contains "$dir/out" '"soft": true'
expect 0 --socket "$sock" clear neighbor 127.0.0.2
contains "$dir/out" "127.0.0.2: session reset"

expect 0 --socket "$sock" show rpki
contains "$dir/out" "RPKI: 3 VRPs, 1 router keys"

# The daemon's error: exit 1, its text on stderr.
expect 1 --socket "$sock" reload
contains "$dir/err" "bgpsecctl: reload: bgpsecd.toml:12:3: unknown key 'neighbour'"

if [ "$fails" -ne 0 ]; then
  echo "$fails check(s) failed"
  exit 1
fi
echo "all bgpsecctl checks passed"
