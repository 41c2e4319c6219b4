#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# [bgpsec] validation_order = "best-first" (RFC 8374 §9.4): bgpsecd D (AS 65451) receives one
# signed table (`bgpsec gen`) from R1 (AS 65452) and the same prefixes, as long a path, from R2
# (AS 65454) and later R3 (AS 65455), whose router ids are higher: R1's routes win every
# tie-break, so R2's and R3's can never win while R1's stand.
#   1. R1's routes are checked and Valid; R2's are installed Pending without a check (counted as
#      postponed; the workers' completed count stays at R1's), R1's stay best
#   2. R1's session ends: every route of R2 becomes best, is checked then and is Valid; nothing
#      stays postponed
#   3. R3's routes are postponed behind R2's; a reload to validation_order = "all" checks them
#      at once, and they are Valid
# Run by ctest with BGPSECD, BGPSECCTL, BGPSEC and PORT set; KEEP=1 keeps $work.
# Addresses 127.0.45.1-20 and ports PORT..PORT+9 on them belong to this test.
set -uo pipefail
: "${BGPSECD:?}" "${BGPSECCTL:?}" "${BGPSEC:?}" "${PORT:?}"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
d=127.0.45.1
r1=127.0.45.3
r2=127.0.45.4
r3=127.0.45.5
n=200

if "$BGPSEC" gen --target-as 65451 --peer-as 65452 --also-peer-as 65454 --also-peer-as 65455 \
  --prefixes $n --seed 45 --threads 2 --out "$work/table" >"$work/gen.json"; then ok
else bad "bgpsec gen failed: $(cat "$work/gen.json")"; exit 1; fi

write_config() {  # write_config ORDER
  global_toml d 65451 $d
  printf '\n[rpki]\nfiles = ["%s"]\n\n[bgpsec]\nvalidation_order = "%s"\n' \
    "$work/table/rpki.json" "$1"
  printf '\n[[policy]]\nname = "all"\ndefault_action = "accept"\n'
  local peer addr asn
  for peer in "$r1:65452" "$r2:65454" "$r3:65455"; do
    IFS=: read -r addr asn <<<"$peer"
    printf '\n[[neighbor]]\naddress = "%s"\nremote_as = %s\npassive = true\nfamilies = ["ipv4", "ipv6"]\nbgpsec = { receive = ["ipv4", "ipv6"] }\nimport = "all"\n' \
      "$addr" "$asn"
  done
}
write_config best-first >"$work/d.toml"
if "$BGPSECD" -n -c "$work/d.toml" >"$work/d.normal" 2>&1 &&
  grep -q 'validation_order = "best-first"' "$work/d.normal"; then ok
else bad "bgpsecd -n: $(cat "$work/d.normal")"; fi
start d
wait_listening $d

judge_py <<'PY'
def count(out, peer, state):  # routes from `peer` with this path state
    return sum(1 for r in out["routes"] if r["peer"] == peer and r["path_state"] == state)

def best_from(out, peer):  # Loc-RIB routes whose best comes from `peer`
    return sum(1 for r in out["routes"] if r["peer"] == peer and r.get("best"))

def state(out, peer):
    return [x for x in out["neighbors"] if x["peer"] == peer][0]["state"]

def counter(out, peer, name):
    return [x for x in out["neighbors"] if x["peer"] == peer][0]["counters"][name]
PY
replay() {  # replay ADDR ASN FILE: in the background, kept 600 s (cleanup ends it); pid in replay_pid
  "$BGPSEC" replay --connect "$d:$PORT" --bind "$1" --local-as "$2" --peer-as 65451 \
    --router-id "$1" --updates "$3" --hold-after 600 >"$work/$1.json" 2>"$work/$1.err" &
  replay_pid=$!
  pids+=($replay_pid)
}

# ----- 1. R1 checked, R2 postponed ----------------------------------------------------------------
replay $r1 65452 "$work/table/updates.bin"
r1_pid=$replay_pid
expect "1: R1's $n routes Valid" 60 "count(out, '$r1', 'valid') == $n" ctl d show routes --received
expect "1: the workers checked R1's $n routes" 10 "out['validation']['completed'] == $n" ctl d show rpki
replay $r2 65454 "$work/table/updates-1.bin"
expect "1: R2's $n routes held Pending" 60 "count(out, '$r2', 'pending') == $n" \
  ctl d show routes --received
expect "1: R2's routes postponed, not checked" 10 \
  "counter(out, '$r2', 'validations_postponed') == $n and counter(out, '$r1', 'validations_postponed') == 0" \
  ctl d show neighbors
expect "1: show rpki counts them, the workers did nothing more" 5 \
  "out['validation']['postponed'] == $n and out['validation']['completed'] == $n" ctl d show rpki
expect "1: R1's routes stay best" 5 "best_from(out, '$r1') == $n" ctl d show routes

# ----- 2. R1 gone: R2's routes are checked as they become best ------------------------------------
kill "$r1_pid"
expect "2: R2's $n routes Valid and best" 60 \
  "count(out, '$r2', 'valid') == $n and best_from(out, '$r2') == $n" ctl d show routes
expect "2: checked when they could win" 10 \
  "counter(out, '$r2', 'postponed_checked') == $n and state(out, '$r1') != 'established'" \
  ctl d show neighbors
expect "2: nothing postponed, $((2 * n)) routes checked in all" 5 \
  "out['validation']['postponed'] == 0 and out['validation']['completed'] == 2 * $n" ctl d show rpki

# ----- 3. R3 postponed behind R2, then validation_order = "all" -----------------------------------
replay $r3 65455 "$work/table/updates-2.bin"
expect "3: R3's routes postponed behind R2's" 60 \
  "counter(out, '$r3', 'validations_postponed') == $n" ctl d show neighbors
expect "3: R3's routes Pending" 5 "count(out, '$r3', 'pending') == $n" ctl d show routes --received
write_config all >"$work/d.toml"
if ctl d reload >"$work/reload.json" 2>&1 && grep -q "bgpsec settings applied" "$work/reload.json"; then ok
else bad "3: reload: $(cat "$work/reload.json")"; fi
expect "3: R3's routes checked and Valid" 60 "count(out, '$r3', 'valid') == $n" \
  ctl d show routes --received
expect "3: nothing postponed" 5 \
  "out['validation']['postponed'] == 0 and out['validation']['completed'] == 3 * $n" ctl d show rpki
summary
