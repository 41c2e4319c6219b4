#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# `bgpsecctl dump mrt` (MRT TABLE_DUMP_V2, RFC 6396) read back by bgpdump: bgpsecd D (AS 65461,
# one network of its own) holds a signed table (`bgpsec gen`) from R1 (AS 65462) and the same
# prefixes from R2 (AS 65464). The dump, fetched in pages of 7 prefixes, must give bgpdump:
#   - one line per route (both peers' routes of every prefix, and D's own network), no error;
#   - each peer under its address and AS, D's own route under 0.0.0.0 and AS 65461;
#   - for every route the AS path that `bgpsecctl show routes` shows (rebuilt from the
#     Secure_Path: the dump keeps the BGPsec_PATH and writes the AS_PATH beside it).
# Also: `dump mrt -` writes the same to standard output; a bad page size is a usage error.
# Run by ctest with BGPSECD, BGPSECCTL, BGPSEC and PORT set; KEEP=1 keeps $work.
# Addresses 127.0.46.1-20 and ports PORT..PORT+9 on them belong to this test.
set -uo pipefail
: "${BGPSECD:?}" "${BGPSECCTL:?}" "${BGPSEC:?}" "${PORT:?}"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
need bgpdump
d=127.0.46.1
r1=127.0.46.3
r2=127.0.46.4
n=40

if "$BGPSEC" gen --target-as 65461 --peer-as 65462 --also-peer-as 65464 --prefixes $n \
  --seed 46 --threads 2 --out "$work/table" >"$work/gen.json"; then ok
else bad "bgpsec gen failed: $(cat "$work/gen.json")"; exit 1; fi
{
  global_toml d 65461 $d
  printf '\n[rpki]\nfiles = ["%s"]\n\n[[network]]\nprefix = "192.0.2.0/24"\n' "$work/table/rpki.json"
  printf '\n[[policy]]\nname = "all"\ndefault_action = "accept"\n'
  for peer in "$r1:65462" "$r2:65464"; do
    printf '\n[[neighbor]]\naddress = "%s"\nremote_as = %s\npassive = true\nfamilies = ["ipv4", "ipv6"]\nbgpsec = { receive = ["ipv4", "ipv6"] }\nimport = "all"\n' \
      "${peer%:*}" "${peer#*:}"
  done
} >"$work/d.toml"
start d
wait_listening $d
for peer in "$r1:65462:updates.bin" "$r2:65464:updates-1.bin"; do
  IFS=: read -r addr asn file <<<"$peer"
  "$BGPSEC" replay --connect "$d:$PORT" --bind "$addr" --local-as "$asn" --peer-as 65461 \
    --router-id "$addr" --updates "$work/table/$file" --hold-after 600 >"$work/$addr.json" \
    2>"$work/$addr.err" &
  pids+=($!)
done
judge_py <<'PY'
def routes_from(out, peer):
    return sum(1 for r in out["routes"] if r["peer"] == peer and r["path_state"] == "valid")
PY
expect "both tables Valid at D" 60 "routes_from(out, '$r1') == $n and routes_from(out, '$r2') == $n" \
  ctl d show routes

if "$BGPSECCTL" --socket "$work/d.sock" dump mrt "$work/rib.mrt" --page-size 7 >"$work/dump.out" 2>&1 &&
  grep -q "wrote $((n + 1)) prefixes, $((2 * n + 1)) routes from 3 peers" "$work/dump.out" &&
  [ ! -e "$work/rib.mrt.tmp" ]; then ok
else bad "dump mrt: $(cat "$work/dump.out")"; fi
bgpdump -m "$work/rib.mrt" >"$work/rib.txt" 2>"$work/bgpdump.err"
ctl d show routes >"$work/routes.json"
python3 - "$work/rib.txt" "$work/routes.json" $d >"$work/compare.txt" 2>&1 <<'PY'
import json, sys
lines = [l.split("|") for l in open(sys.argv[1]).read().splitlines()]
routes = json.load(open(sys.argv[2]))["routes"]
problems = []
# TABLE_DUMP2|time|B|peer ip|peer AS|prefix|AS path|origin|next hop|...
got = {(l[3], l[5]): (l[4], l[6]) for l in lines if l[0] == "TABLE_DUMP2" and l[2] == "B"}
if len(got) != len(lines):
    problems.append("%d lines, %d distinct routes or not TABLE_DUMP2" % (len(lines), len(got)))
want = {}
for r in routes:
    peer = "0.0.0.0" if r["peer"] == "local" else r["peer"]
    asn = "65461" if r["peer"] == "local" else str(r["as_path"][0]) if r["as_path"] else "?"
    want[(peer, r["prefix"])] = (asn, " ".join(str(a) for a in r["as_path"]))
if got != want:
    missing = set(want) - set(got)
    extra = set(got) - set(want)
    wrong = [k for k in set(want) & set(got) if want[k] != got[k]][:3]
    problems.append("missing %s extra %s wrong %s" % (sorted(missing)[:3], sorted(extra)[:3],
                                                      [(k, want[k], got[k]) for k in wrong]))
print("; ".join(problems) if problems else "same %d routes" % len(got))
sys.exit(1 if problems else 0)
PY
if grep -q "^same $((2 * n + 1)) routes" "$work/compare.txt"; then ok
else bad "bgpdump's view differs from show routes: $(cat "$work/compare.txt")"; fi
if grep -qiE "error|warn|unknown" "$work/bgpdump.err"; then bad "bgpdump: $(cat "$work/bgpdump.err")"; else ok; fi

# To standard output: the same bytes apart from the timestamps.
if "$BGPSECCTL" --socket "$work/d.sock" dump mrt - >"$work/stdout.mrt" 2>"$work/stdout.err" &&
  [ "$(bgpdump -m "$work/stdout.mrt" 2>/dev/null | cut -d'|' -f3- | sort | md5sum)" = \
    "$(cut -d'|' -f3- "$work/rib.txt" | sort | md5sum)" ]; then ok
else bad "dump mrt -: $(cat "$work/stdout.err")"; fi
# A page size of 0 is a usage error (exit 2), and no file is left behind.
"$BGPSECCTL" --socket "$work/d.sock" dump mrt "$work/x.mrt" --page-size 0 >/dev/null 2>&1
if [ $? -eq 2 ] && [ ! -e "$work/x.mrt" ]; then ok; else bad "--page-size 0 was not refused"; fi
summary
