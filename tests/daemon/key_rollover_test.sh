#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# A router key rollover (RFC 8634 §4) across a chain of three bgpsecd: A (AS 65221, 127.0.22.1)
# originates 250 prefixes and signs them, B (AS 65222, 127.0.22.2) forwards them signed, C
# (AS 65223, 127.0.22.3) validates them against a real stayrtr (127.0.22.10) serving the router
# keys as JSON. A scripted BGPsec peer W (AS 65224, 127.0.22.4) also takes B's routes and records
# every UPDATE B sends, to count withdrawals. The steps:
#   1. A's old key is published and signs: C has every route Valid, signed with the old SKI;
#   2. the new key is added to A's unchanged key_dir and published; reload: A loads it (show
#      rpki lists both, the new one in the RPKI data) and still signs with the old one;
#   3. [bgpsec.active_key] names the new SKI; reload: A signs every advertised route again with
#      it, C sees the new SKI on every route; show rpki and the metrics count the signatures;
#   4. the old key leaves the cache, and A's key_dir: C's routes stay Valid;
#   5. the active key leaves the cache too: A warns in its log and bgpsecd_router_key_in_rpki
#      of that key drops to 0 (peers would now see A's routes Not Valid).
# All along, a watcher polls C's routes: none may be missing or other than Valid once they
# were all Valid, and W must get no withdrawal from B.
# Run by ctest with BGPSECD, BGPSECCTL, BGPSEC, STAYRTR and PORT set. Addresses 127.0.22.1-10
# and ports PORT..PORT+3 on them belong to this test.
set -uo pipefail
: "${BGPSECD:?}" "${BGPSECCTL:?}" "${BGPSEC:?}" "${PORT:?}"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
need "${STAYRTR:-stayrtr}"
a=127.0.22.1
b=127.0.22.2
c=127.0.22.3
w=127.0.22.4
rtr=127.0.22.10:$((PORT + 1))
metrics=$a:$((PORT + 3))
routes_n=250

# --- keys: A's old and new key, B's and C's; the published set in $work/pub ---------------------
mkdir -m 700 "$work/pub" "$work/keys"
for asn in 65221 65222 65223; do
  "$BGPSEC" keygen --asn $asn --out "$work/keys/$asn" >/dev/null || exit 1
done
"$BGPSEC" keygen --asn 65221 --out "$work/new" >/dev/null || exit 1
old_file=$(echo "$work/keys/65221"/*.pem)
new_file=$(echo "$work/new"/*.pem)
old_ski=$(basename "$old_file" .pem | cut -d. -f2)
new_ski=$(basename "$new_file" .pem | cut -d. -f2)
# The old key's file is the older one (choose_active_key: the oldest signs without active_key).
touch -d '-1 hour' "$old_file"
cp -p "$work/keys"/*/*.pem "$work/pub/"
publish() {  # the file stayrtr serves, from $work/pub (atomically, by rename)
  "$BGPSEC" rpki-json --key-dir "$work/pub" >"$work/rpki.json.tmp" || exit 1
  mv "$work/rpki.json.tmp" "$work/rpki.json"
}
publish
# -refresh 2: stayrtr re-reads the file every 2 s.
stayrtr_start "$rtr" "127.0.22.10:$((PORT + 2))" "$work/rpki.json" -refresh 2
stayrtr_wait "$rtr" 3 0

# --- configs -------------------------------------------------------------------------------------
# config NAME ASN ADDR NEIGHBOR...  (NEIGHBOR = addr:asn[:passive])
config() {
  local name=$1 asn=$2 addr=$3
  shift 3
  global_toml "$name" "$asn" "$addr" >"$work/$name.toml"
  printf '\n[[rpki.cache]]\naddress = "%s"\n\n[bgpsec]\nkey_dir = "%s"\n' "$rtr" \
    "$work/keys/$asn" >>"$work/$name.toml"
  printf '\n[[policy]]\nname = "all"\ndefault_action = "accept"\n' >>"$work/$name.toml"
  local n lines
  for n in "$@"; do
    IFS=: read -r n_addr n_asn n_passive <<<"$n"
    lines=('bgpsec = true')
    [ -n "$n_passive" ] && lines+=('passive = true')
    neighbor_toml "$n_addr" "$n_asn" "$addr" '["ipv4"]' "${lines[@]}" >>"$work/$name.toml"
  done
}
config a 65221 $a $b:65222
config b 65222 $b $a:65221 $c:65223 $w:65224:passive
config c 65223 $c $b:65222
sed -i "s/^listen = \"\"$/listen = \"$metrics\"/" "$work/a.toml"
for i in $(seq 0 $((routes_n - 1))); do
  printf '\n[[network]]\nprefix = "10.%d.%d.0/24"\n' $((i / 200)) $((i % 200)) >>"$work/a.toml"
done
for name in a b c; do
  if "$BGPSECD" -n -c "$work/$name.toml" >/dev/null 2>"$work/err"; then ok
  else bad "config $name: $(cat "$work/err")"; fi
done

judge_py <<PY
A = 65221
def a_routes(out):
    return [r for r in out["routes"] if r["prefix"].startswith("10.")]
def a_ski(r):
    return next((s.get("ski") for s in r.get("secure_path") or [] if s["asn"] == A), None)
def all_valid(out, ski):
    rs = a_routes(out)
    return len(rs) == $routes_n and all(r["path_state"] == "valid" and a_ski(r) == ski for r in rs)
def keys_of(out):
    ases = out["signing_keys"]["ases"]
    return {k["ski"]: k for k in ases[0]["keys"]} if ases else {}
def synced(out, n):
    return out["router_keys"] == n and all(c["in_sync"] for c in out["caches"])
PY

# B and C first, A once they hold the cache's data (a route that arrives before its key is
# Not Valid until the key comes, which is not what this test is about).
start b
start c
for name in b c; do
  expect "$name has the cache's 3 keys" 20 "synced(out, 3)" ctl "$name" show rpki
done
start a
: >"$work/w.lines"
python3 "$(dirname "$0")/bgp_test_peer.py" session --asn 65224 --router-id $w \
  --connect "$b:$PORT" --bind $w --families ipv4 --hold-time 9 --timeout 600 \
  --updates "$work/w.lines" --follow >"$work/w.out" 2>&1 &
pids+=($!)
for name in a b c; do
  expect "sessions at $name" 40 'all(n["state"] == "established" for n in out["neighbors"])' \
    ctl "$name" show neighbors
done

# --- 1. the old key signs ---------------------------------------------------------------------
expect "step 1: C has A's $routes_n routes Valid, signed with the old SKI" 40 \
  "all_valid(out, '$old_ski')" ctl c show routes
expect "step 1: A shows its one key, active, in the RPKI data, signing" 10 \
  "keys_of(out).keys() == {'$old_ski'} and keys_of(out)['$old_ski']['active'] and keys_of(out)['$old_ski']['in_rpki'] and keys_of(out)['$old_ski']['signatures'] >= $routes_n" \
  ctl a show rpki

# The watcher: C's view every 0.2 s, one line each: how many of A's routes are Valid, and
# their A SKIs; until $work/stop exists (or 150 s).
cat >"$work/watch.py" <<PY
import json, os, subprocess, sys, time
deadline = time.time() + 150
with open(sys.argv[1], "w") as log:
    while not os.path.exists(sys.argv[2]) and time.time() < deadline:
        p = subprocess.run(["$BGPSECCTL", "--socket", "$work/c.sock", "--json", "show", "routes"],
                           capture_output=True, text=True)
        try:
            rs = [r for r in json.loads(p.stdout)["routes"] if r["prefix"].startswith("10.")]
        except Exception as e:
            log.write("error %s\n" % e)
            continue
        valid = sum(1 for r in rs if r["path_state"] == "valid")
        skis = sorted({next((s.get("ski") for s in r.get("secure_path") or [] if s["asn"] == 65221), "-") for r in rs})
        log.write("%d %d %s\n" % (len(rs), valid, ",".join(skis)))
        log.flush()
        time.sleep(0.2)
PY
python3 "$work/watch.py" "$work/watch.log" "$work/stop" &
pids+=($!)
watch_pid=$!

# --- 2. the new key added and published; A still signs with the old one ----------------------------
cp "$new_file" "$work/keys/65221/"
cp -p "$new_file" "$work/pub/"
publish
for name in a b c; do
  expect "step 2: $name has the new key from the cache" 20 "synced(out, 4)" ctl "$name" show rpki
done
ctl a reload >"$work/reload.json" 2>&1 || bad "step 2: reload: $(cat "$work/reload.json")"
if grep -q "router key AS65221 $new_ski added" "$work/reload.json" &&
  ! grep -q "$new_ski active" "$work/reload.json"; then ok
else bad "step 2: the reload with the unchanged key_dir said: $(cat "$work/reload.json")"; fi
expect "step 2: A shows both keys, the old one active, the new one in the RPKI and unused" 10 \
  "keys_of(out).keys() == {'$old_ski', '$new_ski'} and keys_of(out)['$old_ski']['active'] and not keys_of(out)['$new_ski']['active'] and keys_of(out)['$new_ski']['in_rpki'] and keys_of(out)['$new_ski']['signatures'] == 0" \
  ctl a show rpki
sleep 2
expect "step 2: C still sees the old SKI on every route" 1 "all_valid(out, '$old_ski')" \
  ctl c show routes

# --- 3. the new key made active: every route signed again -------------------------------------------
printf '\n[bgpsec.active_key]\n65221 = "%s"\n' "$new_ski" >>"$work/a.toml"
ctl a reload >"$work/reload.json" 2>&1 || bad "step 3: reload: $(cat "$work/reload.json")"
if grep -q "router key AS65221 $new_ski active" "$work/reload.json" &&
  grep -q "router key AS65221: $routes_n routes to be signed again" "$work/reload.json"; then ok
else bad "step 3: the reload said: $(cat "$work/reload.json")"; fi
expect "step 3: C sees the new SKI on every route, all Valid" 40 "all_valid(out, '$new_ski')" \
  ctl c show routes
expect "step 3: A signed every route again with the new key" 10 \
  "keys_of(out)['$new_ski']['active'] and keys_of(out)['$new_ski']['signatures'] >= $routes_n and out['signing_keys']['routes_resigned'] == $routes_n and out['signing_keys']['resign_pending'] == 0 and out['signing_keys']['ases'][0]['active_from'] == 'active_key'" \
  ctl a show rpki
if "$BGPSECCTL" --socket "$work/a.sock" show rpki | grep "^$new_ski  yes" >/dev/null; then ok
else bad "step 3: text view: $("$BGPSECCTL" --socket "$work/a.sock" show rpki)"; fi
if python3 - "http://$metrics/metrics" "$new_ski" "$old_ski" "$routes_n" <<'PY'; then ok; else bad "step 3: metrics (above)"; fi
import re, sys, urllib.request
url, new, old, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
body = urllib.request.urlopen(url, timeout=5).read().decode()
def value(name, ski):
    m = re.search(r'^%s\{asn="65221",ski="%s"\} (\S+)$' % (name, ski), body, re.M)
    return float(m.group(1)) if m else None
got = (value("bgpsecd_router_key_active", new), value("bgpsecd_router_key_active", old),
       value("bgpsecd_router_key_signatures_total", new))
if got[0] != 1 or got[1] != 0 or got[2] is None or got[2] < n:
    print("metrics: active new/old, signatures new:", got)
    print("\n".join(l for l in body.splitlines() if "router_key" in l))
    sys.exit(1)
PY

# --- 4. the old key withdrawn from the cache and from A -----------------------------------------
rm "$work/pub/$(basename "$old_file")"
publish
for name in a b c; do
  expect "step 4: the old key left $name's RPKI data" 20 "synced(out, 3)" ctl "$name" show rpki
done
rm "$old_file"
sed -i '/^\[bgpsec.active_key\]$/,$d' "$work/a.toml"
ctl a reload >"$work/reload.json" 2>&1 || bad "step 4: reload: $(cat "$work/reload.json")"
if grep -q "router key AS65221 $old_ski removed" "$work/reload.json" &&
  ! grep -q "signed again" "$work/reload.json"; then ok
else bad "step 4: the reload said: $(cat "$work/reload.json")"; fi
sleep 3
expect "step 4: C's routes are all Valid with the new SKI" 1 "all_valid(out, '$new_ski')" \
  ctl c show routes
expect "step 4: A signs with its one key" 5 \
  "keys_of(out).keys() == {'$new_ski'} and keys_of(out)['$new_ski']['active'] and out['signing_keys']['ases'][0]['active_from'] == 'oldest'" \
  ctl a show rpki

# --- all along: C never lost a route nor saw one other than Valid; no withdrawal from B ----------
touch "$work/stop"
wait "$watch_pid"
samples=$(grep -c . "$work/watch.log")
broken=$(grep -v "^$routes_n $routes_n " "$work/watch.log" | head -3)
if [ "$samples" -ge 20 ] && [ -z "$broken" ] && grep -q " $new_ski\$" "$work/watch.log"; then ok
else bad "C's view over the rollover ($samples samples): $broken; last: $(tail -1 "$work/watch.log")"; fi
echo quit >>"$work/w.lines"
if python3 - "$work/w.out" "$routes_n" <<'PY'; then ok; else bad "W's view of B's UPDATEs (above)"; fi
import json, sys
withdrawals = announced = 0
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e.get("event") != "update":
        continue
    m = bytes.fromhex(e["hex"])
    body = m[19:]
    wlen = int.from_bytes(body[0:2], "big")
    alen = int.from_bytes(body[2 + wlen:4 + wlen], "big")
    attrs = body[4 + wlen:4 + wlen + alen]
    types, i = [], 0
    while i + 2 < len(attrs):
        flags, code = attrs[i], attrs[i + 1]
        if flags & 0x10:
            length, head = int.from_bytes(attrs[i + 2:i + 4], "big"), 4
        else:
            length, head = attrs[i + 2], 3
        types.append(code)
        i += head + length
    if wlen > 0 or 15 in types:  # withdrawn routes, MP_UNREACH_NLRI
        withdrawals += 1
    elif 33 in types:  # with a BGPsec_PATH
        announced += 1
# The table once, then once more signed with the new key (End-of-RIB has no MP_REACH).
if withdrawals or announced < 2 * int(sys.argv[2]):
    print("W: %d UPDATEs with withdrawals, %d BGPsec announcements" % (withdrawals, announced))
    sys.exit(1)
PY
# --- 5. the active key leaves the RPKI (its certificate revoked): A says so ---------------------
rm "$work/pub/$(basename "$new_file")"
publish
expect "step 5: the active key left A's RPKI data" 20 "synced(out, 2)" ctl a show rpki
if grep -q "our signing key AS65221 $new_ski is no longer in the RPKI" "$work/a.log"; then ok
else bad "step 5: no warning in A's log: $(grep -i 'rpki' "$work/a.log" | tail -3)"; fi
scrape() { python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())' "http://$metrics/metrics"; }
if scrape | grep "^bgpsecd_router_key_in_rpki{asn=\"65221\",ski=\"$new_ski\"} 0$" >/dev/null; then ok
else bad "step 5: metrics: $(scrape | grep router_key_in_rpki)"; fi

summary
