#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# [[rpki.cache]] changes applied by a reload, against two real stayrtr caches serving JSON files:
#   S1 (127.0.3.11) has the ROA 203.0.113.0/24 => AS 65302 and no router key; S2 (127.0.3.12)
#   the ROA 198.51.100.0/24 => AS 65302 and the router keys. Y (AS 65302, 127.0.3.2) signs both
#   prefixes to X (AS 65301, 127.0.3.1), which starts with S1 only.
# Checks, through `bgpsecctl --json` and the kernel's TCP table:
#   - a reload without changes reports none;
#   - S2 added: the answer says so, X connects to it and Y's routes become Valid (path and
#     origin), while the RTR session to S1 stays the same TCP connection;
#   - S2 changed to RTR version 0 (no router keys, RFC 6810): reconnected, the keys leave, so
#     the paths are Not Valid and the origins still Valid; back to version 1: Valid again;
#   - S1 removed: its ROA leaves (203.0.113.0/24 origin NotFound) and X does not connect to it
#     again; S2's session stays;
#   - S2 removed too: no RPKI data is left (origin NotFound, path Not Valid).
# Run by ctest with BGPSECD, BGPSECCTL, BGPSEC, STAYRTR and PORT set. Addresses 127.0.3.1-19 and
# ports PORT..PORT+2 on them belong to this test.
set -uo pipefail
: "${BGPSECD:?}" "${BGPSECCTL:?}" "${BGPSEC:?}" "${PORT:?}"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
need "${STAYRTR:-stayrtr}"
x=127.0.3.1
y=127.0.3.2
s1=127.0.3.11:$((PORT + 1))
s2=127.0.3.12:$((PORT + 1))

for asn in 65301 65302; do "$BGPSEC" keygen --asn $asn --out "$work/keys" >/dev/null || exit 1; done
mkdir "$work/nokeys"
"$BGPSEC" rpki-json --key-dir "$work/nokeys" --roa 203.0.113.0/24=65302 >"$work/s1.json" || exit 1
"$BGPSEC" rpki-json --key-dir "$work/keys" --roa 198.51.100.0/24=65302 >"$work/s2.json" || exit 1
stayrtr_start "$s1" "127.0.3.11:$((PORT + 2))" "$work/s1.json" -checktime=false
stayrtr_wait "$s1" 0 1
stayrtr_start "$s2" "127.0.3.12:$((PORT + 2))" "$work/s2.json" -checktime=false
stayrtr_wait "$s2" 2 1

# x_toml [ADDRESS PREFERENCE VERSION]...: X's configuration with these caches
x_toml() {
  global_toml x 65301 $x
  printf '\n[rpki]\nfailover_after = 10\n'
  while [ $# -ge 3 ]; do
    printf '\n[[rpki.cache]]\naddress = "%s"\npreference = %s\nversion = %s\n' "$1" "$2" "$3"
    shift 3
  done
  printf '\n[bgpsec]\nkey_dir = "%s"\n' "$work/keys"
  printf '\n[[policy]]\nname = "all"\ndefault_action = "accept"\n'
  neighbor_toml $y 65302 $x '["ipv4"]' 'bgpsec = true' 'passive = true'
}
x_toml "$s1" 1 1 >"$work/x.toml"
{
  node_toml y 65302 $y "$work/s2.json" "$work/keys" 198.51.100.0/24 203.0.113.0/24
  neighbor_toml $x 65301 $y '["ipv4"]' 'bgpsec = true'
} >"$work/y.toml"
start x
wait_listening $x || bad "X does not listen"
start y

judge_py <<'PY'
def route(out, prefix):
    return next((r for r in out["routes"] if r["prefix"] == prefix), None)
def states(out, prefix):
    r = route(out, prefix)
    return r and (r["path_state"], r["origin_state"])
def cache(out, name):
    return next((c for c in out["caches"] if c["name"] == name), None)
def synced(out, name):
    c = cache(out, name)
    return c is not None and c["connected"] and c["in_sync"]
PY
# reload X; the answer's changes (JSON) go to $work/reload.json
reload_x() { ctl x reload >"$work/reload.json" 2>&1 || bad "reload: $(cat "$work/reload.json")"; }
changes() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['changes'])" "$work/reload.json" 2>&1; }
expect_changes() {  # expect_changes WHAT PYTHON-LIST
  if [ "$(changes)" = "$2" ]; then ok; else bad "$1: the reload said $(cat "$work/reload.json")"; fi
}

expect "X in sync with S1" 20 "synced(out, '$s1') and len(out['caches']) == 1" ctl x show rpki
expect "with S1 only: 203.0.113.0/24 origin Valid, path Not Valid (no key)" 30 \
  "states(out, '203.0.113.0/24') == ('not-valid', 'valid') and states(out, '198.51.100.0/24') == ('not-valid', 'not-found')" \
  ctl x show routes
s1_conn=$(connections_to "$s1")
if [ "$(echo "$s1_conn" | grep -c .)" = 1 ]; then ok; else bad "one connection from X to S1, not: '$s1_conn'"; fi

reload_x
expect_changes "a reload without changes" "[]"

# --- S2 added ----------------------------------------------------------------------------------
x_toml "$s1" 1 1 "$s2" 1 1 >"$work/x.toml"
reload_x
expect_changes "S2 added" "['rpki cache $s2 added']"
expect "X in sync with S1 and S2" 20 "synced(out, '$s1') and synced(out, '$s2')" ctl x show rpki
expect "with S2: both routes Valid in path and origin" 30 \
  "states(out, '203.0.113.0/24') == ('valid', 'valid') and states(out, '198.51.100.0/24') == ('valid', 'valid')" \
  ctl x show routes
expect "the session to S1 was not reconnected" 5 "cache(out, '$s1')['connects'] == 1" ctl x show rpki
if [ "$(connections_to "$s1")" = "$s1_conn" ]; then ok; else bad "S1's connection changed: '$s1_conn' -> '$(connections_to "$s1")'"; fi
s2_conn=$(connections_to "$s2")

# --- S2 changed to version 0 and back ------------------------------------------------------------
x_toml "$s1" 1 1 "$s2" 1 0 >"$work/x.toml"
reload_x
expect_changes "S2 changed" "['rpki cache $s2 changed, reconnected']"
expect "S2 speaks version 0 now" 20 "synced(out, '$s2') and cache(out, '$s2')['version'] == 0" \
  ctl x show rpki
expect "without S2's keys (RTR version 0): paths Not Valid, origins still Valid" 30 \
  "states(out, '203.0.113.0/24') == ('not-valid', 'valid') and states(out, '198.51.100.0/24') == ('not-valid', 'valid')" \
  ctl x show routes
if [ "$(connections_to "$s2")" != "$s2_conn" ]; then ok; else bad "S2 was not reconnected: $s2_conn"; fi
x_toml "$s1" 1 1 "$s2" 1 1 >"$work/x.toml"
reload_x
expect_changes "S2 changed back" "['rpki cache $s2 changed, reconnected']"
expect "S2 at version 1 again: both routes Valid" 30 \
  "states(out, '203.0.113.0/24') == ('valid', 'valid') and states(out, '198.51.100.0/24') == ('valid', 'valid')" \
  ctl x show routes
if [ "$(connections_to "$s1")" = "$s1_conn" ]; then ok; else bad "S1's connection changed with S2's: '$(connections_to "$s1")'"; fi
s2_conn=$(connections_to "$s2")

# --- S1 removed, then S2 ---------------------------------------------------------------------------
x_toml "$s2" 1 1 >"$work/x.toml"
reload_x
expect_changes "S1 removed" "['rpki cache $s1 removed']"
expect "S1's ROA gone: 203.0.113.0/24 origin NotFound; 198.51.100.0/24 still Valid" 30 \
  "states(out, '203.0.113.0/24') == ('valid', 'not-found') and states(out, '198.51.100.0/24') == ('valid', 'valid')" \
  ctl x show routes
expect "show rpki lists S2 only" 5 "[c['name'] for c in out['caches']] == ['$s2']" ctl x show rpki
# The RTR client would retry a lost cache within a few seconds: after 4 s, still nothing.
sleep 4
if [ -z "$(connections_to "$s1")" ]; then ok; else bad "X is connected to the removed S1: $(connections_to "$s1")"; fi
if [ "$(connections_to "$s2")" = "$s2_conn" ]; then ok; else bad "S2's connection changed when S1 was removed"; fi
x_toml >"$work/x.toml"
reload_x
expect_changes "S2 removed" "['rpki cache $s2 removed']"
expect "no RPKI data left: both routes Not Valid and NotFound" 30 \
  "states(out, '203.0.113.0/24') == ('not-valid', 'not-found') and states(out, '198.51.100.0/24') == ('not-valid', 'not-found')" \
  ctl x show routes
expect "show rpki lists no cache" 5 "out['caches'] == [] and out['vrps'] == 0" ctl x show rpki
summary
