#!/usr/bin/env bash
# BGPsec end to end (RFC 8205) through four bgpsecd in a chain on loopback, fed by stayrtr:
#   A(65201, 127.0.0.61) - B(65202, .62) - C(65203, .63) - D(65204, .64), every session eBGP with
#   BGPsec negotiated both ways for ipv4 and ipv6, and E(65205, .65) peering with D WITHOUT
#   BGPsec. stayrtr (127.0.0.69, RTR on PORT+5, metrics on PORT+6) serves the router keys of the
#   four ASes (`bgpsec keygen`) and ROAs for A's prefixes (`bgpsec rpki-json`).
# Checks, through `bgpsecctl --json`:
#   - `show neighbors` reports BGPsec send and receive for both families on the chain, none
#     towards E; A counts signed UPDATEs;
#   - A's IPv4 and IPv6 routes reach B, C and D signed: as_path / secure_path newest first,
#     path_state "valid", origin_state "valid";
#   - E gets them as an ordinary AS_PATH [65204, 65203, 65202, 65201], path_state "unsigned";
#   - churn (RFC 8374 §9.2): B's router key removed from the cache -> path_state "not-valid" at C
#     and D, the route kept and still signed (RFC 8374 §8.2), B (signed by A only) still valid;
#     a reset C-D session brings the route back to D signed and not-valid; the key back ->
#     "valid" again; A's ROAs removed -> origin_state "not-found" at D; back -> "valid".
# Run by ctest with BGPSECD, BGPSECCTL, BGPSEC, STAYRTR and PORT (17970) set. KEEP=1 keeps the
# temporary directory (configs, logs, JSON files).
set -uo pipefail
: "${BGPSECD:?}" "${BGPSECCTL:?}" "${BGPSEC:?}" "${PORT:?}"
STAYRTR=${STAYRTR:-stayrtr}
command -v "$STAYRTR" >/dev/null || { echo "stayrtr is not installed (scripts/setup)"; exit 1; }
rtr_addr=127.0.0.69:$((PORT + 5))
rtr_metrics=127.0.0.69:$((PORT + 6))
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  [ -n "${KEEP:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
started=$SECONDS

# --- RPKI data: four router keys, ROAs for A's prefixes ------------------------------------------
net4=192.0.2.0/24
net6=2001:db8:61::/48
mkdir -m 700 "$work/rpki-keys"
for asn in 65201 65202 65203 65204; do
  "$BGPSEC" keygen --asn "$asn" --out "$work/keys/$asn" >/dev/null || exit 1
  cp -p "$work/keys/$asn"/*.pem "$work/rpki-keys/" || exit 1
done
roas=(--roa "$net4=65201" --roa "$net6=65201")
# publish [KEY-DIR [ROA-ARGS...]]: writes the file stayrtr serves (atomically, by rename)
publish() {
  local dir=${1:-$work/rpki-keys}
  shift || true
  "$BGPSEC" rpki-json --key-dir "$dir" "$@" >"$work/rpki.json.tmp" || exit 1
  mv "$work/rpki.json.tmp" "$work/rpki.json"
}
publish "$work/rpki-keys" "${roas[@]}"

# A short -refresh: stayrtr re-reads the file and sends Serial Notify every 2 s (with router
# keys present it bumps the serial on every refresh even without a change, see peers.md §2.1).
"$STAYRTR" -bind "$rtr_addr" -metrics.addr "$rtr_metrics" -cache "$work/rpki.json" -refresh 2 \
  >"$work/stayrtr.log" 2>&1 &
pids+=($!)
up=
for _ in $(seq 50); do
  if "$BGPSEC" rtr-dump --cache "$rtr_addr" --timeout 1 >"$work/dump.json" 2>/dev/null &&
    python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if len(d['bgpsec_keys']) == 4 and len(d['roas']) == 2 else 1)" "$work/dump.json" 2>/dev/null; then
    up=1
    break
  fi
  sleep 0.2
done
[ -n "$up" ] || { echo "stayrtr did not serve the data:"; tail -5 "$work/stayrtr.log"; exit 1; }

# --- configs -------------------------------------------------------------------------------------
# config NAME ASN ADDR KEYS NETWORKS NEIGHBOR...  KEYS: "dir", "file" or "none"; NETWORKS:
# "yes" to originate A's prefixes; NEIGHBOR = addr:asn:bgpsec (bgpsec = true or false)
config() {
  local name=$1 asn=$2 addr=$3 keys=$4 networks=$5
  shift 5
  cat >"$work/$name.toml" <<TOML
[global]
asn = $asn
router_id = "$addr"
listen = ["$addr:$PORT"]
hold_time = 9

[control]
socket = "$work/$name.sock"

[metrics]
listen = ""

[[rpki.cache]]
address = "$rtr_addr"
TOML
  case $keys in
    dir) printf '\n[bgpsec]\nkey_dir = "%s"\n' "$work/keys/$asn" >>"$work/$name.toml" ;;
    file) printf '\n[bgpsec]\nkey_files = ["%s"]\n' "$(echo "$work/keys/$asn"/*.pem)" >>"$work/$name.toml" ;;
  esac
  if [ "$networks" = yes ]; then
    printf '\n[[network]]\nprefix = "%s"\n\n[[network]]\nprefix = "%s"\n' "$net4" "$net6" \
      >>"$work/$name.toml"
  fi
  printf '\n[[policy]]\nname = "all"\ndefault_action = "accept"\n' >>"$work/$name.toml"
  for n in "$@"; do
    IFS=: read -r n_addr n_asn n_bgpsec <<<"$n"
    cat >>"$work/$name.toml" <<TOML

[[neighbor]]
address = "$n_addr"
remote_as = $n_asn
local_address = "$addr"
port = $PORT
families = ["ipv4", "ipv6"]
bgpsec = $n_bgpsec
import = "all"
export = "all"
TOML
  done
}
config a 65201 127.0.0.61 dir yes 127.0.0.62:65202:true
config b 65202 127.0.0.62 dir no 127.0.0.61:65201:true 127.0.0.63:65203:true
config c 65203 127.0.0.63 file no 127.0.0.62:65202:true 127.0.0.64:65204:true
config d 65204 127.0.0.64 file no 127.0.0.63:65203:true 127.0.0.65:65205:false
config e 65205 127.0.0.65 none no 127.0.0.64:65204:false
for name in a b c d e; do
  if "$BGPSECD" -n -c "$work/$name.toml" >/dev/null 2>"$work/err"; then ok
  else bad "config $name: $(cat "$work/err")"; fi
done

start() {
  "$BGPSECD" -c "$work/$1.toml" >"$work/$1.log" 2>&1 &
  pids+=($!)
  eval "pid_$1=$!"
}
ctl() { "$BGPSECCTL" --socket "$work/$1.sock" --json "${@:2}"; }
# wait_for SECONDS PYTHON-EXPR NAME ARGS...: polls `bgpsecctl --json ARGS` until EXPR holds
wait_for() {
  local seconds=$1 expr=$2 name=$3
  shift 3
  local deadline=$((SECONDS + seconds))
  while [ $SECONDS -lt $deadline ]; do
    if ctl "$name" "$@" 2>/dev/null | python3 -c "import json,sys; out=json.load(sys.stdin); sys.exit(0 if ($expr) else 1)" 2>/dev/null; then
      return 0
    fi
    sleep 0.5
  done
  return 1
}
# routes NAME [ARGS...]: the routes at NAME, one compact line each (for failure messages)
routes() {
  ctl "$1" show routes "${@:2}" 2>&1 | python3 -c "
import json,sys
try:
    for r in json.load(sys.stdin)['routes']:
        print('   ', json.dumps({k: r.get(k) for k in ('prefix', 'peer', 'best', 'as_path', 'secure_path', 'path_state', 'origin_state')}))
except Exception as e:
    print('    (no JSON:', e, ')')"
}

# B, C, D and E first, A (the only origin) once they hold the cache's data: the path state is
# computed when an UPDATE arrives, so routes that arrived before the router keys would start
# out not-valid (see the churn checks below for revalidation).
start b
start c
start d
start e
synced='out["router_keys"] == 4 and out["vrps"] == 2 and all(c["in_sync"] for c in out["caches"])'
for name in b c d e; do
  if wait_for 20 "$synced" "$name" show rpki; then ok
  else bad "$name did not get the cache's data: $(ctl "$name" show rpki)"; fi
done
start a
if wait_for 20 "$synced" a show rpki; then ok; else bad "a did not get the cache's data: $(ctl a show rpki)"; fi

established='all(n["state"] == "established" for n in out["neighbors"])'
for name in a b c d e; do
  if wait_for 40 "$established" "$name" show neighbors; then ok
  else bad "sessions at $name: $(ctl "$name" show neighbors)"; fi
done

# --- show neighbors: BGPsec negotiated per family and direction ----------------------------------
# neighbor_bgpsec PEER BOOL: the expression "PEER's bgpsec fields are all BOOL"
neighbor_bgpsec() {
  echo "any(n['peer'] == '$1' and all(n['bgpsec'][f][d] is $2 for f in ('ipv4', 'ipv6') for d in ('send', 'receive')) for n in out['neighbors'])"
}
for pair in a:127.0.0.62 b:127.0.0.61 b:127.0.0.63 c:127.0.0.62 c:127.0.0.64 d:127.0.0.63; do
  if wait_for 5 "$(neighbor_bgpsec "${pair#*:}" True)" "${pair%%:*}" show neighbors; then ok
  else bad "${pair%%:*}: BGPsec not negotiated with ${pair#*:}: $(ctl "${pair%%:*}" show neighbors)"; fi
done
for pair in d:127.0.0.65 e:127.0.0.64; do
  if wait_for 5 "$(neighbor_bgpsec "${pair#*:}" False)" "${pair%%:*}" show neighbors; then ok
  else bad "${pair%%:*}: BGPsec reported with ${pair#*:}: $(ctl "${pair%%:*}" show neighbors)"; fi
done
# the text view has the BGPsec columns
if "$BGPSECCTL" --socket "$work/b.sock" show neighbors | grep -q '127.0.0.63.*send+recv.*send+recv'; then ok
else bad "text view: $("$BGPSECCTL" --socket "$work/b.sock" show neighbors)"; fi

# --- signed routes along the chain ----------------------------------------------------------------
# route PREFIX ASPATH PATH-STATE ORIGIN-STATE [SIGNED]: a best route for PREFIX with that AS path
# and those states (a "failure" exactly when not-valid); SIGNED yes: its secure_path lists the
# same ASes with pCount 1; no: it has none
route() {
  local signed
  if [ "${5:-yes}" = yes ]; then
    signed="[(s['asn'], s['pcount'], s['confed']) for s in r.get('secure_path', [])] == [(a, 1, False) for a in $2]"
  else
    signed="'secure_path' not in r"
  fi
  signed="$signed and ('failure' in r) == ('$3' == 'not-valid')"
  echo "any(r['prefix'] == '$1' and r['best'] and r['as_path'] == $2 and r['path_state'] == '$3' and r['origin_state'] == '$4' and $signed for r in out['routes'])"
}
# check_route NAME SECONDS PREFIX ASPATH PATH-STATE ORIGIN-STATE [SIGNED] -- WHAT
check_route() {
  local name=$1 seconds=$2
  shift 2
  if wait_for "$seconds" "$(route "$1" "$2" "$3" "$4" "${5:-yes}")" "$name" show routes; then ok
  else bad "$name: ${*: -1}: want $1 as_path $2 $3/$4; have:"; routes "$name"; fi
}
for p in $net4 $net6; do
  check_route a 5 "$p" "[]" unsigned valid no "own network"
  check_route b 20 "$p" "[65201]" valid valid yes "signed route from A"
  check_route c 20 "$p" "[65202, 65201]" valid valid yes "signed route via B"
  check_route d 20 "$p" "[65203, 65202, 65201]" valid valid yes "signed route via C"
  check_route e 20 "$p" "[65204, 65203, 65202, 65201]" unsigned valid no "unsigned from D"
done
if wait_for 5 "any(n['peer'] == '127.0.0.62' and n['counters']['signed_updates'] >= 2 and n['counters']['sign_failures'] == 0 for n in out['neighbors'])" a show neighbors; then ok
else bad "a: signed_updates towards B: $(ctl a show neighbors)"; fi
if wait_for 5 "any(n['peer'] == '127.0.0.65' and n['counters']['signed_updates'] == 0 for n in out['neighbors'])" d show neighbors; then ok
else bad "d signed towards E: $(ctl d show neighbors)"; fi
# what D received from C: the IPv4 route in MP_REACH with the next hop C
if wait_for 5 "any(r['prefix'] == '$net4' and r['next_hop'] == '127.0.0.63' and len(r.get('secure_path', [])) == 3 for r in out['routes'])" d show routes --received --peer 127.0.0.63; then ok
else bad "d: received from C:"; routes d --received --peer 127.0.0.63; fi

# --- churn: B's router key leaves the RPKI (RFC 8374 §9.2) ----------------------------------------
mkdir -m 700 "$work/rpki-keys-no-b"
cp -p "$work/rpki-keys"/6520[134].*.pem "$work/rpki-keys-no-b/"
t0=$SECONDS
publish "$work/rpki-keys-no-b" "${roas[@]}"
keys3='out["router_keys"] == 3'
for name in b c d; do
  if wait_for 15 "$keys3" "$name" show rpki; then ok
  else bad "$name still has $(ctl "$name" show rpki | grep -m1 router_keys) after B's key was removed"; fi
done
echo "key removal reached b, c, d after $((SECONDS - t0)) s"
for p in $net4 $net6; do
  check_route b 5 "$p" "[65201]" valid valid yes "B's key removed (A's signature still good)"
  check_route c 10 "$p" "[65202, 65201]" not-valid valid yes "B's key removed: revalidation"
  check_route d 10 "$p" "[65203, 65202, 65201]" not-valid valid yes "B's key removed: revalidation"
  check_route e 5 "$p" "[65204, 65203, 65202, 65201]" unsigned valid no "B's key removed"
done
# why: B's signature (segment 0 at C, 1 at D, newest first) has no router key
b_ski=$(basename "$work/keys/65202"/*.pem .pem)
b_ski=${b_ski#*.}
for pair in c:0 d:1; do
  if wait_for 5 "sum(1 for r in out['routes'] if r.get('failure', {}).get('reason') == 'key-not-found' and r['failure'].get('segment') == ${pair#*:} and r['failure'].get('asn') == 65202 and r['failure'].get('ski', '').upper() == '$b_ski') == 2" "${pair%%:*}" show routes; then ok
  else bad "${pair%%:*}: failure of the not-valid routes (want key-not-found, AS 65202, SKI $b_ski):"; ctl "${pair%%:*}" show routes; fi
done
if "$BGPSECCTL" --socket "$work/d.sock" show routes "$net4" | grep -q 'key-not-found.*65202'; then ok
else bad "d: text view of a not-valid route: $("$BGPSECCTL" --socket "$work/d.sock" show routes "$net4")"; fi
# The C-D session reset: C sends its (Not Valid) routes again, still signed (RFC 8374 §8.2),
# and D validates them afresh.
"$BGPSECCTL" --socket "$work/d.sock" clear neighbor 127.0.0.63 >/dev/null || bad "clear neighbor at d"
for p in $net4 $net6; do
  check_route d 30 "$p" "[65203, 65202, 65201]" not-valid valid yes "after the C-D reset, B's key absent"
done
if wait_for 5 "any(n['peer'] == '127.0.0.64' and n['counters']['signed_updates'] >= 4 and n['counters']['sign_failures'] == 0 for n in out['neighbors'])" c show neighbors; then ok
else bad "c did not sign its Not Valid routes again towards D: $(ctl c show neighbors)"; fi

# --- B's key back ------------------------------------------------------------------------------------
t0=$SECONDS
publish "$work/rpki-keys" "${roas[@]}"
for name in c d; do
  if wait_for 15 '"router_keys" in out and out["router_keys"] == 4' "$name" show rpki; then ok
  else bad "$name did not get B's key back: $(ctl "$name" show rpki | grep -m1 router_keys)"; fi
done
echo "key restore reached c, d after $((SECONDS - t0)) s"
for p in $net4 $net6; do
  check_route c 10 "$p" "[65202, 65201]" valid valid yes "B's key back"
  check_route d 10 "$p" "[65203, 65202, 65201]" valid valid yes "B's key back"
done

# --- ROA change: A's ROAs removed, then back -------------------------------------------------------
t0=$SECONDS
publish "$work/rpki-keys"
for name in a d; do
  if wait_for 15 'out["vrps"] == 0' "$name" show rpki; then ok
  else bad "$name still has VRPs: $(ctl "$name" show rpki | grep -m1 '"vrps"')"; fi
done
echo "ROA removal reached a, d after $((SECONDS - t0)) s"
for p in $net4 $net6; do
  check_route d 10 "$p" "[65203, 65202, 65201]" valid not-found yes "A's ROA removed"
  check_route a 5 "$p" "[]" unsigned not-found no "A's ROA removed (own network)"
done
publish "$work/rpki-keys" "${roas[@]}"
for p in $net4 $net6; do
  check_route d 15 "$p" "[65203, 65202, 65201]" valid valid yes "A's ROA back"
  check_route e 10 "$p" "[65204, 65203, 65202, 65201]" unsigned valid no "A's ROA back"
done

# every daemon still running, no UPDATE errors anywhere
for name in a b c d e; do
  if kill -0 "$(eval echo "\$pid_$name")" 2>/dev/null; then ok; else bad "bgpsecd $name died: $(tail -3 "$work/$name.log")"; fi
  if wait_for 2 "all(n['counters']['update_errors'] == 0 for n in out['neighbors'])" "$name" show neighbors; then ok
  else bad "$name: update errors: $(ctl "$name" show neighbors)"; fi
done

echo "$pass passed, $fail failed in $((SECONDS - started)) s"
[ "$fail" -eq 0 ]
