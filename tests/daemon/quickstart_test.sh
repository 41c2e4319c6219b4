#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The README's quick start, step by step, with the files of etc/quickstart: router keys made by
# `bgpsec keygen`, published with ROAs through stayrtr, two bgpsecd (AS 65001 and 65002) in a
# BGPsec session and BIRD (AS 65003) in a plain session with B. Checks what the README says
# the operator will see: A's route Valid at B (path and origin), the same route at BIRD
# unsigned with the AS_PATH rebuilt, and BIRD's route at A through B, unsigned.
# Run by ctest with BGPSECD, BGPSECCTL, BGPSEC and SOURCE_DIR set. Addresses 127.0.5.1-10,
# ports 1790 (BGP), 8282-8283 (stayrtr) belong to this test.
set -uo pipefail
: "${BGPSECD:?}" "${BGPSECCTL:?}" "${BGPSEC:?}" "${SOURCE_DIR:?}"
. "$(dirname "$0")/lib.sh"
need stayrtr
need bird
need birdc
on_cleanup() { [ -S "$work/bird.ctl" ] && birdc -s "$work/bird.ctl" down >/dev/null 2>&1; }

# 1. The lab directory holds the configs; every path in them is relative to it.
cp "$SOURCE_DIR"/etc/quickstart/{a.toml,b.toml,bird.conf} "$work/"
cd "$work" || exit 1
# 2. A router key per AS, and the RPKI data: both keys and a ROA per origin.
"$BGPSEC" keygen --asn 65001 --out keys >/dev/null || { bad "keygen 65001"; summary; }
"$BGPSEC" keygen --asn 65002 --out keys >/dev/null || { bad "keygen 65002"; summary; }
"$BGPSEC" rpki-json --key-dir keys --roa 192.0.2.0/24=65001 --roa 203.0.113.0/24=65003 \
  >rpki.json || { bad "rpki-json"; summary; }
# 3. The RTR cache.
stayrtr_start 127.0.5.10:8282 127.0.5.10:8283 rpki.json -checktime=false
stayrtr_wait 127.0.5.10:8282 2 2
# 4. The routers.
"$BGPSECD" -n -c a.toml >/dev/null 2>"$work/check.err" || bad "bgpsecd -n a.toml: $(cat "$work/check.err")"
start a
start b
bird -c bird.conf -s bird.ctl -P bird.pid || { bad "bird did not start"; summary; }

# 5. What the README says the operator sees.
judge_py <<'PY'
def route(out, prefix):
    return next((r for r in out['routes'] if r['prefix'] == prefix and r.get('best')), None)
PY
expect "B sees A's route Valid in path and origin" 30 \
  "(r := route(out, '192.0.2.0/24')) and r['path_state'] == 'valid' and r['origin_state'] == 'valid' and [s['asn'] for s in r['secure_path']] == [65001]" \
  ctl b show routes
expect "A sees BIRD's route through B, unsigned, origin Valid" 30 \
  "(r := route(out, '203.0.113.0/24')) and r['as_path'] == [65002, 65003] and r['path_state'] == 'unsigned' and r['origin_state'] == 'valid'" \
  ctl a show routes
# What went out, as `show routes --advertised` shows it: towards B our signed segment with our
# key's SKI; from B towards BIRD the AS_PATH rebuilt and no Secure_Path.
ski_a=$(basename keys/65001.*.pem .pem)
ski_a=${ski_a#65001.}
expect "A shows 192.0.2.0/24 sent to B with Secure_Path 65001 signed by $ski_a" 10 \
  "(r := route(out, '192.0.2.0/24')) and [(s['asn'], s.get('ski', '').upper()) for s in r.get('secure_path', [])] == [(65001, '${ski_a^^}')]" \
  ctl a show routes --advertised --peer 127.0.5.2
expect "B shows 192.0.2.0/24 sent to BIRD unsigned with AS_PATH 65002 65001" 10 \
  "(r := route(out, '192.0.2.0/24')) and 'secure_path' not in r and r['as_path'] == [65002, 65001]" \
  ctl b show routes --advertised --peer 127.0.5.3
expect "B shows 192.0.2.0/24 received from A signed by $ski_a" 10 \
  "(r := route(out, '192.0.2.0/24')) and [s.get('ski', '').upper() for s in r['secure_path']] == ['${ski_a^^}']" \
  ctl b show routes
for _ in $(seq 60); do
  birdc -s bird.ctl show route 192.0.2.0/24 all >bird.out 2>&1
  grep -q "BGP.as_path: 65002 65001" bird.out && break
  sleep 0.5
done
if grep -q "BGP.as_path: 65002 65001" bird.out; then ok
else bad "BIRD lacks 192.0.2.0/24 with AS_PATH 65002 65001: $(cat bird.out)"; fi
if "$BGPSECCTL" -s b.sock show neighbors >neighbors.txt 2>&1 &&
  [ "$(grep -c established neighbors.txt)" -eq 2 ]; then ok
else bad "B: both sessions Established: $(cat neighbors.txt)"; fi
# A cache added by reload is connected at once (bgpsecd.conf(5) Reload): the answer names it.
printf '\n[[rpki.cache]]\naddress = "127.0.5.10:8284"\npreference = 2\nversion = 1\n' >>b.toml
if "$BGPSECCTL" -s b.sock reload >reload.out 2>&1 && grep -q "rpki cache 127.0.5.10:8284 added" reload.out
then ok; else bad "reload with a cache added: $(cat reload.out)"; fi
summary
