#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# remove_private_as per mode (RFC 8374 §8.4.2, RFC 6996), seen by downstream validators.
#
#   S (AS 64512, private, scripted, unsigned) --\
#   A (AS 65001, private, BGPsec, signs 192.0.2.0/24) -- R (AS 64496, BGPsec)
#                                                        |-- D1 (64497): no remove_private_as
#                                                        |-- D2 (64498): "leading"
#                                                        |-- D3 (64499): "all"
#                                                        \-- D4 (64500): true (older form)
# Every session BGPsec except S's; every D validates with the same RPKI data (router keys of
# A and R; a ROA for A's prefix and one for R on S's all-private prefix). S sends:
#   10.21.1.0/24 [64512 3356 4200000001]         private in front and at the origin
#   10.21.2.0/24 [64512 4294967294]              all private: after removal R's own, signed
#   10.21.3.0/24 [64512 65535 64513 4294967295]  65535, 4294967295 reserved, not private
# Checks, with `bgpsecctl show routes --json` at each D: the AS path per mode; the emptied
# path signed by R as origin (secure_path [64496], Valid, origin Valid) only where removal
# emptied it; A's signed route untouched (secure_path [64496, 65001], Valid) in every mode;
# R's counters private_asns_removed / private_as_kept_signed per D.
# Run by ctest with BGPSECD, BGPSECCTL, BGPSEC and PORT (21000) set; KEEP=1 keeps the work
# directory. Addresses 127.0.21.1-19 and port 21000 belong to this test.
set -uo pipefail
: "${BGPSECD:?}" "${BGPSECCTL:?}" "${BGPSEC:?}" "${PORT:?}"
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR
. "$here/lib.sh"

r=127.0.21.1
a=127.0.21.2
s=127.0.21.3
d1=127.0.21.11
d2=127.0.21.12
d3=127.0.21.13
d4=127.0.21.14

for asn in 64496 65001 64497 64498 64499 64500; do
  "$BGPSEC" keygen --asn $asn --out "$work/keys" >/dev/null || exit 1
done
"$BGPSEC" rpki-json --key-dir "$work/keys" --roa "192.0.2.0/24=65001" \
  --roa "10.21.2.0/24=64496" >"$work/rpki.json" || exit 1

# R: S and A, then one D per mode (the line after bgpsec = true; "" for the default)
{
  node_toml r 64496 $r "$work/rpki.json" "$work/keys"
  neighbor_toml $s 64512 $r '["ipv4"]' 'passive = true'
  neighbor_toml $a 65001 $r '["ipv4"]' 'bgpsec = true' 'passive = true'
  neighbor_toml $d1 64497 $r '["ipv4"]' 'bgpsec = true' 'passive = true'
  neighbor_toml $d2 64498 $r '["ipv4"]' 'bgpsec = true' 'passive = true' \
    'remove_private_as = "leading"'
  neighbor_toml $d3 64499 $r '["ipv4"]' 'bgpsec = true' 'passive = true' \
    'remove_private_as = "all"'
  neighbor_toml $d4 64500 $r '["ipv4"]' 'bgpsec = true' 'passive = true' \
    'remove_private_as = true'
} >"$work/r.toml"
{
  node_toml a 65001 $a "$work/rpki.json" "$work/keys" 192.0.2.0/24
  neighbor_toml $r 64496 $a '["ipv4"]' 'bgpsec = true'
} >"$work/a.toml"
for d in d1:$d1:64497 d2:$d2:64498 d3:$d3:64499 d4:$d4:64500; do
  IFS=: read -r name addr asn <<<"$d"
  {
    node_toml "$name" "$asn" "$addr" "$work/rpki.json" "$work/keys"
    neighbor_toml $r 64496 "$addr" '["ipv4"]' 'bgpsec = true'
  } >"$work/$name.toml"
done
for name in r a d1 d2 d3 d4; do
  if "$BGPSECD" -n -c "$work/$name.toml" >/dev/null 2>"$work/err"; then ok
  else bad "config $name: $(cat "$work/err")"; fi
done

{
  for route in "10.21.1.0/24:64512 3356 4200000001" "10.21.2.0/24:64512 4294967294" \
    "10.21.3.0/24:64512 65535 64513 4294967295"; do
    python3 "$here/bgp_test_peer.py" update --nlri "${route%%:*}" --next-hop $s \
      --as-path "${route#*:}" || exit 1
  done
} >"$work/s.updates"

start r
wait_listening $r || { bad "R does not listen: $(tail -5 "$work/r.log")"; summary; exit; }
for name in a d1 d2 d3 d4; do start "$name"; done
python3 "$here/bgp_test_peer.py" session --asn 64512 --router-id $s --connect "$r:$PORT" \
  --bind $s --families ipv4 --no-bgpsec --updates "$work/s.updates" --timeout 600 \
  >"$work/s.out" 2>&1 &
pids+=($!)

judge_py <<'PY'
def route(out, prefix):
    return next((r for r in out["routes"] if r["prefix"] == prefix and r["best"]), None)
def seen(out, prefix):  # (as_path, [(asn, pcount)], path_state, origin_state)
    r = route(out, prefix)
    if r is None:
        return None
    return (r["as_path"], [(s["asn"], s["pcount"]) for s in r.get("secure_path", [])],
            r["path_state"], r["origin_state"])
def counters(out, peer):
    return next(n["counters"] for n in out["neighbors"] if n["peer"] == peer)
PY
expect "R has its six sessions up" 40 \
  "len(out['neighbors']) == 6 and all(n['state'] == 'established' for n in out['neighbors'])" \
  ctl r show neighbors

# want NAME PREFIX AS-PATH SECURE-PATH PATH-STATE ORIGIN-STATE WHAT
want() {
  expect "$1 ($7): $2" 20 "seen(out, '$2') == ($3, $4, '$5', '$6')" ctl "$1" show routes
}
for d in d1 d2 d3 d4; do
  # RFC 8205 §4.2: a Secure_Path cannot lose an ASN; R adds its segment and D validates it.
  want "$d" 192.0.2.0/24 "[64496, 65001]" "[(64496, 1), (65001, 1)]" valid valid \
    "A's signed path with its private AS"
done

# none (the default)
want d1 10.21.1.0/24 "[64496, 64512, 3356, 4200000001]" "[]" unsigned not-found "none"
want d1 10.21.2.0/24 "[64496, 64512, 4294967294]" "[]" unsigned invalid \
  "none: S's path stays, so the route is not R's to sign"
want d1 10.21.3.0/24 "[64496, 64512, 65535, 64513, 4294967295]" "[]" unsigned not-found "none"
# leading, and true (the older form of leading)
for d in d2 d4; do
  want $d 10.21.1.0/24 "[64496, 3356, 4200000001]" "[]" unsigned not-found \
    "leading: the rightmost private ASN stays"
  want $d 10.21.2.0/24 "[64496]" "[(64496, 1)]" valid valid \
    "leading: emptied, then signed by R as origin"
  want $d 10.21.3.0/24 "[64496, 65535, 64513, 4294967295]" "[]" unsigned not-found \
    "leading: stops at the reserved 65535"
done
# all
want d3 10.21.1.0/24 "[64496, 3356]" "[]" unsigned not-found "all: every private ASN"
want d3 10.21.2.0/24 "[64496]" "[(64496, 1)]" valid valid "all: emptied, then signed by R"
want d3 10.21.3.0/24 "[64496, 65535, 4294967295]" "[]" unsigned not-found \
  "all: the reserved 65535 and 4294967295 stay"

# R's counters per D: ASNs removed (three routes), and A's route, whose private 65001 the mode
# would have removed, counted as kept signed (RFC 8374 §8.4.2).
expect "R's counters towards D1 (none)" 10 \
  "counters(out, '$d1')['private_asns_removed'] == 0 and counters(out, '$d1')['private_as_kept_signed'] == 0" \
  ctl r show neighbors
for d in $d2 $d4; do
  expect "R's counters towards $d (leading)" 10 \
    "counters(out, '$d')['private_asns_removed'] == 4 and counters(out, '$d')['private_as_kept_signed'] == 1" \
    ctl r show neighbors
done
expect "R's counters towards D3 (all)" 10 \
  "counters(out, '$d3')['private_asns_removed'] == 6 and counters(out, '$d3')['private_as_kept_signed'] == 1" \
  ctl r show neighbors
if grep -q "cannot be removed" "$work/r.log"; then ok; else bad "R did not log the kept signed ASN"; fi

summary
