#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# RFC 8374 §8.7 end to end: an ingress under load defers validation ([bgpsec] defer_when_queued;
# 0 defers every route, so the test needs no load), marks the routes deferred towards iBGP, and
# the egress validates them itself. Then the ingress's option is removed by a reload: it
# validates the deferred routes in the background, reaches the final states and sends them to
# the egress marked with them, which trusts them (ibgp_state = "trust") without checking again.
# The scripted eBGP peer S (AS 65241, 127.0.24.3) sends I a path signed by AS 65241 for AS 65242
# and a forged one; bgpsecd I (ingress, 127.0.24.1, metrics on PORT+1) and E (egress,
# 127.0.24.2) are AS 65242 in iBGP.
# Run by ctest with BGPSECD, BGPSECCTL, BGPSEC and PORT set. Addresses 127.0.24.1-9 and ports
# $PORT-$PORT+9 belong to this test.
set -uo pipefail
: "${BGPSECD:?}" "${BGPSECCTL:?}" "${BGPSEC:?}" "${PORT:?}"
. "$(dirname "$0")/lib.sh"
peer_py="$(dirname "$0")/bgp_test_peer.py"
i=127.0.24.1
e=127.0.24.2
s=127.0.24.3
metrics=$i:$((PORT + 1))
for asn in 65241 65242; do "$BGPSEC" keygen --asn $asn --out "$work/keys" >/dev/null; done
"$BGPSEC" rpki-json --key-dir "$work/keys" --roa 10.24.0.0/16-24=65241 >"$work/rpki.json"
ingress_toml() {  # ingress_toml [LINE...]: I's config, the LINEs added to [bgpsec]
  {
    node_toml i 65242 $i "$work/rpki.json" "$work/keys"
    neighbor_toml $s 65241 $i '["ipv4"]' 'bgpsec = true' 'passive = true'
    neighbor_toml $e 65242 $i '["ipv4"]' 'bgpsec = true'
  } | sed "s|^listen = \"\"|listen = \"$metrics\"|; s|^\[bgpsec\]|&\n$(printf '%s\\n' "$@")|" \
    >"$work/i.toml"
}
ingress_toml 'defer_when_queued = 0' 'validation_threads = 1'
{
  node_toml e 65242 $e "$work/rpki.json" "$work/keys"
  neighbor_toml $i 65242 $e '["ipv4"]' 'bgpsec = true' 'passive = true'
} >"$work/e.toml"
start e
wait_listening $e  # I connects at once: E must be listening by then
start i
wait_listening $i

sign() {  # sign PREFIX: S's BGPsec_PATH for PREFIX towards AS 65242
  "$BGPSEC" sign --prefix "$1" --as-path 65241 --target-as 65242 --key-dir "$work/keys" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["attribute"])'
}
forged() {  # forged PREFIX: the same with one signature bit flipped (last octet)
  local a
  a=$(sign "$1")
  printf '%s%02x\n' "${a%??}" $(((16#${a: -2}) ^ 1))
}
upd() { python3 "$peer_py" update --next-hop $s --mp "$1" --attr "$2"; }
{
  upd 10.24.1.0/24 "$(sign 10.24.1.0/24)"
  upd 10.24.2.0/24 "$(forged 10.24.2.0/24)"
} >"$work/s.in"
python3 "$peer_py" session --asn 65241 --router-id $s --connect "$i:$PORT" --bind $s \
  --families ipv4 --hold-time 30 --timeout 600 --updates "$work/s.in" >"$work/s.out" 2>&1 &
pids+=($!)

judge_py <<'PY'
def route(out, prefix):
    return next((r for r in out['routes'] if r['prefix'] == prefix), {})
def state(out, prefix):
    return route(out, prefix).get('path_state')
def peer(out, addr):
    return next(n for n in out['neighbors'] if n['peer'] == addr)
PY
# The ingress: both routes installed deferred (Pending, best: policy and the decision see
# "pending") and not checked.
expect "I installed the good route deferred (pending, best)" 30 \
  "state(out, '10.24.1.0/24') == 'pending' and route(out, '10.24.1.0/24')['best']" \
  ctl i show routes
expect "I installed the forged route deferred (pending, best)" 10 \
  "state(out, '10.24.2.0/24') == 'pending' and route(out, '10.24.2.0/24')['best']" \
  ctl i show routes
expect "I counts 2 deferred routes from S and checked none" 10 \
  "out['validation']['deferred'] == 2 and out['validation']['deferred_total'] == 2 and out['validation']['completed'] == 0" \
  ctl i show rpki
expect "I's neighbor counters: S's 2 routes deferred" 10 \
  "peer(out, '$s')['counters']['validations_deferred'] == 2" ctl i show neighbors
metric() {  # metric NAME: the value of sample NAME at I (lines "NAME VALUE")
  python3 - "$metrics" "$1" <<'PY'
import sys, urllib.request
body = urllib.request.urlopen("http://%s/metrics" % sys.argv[1], timeout=5).read().decode()
print(next((l.split()[-1] for l in body.splitlines() if l.startswith(sys.argv[2] + " ")), "none"))
PY
}
peer_label="bgpsecd_bgpsec_validations_deferred_total{peer=\"$s\"}"
if [ "$(metric "$peer_label")" = 2 ] && [ "$(metric bgpsecd_bgpsec_validations_deferred)" = 2 ]; then
  ok
else
  bad "metrics at I: $(metric "$peer_label") deferred from S, $(metric bgpsecd_bgpsec_validations_deferred) held"
fi

# The egress: the routes came marked deferred, so E (ibgp_state = trust) validated them.
expect "E validated the deferred good route itself (valid)" 30 \
  "state(out, '10.24.1.0/24') == 'valid'" ctl e show routes
expect "E validated the deferred forged route itself (not-valid)" 10 \
  "state(out, '10.24.2.0/24') == 'not-valid'" ctl e show routes
expect "E checked exactly the two deferred paths" 10 "out['validation']['completed'] == 2" \
  ctl e show rpki
updates_before=$(value "peer(out, '$i')['counters']['updates_in']" ctl e show neighbors)

# The queue drains (here: the option goes away): I validates the deferred routes itself.
ingress_toml 'validation_threads = 1'
if ctl i reload >"$work/reload.out" 2>&1; then ok; else bad "reload of I: $(cat "$work/reload.out")"; fi
expect "I validated the good route in the background (valid)" 30 \
  "state(out, '10.24.1.0/24') == 'valid'" ctl i show routes
expect "I validated the forged route in the background (not-valid)" 10 \
  "state(out, '10.24.2.0/24') == 'not-valid'" ctl i show routes
expect "I holds no deferred route any more, checked 2" 10 \
  "out['validation']['deferred'] == 0 and out['validation']['deferred_total'] == 2 and out['validation']['completed'] == 2" \
  ctl i show rpki
# I announced both again with their new states; E trusts those (no check of its own) and
# keeps the same states.
expect "E received both routes again from I" 30 \
  "peer(out, '$i')['counters']['updates_in'] >= $updates_before + 2" ctl e show neighbors
expect "E trusted the new marking: still 2 checks of its own" 5 \
  "out['validation']['completed'] == 2" ctl e show rpki
expect "E: good route valid, forged not-valid" 5 \
  "state(out, '10.24.1.0/24') == 'valid' and state(out, '10.24.2.0/24') == 'not-valid'" \
  ctl e show routes
summary
