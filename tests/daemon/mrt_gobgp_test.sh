#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Our MRT decoder on another implementation's file: gobgpd B (AS 65100) learns routes from
# gobgpd A (AS 64496: prepends, 4-octet ASNs, an AS_SET, IPv4 and IPv6) and writes its RIB as
# an MRT table dump (GoBGP's [[mrt-dump]] dump-type "table": TABLE_DUMP_V2 with the RFC 8050
# ADD-PATH RIB subtypes). `bgpsec gen --as-paths` reads that file; the AS path of every prefix
# in the generated UPDATEs (below the sending AS, pCount expanded) must be the one `bgpdump -m`
# prints for the same file, the AS_SET route skipped and counted, nothing malformed.
# GoBGP dumps every 60 s at the shortest, so the test waits for the first dump.
# Run by ctest with BGPSEC and PORT set; KEEP=1 keeps $work.
# Addresses 127.0.48.1-2 and ports PORT..PORT+3 belong to this test.
set -uo pipefail
: "${BGPSEC:?}" "${PORT:?}"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
need gobgpd
need bgpdump
a=127.0.48.2
b=127.0.48.1
gobgp_a=(gobgp -u $a -p $((PORT + 3)))

gobgpd_config() {  # gobgpd_config AS ADDR PORT PEER-AS PEER-ADDR PEER-PORT [EXTRA]
  cat <<TOML
[global.config]
  as = $1
  router-id = "$2"
  port = $3
  local-address-list = ["$2"]
[[neighbors]]
  [neighbors.config]
    neighbor-address = "$5"
    peer-as = $4
  [neighbors.transport.config]
    local-address = "$2"
    remote-port = $6
  [neighbors.timers.config]
    connect-retry = 1
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-unicast"
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv6-unicast"
${7:-}
TOML
}
gobgpd_config 64496 $a $((PORT + 2)) 65100 $b "$PORT" >"$work/a.toml"
gobgpd_config 65100 $b "$PORT" 64496 $a $((PORT + 2)) "[[mrt-dump]]
  [mrt-dump.config]
    dump-type = \"table\"
    file-name = \"$work/rib.mrt\"
    dump-interval = 60" >"$work/b.toml"
gobgpd -f "$work/a.toml" --api-hosts "$a:$((PORT + 3))" --pprof-disable >"$work/a.log" 2>&1 &
pids+=($!)
gobgpd -f "$work/b.toml" --api-hosts "$b:$((PORT + 1))" --pprof-disable >"$work/b.log" 2>&1 &
pids+=($!)

add() {  # add AFI PREFIX NEXT-HOP AS-PATH: a route of A's with that path below A's own AS
  for _ in $(seq 50); do
    "${gobgp_a[@]}" global rib add -a "$1" "$2" nexthop "$3" aspath "$4" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  bad "gobgp global rib add $*"
}
add ipv4 10.0.0.0/24 192.0.2.2 "64497,64497,64497,4200000001"
add ipv4 10.0.1.0/24 192.0.2.2 "64498,{1,2}"
add ipv4 10.0.2.0/24 192.0.2.2 "4200000002,4200000002"
add ipv4 10.0.3.0/24 192.0.2.2 "64512"
add ipv6 2001:db8:1::/48 2001:db8::2 "64499,4200000001"

for _ in $(seq 120); do
  [ -s "$work/rib.mrt" ] && break
  sleep 1
done
sleep 1  # the dump is written in one go; let it finish
if [ -s "$work/rib.mrt" ]; then ok; else bad "no table dump from gobgpd: $(tail -3 "$work/b.log")"; exit 1; fi

if "$BGPSEC" gen --target-as 65401 --peer-as 65402 --threads 1 --as-paths "$work/rib.mrt" \
  --out "$work/table" >"$work/gen.json" 2>"$work/gen.err"; then ok
else bad "bgpsec gen --as-paths on GoBGP's dump: $(cat "$work/gen.err")"; exit 1; fi
bgpdump -m "$work/rib.mrt" >"$work/bgpdump.txt" 2>"$work/bgpdump.err"

python3 "$(dirname "$0")/../tool/secure_paths.py" "$work/table/updates.bin" >"$work/ours.txt"
python3 - "$work/ours.txt" "$work/bgpdump.txt" "$work/gen.json" <<'PY'
import json, sys
ours = {}
for line in open(sys.argv[1]):  # prefix pcount:asn,... (the sender first)
    prefix, segs, _ = line.split()
    ours[prefix] = " ".join(a for s in segs.split(",")[1:] for a in [s.split(":")[1]] * int(s.split(":")[0]))
theirs = {}
for line in open(sys.argv[2]):
    f = line.rstrip("\n").split("|")
    if len(f) > 6 and f[5] not in theirs:
        theirs[f[5]] = f[6]
signable = {p: path for p, path in theirs.items() if "{" not in path}
summary = json.load(open(sys.argv[3]))["as_paths"]
problems = []
if len(theirs) != 5:
    problems.append("bgpdump shows %d prefixes: %s" % (len(theirs), theirs))
if ours != signable:
    problems.append("ours %s, bgpdump's %s" % (ours, signable))
if signable.get("10.0.0.0/24") != "64496 64497 64497 64497 4200000001":
    problems.append("10.0.0.0/24 path %r" % signable.get("10.0.0.0/24"))
if summary["with_as_set"] != 1 or summary["malformed_records"] != 0 or summary["kept"] != 4:
    problems.append("summary %s" % summary)
if problems:
    sys.exit("; ".join(problems))
PY
if [ $? -eq 0 ]; then ok
else bad "GoBGP's dump read by us and by bgpdump differ (bgpdump: $(head -c 300 "$work/bgpdump.err"))"; fi
summary
