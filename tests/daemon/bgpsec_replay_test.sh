#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# `bgpsec gen` and `bgpsec replay`, small: a 200-prefix synthetic table for
# bgpsecd d (AS 65401, 127.0.0.131:$PORT) sent by AS 65402, and the same routes from AS 65403.
#   1. the files: every message is a BGP UPDATE with ORIGIN, MP_REACH_NLRI holding exactly one
#      prefix (RFC 8205 §4.1), a BGPsec_PATH with one Signature_Block and one signature per
#      segment, no AS_PATH; the peer AS first, no AS twice; both AFIs; the second file has the
#      same prefixes and paths below the sender; a sample verifies Valid with `bgpsec verify`
#      and the generated rpki.json, origin valid too; a changed target AS does not verify.
#   2. replay into d ([rpki] files = the generated rpki.json) from 127.0.0.132 (AS 65402) and
#      127.0.0.133 (AS 65403) at the same time: all 200 routes from each arrive with path and
#      origin state valid, and replay reports 200 messages sent; d stores the signatures the
#      two have in common once (`show rpki` stored_paths: as many fewer signature nodes than
#      hops as the files have common hops), although most arrive before any is validated.
# Run by ctest with BGPSECD, BGPSECCTL, BGPSEC and PORT set; KEEP=1 keeps the work directory.
# Addresses 127.0.0.131-139, ports 18110-18119 belong to this test (it uses .131-.133, $PORT).
set -uo pipefail
: "${BGPSECD:?}" "${BGPSECCTL:?}" "${BGPSEC:?}" "${PORT:?}"
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$here/lib.sh"
us=127.0.0.131
p=127.0.0.132
q=127.0.0.133
n=200

# ----- 1. the generated files ----------------------------------------------------------------
if "$BGPSEC" gen --target-as 65401 --peer-as 65402 --also-peer-as 65403 --prefixes $n \
  --seed 5 --threads 2 --out "$work/table" >"$work/gen.json"; then ok
else bad "bgpsec gen failed"; exit 1; fi
if python3 -c "import json,sys; s=json.load(open(sys.argv[1])); sys.exit(0 if s['prefixes'] == $n and s['signatures'] > 2 * $n else 1)" "$work/gen.json"; then ok
else bad "gen summary: $(cat "$work/gen.json")"; fi

cat >"$work/check.py" <<'PY'
# check.py FILE PEER-AS [FILE2 PEER2]: checks the UPDATE stream(s), prints the sample to verify
# as "prefix attribute-hex" lines; exit 1 with a message on the first problem.
import struct, sys

def fail(msg):
    sys.exit("check.py: " + msg)

def prefix_str(afi, plen, raw):
    if afi == 1:
        a = (raw + bytes(4))[:4]
        return "%d.%d.%d.%d/%d" % (*a, plen)
    a = (raw + bytes(16))[:16]
    import ipaddress
    return "%s/%d" % (ipaddress.IPv6Address(a), plen)

def updates(path, peer):
    data = open(path, "rb").read()
    out, at = [], 0
    while at < len(data):
        if data[at:at + 16] != b"\xff" * 16:
            fail("%s: no marker at %d" % (path, at))
        length, typ = struct.unpack("!HB", data[at + 16:at + 19])
        if typ != 2:
            fail("%s: message type %d at %d" % (path, typ, at))
        body = data[at + 19:at + length]
        at += length
        wlen = struct.unpack("!H", body[:2])[0]
        alen = struct.unpack("!H", body[2 + wlen:4 + wlen])[0]
        if wlen != 0 or 4 + wlen + alen != len(body):
            fail("withdrawn routes or IPv4 NLRI outside MP_REACH_NLRI")
        attrs, i, raw_bgpsec = {}, 4, None
        while i < 4 + alen:
            flags, code = body[i], body[i + 1]
            if flags & 0x10:
                vlen, hl = struct.unpack("!H", body[i + 2:i + 4])[0], 4
            else:
                vlen, hl = body[i + 2], 3
            if code in attrs:
                fail("attribute %d twice" % code)
            attrs[code] = body[i + hl:i + hl + vlen]
            if code == 33:
                raw_bgpsec = body[i:i + hl + vlen]
            i += hl + vlen
        if sorted(attrs) != [1, 14, 33]:
            fail("attributes %s, expected ORIGIN, MP_REACH_NLRI, BGPsec_PATH only" % sorted(attrs))
        mp = attrs[14]
        afi, safi, nhl = struct.unpack("!HBB", mp[:4])
        nlri = mp[5 + nhl:]
        plen = nlri[0]
        nbytes = (plen + 7) // 8
        if safi != 1 or len(nlri) != 1 + nbytes:
            fail("MP_REACH_NLRI must hold exactly one unicast prefix (RFC 8205 §4.1)")
        bp = attrs[33]
        spl = struct.unpack("!H", bp[:2])[0]
        segs = [struct.unpack("!BBI", bp[k:k + 6]) for k in range(2, spl, 6)]
        blen, suite = struct.unpack("!HB", bp[spl:spl + 3])
        if spl + blen != len(bp) or suite != 1:
            fail("not one Signature_Block of suite 1")
        sigs, k = [], spl + 3
        while k < spl + blen:
            slen = struct.unpack("!H", bp[k + 20:k + 22])[0]
            sigs.append(bp[k:k + 22 + slen])
            k += 22 + slen
        asns = [s[2] for s in segs]
        if len(sigs) != len(segs) or not segs:
            fail("signatures do not match the Secure_Path")
        if asns[0] != peer or len(set(asns)) != len(asns) or any(s[0] < 1 or s[1] for s in segs):
            fail("path %s: expected the peer %d first, no AS twice, pCount >= 1, no flags" % (segs, peer))
        out.append((afi, prefix_str(afi, plen, nlri[1:]), segs, sigs, raw_bgpsec))
    return out

a = updates(sys.argv[1], int(sys.argv[2]))
if len(a) != int(sys.argv[5]):
    fail("%d UPDATEs, expected %s" % (len(a), sys.argv[5]))
if len({u[1] for u in a}) != len(a):
    fail("a prefix twice")
if not {1, 2} <= {u[0] for u in a}:
    fail("not both AFIs")
b = updates(sys.argv[3], int(sys.argv[4]))
for x, y in zip(a, b):
    if x[1] != y[1] or x[2][1:] != y[2][1:]:
        fail("the second sender's table differs below the sender: %s %s" % (x[1:3], y[1:3]))
    if x[3][2:] != y[3][2:] or x[3][0] == y[3][0]:
        fail("signatures below the top two segments should be the same, the newest different")
for u in a[::20]:
    print(u[1], u[4].hex())
# The hops whose signatures the second table has in common with the first (step 2).
with open(sys.argv[6], "w") as f:
    f.write("%d\n" % sum(max(0, len(x[2]) - 2) for x in a))
PY
if python3 "$work/check.py" "$work/table/updates.bin" 65402 "$work/table/updates-1.bin" 65403 $n \
  "$work/shared.txt" >"$work/sample.txt"; then ok
else bad "the generated UPDATEs: $(cat "$work/sample.txt")"; fi

verified=0
while read -r prefix attr; do
  out=$("$BGPSEC" verify --prefix "$prefix" --attribute "$attr" --as 65401 --rpki "$work/table/rpki.json")
  if python3 -c "import json,sys; o=json.loads(sys.argv[1]); sys.exit(0 if o['path'] == 'valid' and o['origin'] == 'valid' else 1)" "$out"; then
    verified=$((verified + 1))
  else
    bad "bgpsec verify $prefix: $out"
  fi
  if "$BGPSEC" verify --prefix "$prefix" --attribute "$attr" --as 65409 --rpki "$work/table/rpki.json" >/dev/null; then
    bad "$prefix verified for AS 65409, which it was not signed for"
  fi
done <"$work/sample.txt"
if [ "$verified" -ge 10 ]; then ok; else bad "only $verified sampled UPDATEs verified"; fi

# ----- 2. replay into bgpsecd ------------------------------------------------------------------
global_toml d 65401 "$us" >"$work/d.toml"
cat >>"$work/d.toml" <<TOML

[rpki]
files = ["$work/table/rpki.json"]

[[policy]]
name = "all"
default_action = "accept"
TOML
for peer in "$p:65402" "$q:65403"; do
  # Import only: nothing is sent back to the replayers.
  printf '\n[[neighbor]]\naddress = "%s"\nremote_as = %s\npassive = true\nfamilies = ["ipv4", "ipv6"]\nbgpsec = { receive = ["ipv4", "ipv6"] }\nimport = "all"\n' \
    "${peer%:*}" "${peer#*:}" >>"$work/d.toml"
done
start d
judge_py <<'PY'
def valid_from(out, peer):  # routes from `peer` with path and origin state valid
    return sum(1 for r in out["routes"]
               if r["peer"] == peer and r["path_state"] == "valid" and r["origin_state"] == "valid")
PY
if poll 15 "out['router_keys'] > 0" ctl d show rpki; then ok
else bad "bgpsecd did not load the RPKI file: $(cat "$work/last") $(tail -5 "$work/d.log")"; exit 1; fi

replay() {  # replay ADDR ASN FILE: in the background (killed before its 600 s), output in $work/ADDR.json
  "$BGPSEC" replay --connect "$us:$PORT" --bind "$1" --local-as "$2" --peer-as 65401 \
    --router-id "$1" --updates "$3" --hold-after 600 >"$work/$1.json" 2>"$work/$1.err" &
  pids+=($!)
}
# Both at once, as after a restart: the second's routes arrive while the first's are pending.
replay $p 65402 "$work/table"
replay $q 65403 "$work/table/updates-1.bin"
if poll 30 "valid_from(out, '$p') == $n" ctl d show routes --peer $p; then ok
else bad "routes from $p: $(tr -s ' \n' ' ' <"$work/last" | head -c 600) replay: $(cat "$work/$p.err")"; fi
if poll 30 "valid_from(out, '$q') == $n" ctl d show routes --peer $q; then ok
else bad "routes from $q: $(tr -s ' \n' ' ' <"$work/last" | head -c 600) replay: $(cat "$work/$q.err")"; fi

# d stores each signature the two senders have in common once: 2n paths, and
# exactly as many fewer signature nodes than hops as the check above counted common hops.
shared=$(cat "$work/shared.txt")
if poll 5 "out['validation']['stored_paths']['paths'] == 2 * $n and out['validation']['stored_paths']['hops'] - out['validation']['stored_paths']['signature_nodes'] == $shared and $shared > 0" ctl d show rpki; then ok
else bad "stored paths, $shared common hops expected: $(tr -s ' \n' ' ' <"$work/last" | head -c 900)"; fi

# replay prints its summary when it ends: SIGTERM ends the held session.
# shellcheck disable=SC2154  # pid_d is set by start (lib.sh)
for pid in "${pids[@]}"; do [ "$pid" = "$pid_d" ] || kill "$pid" 2>/dev/null; done
sleep 0.5
for addr in $p $q; do
  if python3 -c "import json,sys; o=json.load(open(sys.argv[1])); sys.exit(0 if o['messages'] == $n and o['complete'] else 1)" "$work/$addr.json" 2>/dev/null; then ok
  else bad "replay from $addr: $(cat "$work/$addr.json" "$work/$addr.err")"; fi
done
summary
