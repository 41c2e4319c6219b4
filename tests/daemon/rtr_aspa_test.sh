#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# ASPA over RTR version 2 (docs/aspa.md §11) against the real cache: stayrtr 0.5.1, which sends
# the older ASPA PDU layout, one record per customer and address family, and a changed provider
# set as "announce new, withdraw old".
#   * full load: bgpsec rtr-dump offers version 2 and prints the ASPAs stayrtr was given;
#   * while a session runs: a provider set added to, one changed, one withdrawn arrive as
#     deltas, and the changed set survives the withdrawal of its old version;
#   * bgpsecd with two caches of one preference and a JSON file: the snapshot counts every
#     source's customers, and a customer the caches share stays while either holds it;
#   * a cache that speaks only version 1 (stayrtr -protocol 1): the client follows it down,
#     keeps the router keys, and has no ASPAs.
# Addresses 127.0.50.1-20 and ports 18390-18399 belong to this test: stayrtr A on
# 127.0.50.1:18390 (metrics 18391), stayrtr B on 127.0.50.2:18392 (metrics 18393), bgpsecd on
# 127.0.50.5:18399.
set -uo pipefail
: "${BGPSEC:?}" "${BGPSECD:?}" "${BGPSECCTL:?}" "${PORT:?}"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
need stayrtr
a=127.0.50.1:18390
b=127.0.50.2:18392

"$BGPSEC" keygen --asn 65001 --out "$work/keys" >/dev/null || exit 1
"$BGPSEC" rpki-json --key-dir "$work/keys" --roa 192.0.2.0/24=65001 >"$work/base.json" || exit 1

# aspa_file OUT 'V4' 'V6': base.json with provider_authorizations {"ipv4": V4, "ipv6": V6}
# (JSON lists of {"customer_asid", "providers"}) and a fresh buildtime
aspa_file() {
  python3 - "$work/base.json" "$1" "$2" "$3" <<'PY'
import json, sys, time
d = json.load(open(sys.argv[1]))
d["metadata"] = {"buildtime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                 "generated": int(time.time())}
d["provider_authorizations"] = {"ipv4": json.loads(sys.argv[3]), "ipv6": json.loads(sys.argv[4])}
json.dump(d, open(sys.argv[2] + ".new", "w"))
PY
  mv "$1.new" "$1"
}

# aspas FILE: the rtr-dump output's ASPAs as "customer=p1,p2 ..." (each customer once, sorted)
aspas() {
  python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])).get("provider_authorizations", {})
recs = {}
for fam in ("ipv4", "ipv6"):
    for r in d.get(fam, []):
        recs.setdefault(r["customer_asid"], set()).update(r["providers"])
print(" ".join(f"{c}=" + ",".join(str(p) for p in sorted(ps)) for c, ps in sorted(recs.items())))
PY
}

# dump_until ADDR WANT: until `rtr-dump --cache ADDR` gives the ASPAs WANT (as `aspas` prints
# them); about 30 s at most (stayrtr re-reads its file every second here)
dump_until() {
  local got=""
  for _ in $(seq 60); do
    if "$BGPSEC" rtr-dump --cache "$1" --timeout 5 >"$work/until.json" 2>"$work/until.err"; then
      got=$(aspas "$work/until.json")
      [ "$got" = "$2" ] && return 0
    fi
    sleep 0.5
  done
  echo "  last seen from $1: '$got' $(cat "$work/until.err")"
  return 1
}

# --- version 2: the full load carries the ASPAs ------------------------------------------------
aspa_file "$work/a.json" '[{"customer_asid": 64496, "providers": [64497]},
  {"customer_asid": 64510, "providers": [64511]}]' '[{"customer_asid": 64496, "providers": [64497]}]'
stayrtr_start "$a" 127.0.50.1:18391 "$work/a.json" -refresh 1
stayrtr_pid_a=$stayrtr_pid
stayrtr_wait "$a"
if "$BGPSEC" rtr-dump --cache "$a" -v >"$work/dump.json" 2>"$work/err"; then ok; else bad "rtr-dump v2: $(cat "$work/err")"; fi
if [ "$(aspas "$work/dump.json")" = "64496=64497 64510=64511" ]; then ok; else bad "full load: $(aspas "$work/dump.json")"; fi
if ! grep -q "protocol version" "$work/err"; then ok; else bad "version changed against a v2 cache: $(cat "$work/err")"; fi
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if len(d["roas"]) == 1 and len(d["bgpsec_keys"]) == 1 else 1)' "$work/dump.json" &&
  ok || bad "v2 lost VRPs or keys: $(head -c 400 "$work/dump.json")"

# --- while a session runs: add, change and withdraw ----------------------------------------------
# 64496 gets a second provider for IPv4 (stayrtr: announce {64497, 64498}, then withdraw
# {64497}); 64520 is new; 64510 is withdrawn. The session sees each as one delta.
"$BGPSEC" rtr-dump --cache "$a" --updates 1000 --timeout 10 >"$work/follow.jsonl" 2>"$work/follow.err" &
follow=$!
sleep 1.5
aspa_file "$work/a.json" '[{"customer_asid": 64496, "providers": [64497, 64498]},
  {"customer_asid": 64520, "providers": [0]}]' '[{"customer_asid": 64496, "providers": [64497]}]'
wait "$follow"
python3 - "$work/follow.jsonl" <<'PY' && ok || bad "no delta with the ASPA change: $(head -c 800 "$work/follow.jsonl")"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
assert lines and lines[0]["event"] == "full"
def recs(d):
    return sorted((r["customer_asid"], tuple(r["providers"]))
                  for r in d.get("provider_authorizations", {}).get("ipv4", []))
ok = any(l["event"] == "delta"
         and recs(l["announced"]) == [(64496, (64497, 64498)), (64520, (0,))]
         and recs(l["withdrawn"]) == [(64496, (64497,)), (64510, (64511,))]
         for l in lines)
sys.exit(0 if ok else 1)
PY
# The client's state afterwards: the new set stands (the withdrawal of the old one did not take
# it), united with the IPv6 record.
if dump_until "$a" "64496=64497,64498 64520=0"; then ok; else bad "after the change"; fi

# A provider set changed in both families, then every ASPA withdrawn.
aspa_file "$work/a.json" '[{"customer_asid": 64496, "providers": [64499]}]' \
  '[{"customer_asid": 64496, "providers": [64499]}]'
if dump_until "$a" "64496=64499"; then ok; else bad "after the second change"; fi
aspa_file "$work/a.json" '[]' '[]'
if dump_until "$a" ""; then ok; else bad "after the withdrawal"; fi

# --- bgpsecd: two caches of one preference and a file ---------------------------------------------
aspa_file "$work/a.json" '[{"customer_asid": 64496, "providers": [64497]}]' '[]'
aspa_file "$work/b.json" '[{"customer_asid": 64496, "providers": [64498]},
  {"customer_asid": 64530, "providers": [64531]}]' '[]'
stayrtr_start "$b" 127.0.50.2:18393 "$work/b.json" -refresh 1
stayrtr_pid_b=$stayrtr_pid
stayrtr_wait "$b"
aspa_file "$work/file.json" '[{"customer_asid": 64540, "providers": [64541]}]' '[]'
{
  global_toml d 65010 127.0.50.5
  printf '\n[rpki]\nfiles = ["%s"]\n' "$work/file.json"
  printf '\n[[rpki.cache]]\naddress = "%s"\npreference = 1\n' "$a" "$b"
} >"$work/d.toml"
start d
# show_rpki FIELD-EXPR: the value of a Python expression over `show rpki` (as `r`)
show_rpki() {
  ctl d show rpki 2>/dev/null | python3 -c 'import json,sys; r=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1" 2>/dev/null
}
# rpki_until EXPR WANT: until show_rpki EXPR prints WANT; about 30 s at most
rpki_until() {
  for _ in $(seq 60); do
    [ "$(show_rpki "$1")" = "$2" ] && return 0
    sleep 0.5
  done
  echo "  show rpki: $(ctl d show rpki 2>&1 | head -c 1500)"
  return 1
}
caches_aspas='" ".join(str(c["aspas"]) for c in sorted(r["caches"], key=lambda c: c["name"]))'
versions='" ".join(str(c["version"]) for c in r["caches"])'
# Customers 64496 (both caches), 64530 (B) and 64540 (the file).
if rpki_until 'r["aspa_customers"]' 3; then ok; else bad "the snapshot does not have every source's ASPAs"; fi
if rpki_until "$caches_aspas" "1 2"; then ok; else bad "per-cache ASPA counts"; fi
if [ "$(show_rpki "$versions")" = "2 2" ]; then ok; else bad "cache versions: $(show_rpki "$versions")"; fi
if [ "$(show_rpki 'r["files"][0]["aspas"]')" = 1 ]; then ok; else bad "file ASPA count"; fi
# A drops 64496: B still has it. Then B drops it too.
aspa_file "$work/a.json" '[]' '[]'
if rpki_until "$caches_aspas" "0 2"; then ok; else bad "A's withdrawal"; fi
if [ "$(show_rpki 'r["aspa_customers"]')" = 3 ]; then ok; else bad "64496 lost while B holds it"; fi
aspa_file "$work/b.json" '[{"customer_asid": 64530, "providers": [64531]}]' '[]'
if rpki_until 'r["aspa_customers"]' 2; then ok; else bad "B's withdrawal"; fi
kill "$pid_d" "$stayrtr_pid_b" "$stayrtr_pid_a" 2>/dev/null
wait "$stayrtr_pid_a" 2>/dev/null

# --- a cache that speaks only version 1 -----------------------------------------------------------
aspa_file "$work/a.json" '[{"customer_asid": 64496, "providers": [64497]}]' '[]'
stayrtr_start "$a" 127.0.50.1:18391 "$work/a.json" -refresh 600 -protocol 1
stayrtr_wait "$a"
if "$BGPSEC" rtr-dump --cache "$a" -v >"$work/dump1.json" 2>"$work/err"; then ok; else bad "rtr-dump v1 cache: $(cat "$work/err")"; fi
# stayrtr answers the version 2 query in version 1 without an Error Report: the client follows.
if grep -q "^rtr $a: protocol version 2 -> 1$" "$work/err"; then ok; else bad "no downgrade to 1 logged: $(cat "$work/err")"; fi
python3 - "$work/dump1.json" <<'PY' && ok || bad "v1 data: $(head -c 400 "$work/dump1.json")"
import json, sys
d = json.load(open(sys.argv[1]))
pa = d.get("provider_authorizations", {})
sys.exit(0 if len(d["bgpsec_keys"]) == 1 and not pa.get("ipv4") and not pa.get("ipv6") else 1)
PY

summary
