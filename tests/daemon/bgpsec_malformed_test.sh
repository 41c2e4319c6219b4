#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Malformed BGPsec UPDATEs (RFC 8205 §5.2) and path attacks thrown at a
# running bgpsecd (AS 65301, 127.0.0.71:$PORT) by the scripted test peer bgp_test_peer.py:
#   p = 127.0.0.72, AS 65302, BGPsec negotiated (receive at bgpsecd) for IPv4;
#   q = 127.0.0.73, AS 65303, no BGPsec at bgpsecd (the peer still offers it);
#   r = 127.0.0.74, AS 65304, like p: the BGPsec_PATHs the decoder rejects, in both modes (a
#       peer of their own, so that the per-peer log rate limit leaves every line in).
# RPKI: one JSON file ([rpki] files) with router keys made by `bgpsec keygen` for 65302, 65303,
# 65304, 65001 and 65666; signed paths come from `bgpsec sign`, malformed ones are edited copies.
# For every §5.2 case: a good route for a prefix is announced (signed, path state valid), then a
# malformed BGPsec UPDATE for the same prefix; expected: the route is withdrawn (treat-as-
# withdraw), the neighbor's counters.update_errors (`bgpsecctl --json show neighbors`) went up,
# the log names the failed check, and the session stays Established (no NOTIFICATION at the
# peer). Attacks (well-formed, so not errors): an inserted AS with a made-up signature, an
# origin AS without router key, a path signed for another target AS: route kept, "not-valid".
# Then syntax_error_action = "strip" (applied by reload), RFC 8374 §8.5: for a failure whose
# Secure_Path parsed (AS_PATH also present; the decoder's Signature_Segment count, block length,
# truncation, attribute flags) the route stays, "unsigned", with the AS_PATH rebuilt from the
# Secure_Path and no Secure_Path shown, and the neighbor's update_errors and bgpsec_stripped go
# up; where the Secure_Path itself does not parse (its length, a cut inside it) the route is
# withdrawn as in the default mode and the log says why. The session stays up in every case.
# Run by ctest with BGPSECD, BGPSECCTL, BGPSEC and PORT set; KEEP=1 keeps the work directory.
# Addresses 127.0.0.71-79, ports 17980-17989 belong to this test (it uses 127.0.0.71-74, $PORT).
set -uo pipefail
: "${BGPSECD:?}" "${BGPSECCTL:?}" "${BGPSEC:?}" "${PORT:?}"
here=$(cd "$(dirname "$0")" && pwd)
peer_py="$here/bgp_test_peer.py"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$here/lib.sh"
# NET moves the addresses to NET.71-74 (a developer's own loopback range).
us=${NET:-127.0.0}.71
p=${NET:-127.0.0}.72
q=${NET:-127.0.0}.73
r=${NET:-127.0.0}.74

# ----- helpers: JSON judge, BGPsec_PATH editor --------------------------------------------------
judge_py <<'PY'
def route(out, prefix, peer):  # the Loc-RIB route of `prefix` from `peer`, or None
    return next((r for r in out["routes"] if r["prefix"] == prefix and r["peer"] == peer), None)

def nb(out, peer):
    return next(n for n in out["neighbors"] if n["peer"] == peer)

def errors(out, peer):
    return nb(out, peer)["counters"]["update_errors"]
PY
cat >"$work/edit.py" <<'PY'
# edit.py HOW ATTR [ARGS]: prints the BGPsec_PATH attribute ATTR (hex, as `bgpsec sign` prints
# it) changed by HOW. Segment indexes count from the most recent (0).
import os, struct, sys

how, attr = sys.argv[1], bytes.fromhex(sys.argv[2])
args = sys.argv[3:]
ext = attr[0] & 0x10
value = attr[4:] if ext else attr[3:]
spl = struct.unpack("!H", value[:2])[0]
segs = [bytearray(value[i:i + 6]) for i in range(2, spl, 6)]
blocks, off = [], spl
while off < len(value):
    blen, suite = struct.unpack("!HB", value[off:off + 3])
    sigs, i = [], off + 3
    while i < off + blen:
        slen = struct.unpack("!H", value[i + 20:i + 22])[0]
        sigs.append(value[i:i + 22 + slen])
        i += 22 + slen
    blocks.append([suite, sigs])
    off += blen

def encode(segs, blocks, spl=None):
    v = struct.pack("!H", 2 + 6 * len(segs) if spl is None else spl) + b"".join(segs)
    for suite, sigs in blocks:
        body = b"".join(sigs)
        v += struct.pack("!HB", 3 + len(body), suite) + body
    return struct.pack("!BBH", 0x90, attr[1], len(v)) + v

def with_value(v, flags=0x90):       # the attribute around value octets v
    return struct.pack("!BBH", flags, attr[1], len(v)) + v

if how == "secure-path-length":      # Secure_Path Length one more than 2 + 6N
    out = encode(segs, blocks, spl + 1)
elif how == "truncate":              # ARGS: N: the value cut N octets short
    out = with_value(value[:len(value) - int(args[0])])
elif how == "block-length":          # the first block's length one short: its last signature overruns
    blen = struct.unpack("!H", value[spl:spl + 2])[0]
    out = with_value(value[:spl] + struct.pack("!H", blen - 1) + value[spl + 2:])
elif how == "attr-flags":            # ARGS: FLAGS: the attribute flags octet (Extended Length kept)
    out = with_value(value, int(args[0], 0) | 0x10)
elif how == "drop-signature":        # the origin's Signature_Segment removed from every block
    out = encode(segs, [[s, sigs[:-1]] for s, sigs in blocks])
elif how == "three-blocks":          # the block twice more, suites 2 and 3 (no duplicate suite)
    out = encode(segs, blocks + [[2, blocks[0][1]], [3, blocks[0][1]]])
elif how in ("asn", "pcount", "flags"):  # ARGS: INDEX VALUE
    i, v = int(args[0]), int(args[1])
    if how == "asn":
        segs[i][2:6] = struct.pack("!I", v)
    else:
        segs[i][0 if how == "pcount" else 1] = v
    out = encode(segs, blocks)
elif how == "insert":                # ARGS: INDEX ASN SKI: a segment with a made-up signature
    i, asn, ski = int(args[0]), int(args[1]), bytes.fromhex(args[2])
    segs.insert(i, struct.pack("!BBI", 1, 0, asn))
    sig = b"\x30\x46\x02\x21\x00" + os.urandom(32) + b"\x02\x21\x00" + os.urandom(32)
    for block in blocks:
        block[1].insert(i, ski + struct.pack("!H", len(sig)) + sig)
    out = encode(segs, blocks)
else:
    sys.exit("edit.py: unknown change " + how)
print(out.hex())
PY

sign() {  # sign PREFIX AS-PATH [TARGET [KEYDIR]]: the BGPsec_PATH attribute hex
  "$BGPSEC" sign --prefix "$1" --as-path "$2" --target-as "${3:-65301}" --key-dir "${4:-$work/keys}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["attribute"])'
}
upd() { python3 "$peer_py" update "$@"; }
edit() { python3 "$work/edit.py" "$@"; }
declare -A sent=([$p]=0 [$q]=0 [$r]=0)
send() {  # send PEER HEX: the peer sends the message; waits until it says it did
  local addr=$1
  echo "$2" >>"$work/$addr.in"
  sent[$addr]=$((${sent[$addr]} + 1))
  local deadline=$((SECONDS + 5))
  while [ "$(grep -c '"event": "sent"' "$work/$addr.out")" -lt "${sent[$addr]}" ]; do
    [ $SECONDS -ge $deadline ] && { bad "peer $addr did not send line ${sent[$addr]}"; return 1; }
    sleep 0.05
  done
}
peer_up() {  # peer_up NAME ADDR: session Established at bgpsecd, the peer alive, no NOTIFICATION
  local name=$1 addr=$2 pid=$3
  if python3 "$work/judge.py" "nb(out, '$addr')['state'] == 'established'" < <(ctl d show neighbors) &&
    kill -0 "$pid" 2>/dev/null && ! grep -q '"notification"\|"closed"' "$work/$addr.out"; then ok
  else bad "$name: session with $addr not kept: $(ctl d show neighbors | tr -d '\n ') peer: $(tail -3 "$work/$addr.out")"; fi
}

# ----- keys, RPKI, config ----------------------------------------------------------------------
mkdir -p "$work/keys" "$work/rogue"
for asn in 65302 65303 65304 65001 65666; do
  "$BGPSEC" keygen --asn $asn --out "$work/keys/" >/dev/null || bad "keygen $asn"
done
"$BGPSEC" rpki-json --key-dir "$work/keys/" >"$work/rpki.json" || bad "rpki-json"
cp "$work/keys/"*.pem "$work/rogue/"
"$BGPSEC" keygen --asn 65009 --out "$work/rogue/" >/dev/null || bad "keygen 65009"  # not in RPKI
ski_65666=$(basename "$work"/keys/65666.*.pem .pem)
ski_65666=${ski_65666#65666.}

write_config() {  # write_config SYNTAX-ERROR-ACTION
  global_toml d 65301 "$us" >"$work/d.toml"
  cat >>"$work/d.toml" <<TOML

[rpki]
files = ["$work/rpki.json"]

[bgpsec]
syntax_error_action = "$1"

[[policy]]
name = "all"
default_action = "accept"

[[neighbor]]
address = "$p"
remote_as = 65302
passive = true
families = ["ipv4"]
bgpsec = { receive = ["ipv4"] }
import = "all"

[[neighbor]]
address = "$q"
remote_as = 65303
passive = true
families = ["ipv4"]
import = "all"

[[neighbor]]
address = "$r"
remote_as = 65304
passive = true
families = ["ipv4"]
bgpsec = { receive = ["ipv4"] }
import = "all"
TOML
}
write_config withdraw
start d
start_peer() {  # start_peer ADDR ASN
  : >"$work/$1.in"
  python3 "$peer_py" session --asn "$2" --router-id "$1" --connect "$us:$PORT" --bind "$1" \
    --updates "$work/$1.in" --follow --families ipv4 --hold-time 30 --timeout 600 \
    >"$work/$1.out" 2>&1 &
  pids+=($!)
}
start_peer $p 65302
pid_p=$!
start_peer $q 65303
pid_q=$!
start_peer $r 65304
pid_r=$!

if poll 30 "all(nb(out, a)['state'] == 'established' for a in ('$p', '$q', '$r'))" ctl d show neighbors; then ok
else bad "sessions: $(cat "$work/last") log: $(tail -5 "$work/d.log")"; exit 1; fi
if python3 "$work/judge.py" "nb(out, '$p')['bgpsec']['ipv4'] == {'send': False, 'receive': True} and not nb(out, '$q')['bgpsec']['ipv4']['receive']" <"$work/last"; then ok
else bad "BGPsec negotiation: $(cat "$work/last")"; fi
if poll 5 "out['router_keys'] == 5" ctl d show rpki; then ok; else bad "router keys: $(cat "$work/last")"; fi

# ----- RFC 8205 §5.2 cases: good route, then the malformed UPDATE for the same prefix ----------
good_update() {  # good_update PREFIX: a valid signed UPDATE from p
  upd --next-hop $p --mp "$1" --attr "$(sign "$1" "65302 65001")"
}
good_update_r() {  # good_update_r PREFIX: the same from r
  upd --next-hop $r --mp "$1" --attr "$(sign "$1" "65304 65001")"
}
# withdraw_case NAME PEER PREFIX GOOD-HEX GOOD-STATE BAD-HEX REASON
withdraw_case() {
  local name=$1 addr=$2 prefix=$3 good=$4 gstate=$5 badmsg=$6 reason=$7
  local pid=$pid_p
  [ "$addr" = "$q" ] && pid=$pid_q
  [ "$addr" = "$r" ] && pid=$pid_r
  send "$addr" "$good" || return
  if ! poll 10 "(route(out, '$prefix', '$addr') or {}).get('path_state') == '$gstate'" ctl d show routes "$prefix"; then
    bad "$name: the good route $prefix is not there as $gstate: $(cat "$work/last")"
    return
  fi
  local before lines
  before=$(value "errors(out, '$addr')" ctl d show neighbors)
  lines=$(wc -l <"$work/d.log")
  send "$addr" "$badmsg" || return
  if poll 5 "route(out, '$prefix', '$addr') is None" ctl d show routes "$prefix"; then ok
  else bad "$name: $prefix not withdrawn: $(tr -d '\n ' <"$work/last")"; fi
  if poll 5 "errors(out, '$addr') > $before" ctl d show neighbors; then ok
  else bad "$name: update_errors of $addr stayed $before"; fi
  if tail -n +$((lines + 1)) "$work/d.log" | grep -- "$reason" >/dev/null; then ok
  else bad "$name: no log line naming $reason; new log: $(tail -n +$((lines + 1)) "$work/d.log")"; fi
  peer_up "$name" "$addr" "$pid"
}

P=10.71.1.0/24
attr=$(sign $P "65302 65001")
withdraw_case "Secure_Path length inconsistent" $p $P "$(good_update $P)" valid \
  "$(upd --next-hop $p --mp $P --attr "$(edit secure-path-length "$attr")")" secure-path-length

P=10.71.2.0/24
attr=$(sign $P "65302 65001")
withdraw_case "Signature_Segments != Secure_Path segments" $p $P "$(good_update $P)" valid \
  "$(upd --next-hop $p --mp $P --attr "$(edit drop-signature "$attr")")" segment-count-mismatch

P=10.71.15.0/24
attr=$(sign $P "65304 65001")
withdraw_case "truncated inside a signature" $r $P "$(good_update_r $P)" valid \
  "$(upd --next-hop $r --mp $P --attr "$(edit truncate "$attr" 10)")" signature-block-truncated

P=10.71.16.0/24
attr=$(sign $P "65304 65001")
withdraw_case "Signature_Block length one short" $r $P "$(good_update_r $P)" valid \
  "$(upd --next-hop $r --mp $P --attr "$(edit block-length "$attr")")" signature-length

P=10.71.17.0/24
attr=$(sign $P "65304 65001")
withdraw_case "BGPsec_PATH flags transitive" $r $P "$(good_update_r $P)" valid \
  "$(upd --next-hop $r --mp $P --attr "$(edit attr-flags "$attr" 0xC0)")" attribute-flags

P=10.71.3.0/24
attr=$(sign $P "65302 65001")
withdraw_case "three Signature_Blocks" $p $P "$(good_update $P)" valid \
  "$(upd --next-hop $p --mp $P --attr "$(edit three-blocks "$attr")")" too-many-signature-blocks

P=10.71.4.0/24
withdraw_case "AS_PATH and BGPsec_PATH" $p $P "$(good_update $P)" valid \
  "$(upd --next-hop $p --as-path "65302 65001" --mp $P --attr "$(sign $P "65302 65001")")" \
  as-path-also-present

P=10.71.5.0/24
attr=$(sign $P "65302 65001")
withdraw_case "most recent AS is not the peer's" $p $P "$(good_update $P)" valid \
  "$(upd --next-hop $p --mp $P --attr "$(edit asn "$attr" 0 65399)")" peer-as-mismatch

P=10.71.6.0/24
attr=$(sign $P "65302 65001")
withdraw_case "pCount 0 from a non-route-server peer" $p $P "$(good_update $P)" valid \
  "$(upd --next-hop $p --mp $P --attr "$(edit pcount "$attr" 0 0)")" pcount-zero-not-allowed

P=10.71.7.0/24
attr=$(sign $P "65302 65001")
withdraw_case "Confed_Segment from outside a confederation" $p $P "$(good_update $P)" valid \
  "$(upd --next-hop $p --mp $P --attr "$(edit flags "$attr" 0 128)")" confed-segment-from-outside

P=10.71.8.0/24
withdraw_case "BGPsec_PATH without BGPsec receive negotiated" $q $P \
  "$(upd --next-hop $q --as-path "65303 65001" --nlri $P)" unsigned \
  "$(upd --next-hop $q --mp $P --attr "$(sign $P "65303 65001")")" bgpsec-not-negotiated

P=10.71.9.0/24
P2=10.71.109.0/24
withdraw_case "two prefixes in a BGPsec UPDATE" $p $P "$(good_update $P)" valid \
  "$(upd --next-hop $p --mp $P --mp $P2 --attr "$(sign $P "65302 65001")")" more-than-one-prefix
if [ "$(value "route(out, '$P2', '$p')" ctl d show routes $P2)" = None ]; then ok
else bad "two prefixes: the second prefix $P2 was installed"; fi

P=10.71.10.0/24
withdraw_case "IPv4 NLRI outside MP_REACH_NLRI" $p $P "$(good_update $P)" valid \
  "$(upd --next-hop $p --nlri $P --attr "$(sign $P "65302 65001")")" prefix-not-in-mp-reach

# ----- attacks: well-formed, kept as Not Valid, not counted as errors --------------------------
# attack_case NAME PREFIX BGPSEC-ATTR REASON [ASN]: route kept, not-valid with that reason (and
# the failing signature's AS)
attack_case() {
  local name=$1 prefix=$2 attr=$3 reason=$4 asn=${5:-}
  local before
  before=$(value "errors(out, '$p')" ctl d show neighbors)
  send $p "$(upd --next-hop $p --mp "$prefix" --attr "$attr")" || return
  local expr="(route(out, '$prefix', '$p') or {}).get('path_state') == 'not-valid'"
  if poll 10 "$expr" ctl d show routes "$prefix"; then ok
  else bad "$name: $prefix not kept as not-valid: $(tr -d '\n ' <"$work/last")"; return; fi
  local check="route(out, '$prefix', '$p')['failure']['reason'] == '$reason'"
  [ -n "$asn" ] && check="$check and route(out, '$prefix', '$p')['failure'].get('asn') == $asn"
  if python3 "$work/judge.py" "$check" <"$work/last"; then ok
  else bad "$name: failure is not $reason ${asn:+at AS $asn}: $(tr -d '\n ' <"$work/last")"; fi
  if [ "$(value "errors(out, '$p')" ctl d show neighbors)" = "$before" ]; then ok
  else bad "$name: counted as an UPDATE error"; fi
  peer_up "$name" $p $pid_p
}

P=10.71.11.0/24
attack_case "inserted AS with a made-up signature" $P \
  "$(edit insert "$(sign $P "65302 65001")" 1 65666 "$ski_65666")" signature-invalid
P=10.71.12.0/24
attack_case "origin AS without router key" $P "$(sign $P "65302 65009" 65301 "$work/rogue")" \
  key-not-found 65009
P=10.71.13.0/24
attack_case "replayed to another target AS" $P "$(sign $P "65302 65001" 65999)" \
  signature-invalid 65302

# ----- syntax_error_action = "strip" (reload): the route stays, unsigned -----------------------
write_config strip
if ctl d reload >"$work/last" 2>&1; then ok; else bad "reload: $(cat "$work/last")"; fi
P=10.71.14.0/24
send $p "$(good_update $P)"
if poll 10 "(route(out, '$P', '$p') or {}).get('path_state') == 'valid'" ctl d show routes $P; then ok
else bad "strip: the good route $P is not valid: $(cat "$work/last")"; fi
before=$(value "errors(out, '$p')" ctl d show neighbors)
lines=$(wc -l <"$work/d.log")
send $p "$(upd --next-hop $p --as-path "65302 65001" --mp $P --attr "$(sign $P "65302 65001")")"
strip_expr="(r := route(out, '$P', '$p')) is not None and r['path_state'] == 'unsigned' and r['as_path'] == [65302, 65001] and 'secure_path' not in r"
if poll 5 "$strip_expr" ctl d show routes $P; then ok
else bad "strip: $P not kept as unsigned 65302 65001: $(tr -d '\n ' <"$work/last")"; fi
if poll 5 "errors(out, '$p') > $before" ctl d show neighbors; then ok
else bad "strip: update_errors of $p stayed $before"; fi
if tail -n +$((lines + 1)) "$work/d.log" | grep "as-path-also-present.*stripped" >/dev/null; then ok
else bad "strip: no log line; new log: $(tail -n +$((lines + 1)) "$work/d.log")"; fi
peer_up strip $p $pid_p

stripped() { value "nb(out, '$r')['counters']['bgpsec_stripped']" ctl d show neighbors; }
# strip_case NAME PREFIX BAD-HEX REASON (from r): the good route, then the malformed UPDATE;
# expected: the route kept unsigned with AS_PATH 65304 65001, update_errors and bgpsec_stripped
# up, a log line naming REASON and the stripping, the session up.
strip_case() {
  local name=$1 prefix=$2 badmsg=$3 reason=$4
  send $r "$(good_update_r "$prefix")" || return
  if ! poll 10 "(route(out, '$prefix', '$r') or {}).get('path_state') == 'valid'" ctl d show routes "$prefix"; then
    bad "strip $name: the good route $prefix is not valid: $(cat "$work/last")"
    return
  fi
  local before before_stripped lines
  before=$(value "errors(out, '$r')" ctl d show neighbors)
  before_stripped=$(stripped)
  lines=$(wc -l <"$work/d.log")
  send $r "$badmsg" || return
  local expr="(x := route(out, '$prefix', '$r')) is not None and x['path_state'] == 'unsigned' and x['as_path'] == [65304, 65001] and 'secure_path' not in x"
  if poll 5 "$expr" ctl d show routes "$prefix"; then ok
  else bad "strip $name: $prefix not kept as unsigned 65304 65001: $(tr -d '\n ' <"$work/last")"; fi
  if poll 5 "errors(out, '$r') > $before and nb(out, '$r')['counters']['bgpsec_stripped'] > $before_stripped" ctl d show neighbors; then ok
  else bad "strip $name: update_errors / bgpsec_stripped of $r did not go up: $(tr -d '\n ' <"$work/last")"; fi
  if tail -n +$((lines + 1)) "$work/d.log" | grep -- "$reason.*stripped, route kept unsigned" >/dev/null; then ok
  else bad "strip $name: no log line naming $reason; new log: $(tail -n +$((lines + 1)) "$work/d.log")"; fi
  peer_up "strip $name" $r $pid_r
}

P=10.71.18.0/24
strip_case "Signature_Segments != Secure_Path segments" $P \
  "$(upd --next-hop $r --mp $P --attr "$(edit drop-signature "$(sign $P "65304 65001")")")" \
  segment-count-mismatch
P=10.71.19.0/24
strip_case "truncated inside a signature" $P \
  "$(upd --next-hop $r --mp $P --attr "$(edit truncate "$(sign $P "65304 65001")" 10)")" \
  signature-block-truncated
P=10.71.20.0/24
strip_case "Signature_Block length one short" $P \
  "$(upd --next-hop $r --mp $P --attr "$(edit block-length "$(sign $P "65304 65001")")")" \
  signature-length
P=10.71.21.0/24
strip_case "BGPsec_PATH flags transitive" $P \
  "$(upd --next-hop $r --mp $P --attr "$(edit attr-flags "$(sign $P "65304 65001")" 0xC0)")" \
  attribute-flags
# No Secure_Path to keep: withdrawn under strip too, and the log says why.
P=10.71.22.0/24
withdraw_case "strip: Secure_Path length inconsistent" $r $P "$(good_update_r $P)" valid \
  "$(upd --next-hop $r --mp $P --attr "$(edit secure-path-length "$(sign $P "65304 65001")")")" \
  "secure-path-length.*Secure_Path did not parse"
P=10.71.23.0/24
attr=$(sign $P "65304 65001")
cut=$(($(printf '%s' "$attr" | wc -c) / 2 - 4 - 5))  # the value cut to 5 octets: inside the Secure_Path
withdraw_case "strip: truncated inside the Secure_Path" $r $P "$(good_update_r $P)" valid \
  "$(upd --next-hop $r --mp $P --attr "$(edit truncate "$attr" $cut)")" \
  "secure-path-truncated.*Secure_Path did not parse"
peer_up "end of test" $q $pid_q
peer_up "end of test" $r $pid_r

summary
