#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# BGPsec inside an AS (RFC 8374 §8.7) and through a transparent route server (RFC 8205 §4.2,
# §7.2), seven bgpsecd on loopback, router keys from `bgpsec keygen`, the RPKI (router keys of
# every AS, ROAs for the two originated prefixes) served by stayrtr (127.0.0.98, RTR on PORT+5,
# metrics on PORT+6).
#
# 1. iBGP: O (AS 65401, 127.0.0.91, originates 192.0.2.0/24) -eBGP- I (AS 65402, .92, ingress)
#    -iBGP- E (AS 65402, .93, egress) -eBGP- X (AS 65403, .94); BGPsec negotiated on every
#    session, the iBGP one included. Proves:
#    - the Secure_Path crosses the AS unchanged: at E the route from I has secure_path
#      [65401/pCount 1], as_path [65401], path_state "valid", origin_state "valid";
#    - E signs it towards X: at X as_path [65402, 65401], secure_path [65402, 65401], valid;
#    - E restarted with ibgp_state = "revalidate" and the same RPKI data from [rpki] files: it
#      validates itself -> still valid;
#    - trust vs revalidate, told apart: E reloaded with NO RPKI data at all (files = [])
#      and the route refreshed from I (clear --soft), so E cannot validate anything itself.
#      With "revalidate" E computes its own states: path_state "not-valid", failure
#      key-not-found at segment 0 for AS 65401, origin_state "not-found"; X, which validates
#      for itself, still sees the route (forwarded signed, RFC 8374 §8.2) as valid. Reloaded
#      to the default "trust" (still no RPKI), E shows I's states again, carried in I's iBGP
#      path-state and RFC 8097 origin-state extended communities: valid / valid.
# 2. Transparent route server: RS (AS 65410, .95, `route_server = true` for both clients), C1
#    (AS 65411, .96, originates 198.51.100.0/24) and C2 (AS 65412, .97), clients with
#    `route_server_peer = true`, BGPsec both ways. Proves:
#    - at C2 the route is valid/valid, secure_path [65410 pCount 0, 65411 pCount 1] and
#      as_path [65411] (pCount 0 contributes nothing to the AS_PATH, RFC 8205 §4.2); C1 signed
#      only its own segment towards RS and RS signed with pCount 0;
#    - C2 reloaded with route_server_peer = false and a soft clear (route refresh) of the RS
#      session: the route fails RFC 8205 §5.2 (pcount-zero-not-allowed, treat-as-withdraw): gone
#      from C2, update_errors up, the log names the check, the session stays Established.
# Run by ctest with BGPSECD, BGPSECCTL, BGPSEC, STAYRTR and PORT (18010) set. KEEP=1 keeps the
# temporary directory (configs, logs, JSON files).
set -uo pipefail
: "${BGPSECD:?}" "${BGPSECCTL:?}" "${BGPSEC:?}" "${PORT:?}"
STAYRTR=${STAYRTR:-stayrtr}
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
need "$STAYRTR"
rtr_addr=127.0.0.98:$((PORT + 5))
rtr_metrics=127.0.0.98:$((PORT + 6))

# --- RPKI data: a router key per router (I and E each their own, both AS 65402), two ROAs --------
net_o=192.0.2.0/24
net_c1=198.51.100.0/24
mkdir -m 700 "$work/rpki-keys"
for name in o:65401 i:65402 e:65402 x:65403 rs:65410 c1:65411 c2:65412; do
  "$BGPSEC" keygen --asn "${name#*:}" --out "$work/keys/${name%%:*}" >/dev/null || exit 1
  cp -p "$work/keys/${name%%:*}"/*.pem "$work/rpki-keys/" || exit 1
done
"$BGPSEC" rpki-json --key-dir "$work/rpki-keys" --roa "$net_o=65401" --roa "$net_c1=65411" \
  >"$work/rpki.json" || exit 1
stayrtr_start "$rtr_addr" "$rtr_metrics" "$work/rpki.json"
stayrtr_wait "$rtr_addr" 7 2

# --- configs -------------------------------------------------------------------------------------
# config NAME ASN ADDR RPKI IBGP-STATE NETWORK NEIGHBOR...
#   RPKI: yes (the stayrtr cache), file (the same data from [rpki] files) or no (no RPKI
#   source at all); IBGP-STATE: trust/revalidate;
#   NETWORK: a prefix to originate or "-"; NEIGHBOR = addr:asn[:option=value,...] (extra keys
#   of the [[neighbor]] table, e.g. route_server=true); BGPsec on every session.
config() {
  local name=$1 asn=$2 addr=$3 rpki=$4 ibgp_state=$5 network=$6
  shift 6
  global_toml "$name" "$asn" "$addr" >"$work/$name.toml"
  cat >>"$work/$name.toml" <<TOML

[bgpsec]
key_dir = "$work/keys/$name"
ibgp_state = "$ibgp_state"
TOML
  [ "$rpki" = yes ] && printf '\n[[rpki.cache]]\naddress = "%s"\n' "$rtr_addr" >>"$work/$name.toml"
  [ "$rpki" = file ] && printf '\n[rpki]\nfiles = ["%s"]\n' "$work/rpki.json" >>"$work/$name.toml"
  [ "$network" != - ] && printf '\n[[network]]\nprefix = "%s"\n' "$network" >>"$work/$name.toml"
  printf '\n[[policy]]\nname = "all"\ndefault_action = "accept"\n' >>"$work/$name.toml"
  for n in "$@"; do
    IFS=: read -r n_addr n_asn n_opts <<<"$n"
    neighbor_toml "$n_addr" "$n_asn" "$addr" '["ipv4"]' "bgpsec = true" >>"$work/$name.toml"
    [ -n "$n_opts" ] && tr ',' '\n' <<<"$n_opts" | sed 's/=/ = /' >>"$work/$name.toml"
  done
}
# One side of every session is passive and started (listening) before the active side: two
# bgpsecd connecting to each other at the same moment can both drop their own attempt for the
# other's, and a refused connect, too, leaves the session waiting out the 120 s ConnectRetry.
# E is passive (after E's restart I and X reconnect once their IdleHold has run out).
config o 65401 127.0.0.91 yes trust "$net_o" 127.0.0.92:65402
config i 65402 127.0.0.92 yes trust - 127.0.0.91:65401:passive=true 127.0.0.93:65402
e_neighbors=(127.0.0.92:65402:passive=true 127.0.0.94:65403:passive=true)
config e 65402 127.0.0.93 yes trust - "${e_neighbors[@]}"
config x 65403 127.0.0.94 yes trust - 127.0.0.93:65402
config rs 65410 127.0.0.95 yes trust - 127.0.0.96:65411:route_server=true,passive=true \
  127.0.0.97:65412:route_server=true,passive=true
config c1 65411 127.0.0.96 yes trust "$net_c1" 127.0.0.95:65410:route_server_peer=true
config c2 65412 127.0.0.97 yes trust - 127.0.0.95:65410:route_server_peer=true
for name in o i e x rs c1 c2; do
  if "$BGPSECD" -n -c "$work/$name.toml" >/dev/null 2>"$work/err"; then ok
  else bad "config $name: $(cat "$work/err")"; fi
done

# route PREFIX PEER ASPATH SECURE-PATH PATH-STATE ORIGIN-STATE: the expression "NAME has a best
# route for PREFIX from PEER with that as_path, secure_path [(asn, pcount), ...] and states"
route() {
  echo "any(r['prefix'] == '$1' and r['peer'] == '$2' and r['best'] and r['as_path'] == $3 and [(s['asn'], s['pcount']) for s in r.get('secure_path', [])] == $4 and not any(s['confed'] for s in r.get('secure_path', [])) and r['path_state'] == '$5' and r['origin_state'] == '$6' and ('failure' in r) == ('$5' == 'not-valid') for r in out['routes'])"
}
# check_route NAME SECONDS PREFIX PEER ASPATH SECURE-PATH PATH-STATE ORIGIN-STATE WHAT
check_route() {
  local name=$1 seconds=$2
  shift 2
  if wait_for "$seconds" "$(route "$1" "$2" "$3" "$4" "$5" "$6")" "$name" show routes; then ok
  else bad "$name: $7: want $1 from $2 as_path $3 secure_path $4 $5/$6; have:"; routes "$name"; fi
}
established() { echo "len(out['neighbors']) == $1 and all(n['state'] == 'established' and all(n['bgpsec']['ipv4'][d] for d in ('send', 'receive')) for n in out['neighbors'])"; }
synced='out["router_keys"] == 7 and out["vrps"] == 2 and all(c["in_sync"] for c in out["caches"])'
# restart_e RPKI IBGP-STATE: E stopped, its config rewritten, E started again, sessions up
restart_e() {
  kill "$pid_e" 2>/dev/null
  wait "$pid_e" 2>/dev/null
  config e 65402 127.0.0.93 "$1" "$2" - "${e_neighbors[@]}"
  echo "--- restart: rpki=$1 ibgp_state=$2" >>"$work/e.log"
  start e
  if [ "$1" != no ]; then
    if wait_for 10 "$synced" e show rpki; then ok; else bad "e (restarted) RPKI: $(ctl e show rpki)"; fi
  fi
  if wait_for 30 "$(established 2)" e show neighbors; then ok
  else bad "e (restarted, $2): sessions: $(ctl e show neighbors)"; fi
}
# reload_e RPKI IBGP-STATE: E's config rewritten and reloaded, the route from I refreshed (RFC
# 2918) so that it is imported under the new settings; the sessions stay up
reload_e() {
  config e 65402 127.0.0.93 "$1" "$2" - "${e_neighbors[@]}"
  if "$BGPSECCTL" --socket "$work/e.sock" reload >"$work/reload.out" 2>&1; then ok
  else bad "e reload (rpki=$1, $2): $(cat "$work/reload.out")"; fi
  if "$BGPSECCTL" --socket "$work/e.sock" clear neighbor 127.0.0.92 --soft >"$work/clear.out" 2>&1; then ok
  else bad "e clear --soft: $(cat "$work/clear.out")"; fi
  if [ "$1" = no ]; then
    if wait_for 5 'out["router_keys"] == 0 and out["vrps"] == 0' e show rpki; then ok
    else bad "e still has RPKI data: $(ctl e show rpki)"; fi
  fi
}

# The passive ones first (E, RS), then I, X and C2, the origins last, each group once the one
# before holds the cache's data (and so listens). A route that arrives before the router keys
# starts out not-valid; the topology test covers revalidation.
for group in "e rs" "i x c2" "o c1"; do
  for name in $group; do start "$name"; done
  for name in $group; do
    if wait_for 15 "$synced" "$name" show rpki; then ok
    else bad "$name did not get the cache's data: $(ctl "$name" show rpki)"; fi
  done
done
for name in o:1 i:2 e:2 x:1 rs:2 c1:1 c2:1; do
  if wait_for 30 "$(established "${name#*:}")" "${name%%:*}" show neighbors; then ok
  else bad "sessions (BGPsec both ways) at ${name%%:*}: $(ctl "${name%%:*}" show neighbors)"; fi
done
echo "sessions up after $((SECONDS - started)) s"

# --- 1. iBGP (RFC 8374 §8.7) ------------------------------------------------------------------------
check_route i 15 $net_o 127.0.0.91 "[65401]" "[(65401, 1)]" valid valid "eBGP from O (ingress)"
check_route e 15 $net_o 127.0.0.92 "[65401]" "[(65401, 1)]" valid valid \
  "iBGP from I: Secure_Path unchanged (trust)"
check_route x 15 $net_o 127.0.0.93 "[65402, 65401]" "[(65402, 1), (65401, 1)]" valid valid \
  "signed by E (egress)"
# what E received from I: still the BGPsec_PATH of O, nothing of AS 65402 in it
if wait_for 5 "any(r['prefix'] == '$net_o' and [s['asn'] for s in r.get('secure_path', [])] == [65401] for r in out['routes'])" e show routes --received --peer 127.0.0.92; then ok
else bad "e: received from I:"; routes e --received --peer 127.0.0.92; fi
if wait_for 5 "any(n['peer'] == '127.0.0.94' and n['counters']['signed_updates'] >= 1 and n['counters']['sign_failures'] == 0 for n in out['neighbors'])" e show neighbors; then ok
else bad "e: signed_updates towards X: $(ctl e show neighbors)"; fi

restart_e file revalidate
check_route e 15 $net_o 127.0.0.92 "[65401]" "[(65401, 1)]" valid valid \
  "iBGP from I, ibgp_state revalidate, own RPKI"
check_route x 15 $net_o 127.0.0.93 "[65402, 65401]" "[(65402, 1), (65401, 1)]" valid valid \
  "E revalidating"

# E without any RPKI data: "revalidate" can only find the path not-valid ...
reload_e no revalidate
check_route e 15 $net_o 127.0.0.92 "[65401]" "[(65401, 1)]" not-valid not-found \
  "E without RPKI, revalidate: its own states"
if wait_for 5 "any(r['prefix'] == '$net_o' and r.get('failure', {}).get('reason') == 'key-not-found' and r['failure'].get('segment') == 0 and r['failure'].get('asn') == 65401 for r in out['routes'])" e show routes; then ok
else bad "e: failure (want key-not-found, segment 0, AS 65401):"; routes e; fi
# E forwards the not-valid route signed (RFC 8374 §8.2); X validates it itself
check_route x 15 $net_o 127.0.0.93 "[65402, 65401]" "[(65402, 1), (65401, 1)]" valid valid \
  "E without RPKI, revalidate: X validates itself"
# ... while "trust" takes I's states from I's extended communities
reload_e no trust
check_route e 15 $net_o 127.0.0.92 "[65401]" "[(65401, 1)]" valid valid \
  "E without RPKI, trust: I's states"
check_route x 15 $net_o 127.0.0.93 "[65402, 65401]" "[(65402, 1), (65401, 1)]" valid valid \
  "E without RPKI, trust"

# --- 2. transparent route server (RFC 8205 §4.2, §7.2) -------------------------------------------
check_route rs 15 $net_c1 127.0.0.96 "[65411]" "[(65411, 1)]" valid valid "from C1"
check_route c2 15 $net_c1 127.0.0.95 "[65411]" "[(65410, 0), (65411, 1)]" valid valid \
  "through the transparent route server"
if wait_for 5 "any(n['peer'] == '127.0.0.97' and n['counters']['signed_updates'] >= 1 and n['counters']['sign_failures'] == 0 for n in out['neighbors'])" rs show neighbors; then ok
else bad "rs: signed_updates towards C2: $(ctl rs show neighbors)"; fi

# C2 no longer takes pCount 0 from RS: RFC 8205 §5.2 -> treat-as-withdraw, session stays up
errors_before=$(ctl c2 show neighbors | python3 -c "import json,sys; print(json.load(sys.stdin)['neighbors'][0]['counters']['update_errors'])")
config c2 65412 127.0.0.97 yes trust - 127.0.0.95:65410:route_server_peer=false
lines=$(wc -l <"$work/c2.log")
if "$BGPSECCTL" --socket "$work/c2.sock" reload >"$work/reload.out" 2>&1; then ok
else bad "c2 reload: $(cat "$work/reload.out")"; fi
if "$BGPSECCTL" --socket "$work/c2.sock" clear neighbor 127.0.0.95 --soft >"$work/clear.out" 2>&1; then ok
else bad "c2 clear --soft: $(cat "$work/clear.out")"; fi
if wait_for 10 "not any(r['prefix'] == '$net_c1' for r in out['routes'])" c2 show routes; then ok
else bad "c2 without route_server_peer still has the route:"; routes c2; fi
if wait_for 10 "not any(r['prefix'] == '$net_c1' for r in out['routes'])" c2 show routes --received --peer 127.0.0.95; then ok
else bad "c2 without route_server_peer: still in Adj-RIB-In:"; routes c2 --received --peer 127.0.0.95; fi
if wait_for 5 "out['neighbors'][0]['counters']['update_errors'] > $errors_before" c2 show neighbors; then ok
else bad "c2: update_errors did not go up from $errors_before: $(ctl c2 show neighbors)"; fi
if tail -n +$((lines + 1)) "$work/c2.log" | grep pcount-zero-not-allowed >/dev/null; then ok
else bad "c2: no log line naming pcount-zero-not-allowed; new log: $(tail -n +$((lines + 1)) "$work/c2.log")"; fi
sleep 1
if wait_for 2 "$(established 1)" c2 show neighbors; then ok
else bad "c2: session with RS not Established after the error: $(ctl c2 show neighbors)"; fi
# back: route_server_peer = true again -> the route is accepted again
config c2 65412 127.0.0.97 yes trust - 127.0.0.95:65410:route_server_peer=true
"$BGPSECCTL" --socket "$work/c2.sock" reload >/dev/null 2>&1 || bad "c2 reload (back)"
"$BGPSECCTL" --socket "$work/c2.sock" clear neighbor 127.0.0.95 --soft >/dev/null 2>&1 ||
  bad "c2 clear --soft (back)"
check_route c2 10 $net_c1 127.0.0.95 "[65411]" "[(65410, 0), (65411, 1)]" valid valid \
  "route_server_peer back on"

# every daemon still running; no UPDATE errors except the provoked one at C2
for name in o i e x rs c1 c2; do
  if kill -0 "$(eval echo "\$pid_$name")" 2>/dev/null; then ok; else bad "bgpsecd $name died: $(tail -3 "$work/$name.log")"; fi
  [ "$name" = c2 ] && continue
  if wait_for 2 "all(n['counters']['update_errors'] == 0 for n in out['neighbors'])" "$name" show neighbors; then ok
  else bad "$name: update errors: $(ctl "$name" show neighbors)"; fi
done

summary
