#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Graceful restart (RFC 4724, RFC 8374 §9.1) with BGPsec routes, IPv4, bgpsecd on loopback with
# router keys and ROAs from one RPKI JSON file:
#
#   U (65501, .141) --\                     /-- T (65503, .143)   bgpsecd
#   S (65505, .145) --- M (65502, .142) ---<
#   R (65506, .146) --/                     \-- W (65504, .144)   bgp_test_peer.py, logs UPDATEs
#
# U originates Q1-Q3, S Q4, R Q5 (ROAs for each). BGPsec on U-M, M-T and M-W from the start;
# M is configured for BGPsec with S and R, but S and R start without it (routes unsigned).
#   1. M holds U's routes signed and valid, S's and R's unsigned; T and W get them from M.
#   2. U killed with SIGKILL (no NOTIFICATION): M keeps Q1-Q3 stale (Adj-RIB-In, and flagged in
#      `show routes`), path state still valid, still best and still advertised; T keeps them
#      valid. U restarts with -R without Q3 in its config: Q1, Q2 come back not stale and valid,
#      Q3 is removed at U's End-of-RIB (the 120 s restart time cannot have passed); W saw no
#      withdrawal of Q1 or Q2 at any point, and Q3's.
#   3. S and R turn BGPsec on. S the graceful way (SIGKILL, config with bgpsec, -R): M keeps Q4
#      unsigned and stale until the signed Q4 replaces it. R by `bgpsecctl reload` (bgpsecd
#      resets the session for a changed `bgpsec`, bgpsecd.conf(5)). Both end signed and valid
#      at M and T, and W must not have seen Q4 or Q5 withdrawn in between (RFC 8374 §9.1:
#      unsigned routes learned before a peer turns BGPsec on stay until replaced).
# Run by ctest with BGPSECD, BGPSECCTL, BGPSEC and PORT (18040) set; KEEP=1 keeps the work
# directory. Addresses 127.0.0.141-149 and ports 18040-18049 belong to this test.
set -uo pipefail
: "${BGPSECD:?}" "${BGPSECCTL:?}" "${BGPSEC:?}" "${PORT:?}"
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$here/lib.sh"

declare -A ip=([u]=127.0.0.141 [m]=127.0.0.142 [t]=127.0.0.143 [w]=127.0.0.144 [s]=127.0.0.145
  [r]=127.0.0.146)
declare -A asn=([u]=65501 [m]=65502 [t]=65503 [w]=65504 [s]=65505 [r]=65506)
Q1=192.0.2.0/24
Q2=198.51.100.0/24
Q3=203.0.113.0/24
Q4=10.145.0.0/16
Q5=10.146.0.0/16

judge_py <<'PY'
def rt(out, prefix, peer):  # the route of `prefix` from `peer`, or None
    return next((r for r in out["routes"] if r["prefix"] == prefix and r["peer"] == peer), None)

def best(out, prefix):
    return next((r for r in out["routes"] if r["prefix"] == prefix and r["best"]), None)

def is_route(r, asns, state, stale=False, origin="valid"):
    # `r` exists with the AS path `asns` (newest first), path state `state` (a "valid" one
    # signed: a Secure_Path of those ASes; an "unsigned" one without), the stale flag `stale`
    # and the origin state `origin` (None: either)
    if r is None or r["as_path"] != asns or r["path_state"] != state:
        return False
    if stale is not None and r["stale"] != stale:
        return False
    if origin is not None and r["origin_state"] != origin:
        return False
    sp = [(s["asn"], s["pcount"]) for s in r.get("secure_path", [])]
    return sp == ([] if state == "unsigned" else [(a, 1) for a in asns])

def received(r, asns, state, stale):  # the same for an Adj-RIB-In route (no origin state yet)
    return is_route(r, asns, state, stale, origin=None)

def nb(out, peer):
    return next(n for n in out["neighbors"] if n["peer"] == peer)
PY
# updates.py FILE [FROM]: what W received (its bgp_test_peer.py output FILE, from line FROM on),
# as JSON {"announced": [prefix...], "withdrawn": [prefix...], "eor": count}
cat >"$work/updates.py" <<'PY'
import ipaddress, json, struct, sys

def prefixes(data, afi):
    out, i = [], 0
    while i < len(data):
        plen = data[i]
        n = (plen + 7) // 8
        raw = data[i + 1:i + 1 + n] + bytes((4 if afi == 1 else 16) - n)
        addr = ipaddress.ip_address(raw)
        out.append(str(ipaddress.ip_network("%s/%d" % (addr, plen))))
        i += 1 + n
    return out

result = {"announced": [], "withdrawn": [], "eor": 0}
lines = open(sys.argv[1]).read().splitlines()
for line in lines[int(sys.argv[2]) if len(sys.argv) > 2 else 0:]:
    try:
        ev = json.loads(line)
    except ValueError:
        continue
    if ev.get("event") != "update":
        continue
    body = bytes.fromhex(ev["hex"])[19:]
    wlen = struct.unpack("!H", body[:2])[0]
    withdrawn = prefixes(body[2:2 + wlen], 1)
    alen = struct.unpack("!H", body[2 + wlen:4 + wlen])[0]
    attrs = body[4 + wlen:4 + wlen + alen]
    announced = prefixes(body[4 + wlen + alen:], 1)
    i, mp_unreach_empty, kinds = 0, False, []
    while i < len(attrs):
        flags, code = attrs[i], attrs[i + 1]
        if flags & 0x10:
            length, i = struct.unpack("!H", attrs[i + 2:i + 4])[0], i + 4
        else:
            length, i = attrs[i + 2], i + 3
        value = attrs[i:i + length]
        i += length
        kinds.append(code)
        afi = struct.unpack("!H", value[:2])[0] if code in (14, 15) else 0
        if code == 14:
            nh_len = value[3]
            announced += prefixes(value[5 + nh_len:], afi)
        elif code == 15:
            got = prefixes(value[3:], afi)
            withdrawn += got
            mp_unreach_empty = not got
    if not withdrawn and not announced and (not kinds or (kinds == [15] and mp_unreach_empty)):
        result["eor"] += 1
    result["announced"] += announced
    result["withdrawn"] += withdrawn
print(json.dumps(result))
PY
seen() { python3 "$work/updates.py" "$work/w.out" "$@"; }
lines_of_w() { wc -l <"$work/w.out"; }

# ----- RPKI and configs ---------------------------------------------------------------------------
mkdir -m 700 "$work/all-keys"
for n in u m t s r; do
  "$BGPSEC" keygen --asn "${asn[$n]}" --out "$work/keys/${asn[$n]}" >/dev/null || exit 1
  cp -p "$work/keys/${asn[$n]}"/*.pem "$work/all-keys/" || exit 1
done
"$BGPSEC" rpki-json --key-dir "$work/all-keys" --roa "$Q1=65501" --roa "$Q2=65501" \
  --roa "$Q3=65501" --roa "$Q4=65505" --roa "$Q5=65506" >"$work/rpki.json" || exit 1

# config NAME NETWORK... -- NEIGHBOR:BGPSEC...  (NEIGHBOR: u m t w s r; BGPSEC: true / false)
config() {
  local name=$1 addr=${ip[$1]}
  shift
  # graceful_restart_time stays 120 s: longer than the test, so M's stale routes can only go
  # by End-of-RIB
  local nets=()
  while [ "$1" != -- ]; do
    nets+=("$1")
    shift
  done
  shift
  node_toml "$name" "${asn[$name]}" "$addr" "$work/rpki.json" "$work/keys/${asn[$name]}" \
    "${nets[@]}" >"$work/$name.toml"
  local n extra
  for n in "$@"; do
    extra=()
    [ "${n%%:*}" = w ] && extra=("passive = true")  # the python peer connects
    neighbor_toml "${ip[${n%%:*}]}" "${asn[${n%%:*}]}" "$addr" '["ipv4"]' "bgpsec = ${n#*:}" \
      "${extra[@]}" >>"$work/$name.toml"
  done
}
config u "$Q1" "$Q2" "$Q3" -- m:true
config m -- u:true t:true w:true s:true r:true
config t -- m:true
config s "$Q4" -- m:false
config r "$Q5" -- m:false
for n in u m t s r; do
  if "$BGPSECD" -n -c "$work/$n.toml" >/dev/null 2>"$work/err"; then ok
  else bad "config $n: $(cat "$work/err")"; exit 1; fi
done

for n in m t u s r; do start "$n"; done
python3 "$here/bgp_test_peer.py" session --asn 65504 --router-id "${ip[w]}" \
  --connect "${ip[m]}:$PORT" --bind "${ip[w]}" --families ipv4 --hold-time 30 --timeout 600 \
  >"$work/w.out" 2>&1 &
pids+=($!)
pid_w=$!

# ----- 1. the starting point ------------------------------------------------------------------------
established='all(n["state"] == "established" for n in out["neighbors"])'
for n in m t u s r; do
  expect "sessions at $n" 30 "$established" ctl "$n" show neighbors
done
expect "M: BGPsec negotiated with U, not with S and R" 5 \
  "nb(out, '${ip[u]}')['bgpsec']['ipv4'] == {'send': True, 'receive': True} and not nb(out, '${ip[s]}')['bgpsec']['ipv4']['receive'] and not nb(out, '${ip[r]}')['bgpsec']['ipv4']['receive']" \
  ctl m show neighbors
u_routes="all(is_route(rt(out, p, '${ip[u]}'), [65501], 'valid') for p in ('$Q1', '$Q2', '$Q3'))"
expect "M: U's routes signed and valid, S's and R's unsigned" 20 \
  "$u_routes and is_route(rt(out, '$Q4', '${ip[s]}'), [65505], 'unsigned') and is_route(rt(out, '$Q5', '${ip[r]}'), [65506], 'unsigned')" \
  ctl m show routes
t_routes="all(is_route(best(out, p), [65502, 65501], 'valid') for p in ('$Q1', '$Q2', '$Q3'))"
expect "T: U's routes via M, valid; S's and R's unsigned" 20 \
  "$t_routes and is_route(best(out, '$Q4'), [65502, 65505], 'unsigned') and is_route(best(out, '$Q5'), [65502, 65506], 'unsigned')" \
  ctl t show routes
expect "W: got all five prefixes from M" 20 \
  "set(out['announced']) >= {'$Q1', '$Q2', '$Q3', '$Q4', '$Q5'}" seen

# ----- 2. U killed without a NOTIFICATION, back with -R and without Q3 --------------------------------
mark=$(lines_of_w)
m_lines=$(wc -l <"$work/m.log")
{ kill -9 "$pid_u"; wait "$pid_u"; } 2>/dev/null  # (no "Killed" line from bash)
config u "$Q1" "$Q2" -- m:true  # the restarted U no longer announces Q3
expect "M: U's routes kept stale in the Adj-RIB-In, path state still valid" 10 \
  "all(received(rt(out, p, '${ip[u]}'), [65501], 'valid', True) for p in ('$Q1', '$Q2', '$Q3'))" \
  ctl m show routes --received --peer "${ip[u]}"
expect "M: U's routes still best in the Loc-RIB, valid" 2 \
  "all(is_route(r := rt(out, p, '${ip[u]}'), [65501], 'valid', stale=None) and r['best'] for p in ('$Q1', '$Q2', '$Q3'))" \
  ctl m show routes
# bgpsecctl(8): `show routes` flags stale routes ("s"); the JSON's "stale" says so
expect "M: show routes (Loc-RIB) flags U's routes stale" 2 \
  "all(rt(out, p, '${ip[u]}')['stale'] for p in ('$Q1', '$Q2', '$Q3'))" ctl m show routes
if grep -q "peer ${ip[u]}: session down .*keeping 3 routes as stale" "$work/m.log"; then ok
else bad "M's log does not say it kept U's 3 routes: $(tail -n +$((m_lines + 1)) "$work/m.log" | head -5)"; fi
expect "M: still advertising U's routes to T" 2 \
  "{r['prefix'] for r in out['routes']} >= {'$Q1', '$Q2', '$Q3'}" ctl m show routes --advertised --peer "${ip[t]}"
expect "T: U's routes still there, valid, not stale" 2 "$t_routes" ctl t show routes

start u -R
expect "M: after U's restart, Q1 and Q2 refreshed (not stale, valid), Q3 removed" 20 \
  "all(received(rt(out, p, '${ip[u]}'), [65501], 'valid', False) for p in ('$Q1', '$Q2')) and rt(out, '$Q3', '${ip[u]}') is None" \
  ctl m show routes --received --peer "${ip[u]}"
expect "M: Loc-RIB after U's restart: Q1 and Q2 valid and best, Q3 gone" 2 \
  "all(is_route(r := rt(out, p, '${ip[u]}'), [65501], 'valid') and r['best'] for p in ('$Q1', '$Q2')) and best(out, '$Q3') is None" \
  ctl m show routes
expect "M: BGPsec negotiated with the restarted U" 5 \
  "nb(out, '${ip[u]}')['bgpsec']['ipv4'] == {'send': True, 'receive': True}" ctl m show neighbors
if tail -n +$((m_lines + 1)) "$work/m.log" | grep "peer ${ip[u]}: End-of-RIB for AFI 1" >/dev/null; then ok
else bad "M did not end U's stale routes by End-of-RIB: $(grep "${ip[u]}" "$work/m.log" | tail -8)"; fi
if grep -q "graceful restart: every graceful-restart peer sent End-of-RIB" "$work/u.log"; then ok
else bad "U -R did not end its deferral on M's End-of-RIB: $(grep -i 'graceful\|End-of-RIB' "$work/u.log")"; fi
expect "T: Q1 and Q2 valid via M, Q3 gone" 10 \
  "all(is_route(best(out, p), [65502, 65501], 'valid') for p in ('$Q1', '$Q2')) and best(out, '$Q3') is None" \
  ctl t show routes
expect "W: Q3 withdrawn, Q1 and Q2 never withdrawn across U's restart" 10 \
  "'$Q3' in out['withdrawn'] and not {'$Q1', '$Q2'} & set(out['withdrawn'])" seen "$mark"

# ----- 3. S and R turn BGPsec on ----------------------------------------------------------------------
mark=$(lines_of_w)
{ kill -9 "$pid_s"; wait "$pid_s"; } 2>/dev/null  # (no "Killed" line from bash)
expect "M: S's unsigned Q4 kept stale while S restarts" 10 \
  "received(rt(out, '$Q4', '${ip[s]}'), [65505], 'unsigned', True)" \
  ctl m show routes --received --peer "${ip[s]}"
config s "$Q4" -- m:true
start s -R
config r "$Q5" -- m:true
if ctl r reload >"$work/reload.out" 2>&1; then ok; else bad "reload at R: $(cat "$work/reload.out")"; fi
expect "M: BGPsec negotiated with S and R now" 20 \
  "all(nb(out, p)['state'] == 'established' and nb(out, p)['bgpsec']['ipv4'] == {'send': True, 'receive': True} for p in ('${ip[s]}', '${ip[r]}'))" \
  ctl m show neighbors
expect "M: Q4 and Q5 replaced by signed routes, valid" 20 \
  "is_route(rt(out, '$Q4', '${ip[s]}'), [65505], 'valid') and is_route(rt(out, '$Q5', '${ip[r]}'), [65506], 'valid')" \
  ctl m show routes
expect "M: S's signed Q4 no longer stale in the Adj-RIB-In" 5 \
  "received(rt(out, '$Q4', '${ip[s]}'), [65505], 'valid', False)" ctl m show routes --received --peer "${ip[s]}"
expect "T: Q4 and Q5 via M, signed and valid" 10 \
  "is_route(best(out, '$Q4'), [65502, 65505], 'valid') and is_route(best(out, '$Q5'), [65502, 65506], 'valid')" \
  ctl t show routes
expect "W: Q4 never withdrawn while S turned BGPsec on by a graceful restart" 2 \
  "'$Q4' not in out['withdrawn'] and '$Q4' in out['announced']" seen "$mark"
expect "W: Q5 never withdrawn while R turned BGPsec on by reload (RFC 8374 §9.1)" 2 \
  "'$Q5' not in out['withdrawn'] and '$Q5' in out['announced']" seen "$mark"

# U's routes untouched by all this; everybody still running, no UPDATE errors
expect "M: U's Q1 and Q2 still valid, not stale" 2 \
  "all(is_route(rt(out, p, '${ip[u]}'), [65501], 'valid') for p in ('$Q1', '$Q2'))" ctl m show routes
for n in u m t s r; do
  if kill -0 "$(eval echo "\$pid_$n")" 2>/dev/null; then ok; else bad "bgpsecd $n died: $(tail -3 "$work/$n.log")"; fi
  expect "$n: no UPDATE errors" 2 "all(n['counters']['update_errors'] == 0 for n in out['neighbors'])" \
    ctl "$n" show neighbors
done
if kill -0 "$pid_w" 2>/dev/null && ! grep -q '"notification"\|"closed"' "$work/w.out"; then ok
else bad "W's session did not stay up: $(tail -3 "$work/w.out")"; fi

summary
