#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# BGPsec in a diamond of bgpsecd (RFC 8205, RFC 8374 §8.2/§8.3), IPv4, BGPsec both ways on every
# session, router keys and ROAs from one RPKI JSON file ([rpki] files):
#
#        B (65402, .112)
#       /               \
#   A (65401, .111)      D (65404, .114) -- E (65405, .115)
#       \               /  \
#        C (65403, .113)    C' (python bgp_test_peer.py, .116, also AS 65403, router id 10.0.0.1)
#
# A originates P1 and P2 (ROAs for AS 65401). AS 65407 (X) has a router key in the RPKI but no
# router: it never signs anything.
#   1. D has P1 and P2 over B and over C, both "valid"; B is best by the ordinary tie-breaking
#      (same degree of preference and path length: lower router id); E gets them via D with
#      Secure_Path 65404 65402 65401 and validates them.
#   2. Attacks over C''s real BGP session to D: P1 with X inserted between C and A (X's
#      signature made up under X's real SKI, C's and A's real: bgpsec_forge.py); P2 replayed
#      (C's UPDATE signed towards E, AS 65405, sent to D); P3 (no ROA) offered only by C', forged
#      like P1. At D: each "not-valid" with the right reason and segment (signature-invalid at 1,
#      AS 65407 / at 0, AS 65403), its Secure_Path intact in the Adj-RIB-In and the Loc-RIB; the
#      best routes of P1 and P2 stay the valid ones via B although C' has the lowest router id
#      (the valid/not-valid preference decides); no UPDATE error counted; E still validates P1
#      via B; P3, best at D for want of another, goes to E signed with every signature (RFC 8374
#      §8.2: never stripped because Not Valid) and E finds the same bad signature (segment 2).
#   3. B stopped: D's best becomes the route via C, still valid, and E follows. C stopped too: the
#      Not Valid routes from C' are all D has left; they are selected and forwarded signed, and
#      E sees them Not Valid for the same reasons one segment further.
# Run by ctest with BGPSECD, BGPSECCTL, BGPSEC and PORT (18030) set; KEEP=1 keeps the work
# directory. Addresses 127.0.0.111-119 and ports 18030-18039 belong to this test.
set -uo pipefail
: "${BGPSECD:?}" "${BGPSECCTL:?}" "${BGPSEC:?}" "${PORT:?}"
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$here/lib.sh"
need openssl

declare -A ip=([a]=127.0.0.111 [b]=127.0.0.112 [c]=127.0.0.113 [d]=127.0.0.114 [e]=127.0.0.115)
declare -A asn=([a]=65401 [b]=65402 [c]=65403 [d]=65404 [e]=65405)
forger=127.0.0.116
X=65407
P1=192.0.2.0/24
P2=198.51.100.0/24
P3=203.0.113.0/24

judge_py <<'PY'
def rt(out, prefix, peer):  # the route of `prefix` from `peer`, or None
    return next((r for r in out["routes"] if r["prefix"] == prefix and r["peer"] == peer), None)

def best(out, prefix):
    return next((r for r in out["routes"] if r["prefix"] == prefix and r["best"]), None)

def signed(r, asns, state):
    # `r` exists, has the AS path `asns` (newest first), as a Secure_Path of pCount-1 segments
    # (every signature still there), and the path state `state` (a failure only if not-valid)
    return (r is not None and r["as_path"] == asns and r["path_state"] == state
            and [(s["asn"], s["pcount"], s["confed"]) for s in r.get("secure_path", [])]
                == [(a, 1, False) for a in asns]
            and ("failure" in r) == (state == "not-valid"))

def failed(r, reason, segment, asn):
    f = r.get("failure", {})
    return f.get("reason") == reason and f.get("segment") == segment and f.get("asn") == asn

def nb(out, peer):
    return next(n for n in out["neighbors"] if n["peer"] == peer)
PY

# ----- RPKI: router keys of A..E and X, ROAs for A's P1 and P2 -----------------------------------
mkdir -m 700 "$work/all-keys"
for n in a b c d e x; do
  a=${asn[$n]:-$X}
  "$BGPSEC" keygen --asn "$a" --out "$work/keys/$a" >/dev/null || exit 1
  cp -p "$work/keys/$a"/*.pem "$work/all-keys/" || exit 1
done
"$BGPSEC" rpki-json --key-dir "$work/all-keys" --roa "$P1=65401" --roa "$P2=65401" \
  >"$work/rpki.json" || exit 1
ski_of() { local s; s=$(basename "$work/keys/$1"/*.pem .pem); echo "${s#*.}"; }

# ----- configs ------------------------------------------------------------------------------------
# config NAME NETWORK... -- NEIGHBOR...  (NEIGHBOR = name of a bgpsecd here)
config() {
  local name=$1 addr=${ip[$1]}
  shift
  local nets=()
  while [ "$1" != -- ]; do
    nets+=("$1")
    shift
  done
  shift
  node_toml "$name" "${asn[$name]}" "$addr" "$work/rpki.json" "$work/keys/${asn[$name]}" \
    "${nets[@]}" >"$work/$name.toml"
  for n in "$@"; do
    neighbor_toml "${ip[$n]}" "${asn[$n]}" "$addr" '["ipv4"]' "bgpsec = true" >>"$work/$name.toml"
  done
}
config a "$P1" "$P2" -- b c
config b -- a d
config c -- a d
config d -- b c e
config e -- d
# C' on a second session to D: D waits for it (the python peer connects)
neighbor_toml "$forger" 65403 "${ip[d]}" '["ipv4"]' "bgpsec = true" "passive = true" >>"$work/d.toml"
for n in a b c d e; do
  if "$BGPSECD" -n -c "$work/$n.toml" >/dev/null 2>"$work/err"; then ok
  else bad "config $n: $(cat "$work/err")"; exit 1; fi
done

for n in a b c d e; do start "$n"; done
: >"$work/forger.in"
python3 "$here/bgp_test_peer.py" session --asn 65403 --router-id 10.0.0.1 \
  --connect "${ip[d]}:$PORT" --bind "$forger" --updates "$work/forger.in" --follow \
  --families ipv4 --hold-time 30 --timeout 600 >"$work/forger.out" 2>&1 &
pids+=($!)
pid_forger=$!

established='all(n["state"] == "established" for n in out["neighbors"])'
for n in d a b c e; do
  expect "sessions at $n" 30 "$established" ctl "$n" show neighbors
done
expect "BGPsec negotiated both ways with C' at D" 5 \
  "nb(out, '$forger')['bgpsec']['ipv4'] == {'send': True, 'receive': True}" ctl d show neighbors

# ----- 1. two valid paths to D -------------------------------------------------------------------
for P in $P1 $P2; do
  expect "D: $P via B and via C, both valid, B best by router id" 20 \
    "signed(rt(out, '$P', '${ip[b]}'), [65402, 65401], 'valid') and signed(rt(out, '$P', '${ip[c]}'), [65403, 65401], 'valid') and rt(out, '$P', '${ip[b]}')['local_pref'] == rt(out, '$P', '${ip[c]}')['local_pref'] and best(out, '$P')['peer'] == '${ip[b]}' and best(out, '$P')['origin_state'] == 'valid'" \
    ctl d show routes "$P"
  expect "E: $P via D and B, valid" 20 \
    "signed(best(out, '$P'), [65404, 65402, 65401], 'valid') and best(out, '$P')['origin_state'] == 'valid'" \
    ctl e show routes "$P"
done

# ----- 2. attacks from C' -------------------------------------------------------------------------
sent=0
send() {  # send HEX: C' sends the UPDATE; waits until it says it did
  echo "$1" >>"$work/forger.in"
  sent=$((sent + 1))
  local deadline=$((SECONDS + 5))
  until [ "$(grep -c '"event": "sent"' "$work/forger.out")" -ge "$sent" ]; do
    [ $SECONDS -lt $deadline ] || { bad "C' did not send UPDATE $sent: $(tail -3 "$work/forger.out")"; return 1; }
    sleep 0.05
  done
}
upd() { python3 "$here/bgp_test_peer.py" update --next-hop "$forger" --mp "$1" --attr "$2"; }
sign() {  # sign PREFIX AS-PATH TARGET KEY-DIR: the BGPsec_PATH attribute (hex)
  "$BGPSEC" sign --prefix "$1" --as-path "$2" --target-as "$3" --key-dir "$4" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["attribute"])'
}
forge() {  # forge PREFIX: A's real signature towards X, X's made up, C's real towards D
  python3 "$here/bgpsec_forge.py" "$(sign "$1" 65401 $X "$work/keys/65401")" "$1" $X "$(ski_of $X)" \
    65403 "$(echo "$work/keys/65403"/*.pem)" "$(ski_of 65403)" 65404
}
errors_before=$(value "nb(out, '$forger')['counters']['update_errors']" ctl d show neighbors)
if ! forged1=$(forge $P1) || ! forged3=$(forge $P3) ||
  ! replayed2=$(sign $P2 "65403 65401" 65405 "$work/all-keys"); then
  bad "cannot build the attacks"
  exit 1
fi
send "$(upd $P1 "$forged1")"
send "$(upd $P2 "$replayed2")"
send "$(upd $P3 "$forged3")"

x_ski=$(ski_of $X)
x_ski=${x_ski,,}
expect "D: forged $P1 from C' not-valid, signature-invalid at segment 1 (AS $X, its SKI), best still via B" 10 \
  "signed(r := rt(out, '$P1', '$forger'), [65403, $X, 65401], 'not-valid') and failed(r, 'signature-invalid', 1, $X) and r['failure']['ski'].lower() == '$x_ski' and signed(best(out, '$P1'), [65402, 65401], 'valid') and best(out, '$P1')['peer'] == '${ip[b]}'" \
  ctl d show routes $P1
expect "D: replayed $P2 from C' not-valid, signature-invalid at segment 0 (AS 65403), best still via B" 10 \
  "signed(r := rt(out, '$P2', '$forger'), [65403, 65401], 'not-valid') and failed(r, 'signature-invalid', 0, 65403) and signed(best(out, '$P2'), [65402, 65401], 'valid') and best(out, '$P2')['peer'] == '${ip[b]}'" \
  ctl d show routes $P2
expect "D: forged $P3 from C' not-valid (the only route, so best), origin not-found" 10 \
  "signed(r := best(out, '$P3'), [65403, $X, 65401], 'not-valid') and r['peer'] == '$forger' and failed(r, 'signature-invalid', 1, $X) and r['origin_state'] == 'not-found'" \
  ctl d show routes $P3
# RFC 8374 §8.2: the Adj-RIB-In keeps what arrived, every signature of it
expect "D: Adj-RIB-In from C' holds the three attacks with their whole Secure_Paths" 5 \
  "signed(rt(out, '$P1', '$forger'), [65403, $X, 65401], 'not-valid') and signed(rt(out, '$P2', '$forger'), [65403, 65401], 'not-valid') and signed(rt(out, '$P3', '$forger'), [65403, $X, 65401], 'not-valid')" \
  ctl d show routes --received --peer "$forger"
if [ "$(value "nb(out, '$forger')['counters']['update_errors']" ctl d show neighbors)" = "$errors_before" ]; then ok
else bad "D counted the attacks (well-formed UPDATEs) as UPDATE errors"; fi
expect "E: $P1 and $P2 still via B, valid" 5 \
  "signed(best(out, '$P1'), [65404, 65402, 65401], 'valid') and signed(best(out, '$P2'), [65404, 65402, 65401], 'valid')" \
  ctl e show routes
# (the Adj-RIB-Out view shows the Secure_Path D signs over; D's own segment may or may not be
# shown: it is added when the UPDATE is signed for E)
expect "D: forged $P3 in the Adj-RIB-Out towards E to be signed, every segment kept" 10 \
  "any(r['prefix'] == '$P3' and [s['asn'] for s in r.get('secure_path', [])] in ([65403, $X, 65401], [65404, 65403, $X, 65401]) for r in out['routes'])" \
  ctl d show routes $P3 --advertised --peer "${ip[e]}"
expect "E: forged $P3 via D not-valid, signature-invalid at segment 2 (AS $X)" 10 \
  "signed(r := best(out, '$P3'), [65404, 65403, $X, 65401], 'not-valid') and failed(r, 'signature-invalid', 2, $X)" \
  ctl e show routes $P3
if python3 "$work/judge.py" "nb(out, '$forger')['state'] == 'established'" < <(ctl d show neighbors) &&
  kill -0 $pid_forger 2>/dev/null && ! grep -q '"notification"\|"closed"' "$work/forger.out"; then ok
else bad "C''s session did not stay up: $(tail -3 "$work/forger.out")"; fi

# ----- 3. the path via B withdrawn, then the one via C ----------------------------------------------
kill "$pid_b"
for P in $P1 $P2; do
  expect "D: B stopped: $P best via C, valid; nothing left from B" 15 \
    "rt(out, '$P', '${ip[b]}') is None and signed(r := best(out, '$P'), [65403, 65401], 'valid') and r['peer'] == '${ip[c]}' and r['origin_state'] == 'valid'" \
    ctl d show routes "$P"
  expect "E: B stopped: $P via D and C, valid" 15 \
    "signed(best(out, '$P'), [65404, 65403, 65401], 'valid')" ctl e show routes "$P"
done
kill "$pid_c"
expect "D: C stopped too: the Not Valid routes from C' are selected" 15 \
  "rt(out, '$P1', '${ip[c]}') is None and rt(out, '$P2', '${ip[c]}') is None and best(out, '$P1')['peer'] == '$forger' and signed(best(out, '$P1'), [65403, $X, 65401], 'not-valid') and best(out, '$P2')['peer'] == '$forger' and signed(best(out, '$P2'), [65403, 65401], 'not-valid')" \
  ctl d show routes
expect "E: C stopped: $P1 forged (segment 2, AS $X) and $P2 replayed (segment 1, AS 65403), both not-valid and signed" 15 \
  "signed(r1 := best(out, '$P1'), [65404, 65403, $X, 65401], 'not-valid') and failed(r1, 'signature-invalid', 2, $X) and signed(r2 := best(out, '$P2'), [65404, 65403, 65401], 'not-valid') and failed(r2, 'signature-invalid', 1, 65403)" \
  ctl e show routes

for n in a d e; do
  if kill -0 "$(eval echo "\$pid_$n")" 2>/dev/null; then ok; else bad "bgpsecd $n died: $(tail -3 "$work/$n.log")"; fi
  expect "$n: no UPDATE errors" 2 "all(n['counters']['update_errors'] == 0 for n in out['neighbors'])" \
    ctl "$n" show neighbors
done

summary
