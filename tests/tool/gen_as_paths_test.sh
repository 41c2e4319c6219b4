#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# `bgpsec gen --as-paths FILE`: a small MRT file (written here byte by byte from the RFC 6396
# layouts: a TABLE_DUMP_V2 RIB dump with two peers, IPv4 and IPv6 records, then a 2-octet-AS
# BGP4MP_MESSAGE with AS4_PATH) gives a table with exactly its prefixes and AS paths: prepends
# as pCount, the AS_SET path and the one through the receiving AS skipped and counted, the
# sender on top; every generated UPDATE verifies Valid (path and origin) with the generated
# rpki.json. Also --mrt-peer, --prefixes as a limit, and the errors (damaged, compressed,
# missing file, options that do not go with --as-paths).
# Run by ctest with BGPSEC (the binary) set.
set -uo pipefail
: "${BGPSEC:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() {
  fail=$((fail + 1))
  echo "FAIL: $*"
}

python3 - "$work/rib.mrt" <<'PY'
import ipaddress, struct, sys

def rec(typ, sub, body):
    return struct.pack("!IHHI", 1600000000, typ, sub, len(body)) + body

def attr(flags, code, value):
    return bytes([flags, code, len(value)]) + value

def as_path(segments, width=4):
    v = b""
    for kind, asns in segments:
        v += bytes([kind, len(asns)]) + b"".join(a.to_bytes(width, "big") for a in asns)
    return attr(0x40, 2, v)

SEQ, SET = 2, 1
def entry(peer, segments, v6=False):
    attrs = attr(0x40, 1, b"\x00") + as_path(segments)
    if v6:  # RFC 6396 §4.3.4: MP_REACH_NLRI cut to next-hop length and address
        attrs += attr(0x80, 14, b"\x10" + ipaddress.ip_address("2001:db8::1").packed)
    else:
        attrs += attr(0x40, 3, ipaddress.ip_address("192.0.2.1").packed)
    return struct.pack("!HIH", peer, 1600000000, len(attrs)) + attrs

def rib(seq, prefix, entries):
    net = ipaddress.ip_network(prefix)
    sub = 2 if net.version == 4 else 4
    plen = net.prefixlen
    body = struct.pack("!IB", seq, plen) + net.network_address.packed[:(plen + 7) // 8]
    body += struct.pack("!H", len(entries)) + b"".join(entries)
    return rec(13, sub, body)

peers = struct.pack("!IHH", 0x0A000001, 0, 2)
peers += b"\x02" + struct.pack("!I", 1) + bytes([192, 0, 2, 1]) + struct.pack("!I", 64496)
peers += b"\x00" + struct.pack("!I", 2) + bytes([192, 0, 2, 2]) + struct.pack("!H", 64499)
out = rec(13, 1, peers)
out += rib(0, "10.0.0.0/24", [entry(0, [(SEQ, [64496, 64497, 64497, 64497, 4200000001])]),
                              entry(1, [(SEQ, [64499, 64500])])])
out += rib(1, "10.0.1.0/24", [entry(0, [(SEQ, [64496, 64498]), (SET, [1, 2])])])
out += rib(2, "2001:db8:1::/48", [entry(0, [(SEQ, [64496, 4200000001])], v6=True)])
out += rib(3, "10.0.2.0/24", [entry(0, [(SEQ, [64496, 65401])])])  # through the receiver
out += rib(4, "10.0.3.0/24", [entry(1, [(SEQ, [64499, 64500, 64500])])])
# RFC 6396 §4.4.2 BGP4MP_MESSAGE: 2-octet AS_PATH with AS_TRANS, the real ASN in AS4_PATH.
attrs = attr(0x40, 1, b"\x00") + as_path([(SEQ, [64496, 23456])], 2)
attrs += attr(0xC0, 17, bytes([2, 2]) + (64496).to_bytes(4, "big") + (4200000002).to_bytes(4, "big"))
attrs += attr(0x40, 3, bytes([192, 0, 2, 1]))
upd = struct.pack("!HH", 0, len(attrs)) + attrs + bytes([24, 10, 0, 4])
msg = b"\xff" * 16 + struct.pack("!HB", 19 + len(upd), 2) + upd
out += rec(16, 1, struct.pack("!HHHH", 64496, 65000, 0, 1) + bytes([192, 0, 2, 1, 192, 0, 2, 2]) + msg)
open(sys.argv[1], "wb").write(out)
PY

paths_py="$(dirname "$0")/secure_paths.py"

gen() {  # gen NAME ARGS...: bgpsec gen into $work/NAME, summary in $work/NAME.json
  local name=$1
  shift
  "$BGPSEC" gen --target-as 65401 --peer-as 65402 --seed 3 --threads 2 --out "$work/$name" "$@" \
    >"$work/$name.json" 2>"$work/$name.err"
}
summary() {  # summary NAME EXPR: python over the summary `s`
  python3 -c "import json,sys; s=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$work/$1.json"
}

# ----- every peer's first route per prefix --------------------------------------------------
if gen all --as-paths "$work/rib.mrt"; then ok; else bad "gen: $(cat "$work/all.err")"; fi
if summary all "s['prefixes'] == 4 and s['ipv4'] == 3 and s['as_paths']['with_as_set'] == 1 and s['as_paths']['with_reserved_as'] == 1 and s['as_paths']['records'] == 7 and s['as_paths']['with_prepend'] == 2 and s['as_paths']['malformed_records'] == 0 and s['ases'] == 7"; then ok
else bad "summary: $(cat "$work/all.json")"; fi
python3 "$paths_py" "$work/all/updates.bin" >"$work/all.paths"
expected="10.0.0.0/24 1:65402,1:64496,3:64497,1:4200000001
2001:db8:1::/48 1:65402,1:64496,1:4200000001
10.0.3.0/24 1:65402,1:64499,2:64500
10.0.4.0/24 1:65402,1:64496,1:4200000002"
if [ "$(cut -d' ' -f1,2 "$work/all.paths")" = "$expected" ]; then ok
else bad "paths: $(cut -d' ' -f1,2 "$work/all.paths")"; fi
while read -r prefix _ attribute; do
  out=$("$BGPSEC" verify --prefix "$prefix" --attribute "$attribute" --as 65401 \
    --rpki "$work/all/rpki.json")
  if python3 -c "import json,sys; o=json.loads(sys.argv[1]); sys.exit(0 if o['path'] == 'valid' and o['origin'] == 'valid' else 1)" "$out"; then ok
  else bad "verify $prefix: $out"; fi
done <"$work/all.paths"

# ----- one peer's view, and the limit --------------------------------------------------------
if gen peer1 --as-paths "$work/rib.mrt" --mrt-peer 1; then ok; else bad "gen --mrt-peer: $(cat "$work/peer1.err")"; fi
python3 "$paths_py" "$work/peer1/updates.bin" | cut -d' ' -f1,2 >"$work/peer1.paths"
expected="10.0.0.0/24 1:65402,1:64499,1:64500
10.0.3.0/24 1:65402,1:64499,2:64500
10.0.4.0/24 1:65402,1:64496,1:4200000002"
if [ "$(cat "$work/peer1.paths")" = "$expected" ]; then ok; else bad "--mrt-peer 1 paths: $(cat "$work/peer1.paths")"; fi
if gen two --as-paths "$work/rib.mrt" --prefixes 2 && summary two "s['prefixes'] == 2"; then ok
else bad "--prefixes 2: $(cat "$work/two.json" "$work/two.err")"; fi

# ----- errors: exit 2 and one line naming the problem ------------------------------------------
err_case() {  # err_case WHAT PATTERN ARGS...
  local what=$1 pattern=$2
  shift 2
  gen err "$@"
  local code=$?
  if [ "$code" -eq 2 ] && grep -q -- "$pattern" "$work/err.err"; then ok
  else bad "$what: exit $code, $(cat "$work/err.err")"; fi
}
head -c 100 "$work/rib.mrt" >"$work/cut.mrt"
err_case "a file cut short" "offset" --as-paths "$work/cut.mrt"
printf '\037\213\010\000' >"$work/z.mrt.gz"
err_case "a gzip file" "decompress" --as-paths "$work/z.mrt.gz"
err_case "a missing file" "cannot open" --as-paths "$work/none.mrt"
err_case "--ases with --as-paths" "excludes" --as-paths "$work/rib.mrt" --ases 10
err_case "--mrt-peer without --as-paths" "requires" --mrt-peer 0
err_case "a peer index with no routes" "peer index 7" --as-paths "$work/rib.mrt" --mrt-peer 7

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
