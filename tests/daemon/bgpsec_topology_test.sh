#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# BGPsec end to end (RFC 8205) through four bgpsecd in a chain on loopback, fed by stayrtr:
#   A(65201, 127.0.0.61) - B(65202, .62) - C(65203, .63) - D(65204, .64), every session eBGP with
#   BGPsec negotiated both ways for ipv4 and ipv6, and E(65205, .65) peering with D WITHOUT
#   BGPsec. stayrtr (127.0.0.69, RTR on PORT+5, metrics on PORT+6) serves the router keys of the
#   four ASes (`bgpsec keygen`) and ROAs for A's prefixes (`bgpsec rpki-json`).
# Checks, through `bgpsecctl --json`:
#   - `show neighbors` reports BGPsec send and receive for both families on the chain, none
#     towards E; A counts signed UPDATEs;
#   - A's IPv4 and IPv6 routes reach B, C and D signed: as_path / secure_path newest first,
#     path_state "valid", origin_state "valid";
#   - E gets them as an ordinary AS_PATH [65204, 65203, 65202, 65201], path_state "unsigned";
#   - churn (RFC 8374 §9.2): B's router key removed from the cache -> path_state "not-valid" at C
#     and D, the route kept and still signed (RFC 8374 §8.2), B (signed by A only) still valid;
#     a reset C-D session brings the route back to D signed and not-valid; the key back ->
#     "valid" again; A's ROAs removed -> origin_state "not-found" at D; back -> "valid".
#   - tshark captures the whole run on lo (the test fails when it cannot), and decodes it
#     (docs/peers.md §4): nothing malformed and no expert error; the chain OPENs carry the BGPsec
#     capability (version 0, send and receive, ipv4 and ipv6), D-E's none; C -> D UPDATEs carry
#     a BGPsec_PATH 65203 65202 65201 signed with the generated keys' SKIs; D -> E UPDATEs an
#     AS_PATH and no BGPsec_PATH; RTR Router Key PDUs announce the four keys and withdraw B's.
# Run by ctest with BGPSECD, BGPSECCTL, BGPSEC, STAYRTR and PORT (17970) set. KEEP=1 keeps the
# temporary directory (configs, logs, JSON files).
set -uo pipefail
: "${BGPSECD:?}" "${BGPSECCTL:?}" "${BGPSEC:?}" "${PORT:?}"
STAYRTR=${STAYRTR:-stayrtr}
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
need "$STAYRTR"
rtr_addr=127.0.0.69:$((PORT + 5))
rtr_metrics=127.0.0.69:$((PORT + 6))

# --- packet capture of the whole run (decoded by tshark at the end) -------------------------------
# tshark's decode is the only independent check of the signed UPDATEs: a run that cannot
# capture fails (lib.sh capture_start). Three checks: tshark started, nothing malformed, the
# decoded fields.
capture_start "$work/lab.pcap" "tcp port $PORT or tcp port $((PORT + 5))" 3

# --- RPKI data: four router keys, ROAs for A's prefixes ------------------------------------------
net4=192.0.2.0/24
net6=2001:db8:61::/48
mkdir -m 700 "$work/rpki-keys"
for asn in 65201 65202 65203 65204; do
  "$BGPSEC" keygen --asn "$asn" --out "$work/keys/$asn" >/dev/null || exit 1
  cp -p "$work/keys/$asn"/*.pem "$work/rpki-keys/" || exit 1
done
roas=(--roa "$net4=65201" --roa "$net6=65201")
# publish [KEY-DIR [ROA-ARGS...]]: writes the file stayrtr serves (atomically, by rename)
publish() {
  local dir=${1:-$work/rpki-keys}
  shift || true
  "$BGPSEC" rpki-json --key-dir "$dir" "$@" >"$work/rpki.json.tmp" || exit 1
  mv "$work/rpki.json.tmp" "$work/rpki.json"
}
publish "$work/rpki-keys" "${roas[@]}"

capture_started
# A short -refresh: stayrtr re-reads the file and sends Serial Notify every 2 s (with router
# keys present it bumps the serial on every refresh even without a change, see docs/peers.md §2.1).
stayrtr_start "$rtr_addr" "$rtr_metrics" "$work/rpki.json" -refresh 2
stayrtr_wait "$rtr_addr" 4 2

# --- configs -------------------------------------------------------------------------------------
# config NAME ASN ADDR KEYS NETWORKS NEIGHBOR...  KEYS: "dir", "file" or "none"; NETWORKS:
# "yes" to originate A's prefixes; NEIGHBOR = addr:asn:bgpsec (bgpsec = true or false)
config() {
  local name=$1 asn=$2 addr=$3 keys=$4 networks=$5
  shift 5
  global_toml "$name" "$asn" "$addr" >"$work/$name.toml"
  cat >>"$work/$name.toml" <<TOML

[[rpki.cache]]
address = "$rtr_addr"
TOML
  case $keys in
    dir) printf '\n[bgpsec]\nkey_dir = "%s"\n' "$work/keys/$asn" >>"$work/$name.toml" ;;
    file) printf '\n[bgpsec]\nkey_files = ["%s"]\n' "$(echo "$work/keys/$asn"/*.pem)" >>"$work/$name.toml" ;;
  esac
  if [ "$networks" = yes ]; then
    printf '\n[[network]]\nprefix = "%s"\n\n[[network]]\nprefix = "%s"\n' "$net4" "$net6" \
      >>"$work/$name.toml"
  fi
  printf '\n[[policy]]\nname = "all"\ndefault_action = "accept"\n' >>"$work/$name.toml"
  for n in "$@"; do
    IFS=: read -r n_addr n_asn n_bgpsec <<<"$n"
    neighbor_toml "$n_addr" "$n_asn" "$addr" '["ipv4", "ipv6"]' "bgpsec = $n_bgpsec" \
      >>"$work/$name.toml"
  done
}
config a 65201 127.0.0.61 dir yes 127.0.0.62:65202:true
config b 65202 127.0.0.62 dir no 127.0.0.61:65201:true 127.0.0.63:65203:true
config c 65203 127.0.0.63 file no 127.0.0.62:65202:true 127.0.0.64:65204:true
config d 65204 127.0.0.64 file no 127.0.0.63:65203:true 127.0.0.65:65205:false
config e 65205 127.0.0.65 none no 127.0.0.64:65204:false
for name in a b c d e; do
  if "$BGPSECD" -n -c "$work/$name.toml" >/dev/null 2>"$work/err"; then ok
  else bad "config $name: $(cat "$work/err")"; fi
done


# B, C, D and E first, A (the only origin) once they hold the cache's data: the path state is
# computed when an UPDATE arrives, so routes that arrived before the router keys would start
# out not-valid (see the churn checks below for revalidation).
start b
start c
start d
start e
synced='out["router_keys"] == 4 and out["vrps"] == 2 and all(c["in_sync"] for c in out["caches"])'
for name in b c d e; do
  if wait_for 20 "$synced" "$name" show rpki; then ok
  else bad "$name did not get the cache's data: $(ctl "$name" show rpki)"; fi
done
start a
if wait_for 20 "$synced" a show rpki; then ok; else bad "a did not get the cache's data: $(ctl a show rpki)"; fi

established='all(n["state"] == "established" for n in out["neighbors"])'
for name in a b c d e; do
  if wait_for 40 "$established" "$name" show neighbors; then ok
  else bad "sessions at $name: $(ctl "$name" show neighbors)"; fi
done

# --- show neighbors: BGPsec negotiated per family and direction ----------------------------------
# neighbor_bgpsec PEER BOOL: the expression "PEER's bgpsec fields are all BOOL"
neighbor_bgpsec() {
  echo "any(n['peer'] == '$1' and all(n['bgpsec'][f][d] is $2 for f in ('ipv4', 'ipv6') for d in ('send', 'receive')) for n in out['neighbors'])"
}
for pair in a:127.0.0.62 b:127.0.0.61 b:127.0.0.63 c:127.0.0.62 c:127.0.0.64 d:127.0.0.63; do
  if wait_for 5 "$(neighbor_bgpsec "${pair#*:}" True)" "${pair%%:*}" show neighbors; then ok
  else bad "${pair%%:*}: BGPsec not negotiated with ${pair#*:}: $(ctl "${pair%%:*}" show neighbors)"; fi
done
for pair in d:127.0.0.65 e:127.0.0.64; do
  if wait_for 5 "$(neighbor_bgpsec "${pair#*:}" False)" "${pair%%:*}" show neighbors; then ok
  else bad "${pair%%:*}: BGPsec reported with ${pair#*:}: $(ctl "${pair%%:*}" show neighbors)"; fi
done
# the text view has the BGPsec columns
if "$BGPSECCTL" --socket "$work/b.sock" show neighbors | grep '127.0.0.63.*send+recv.*send+recv' >/dev/null; then ok
else bad "text view: $("$BGPSECCTL" --socket "$work/b.sock" show neighbors)"; fi

# --- signed routes along the chain ----------------------------------------------------------------
# route PREFIX ASPATH PATH-STATE ORIGIN-STATE [SIGNED]: a best route for PREFIX with that AS path
# and those states (a "failure" exactly when not-valid); SIGNED yes: its secure_path lists the
# same ASes with pCount 1; no: it has none
route() {
  local signed
  if [ "${5:-yes}" = yes ]; then
    signed="[(s['asn'], s['pcount'], s['confed']) for s in r.get('secure_path', [])] == [(a, 1, False) for a in $2]"
  else
    signed="'secure_path' not in r"
  fi
  signed="$signed and ('failure' in r) == ('$3' == 'not-valid')"
  echo "any(r['prefix'] == '$1' and r['best'] and r['as_path'] == $2 and r['path_state'] == '$3' and r['origin_state'] == '$4' and $signed for r in out['routes'])"
}
# check_route NAME SECONDS PREFIX ASPATH PATH-STATE ORIGIN-STATE [SIGNED] -- WHAT
check_route() {
  local name=$1 seconds=$2
  shift 2
  if wait_for "$seconds" "$(route "$1" "$2" "$3" "$4" "${5:-yes}")" "$name" show routes; then ok
  else bad "$name: ${*: -1}: want $1 as_path $2 $3/$4; have:"; routes "$name"; fi
}
for p in $net4 $net6; do
  check_route a 5 "$p" "[]" unsigned valid no "own network"
  check_route b 20 "$p" "[65201]" valid valid yes "signed route from A"
  check_route c 20 "$p" "[65202, 65201]" valid valid yes "signed route via B"
  check_route d 20 "$p" "[65203, 65202, 65201]" valid valid yes "signed route via C"
  check_route e 20 "$p" "[65204, 65203, 65202, 65201]" unsigned valid no "unsigned from D"
done
if wait_for 5 "any(n['peer'] == '127.0.0.62' and n['counters']['signed_updates'] >= 2 and n['counters']['sign_failures'] == 0 for n in out['neighbors'])" a show neighbors; then ok
else bad "a: signed_updates towards B: $(ctl a show neighbors)"; fi
if wait_for 5 "any(n['peer'] == '127.0.0.65' and n['counters']['signed_updates'] == 0 for n in out['neighbors'])" d show neighbors; then ok
else bad "d signed towards E: $(ctl d show neighbors)"; fi
# what D received from C: the IPv4 route in MP_REACH with the next hop C
if wait_for 5 "any(r['prefix'] == '$net4' and r['next_hop'] == '127.0.0.63' and len(r.get('secure_path', [])) == 3 for r in out['routes'])" d show routes --received --peer 127.0.0.63; then ok
else bad "d: received from C:"; routes d --received --peer 127.0.0.63; fi

# --- churn: B's router key leaves the RPKI (RFC 8374 §9.2) ----------------------------------------
mkdir -m 700 "$work/rpki-keys-no-b"
cp -p "$work/rpki-keys"/6520[134].*.pem "$work/rpki-keys-no-b/"
t0=$SECONDS
publish "$work/rpki-keys-no-b" "${roas[@]}"
keys3='out["router_keys"] == 3'
for name in b c d; do
  if wait_for 15 "$keys3" "$name" show rpki; then ok
  else bad "$name still has $(ctl "$name" show rpki | grep -m1 router_keys) after B's key was removed"; fi
done
echo "key removal reached b, c, d after $((SECONDS - t0)) s"
for p in $net4 $net6; do
  check_route b 5 "$p" "[65201]" valid valid yes "B's key removed (A's signature still good)"
  check_route c 10 "$p" "[65202, 65201]" not-valid valid yes "B's key removed: revalidation"
  check_route d 10 "$p" "[65203, 65202, 65201]" not-valid valid yes "B's key removed: revalidation"
  check_route e 5 "$p" "[65204, 65203, 65202, 65201]" unsigned valid no "B's key removed"
done
# why: B's signature (segment 0 at C, 1 at D, newest first) has no router key
b_ski=$(basename "$work/keys/65202"/*.pem .pem)
b_ski=${b_ski#*.}
for pair in c:0 d:1; do
  if wait_for 5 "sum(1 for r in out['routes'] if r.get('failure', {}).get('reason') == 'key-not-found' and r['failure'].get('segment') == ${pair#*:} and r['failure'].get('asn') == 65202 and r['failure'].get('ski', '').upper() == '$b_ski') == 2" "${pair%%:*}" show routes; then ok
  else bad "${pair%%:*}: failure of the not-valid routes (want key-not-found, AS 65202, SKI $b_ski):"; ctl "${pair%%:*}" show routes; fi
done
if "$BGPSECCTL" --socket "$work/d.sock" show routes "$net4" | grep 'key-not-found.*65202' >/dev/null; then ok
else bad "d: text view of a not-valid route: $("$BGPSECCTL" --socket "$work/d.sock" show routes "$net4")"; fi
# The C-D session reset: C sends its (Not Valid) routes again, still signed (RFC 8374 §8.2),
# and D validates them afresh.
"$BGPSECCTL" --socket "$work/d.sock" clear neighbor 127.0.0.63 >/dev/null || bad "clear neighbor at d"
for p in $net4 $net6; do
  check_route d 30 "$p" "[65203, 65202, 65201]" not-valid valid yes "after the C-D reset, B's key absent"
done
if wait_for 5 "any(n['peer'] == '127.0.0.64' and n['counters']['signed_updates'] >= 4 and n['counters']['sign_failures'] == 0 for n in out['neighbors'])" c show neighbors; then ok
else bad "c did not sign its Not Valid routes again towards D: $(ctl c show neighbors)"; fi

# --- B's key back ------------------------------------------------------------------------------------
t0=$SECONDS
publish "$work/rpki-keys" "${roas[@]}"
for name in c d; do
  if wait_for 15 '"router_keys" in out and out["router_keys"] == 4' "$name" show rpki; then ok
  else bad "$name did not get B's key back: $(ctl "$name" show rpki | grep -m1 router_keys)"; fi
done
echo "key restore reached c, d after $((SECONDS - t0)) s"
for p in $net4 $net6; do
  check_route c 10 "$p" "[65202, 65201]" valid valid yes "B's key back"
  check_route d 10 "$p" "[65203, 65202, 65201]" valid valid yes "B's key back"
done
# The signatures of A and B that D checked before the key went were answered by the signature
# cache when the key came back (RFC 8374 §9.2 revalidation); nothing is left pending.
if wait_for 5 'out["validation"]["pending"] == 0 and out["validation"]["completed"] > 0 and out["validation"]["signature_cache"]["hits"] > 0 and out["validation"]["signatures_verified"] > 0' d show rpki; then ok
else bad "d's validation engine: $(ctl d show rpki | python3 -c 'import json,sys; print(json.load(sys.stdin).get("validation"))')"; fi

# --- ROA change: A's ROAs removed, then back -------------------------------------------------------
t0=$SECONDS
publish "$work/rpki-keys"
for name in a d; do
  if wait_for 15 'out["vrps"] == 0' "$name" show rpki; then ok
  else bad "$name still has VRPs: $(ctl "$name" show rpki | grep -m1 '"vrps"')"; fi
done
echo "ROA removal reached a, d after $((SECONDS - t0)) s"
for p in $net4 $net6; do
  check_route d 10 "$p" "[65203, 65202, 65201]" valid not-found yes "A's ROA removed"
  check_route a 5 "$p" "[]" unsigned not-found no "A's ROA removed (own network)"
done
publish "$work/rpki-keys" "${roas[@]}"
for p in $net4 $net6; do
  check_route d 15 "$p" "[65203, 65202, 65201]" valid valid yes "A's ROA back"
  check_route e 10 "$p" "[65204, 65203, 65202, 65201]" unsigned valid no "A's ROA back"
done

# every daemon still running, no UPDATE errors anywhere
for name in a b c d e; do
  if kill -0 "$(eval echo "\$pid_$name")" 2>/dev/null; then ok; else bad "bgpsecd $name died: $(tail -3 "$work/$name.log")"; fi
  if wait_for 2 "all(n['counters']['update_errors'] == 0 for n in out['neighbors'])" "$name" show neighbors; then ok
  else bad "$name: update errors: $(ctl "$name" show neighbors)"; fi
done

# --- the capture, decoded by tshark (docs/peers.md §4) ---------------------------------------------------
t0=$SECONDS
if capture_stop; then
  decode=(-r "$work/lab.pcap" -d "tcp.port==$PORT,bgp" -d "tcp.port==$((PORT + 5)),rpkirtr")
  # (a) nothing malformed, no expert error
  if tshark "${decode[@]}" -Y '_ws.malformed || _ws.expert.severity == error' >"$work/malformed.txt" 2>"$work/tshark-r.log"; then
    if [ -s "$work/malformed.txt" ]; then bad "tshark: malformed frames or expert errors:"; head -20 "$work/malformed.txt"
    else ok; fi
  else bad "tshark -r: $(tail -3 "$work/tshark-r.log")"; fi
  # (b)-(e) from one pass of fields: per frame the BGP OPEN capabilities, the UPDATE attributes,
  # BGPsec_PATH and AS_PATH, and the RTR Router Key PDUs
  fields=(frame.number ip.src ip.dst bgp.type bgp.cap.type bgp.cap.bgpsec.version
    bgp.cap.bgpsec.sendreceive bgp.cap.bgpsec.afi bgp.update.path_attribute.type_code
    bgp.update.path_attribute.bgpsec.sps.as bgp.update.path_attribute.bgpsec.ss.ski
    bgp.update.path_attribute.as_path_segment.as4 rpki-rtr.pdu_type rpki-rtr.flags
    rpki-rtr.subject_key_identifier rpki-rtr.as_number)
  if tshark "${decode[@]}" -Y 'bgp || rpkirtr' -T fields -E separator=/t -E occurrence=a \
    -E aggregator=, "${fields[@]/#/-e}" >"$work/fields.tsv" 2>"$work/tshark-r.log"; then
    skis=()
    for asn in 65201 65202 65203 65204; do
      ski=$(basename "$work/keys/$asn"/*.pem .pem)
      skis+=("$asn:${ski#*.}")
    done
    # prints one line per failed check, nothing else
    python3 - "$work/fields.tsv" "${skis[@]}" >"$work/capture-checks.txt" <<'PY' || bad "capture checks: python failed"
import sys
names = ['frame', 'src', 'dst', 'bgp_type', 'cap_type', 'cap_version', 'cap_sr', 'cap_afi',
         'attr', 'sps_as', 'ski', 'as4', 'rtr_type', 'rtr_flags', 'rtr_ski', 'rtr_as']
frames = []
for line in open(sys.argv[1]):
    cols = line.rstrip('\n').split('\t')
    f = {n: (c.split(',') if c else []) for n, c in zip(names, cols)}
    f['src'], f['dst'] = f['src'][0], f['dst'][0]
    frames.append(f)
ski = {int(a): s.upper() for a, s in (x.split(':') for x in sys.argv[2:])}
ip = {65201: '127.0.0.61', 65202: '127.0.0.62', 65203: '127.0.0.63', 65204: '127.0.0.64',
      65205: '127.0.0.65'}
def norm(s): return s.replace(' ', '').replace(':', '').upper()
def repeats(lst, unit):
    return len(lst) > 0 and len(lst) % len(unit) == 0 and lst == unit * (len(lst) // len(unit))
def between(a, b): return [f for f in frames if f['src'] == ip[a] and f['dst'] == ip[b]]
# (b) OPENs: on the chain, from both sides, BGPsec version 0, send and receive for ipv4 and ipv6;
# none between D and E
want_caps = sorted([('1', '1'), ('0', '1'), ('1', '2'), ('0', '2')])
for x, y in [(65201, 65202), (65202, 65203), (65203, 65204)]:
    for a, b in [(x, y), (y, x)]:
        opens = [f for f in between(a, b) if '1' in f['bgp_type']]
        if not opens:
            print(f'no OPEN {a} -> {b} in the capture')
        for f in opens:
            caps = sorted(zip(f['cap_sr'], f['cap_afi']))
            if f['cap_type'].count('7') != 4 or caps != want_caps or set(f['cap_version']) != {'0'}:
                print(f'OPEN {a} -> {b} (frame {f["frame"][0]}): BGPsec capabilities '
                      f'version {f["cap_version"]} send/receive {f["cap_sr"]} afi {f["cap_afi"]}')
for a, b in [(65204, 65205), (65205, 65204)]:
    opens = [f for f in between(a, b) if '1' in f['bgp_type']]
    if not opens:
        print(f'no OPEN {a} -> {b} in the capture')
    for f in opens:
        if '7' in f['cap_type']:
            print(f'OPEN {a} -> {b} (frame {f["frame"][0]}) has a BGPsec capability')
# (c) C -> D: the BGPsec_PATH of A's routes, Secure_Path 65203 65202 65201 (newest first) and
# the signatures by C's, B's and A's keys (SKIs of the keys generated above)
signed = [f for f in between(65203, 65204) if '33' in f['attr']]
good = [f for f in signed if repeats(f['sps_as'], ['65203', '65202', '65201'])
        and repeats([norm(s) for s in f['ski']], [ski[65203], ski[65202], ski[65201]])]
if not good or len(good) != len(signed):
    print(f'C -> D: {len(good)} of {len(signed)} UPDATE frames with a BGPsec_PATH have the '
          'Secure_Path 65203,65202,65201 signed with the keys of C, B, A:')
    for f in signed:
        print(f'    frame {f["frame"][0]}: {f["sps_as"]} {f["ski"]}')
# (d) D -> E: no BGPsec_PATH, an AS_PATH 65204 65203 65202 65201 on every UPDATE with NLRI
updates = [f for f in between(65204, 65205) if '2' in f['bgp_type']]
if any('33' in f['attr'] for f in updates):
    print('D -> E: an UPDATE with a BGPsec_PATH: frames',
          [f['frame'][0] for f in updates if '33' in f['attr']])
reach = [f for f in updates if '14' in f['attr'] or '2' in f['attr']]
if not reach:
    print('D -> E: no UPDATE with routes in the capture')
for f in reach:
    if '2' not in f['attr'] or not repeats(f['as4'], ['65204', '65203', '65202', '65201']):
        print(f'D -> E UPDATE (frame {f["frame"][0]}): attributes {f["attr"]} AS_PATH {f["as4"]}')
# (e) RTR: Router Key PDUs (type 9) announcing the four keys, and B's withdrawn in the churn
# (flags and AS number are in the Prefix PDUs too: walk the PDUs of each frame in order)
rk = set()
for f in frames:
    flags, skis, asns = iter(f['rtr_flags']), iter(f['rtr_ski']), iter(f['rtr_as'])
    for t in f['rtr_type']:
        if t == '10':
            print(f'RTR: an Error Report PDU in frame {f["frame"][0]}')
            break
        if t in ('4', '6', '9'):
            flag, asn = next(flags, None), next(asns, None)
            if t == '9':
                rk.add((flag, norm(next(skis, '')), asn))
for asn, s in ski.items():
    if ('0x01', s, str(asn)) not in rk:
        print(f'RTR: no Router Key PDU announcing AS {asn} SKI {s}')
if ('0x00', ski[65202], '65202') not in rk:
    print(f'RTR: no Router Key PDU withdrawing B\'s key {ski[65202]}')
PY
    if [ -s "$work/capture-checks.txt" ]; then
      bad "capture (KEEP=1 keeps $work/lab.pcap):"; cat "$work/capture-checks.txt"
    else ok; fi
  else bad "tshark -r -T fields: $(tail -3 "$work/tshark-r.log")"; fi
  echo "capture: $(grep -c . "$work/fields.tsv" 2>/dev/null) BGP/RTR frames decoded in $((SECONDS - t0)) s"
fi

summary
