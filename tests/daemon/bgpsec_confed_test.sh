#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# BGPsec and plain BGP through a confederation (RFC 5065, RFC 8205 §4.3) and private ASN
# removal before signing (RFC 8374 §8.4.2): six bgpsecd and one scripted peer on loopback,
# router keys from `bgpsec keygen`, the RPKI data from [rpki] files.
#
#   A (AS 65001, .101, originates 192.0.2.0/24, BGPsec)          U (AS 64500, .105, no BGPsec,
#     |                                                             originates 198.51.100.0/24)
#   M1 (Member-AS 64601 of confederation 100, .102) -------------- U
#     | confederation eBGP, BGPsec
#   M2 (Member-AS 64602 of confederation 100, .103) -- P (AS 64512, private, .106, no BGPsec,
#     |                                                   originates 203.0.113.0/24)
#     |                                            \-- L (scripted member 64603, .107, no BGPsec)
#   X (AS 65003, .104, knows the confederation as AS 100, BGPsec; remove_private_as at M2)
#
# The members' router keys are in the RPKI for their Member-AS and for AS 100: they sign the
# confederation's own segments (RFC 8205 §4.3). Proves, with
# `bgpsecctl show routes --json`:
#   - at M1 from A: secure_path [65001/1], valid/valid;
#   - at M2 from M1: secure_path [64601/0 confed, 100/0 confed, 65001/1] (M1's entry segment
#     for the identifier signed for 64601, then its Member-AS segment signed for 64602),
#     as_path [65001], valid/valid;
#   - at X from M2: secure_path [100/1, 65001/1] (the Confed_Segment run removed, the
#     identifier's segment signed for 65003), as_path [100, 65001], valid/valid; the session
#     to M2 is with AS 100 (M2's OPEN);
#   - U's unsigned route: at M2 AS_PATH {confed-sequence [64601]} {sequence [64500]}, unsigned;
#     at X as_path [100, 64500] (RFC 5065 §5.3), unsigned;
#   - P's route (path all private) at X: signed by M2 as the confederation's own (RFC 8374
#     §8.4.2), secure_path [100/1], as_path [100], valid / origin valid (ROA for AS 100);
#     M2's counter private_asns_removed >= 1; A's private AS 65001 stays in the signed route
#     (a Secure_Path cannot change), counted in private_as_kept_signed;
#   - loops (RFC 4271 §9.1.2, RFC 5065): from L, routes with our Member-AS in
#     AS_CONFED_SEQUENCE or the identifier in AS_SEQUENCE are dropped at M2 (counter loops),
#     while one without passes and reaches X as [100, 64510].
# Run by ctest with BGPSECD, BGPSECCTL, BGPSEC and PORT (18020) set. KEEP=1 keeps the temporary
# directory (configs, logs, JSON files).
set -uo pipefail
: "${BGPSECD:?}" "${BGPSECCTL:?}" "${BGPSEC:?}" "${PORT:?}"
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR
. "$here/lib.sh"
peer_py="$here/bgp_test_peer.py"

net_a=192.0.2.0/24
net_u=198.51.100.0/24
net_p=203.0.113.0/24

# --- RPKI data -------------------------------------------------------------------------------------
mkdir -m 700 "$work/rpki-keys"
for name in a:65001 m1:64601 m2:64602 x:65003; do
  "$BGPSEC" keygen --asn "${name#*:}" --out "$work/keys/${name%%:*}" >/dev/null || exit 1
  cp -p "$work/keys/${name%%:*}"/*.pem "$work/rpki-keys/" || exit 1
done
# A member's key is certified for the confederation identifier too (file name ASN.SKI.pem).
for pem in "$work/keys/m1"/*.pem "$work/keys/m2"/*.pem; do
  base=${pem##*/}
  cp -p "$pem" "$work/rpki-keys/100.${base#*.}" || exit 1
done
"$BGPSEC" rpki-json --key-dir "$work/rpki-keys" --roa "$net_a=65001" --roa "$net_u=64500" \
  --roa "$net_p=100" >"$work/rpki.json" || exit 1

# --- configs -------------------------------------------------------------------------------------
# config NAME ASN ADDR CONFED NETWORK NEIGHBOR...
#   CONFED: "-" or "ID:PEER,PEER"; NETWORK: a prefix or "-"; NEIGHBOR = addr:asn[:key=value,...]
#   (bgpsec=true for BGPsec, passive=true, remove_private_as=true ...). Keys when the router
#   signs on any session.
config() {
  local name=$1 asn=$2 addr=$3 confed=$4 network=$5
  shift 5
  global_toml "$name" "$asn" "$addr" >"$work/$name.toml"
  if [ "$confed" != - ]; then
    sed -i "/^router_id/a confederation_id = ${confed%%:*}\nconfederation_peers = [${confed#*:}]" \
      "$work/$name.toml"
  fi
  if [ -d "$work/keys/$name" ]; then
    printf '\n[bgpsec]\nkey_dir = "%s"\n' "$work/keys/$name" >>"$work/$name.toml"
  fi
  printf '\n[rpki]\nfiles = ["%s"]\n' "$work/rpki.json" >>"$work/$name.toml"
  [ "$network" != - ] && printf '\n[[network]]\nprefix = "%s"\n' "$network" >>"$work/$name.toml"
  printf '\n[[policy]]\nname = "all"\ndefault_action = "accept"\n' >>"$work/$name.toml"
  for n in "$@"; do
    IFS=: read -r n_addr n_asn n_opts <<<"$n"
    neighbor_toml "$n_addr" "$n_asn" "$addr" '["ipv4"]' >>"$work/$name.toml"
    [ -n "$n_opts" ] && tr ',' '\n' <<<"$n_opts" | sed 's/=/ = /' >>"$work/$name.toml"
  done
}
# The passive side of each session starts first (see bgpsec_ibgp_rs_test.sh).
config a 65001 127.0.0.101 - "$net_a" 127.0.0.102:100:bgpsec=true
config u 64500 127.0.0.105 - "$net_u" 127.0.0.102:100
config m1 64601 127.0.0.102 100:64602 - 127.0.0.101:65001:bgpsec=true,passive=true \
  127.0.0.105:64500:passive=true 127.0.0.103:64602:bgpsec=true
config m2 64602 127.0.0.103 100:64601,64603 - 127.0.0.102:64601:bgpsec=true,passive=true \
  127.0.0.104:65003:bgpsec=true,passive=true,remove_private_as=true \
  127.0.0.106:64512:passive=true 127.0.0.107:64603:passive=true
config x 65003 127.0.0.104 - - 127.0.0.103:100:bgpsec=true
config p 64512 127.0.0.106 - "$net_p" 127.0.0.103:100
for name in a u m1 m2 x p; do
  if "$BGPSECD" -n -c "$work/$name.toml" >/dev/null 2>"$work/err"; then ok
  else bad "config $name: $(cat "$work/err")"; fi
done

# L, a member of Member-AS 64603 (scripted): three unsigned routes to M2.
# as_path_attr "CONFED..." "SEQ...": a whole AS_PATH attribute (flags 0x40, type 2), 4-octet ASNs
as_path_attr() {
  python3 - "$1" "$2" <<'PY'
import struct, sys
value = b""
for seg_type, text in ((3, sys.argv[1]), (2, sys.argv[2])):
    asns = [int(a) for a in text.split()]
    if asns:
        value += struct.pack("!BB", seg_type, len(asns)) + b"".join(struct.pack("!I", a) for a in asns)
print((struct.pack("!BBB", 0x40, 2, len(value)) + value).hex())
PY
}
update_l() {  # update_l PREFIX CONFED SEQ
  python3 "$peer_py" update --nlri "$1" --next-hop 127.0.0.107 --attr "$(as_path_attr "$2" "$3")"
}
{
  update_l 198.18.0.0/24 "64603 64602" "64510"  # our Member-AS in AS_CONFED_SEQUENCE: a loop
  update_l 198.18.1.0/24 "64603" "100 64510"    # the identifier in AS_SEQUENCE: a loop
  update_l 198.18.2.0/24 "64603" "64510"        # fine
} >"$work/l.updates" || exit 1

# Each group once the one before answers on its control socket (so listens for BGP): a refused
# connect would leave the session waiting out the 120 s ConnectRetry.
for group in m2 m1 "a u x p"; do
  for name in $group; do start "$name"; done
  for name in $group; do
    if wait_for 10 "'neighbors' in out" "$name" show neighbors; then ok
    else bad "$name does not answer: $(tail -5 "$work/$name.log")"; fi
  done
done
python3 "$peer_py" session --asn 64603 --router-id 127.0.0.107 --connect "127.0.0.103:$PORT" \
  --bind 127.0.0.107 --families ipv4 --no-bgpsec --updates "$work/l.updates" --timeout 600 \
  >"$work/l.out" 2>&1 &
pids+=($!)

established() { echo "len(out['neighbors']) == $1 and all(n['state'] == 'established' for n in out['neighbors'])"; }
for name in a:1 u:1 m1:3 m2:4 x:1 p:1; do
  if wait_for 40 "$(established "${name#*:}")" "${name%%:*}" show neighbors; then ok
  else bad "sessions at ${name%%:*}: $(ctl "${name%%:*}" show neighbors)"; fi
done
echo "sessions up after $((SECONDS - started)) s"

# route NAME PREFIX PEER ASPATH SECURE-PATH PATH-STATE ORIGIN-STATE WHAT, where SECURE-PATH is
# [(asn, pcount, confed), ...]
check_route() {
  local name=$1
  local expr="any(r['prefix'] == '$2' and r['peer'] == '$3' and r['best'] and r['as_path'] == $4 and [(s['asn'], s['pcount'], s['confed']) for s in r.get('secure_path', [])] == $5 and r['path_state'] == '$6' and r['origin_state'] == '$7' for r in out['routes'])"
  if wait_for 20 "$expr" "$name" show routes; then ok
  else bad "$name: $8: want $2 from $3 as_path $4 secure_path $5 $6/$7; have:"; routes "$name"; fi
}
check() {  # check NAME WHAT EXPR ARGS...: one polled check of `bgpsecctl --json ARGS` at NAME
  if wait_for 20 "$3" "$1" "${@:4}"; then ok; else bad "$1: $2: $(ctl "$1" "${@:4}" | head -c 3000)"; fi
}

# --- BGPsec through the confederation (RFC 8205 §4.3) --------------------------------------------
check_route m1 $net_a 127.0.0.101 "[65001]" "[(65001, 1, False)]" valid valid "from A (outside)"
check_route m2 $net_a 127.0.0.102 "[65001]" \
  "[(64601, 0, True), (100, 0, True), (65001, 1, False)]" valid valid \
  "from M1: entry and Member-AS segments with Confed_Segment"
check_route x $net_a 127.0.0.103 "[100, 65001]" "[(100, 1, False), (65001, 1, False)]" \
  valid valid "leaving the confederation: identifier segment, no Confed_Segment"
check x "M2's OPEN says AS 100" "out['neighbors'][0]['peer_as'] == 100" show neighbors
check m1 "M2 is a confederation peer, A external with our identifier" \
  "{n['peer']: (n['type'], n['local_as']) for n in out['neighbors']} == {'127.0.0.101': ('ebgp', 100), '127.0.0.105': ('ebgp', 100), '127.0.0.103': ('confed-ebgp', 64601)}" \
  show neighbors
check m1 "signed towards M2" \
  "any(n['peer'] == '127.0.0.103' and n['counters']['signed_updates'] >= 1 and n['counters']['sign_failures'] == 0 for n in out['neighbors'])" \
  show neighbors

# --- unsigned through the confederation (RFC 5065 §5.3) ------------------------------------------
check m2 "U's route with AS_CONFED_SEQUENCE [64601]" \
  "any(r['prefix'] == '$net_u' and r['peer'] == '127.0.0.102' and r['path_state'] == 'unsigned' and r.get('as_path_segments') == [{'type': 'confed-sequence', 'asns': [64601]}, {'type': 'sequence', 'asns': [64500]}] for r in out['routes'])" \
  show routes
check_route x $net_u 127.0.0.103 "[100, 64500]" "[]" unsigned valid \
  "U's route: confederation segments replaced by the identifier"
check x "no AS_CONFED segment outside the confederation" \
  "all('as_path_segments' not in r for r in out['routes'])" show routes

# --- private ASN removal before signing (RFC 8374 §8.4.2) ----------------------------------------
check_route x $net_p 127.0.0.103 "[100]" "[(100, 1, False)]" valid valid \
  "P's all-private path removed, signed by the confederation"
check m2 "private_asns_removed towards X" \
  "any(n['peer'] == '127.0.0.104' and n['counters']['private_asns_removed'] >= 1 for n in out['neighbors'])" \
  show neighbors
# A's AS 65001 is private too, but in a Secure_Path: left, counted (signatures cover it).
check m2 "private_as_kept_signed towards X" \
  "any(n['peer'] == '127.0.0.104' and n['counters']['private_as_kept_signed'] >= 1 for n in out['neighbors'])" \
  show neighbors
check m1 "P's route inside the confederation keeps its private AS" \
  "any(r['prefix'] == '$net_p' and r['as_path'] == [64602, 64512] for r in out['routes'])" \
  show routes

# --- loops (RFC 4271 §9.1.2, RFC 5065) ------------------------------------------------------------
check_route x 198.18.2.0/24 127.0.0.103 "[100, 64510]" "[]" unsigned not-found \
  "L's route without a loop"
check m2 "loops from L counted" \
  "any(n['peer'] == '127.0.0.107' and n['counters']['loops'] == 2 for n in out['neighbors'])" \
  show neighbors
check m2 "looped routes not accepted" \
  "not any(r['prefix'] in ('198.18.0.0/24', '198.18.1.0/24') and r['best'] for r in out['routes'])" \
  show routes
# A sees its own route back nowhere: X does not get it back into the confederation either.
check m2 "the route from X is not offered back" \
  "not any(r['peer'] == '127.0.0.104' for r in out['routes'])" show routes

summary
