#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Our table to a new neighbor goes out in slices, the I/O thread serving everything else in
# between (speaker_table.cpp), and the neighbor still ends with exactly the Loc-RIB. bgpsecd M
# (AS 65561, 127.0.56.1) and scripted peers (bgp_test_peer.py, IPv4, no BGPsec): A (AS 65562,
# 127.0.56.2) sends 24000 prefixes; then
#   1. B (AS 65563, 127.0.56.3) comes up, and A withdraws the upper 12000 as soon as B's session
#      is up, so that the withdrawals meet the walk (about 0.1 s; they cross it on most runs):
#      B ends with exactly the lower 12000, was sent no
#      prefix twice, and got End-of-RIB after every announcement (all of them are the walk's:
#      A only withdraws meanwhile); M reports the table "sent" and logs it; A stayed up.
#   2. C (AS 65564, 127.0.56.4) comes up and closes the session at once (its `quit`), twice,
#      likely in the middle of the walk, then comes up for good: it too ends with exactly the
#      lower 12000 and End-of-RIB, and M still answers.
#   3. A closes its session (no graceful restart): its 12000 routes leave M's Loc-RIB in
#      slices (speaker_departure.cpp), so B and C end with nothing; then A comes back with the
#      lower 2000, and B and C end with exactly those.
#   4. D (AS 65565, 127.0.56.5) has no export policy (RFC 8212 §3: M sends it nothing, and
#      skips the walk): it gets End-of-RIB only, and nothing of the 500 prefixes A adds then;
#      a reload gives it export "all": it gets the 2500; a reload takes the policy away again:
#      they are withdrawn, and D ends with nothing while B still has them.
# Run by ctest with BGPSECD, BGPSECCTL and PORT set. Addresses 127.0.56.1-9 and port $PORT
# belong to this test.
set -uo pipefail
: "${BGPSECD:?}" "${BGPSECCTL:?}" "${PORT:?}"
. "$(dirname "$0")/lib.sh"
peer_py="$(dirname "$0")/bgp_test_peer.py"
m=127.0.56.1
a=127.0.56.2
b=127.0.56.3
c=127.0.56.4
d=127.0.56.5
total=24000
kept=12000

# d_neighbor EXPORT: D's neighbor block, with `export = EXPORT` unless EXPORT is empty
d_neighbor() {
  printf '\n[[neighbor]]\naddress = "%s"\nremote_as = 65565\nlocal_address = "%s"\nport = %s\n' \
    $d $m "$PORT"
  printf 'families = ["ipv4"]\npassive = true\nimport = "all"\n'
  [ -z "$1" ] || printf 'export = "%s"\n' "$1"
}
m_toml() {  # m_toml D-EXPORT
  global_toml m 65561 $m
  printf '\n[[policy]]\nname = "all"\ndefault_action = "accept"\n'
  neighbor_toml $a 65562 $m '["ipv4"]' 'passive = true'
  neighbor_toml $b 65563 $m '["ipv4"]' 'passive = true'
  neighbor_toml $c 65564 $m '["ipv4"]' 'passive = true'
  d_neighbor "$1"
}
m_toml "" >"$work/m.toml"
start m
wait_listening $m || { bad "M does not listen"; exit 1; }

# The judge reads UPDATEs with the scripted peer's own decoders (bgp_test_peer.py).
{
  echo "sys.path.insert(0, \"$(cd "$(dirname "$0")" && pwd)\")"
  cat <<'PY'
from bgp_test_peer import decode_prefixes, split_update

def updates(events):
    """(announced, withdrawn, end_of_rib) per UPDATE received, in order"""
    out = []
    for e in events:
        if e['event'] != 'update':
            continue
        withdrawn, attrs, nlri = split_update(bytes.fromhex(e['hex']))
        end_of_rib = not (withdrawn or attrs or nlri)
        out.append((decode_prefixes(nlri), decode_prefixes(withdrawn), end_of_rib))
    return out

def view(events):
    """the prefixes the peer holds after applying every UPDATE in order"""
    held = set()
    for ann, wd, _ in updates(events):
        held -= set(wd)
        held |= set(ann)
    return held

def lower(n):
    """the first n /24s of 10/8, as prefix_lines numbers them"""
    return {"10.%d.%d.0/24" % (i >> 8, i & 255) for i in range(n)}

def eor_after_announcements(events):
    ups = updates(events)
    eor = [i for i, u in enumerate(ups) if u[2]]
    last_ann = max((i for i, u in enumerate(ups) if u[0]), default=-1)
    return len(eor) == 1 and eor[0] > last_ann

def announced_once(events):
    ann = [p for u in updates(events) for p in u[0]]
    return len(ann) == len(set(ann))

def nb(out, peer):
    return next(n for n in out['neighbors'] if n['peer'] == peer)
PY
} | judge_py
start_peer() {  # start_peer NAME ASN ADDR FILE: a session that follows FILE
  python3 "$peer_py" session --asn "$2" --router-id "$3" --connect "$m:$PORT" --bind "$3" \
    --families ipv4 --no-bgpsec --hold-time 30 --timeout 600 --updates "$4" --follow \
    >>"$work/$1.out" 2>&1 &
  pids+=($!)
}
# UPDATEs of 500 prefixes each, one hex line each, for the /24s number FROM to TO-1 of 10/8:
# announced by A, or withdrawn. One process (bgp_test_peer.py's encoder, imported).
prefix_lines() {  # prefix_lines announce|withdraw FROM TO
  python3 - "$peer_py" "$@" <<'PY'
import importlib.util, sys, types
spec = importlib.util.spec_from_file_location("peer", sys.argv[1])
peer = importlib.util.module_from_spec(spec)
spec.loader.exec_module(peer)
kind, lo, hi = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
nets = ["10.%d.%d.0/24" % (i >> 8, i & 255) for i in range(lo, hi)]
for i in range(0, len(nets), 500):
    chunk, announce = nets[i:i + 500], kind == "announce"
    args = types.SimpleNamespace(
        origin="igp" if announce else "none", as_path="65562" if announce else None,
        next_hop="192.0.2.56", nlri=chunk if announce else [], withdraw=[] if announce else chunk,
        mp=[], mp_withdraw=[], attr=[])
    print(peer.build_update(args).hex())
PY
}

prefix_lines announce 0 $total >"$work/a.in"
start_peer a 65562 $a "$work/a.in"
expect "M did not get A's $total prefixes" 60 \
  "nb(out, '$a')['prefixes']['accepted'] == $total" ctl m show neighbors

# 1. B comes up; A withdraws the upper half meanwhile.
prefix_lines withdraw $kept $total >"$work/a.withdraw"
: >"$work/b.in"
start_peer b 65563 $b "$work/b.in"
for _ in $(seq 3000); do
  grep -q '"event": "established"' "$work/b.out" 2>/dev/null && break
  sleep 0.01
done
cat "$work/a.withdraw" >>"$work/a.in"
expect "B does not come up" 30 "nb(out, '$b')['state'] == 'established'" ctl m show neighbors
expect "B does not end with exactly the lower $kept prefixes" 60 "view(out) == lower($kept)" evs b
expect "B was sent a prefix twice, or End-of-RIB not once and after the table" 10 \
  "announced_once(out) and eor_after_announcements(out)" evs b
expect "M does not report its table to B as sent" 10 \
  "nb(out, '$b')['table']['state'] == 'sent' and $kept <= nb(out, '$b')['table']['prefixes'] <= $total and nb(out, '$b')['prefixes']['advertised'] == $kept" \
  ctl m show neighbors
if grep -q "peer $b: our table sent" "$work/m.log"; then ok
else bad "M did not log the table sent to B: $(tail -5 "$work/m.log")"; fi
expect "A's session did not stay up, or M lost A's withdrawals" 5 \
  "nb(out, '$a')['state'] == 'established' and nb(out, '$a')['prefixes']['accepted'] == $kept" \
  ctl m show neighbors

# 2. C twice up and down at once, then up for good.
for attempt in 1 2; do
  echo quit >"$work/c$attempt.in"
  python3 "$peer_py" session --asn 65564 --router-id $c --connect "$m:$PORT" --bind $c \
    --families ipv4 --no-bgpsec --hold-time 30 --timeout 30 --updates "$work/c$attempt.in" \
    >"$work/c$attempt.out" 2>&1
  if grep -q '"event": "established"' "$work/c$attempt.out"; then ok
  else bad "C's session $attempt did not come up: $(tail -3 "$work/c$attempt.out")"; fi
done
: >"$work/c.in"
start_peer c 65564 $c "$work/c.in"
expect "C does not end with exactly the lower $kept prefixes and one End-of-RIB after them" 60 \
  "view(out) == lower($kept) and eor_after_announcements(out) and announced_once(out)" evs c
expect "M does not answer, or lost a session" 10 \
  "all(nb(out, p)['state'] == 'established' for p in ['$a', '$b', '$c'])" ctl m show neighbors

# 3. A leaves; its routes leave with it; A comes back with fewer.
echo quit >>"$work/a.in"
for p in b c; do
  expect "$p still holds some of A's prefixes after A left" 60 "view(out) == set()" evs $p
done
expect "M still counts routes of A, or lost B or C" 10 \
  "nb(out, '$a')['prefixes']['accepted'] == 0 and all(nb(out, p)['state'] == 'established' for p in ['$b', '$c'])" \
  ctl m show neighbors
prefix_lines announce 0 2000 >"$work/a2.in"
start_peer a2 65562 $a "$work/a2.in"
for p in b c; do
  expect "$p does not end with exactly the 2000 prefixes A sent again" 60 \
    "view(out) == lower(2000)" evs $p
done
expect "M does not count A's 2000 routes" 10 \
  "nb(out, '$a')['prefixes']['accepted'] == 2000" ctl m show neighbors

# 4. D, without an export policy, then with one, then without again.
: >"$work/d.in"
start_peer d 65565 $d "$work/d.in"
expect "D (no export policy) did not get End-of-RIB, or got routes" 30 \
  "view(out) == set() and sum(1 for u in updates(out) if u[2]) == 1" evs d
expect "M walked its table for D (no export policy) instead of sending End-of-RIB at once" 10 \
  "nb(out, '$d')['table']['state'] == 'sent' and nb(out, '$d')['table']['prefixes'] == 0" \
  ctl m show neighbors
prefix_lines announce 2000 2500 | sed -n 1p >>"$work/a2.in"
expect "B did not get the 500 prefixes A added" 30 "view(out) == lower(2500)" evs b
expect "D (no export policy) was sent a route" 0 "view(out) == set() and len(updates(out)) == 1" evs d
m_toml all >"$work/m.toml"
expect "reload with D's export policy added" 0 "'neighbor $d policy applied' in out['changes']" ctl m reload
expect "D did not get the 2500 prefixes once its export policy came" 30 "view(out) == lower(2500)" evs d
m_toml "" >"$work/m.toml"
expect "reload with D's export policy taken away" 0 "'neighbor $d policy applied' in out['changes']" ctl m reload
expect "D still holds routes after its export policy went away" 30 "view(out) == set()" evs d
expect "M lost a session or a route of B's, or still counts routes advertised to D" 10 \
  "all(nb(out, p)['state'] == 'established' for p in ['$a', '$b', '$c', '$d']) and nb(out, '$d')['prefixes']['advertised'] == 0 and nb(out, '$b')['prefixes']['advertised'] == 2500" \
  ctl m show neighbors

summary
