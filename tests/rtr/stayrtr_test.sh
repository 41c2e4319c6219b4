#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The RTR client against a real cache: stayrtr serving a JSON file on loopback.
#   full load (v1: VRPs and router keys) equals what stayrtr was given; a v0-only cache
#   (-protocol 0) still gives the VRPs, after a downgrade to version 0; a changed file arrives
#   as a delta; a restarted stayrtr (new Session ID) gives a fresh full load; a cache without
#   data answers with the Error Report No Data Available, which is a clear error; a cache that
#   is not there is a clear error.
# Run by ctest with BGPSEC (the binary) and RTR_PORT (a free port of its own) set.
set -uo pipefail
: "${BGPSEC:?}" "${RTR_PORT:?}"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/../daemon/lib.sh"
need stayrtr
metrics_port=$((RTR_PORT + 1))
addr=127.0.0.1:$RTR_PORT

# start_stayrtr EXTRA-ARGS...: starts stayrtr on $addr serving $work/rpki.json
start_stayrtr() {
  stayrtr_start "$addr" "127.0.0.1:$metrics_port" "$work/rpki.json" -checktime=false "$@"
  stayrtr_wait "$addr"
}
stop_stayrtr() { kill "$stayrtr_pid" 2>/dev/null; wait "$stayrtr_pid" 2>/dev/null; }

# The data set: three router keys, IPv4 and IPv6 ROAs incl. maxLength and AS 0.
for asn in 65001 65002 4200000003; do
  "$BGPSEC" keygen --asn "$asn" --out "$work/keys" >/dev/null || exit 1
done
"$BGPSEC" rpki-json --key-dir "$work/keys" --roa 192.0.2.0/24=65001 \
  --roa 198.51.100.0/22-24=65002 --roa 2001:db8::/32-48=4200000003 --roa 203.0.113.0/24=0 \
  >"$work/rpki.json" || exit 1

# same_data A B: the roas and bgpsec_keys of two JSON files are equal as sets
same_data() {
  python3 - "$1" "$2" <<'PY'
import json, sys
def norm(path):
    d = json.load(open(path))
    roas = {(str(r["asn"]).upper().removeprefix("AS"), r["prefix"], r["maxLength"]) for r in d.get("roas", [])}
    keys = {(str(k["asn"]), k["ski"].upper(), k["pubkey"]) for k in d.get("bgpsec_keys", [])}
    return roas, keys
a, b = norm(sys.argv[1]), norm(sys.argv[2])
if a != b:
    print("  only in first:", a[0] - b[0], a[1] - b[1])
    print("  only in second:", b[0] - a[0], b[1] - a[1])
sys.exit(0 if a == b else 1)
PY
}

# --- v1: everything stayrtr was given --------------------------------------------------------
start_stayrtr -refresh 1
if "$BGPSEC" rtr-dump --cache "$addr" >"$work/dump.json" 2>"$work/err"; then ok; else bad "rtr-dump v1: $(cat "$work/err")"; fi
if same_data "$work/rpki.json" "$work/dump.json"; then ok; else bad "rtr-dump v1 differs from the file"; fi

# origin validation against the cache: the AS 0 ROA makes every origin Invalid (RFC 6811)
out=$("$BGPSEC" origin --prefix 203.0.113.0/24 --origin-as 65001 --cache "$addr" 2>&1)
if [ "$(echo "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["origin"])')" = invalid ]; then ok; else bad "origin via the cache: $out"; fi
out=$("$BGPSEC" origin --prefix 198.51.100.0/24 --origin-as 65002 --cache "$addr" 2>&1)
if [ "$(echo "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["origin"])')" = valid ]; then ok; else bad "origin via the cache: $out"; fi

# --- a changed file arrives as a delta ---------------------------------------------------------
# (stayrtr bumps the serial on every refresh when keys are present, docs/peers.md: take what
# arrives in 8 s and look for the one delta with the change)
"$BGPSEC" rtr-dump --cache "$addr" --updates 1000 --timeout 8 >"$work/follow.jsonl" 2>"$work/follow.err" &
follow=$!
sleep 1.5
python3 - "$work/rpki.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["roas"] = [r for r in d["roas"] if r["prefix"] != "192.0.2.0/24"]
d["roas"].append({"asn": 64500, "prefix": "192.0.2.128/25", "maxLength": 25})
d["bgpsec_keys"] = [k for k in d["bgpsec_keys"] if k["asn"] != 65002]
json.dump(d, open(sys.argv[1] + ".new", "w"))
PY
mv "$work/rpki.json.new" "$work/rpki.json"
wait "$follow"
python3 - "$work/follow.jsonl" <<'PY' && ok || bad "no delta with the change: $(head -c 600 "$work/follow.jsonl")"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
assert lines and lines[0]["event"] == "full", "the first transaction is the full load"
deltas = [l for l in lines if l["event"] == "delta"]
def has(d):
    a, w = d["announced"], d["withdrawn"]
    return ([r["prefix"] for r in a["roas"]] == ["192.0.2.128/25"]
            and [r["prefix"] for r in w["roas"]] == ["192.0.2.0/24"]
            and [k["asn"] for k in w["bgpsec_keys"]] == [65002] and not a["bgpsec_keys"])
sys.exit(0 if any(has(d) for d in deltas) else 1)
PY
"$BGPSEC" rtr-dump --cache "$addr" >"$work/dump2.json" 2>"$work/err" || bad "rtr-dump after the change"
if same_data "$work/rpki.json" "$work/dump2.json"; then ok; else bad "rtr-dump after the change differs"; fi

# --- stayrtr restarted: a new Session ID, a fresh full load ----------------------------------
# (stayrtr -refresh 1 sends a delta every second, so take what arrives in 12 s and look at it)
"$BGPSEC" rtr-dump --cache "$addr" --updates 1000 --timeout 12 -v >"$work/restart.jsonl" 2>"$work/restart.err" &
follow=$!
sleep 1.5
stop_stayrtr
sleep 0.5
start_stayrtr -refresh 600
wait "$follow"
python3 - "$work/restart.jsonl" <<'PY' && ok || bad "no second full load after the restart: $(cat "$work/restart.jsonl" "$work/restart.err" | head -20)"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
full = [l for l in lines if l["event"] == "full"]
# the second load is v2 again, with the router keys (a silent close is no version limit)
sys.exit(0 if len(full) == 2 and full[0]["session_id"] != full[1]["session_id"]
         and full[1]["announced"]["bgpsec_keys"] else 1)
PY
stop_stayrtr

# --- a version-0-only cache ----------------------------------------------------------------------
start_stayrtr -refresh 600 -protocol 0
if "$BGPSEC" rtr-dump --cache "$addr" -v >"$work/dump0.json" 2>"$work/err"; then ok; else bad "rtr-dump against a v0 cache: $(cat "$work/err")"; fi
# RFC 8210 §7: the client offered version 2 and went down to 0 (what -v logs).
if grep -q "^rtr $addr: protocol version 2 -> 0$" "$work/err"; then ok; else bad "no downgrade to version 0 logged: $(cat "$work/err")"; fi
python3 - "$work/rpki.json" "$work/dump0.json" <<'PY' && ok || bad "v0 data: $(cat "$work/dump0.json")"
import json, sys
want, got = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
sys.exit(0 if len(got["roas"]) == len(want["roas"]) and got["bgpsec_keys"] == [] else 1)
PY
stop_stayrtr

# --- a cache without data: Error Report No Data Available (RFC 8210 §12 code 2) ---------------
# stayrtr refuses a file whose buildtime is more than 24 h old (docs/peers.md) and answers every
# query with code 2. rtr-dump says so at once (exit 1, one line), and stayrtr stays up.
python3 - "$work/rpki.json" "$work/stale.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["metadata"] = {"buildtime": "2020-01-01T00:00:00Z", "generated": 1577836800}
json.dump(d, open(sys.argv[2], "w"))
PY
stayrtr_start "$addr" "127.0.0.1:$metrics_port" "$work/stale.json" -refresh 600
for _ in $(seq 50); do  # until it listens: then every attempt ends with the Error Report
  "$BGPSEC" rtr-dump --cache "$addr" --timeout 1 >/dev/null 2>"$work/err"
  grep -q "No Data Available" "$work/err" && break
  sleep 0.2
done
start=$SECONDS
"$BGPSEC" rtr-dump --cache "$addr" --timeout 20 >"$work/out" 2>"$work/err"
rc=$?
if [ $rc -eq 1 ] && [ ! -s "$work/out" ] && [ "$(wc -l <"$work/err")" -eq 1 ] &&
  grep -q "^bgpsec: cache $addr: .*Error Report No Data Available" "$work/err" &&
  [ $((SECONDS - start)) -lt 10 ]; then ok
else bad "no data: exit $rc after $((SECONDS - start)) s, stdout $(head -c 200 "$work/out"), stderr $(cat "$work/err")"; fi
# With -v the Error Report itself is logged, its text without stayrtr's trailing NUL.
"$BGPSEC" rtr-dump --cache "$addr" --timeout 20 -v >/dev/null 2>"$work/err"
if grep -q "^rtr $addr: cache sent Error Report No Data Available: No data available$" "$work/err"; then ok
else bad "no data, -v: $(cat -A "$work/err")"; fi
if kill -0 "$stayrtr_pid" 2>/dev/null; then ok; else bad "stayrtr died: $(tail -5 "$work/stayrtr.log")"; fi
stop_stayrtr

# --- two caches: the preferred one dies, the second takes over; the data is kept -----------------
primary=127.0.0.1:$((RTR_PORT + 2))
backup=127.0.0.1:$((RTR_PORT + 4))
"$BGPSEC" rpki-json --key-dir "$work/keys" --roa 192.0.2.0/24=65001 >"$work/primary.json"
"$BGPSEC" rpki-json --key-dir "$work/keys" --roa 198.51.100.0/24=65002 >"$work/backup.json"
serve() {  # serve ADDR METRICS-PORT FILE
  stayrtr_start "$1" "127.0.0.1:$2" "$3" -checktime=false -refresh 600
}
serve "$backup" $((RTR_PORT + 5)) "$work/backup.json"
backup_pid=$!
# Only the backup is up: after --failover-after it is used.
if "$BGPSEC" rtr-dump --cache "$primary" --cache "$backup" --failover-after 1 --timeout 20 \
  >"$work/fo1.json" 2>"$work/err" && same_data "$work/backup.json" "$work/fo1.json"; then ok
else bad "failover to the backup: $(cat "$work/err")"; fi
serve "$primary" $((RTR_PORT + 3)) "$work/primary.json"
primary_pid=$!
sleep 1
"$BGPSEC" rtr-dump --cache "$primary" --cache "$backup" --failover-after 1 --updates 1000 \
  --timeout 8 -v >"$work/fo2.jsonl" 2>"$work/fo2.err" &
follow=$!
sleep 2
kill "$primary_pid"
wait "$follow"
python3 - "$work/fo2.jsonl" <<'PY' && ok || bad "takeover: $(cat "$work/fo2.jsonl" "$work/fo2.err" | cut -c1-200 | head -20)"
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
added = [[v["prefix"] for v in e["vrps_added"]] for e in ev]
removed = [v["prefix"] for e in ev for v in e["vrps_removed"]]
# first the primary's data, then the backup's after the primary died; nothing removed (the
# primary's data is kept until its Expire interval)
sys.exit(0 if added[:2] == [["192.0.2.0/24"], ["198.51.100.0/24"]] and not removed else 1)
PY
kill "$backup_pid" 2>/dev/null

# --- no cache: a clear error, exit 1 ----------------------------------------------------------------
"$BGPSEC" rtr-dump --cache "$addr" --timeout 2 >"$work/out" 2>"$work/err"
rc=$?
if [ $rc -eq 1 ] && grep -q "$addr" "$work/err" && [ ! -s "$work/out" ]; then ok; else bad "no cache: exit $rc, $(cat "$work/err")"; fi
"$BGPSEC" rtr-dump --cache "127.0.0.1:notaport" >"$work/out" 2>"$work/err"
rc=$?
if [ $rc -eq 2 ] && grep -q "port" "$work/err"; then ok; else bad "bad address: exit $rc, $(cat "$work/err")"; fi

summary
