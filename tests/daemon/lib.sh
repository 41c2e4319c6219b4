# SPDX-License-Identifier: BSD-2-Clause
# shellcheck shell=bash
# Shared helpers of the bash integration tests (tests/daemon/*_test.sh, tests/rtr/stayrtr_test.sh).
# Sourced, after `set -uo pipefail` and the script's own checks of its environment, with
#   . "$(dirname "$0")/lib.sh"
# Sourcing makes the work directory $work (KEEP=1 keeps it) and installs the exit trap.
#
# Cleanup: every pid in `pids` gets SIGTERM, then the function `on_cleanup` runs if the script
# defines one (for processes that need more than a signal, e.g. `birdc down`), then the script
# waits for all its children and removes $work. This runs on every exit: normal end, `exit`
# anywhere, and SIGINT / SIGTERM / SIGHUP (exit status 130).
#
# Checks: `ok` / `bad MESSAGE` count; `summary` prints the counts and the run time, and fails
# when a check failed (the script's last command).
#
# bgpsecd: `start NAME [FLAG...]` runs $BGPSECD on $work/NAME.toml (log appended to
# $work/NAME.log, pid in pid_NAME and in pids); `ctl NAME ARGS...` is `bgpsecctl --json` on
# $work/NAME.sock; `global_toml`, `neighbor_toml`, `wait_for`, `routes` below; `wait_listening`
# and `connections_to` look at TCP.
# Polling with a judge: `judge_py` writes $work/judge.py, `poll` / `expect` / `value` use it;
# `evs` reads what a bgp_test_peer.py session printed.
# stayrtr: `need`, `stayrtr_start`, `stayrtr_wait`. tshark on lo: `capture_start`,
# `capture_started`, `capture_stop`. BIRD 2: `start_bird`, `stop_bird` (also at exit),
# `bird_json_py`, `bird_routes`, `proto`.

work=$(mktemp -d)
pids=()
started=$SECONDS
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  stop_bird
  if declare -F on_cleanup >/dev/null; then on_cleanup; fi
  wait 2>/dev/null
  if [ -n "${KEEP:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

pass=0
fail=0
skipped=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
# skip COUNT WHY: COUNT checks not run; only where the test allows it (an opt-out the
# developer set on purpose), never as a silent way out of a check CI must run
skip() { skipped=$((skipped + $1)); echo "SKIP ($1 checks): ${*:2}"; }
summary() {
  echo "$pass passed, $fail failed, $skipped skipped in $((SECONDS - started)) s"
  [ "$fail" -eq 0 ]
}

# need PROGRAM: ends the test when PROGRAM is not installed
need() { command -v "$1" >/dev/null || { echo "$1 is not installed (scripts/setup)"; exit 1; }; }

# --- bgpsecd ---------------------------------------------------------------------------------------
# The daemons refuse to run as root without --allow-root; CI runs the suite as root, developers
# as themselves, so the flag is added only when we are root. "${allow_root[@]}" on every start.
allow_root=()
if [ "$(id -u)" -eq 0 ]; then allow_root=(--allow-root); fi
start() {  # start NAME [FLAG...]
  "$BGPSECD" -c "$work/$1.toml" "${allow_root[@]}" "${@:2}" >>"$work/$1.log" 2>&1 &
  pids+=($!)
  eval "pid_$1=$!"
}
# global_toml NAME ASN ADDR: the start of bgpsecd NAME's config: AS ASN, router id ADDR, BGP on
# ADDR:$PORT, hold time 9 s, control socket $work/NAME.sock, no metrics
global_toml() {
  cat <<TOML
[global]
asn = $2
router_id = "$3"
listen = ["$3:$PORT"]
hold_time = 9

[control]
socket = "$work/$1.sock"

[metrics]
listen = ""
TOML
}
# node_toml NAME ASN ADDR RPKI-FILE KEY-DIR [NETWORK...]: global_toml, [rpki] files, [bgpsec]
# key_dir, the networks and an accept-all policy "all" (neighbors follow with neighbor_toml)
node_toml() {
  global_toml "$1" "$2" "$3"
  printf '\n[rpki]\nfiles = ["%s"]\n\n[bgpsec]\nkey_dir = "%s"\n' "$4" "$5"
  local p
  for p in "${@:6}"; do
    printf '\n[[network]]\nprefix = "%s"\n' "$p"
  done
  printf '\n[[policy]]\nname = "all"\ndefault_action = "accept"\n'
}
# neighbor_toml ADDR ASN LOCAL-ADDR FAMILIES [LINE...]: a [[neighbor]] table (after a blank
# line): the peer ADDR:$PORT in AS ASN from LOCAL-ADDR, FAMILIES (a TOML array), the LINEs
# ("key = value"), policy "all" both ways
neighbor_toml() {
  printf '\n[[neighbor]]\naddress = "%s"\nremote_as = %s\nlocal_address = "%s"\nport = %s\nfamilies = %s\n' \
    "$1" "$2" "$3" "$PORT" "$4"
  [ $# -gt 4 ] && printf '%s\n' "${@:5}"
  printf 'import = "all"\nexport = "all"\n'
}
ctl() { "$BGPSECCTL" --socket "$work/$1.sock" --json "${@:2}"; }
# wait_listening ADDR [PORT]: until something accepts connections on ADDR:PORT ($PORT by default; about 10 s at most),
# so that a peer started next gets through at its first attempt
wait_listening() {
  for _ in $(seq 100); do
    python3 -c "import socket; socket.create_connection(('$1', ${2:-$PORT}), timeout=1).close()" \
      2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
# connections_to ADDR:PORT: the local ends ("addr:port", one a line) of the established IPv4
# TCP connections to ADDR:PORT (from /proc/net/tcp: no ss or netstat needed)
connections_to() {
  python3 - "$1" <<'PY'
import socket, struct, sys
addr, port = sys.argv[1].rsplit(":", 1)
def endpoint(hexed):
    ip, p = hexed.split(":")
    return socket.inet_ntoa(struct.pack("=I", int(ip, 16))), int(p, 16)
for line in open("/proc/net/tcp").readlines()[1:]:
    f = line.split()
    if f[3] == "01" and endpoint(f[2]) == (addr, int(port)):  # 01: ESTABLISHED
        print("%s:%d" % endpoint(f[1]))
PY
}
# wait_for SECONDS PYTHON-EXPR NAME ARGS...: polls `bgpsecctl --json ARGS` until EXPR holds
wait_for() {
  local seconds=$1 expr=$2 name=$3
  shift 3
  local deadline=$((SECONDS + seconds))
  while [ $SECONDS -lt $deadline ]; do
    if ctl "$name" "$@" 2>/dev/null | python3 -c "import json,sys; out=json.load(sys.stdin); sys.exit(0 if ($expr) else 1)" 2>/dev/null; then
      return 0
    fi
    sleep 0.3
  done
  return 1
}
# routes NAME [ARGS...]: the routes at NAME, one compact line each (for failure messages)
routes() {
  ctl "$1" show routes "${@:2}" 2>&1 | python3 -c "
import json,sys
try:
    for r in json.load(sys.stdin)['routes']:
        print('   ', json.dumps({k: r.get(k) for k in ('prefix', 'peer', 'best', 'as_path', 'secure_path', 'path_state', 'origin_state', 'failure')}))
except Exception as e:
    print('    (no JSON:', e, ')')"
}

# --- polling any command's JSON output -------------------------------------------------------------
# judge_py <<'PY' ... PY: writes $work/judge.py from the script's helper functions (python, on
# stdin). `judge.py [--print] EXPR` evaluates EXPR over `out` (the JSON on its stdin): exit 0
# when it holds, or with --print writes its value.
# evs NAME: the events a bgp_test_peer.py session printed to $work/NAME.out so far, as one JSON
# list (for `expect`).
evs() {
  python3 -c 'import json, sys
print(json.dumps([json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]))' "$work/$1.out"
}

judge_py() {
  {
    echo "import json, sys"
    cat
    cat <<'PY'

args = sys.argv[1:]
show = args[0] == "--print"
expr = args[-1]
try:
    out = json.load(sys.stdin)
    value = eval(expr)
except Exception as e:
    if show:
        print("error: %s" % e)
    sys.exit(1)
if show:
    print(value)
sys.exit(0 if show or value else 1)
PY
  } >"$work/judge.py"
}
# poll SECONDS EXPR COMMAND...: runs COMMAND until EXPR holds over its JSON output (once for
# 0); what COMMAND printed last stays in $work/last
poll() {
  local deadline=$((SECONDS + $1)) expr=$2
  shift 2
  while :; do
    "$@" >"$work/last" 2>&1
    python3 "$work/judge.py" "$expr" <"$work/last" && return 0
    [ $SECONDS -lt "$deadline" ] || return 1
    sleep 0.3
  done
}
# expect WHAT SECONDS EXPR COMMAND...: one check; on failure shows what COMMAND printed last
expect() {
  local what=$1
  shift
  if poll "$@"; then ok; else bad "$what: $(tr -s ' \n' ' ' <"$work/last" | head -c 1500)"; fi
}
# value EXPR COMMAND...: prints EXPR over COMMAND's JSON output
value() { "${@:2}" 2>/dev/null | python3 "$work/judge.py" --print "$1"; }

# --- stayrtr -------------------------------------------------------------------------------------
# stayrtr_start ADDR METRICS-ADDR FILE [STAYRTR-ARGS...]: $STAYRTR (default stayrtr) serving FILE
# on ADDR, its log appended to $work/stayrtr.log; the pid in stayrtr_pid and in pids
stayrtr_start() {
  "${STAYRTR:-stayrtr}" -bind "$1" -metrics.addr "$2" -cache "$3" "${@:4}" \
    >>"$work/stayrtr.log" 2>&1 &
  # shellcheck disable=SC2034  # used by the caller
  stayrtr_pid=$!
  pids+=($!)
}
# stayrtr_wait ADDR [KEYS ROAS]: until `bgpsec rtr-dump` ($BGPSEC) gets the data from ADDR
# (into $work/dump.json) — with KEYS and ROAS, exactly that many router keys and ROAs; tries
# for about 10 s, then ends the test
stayrtr_wait() {
  local addr=$1 keys=${2:-} roas=${3:-}
  for _ in $(seq 50); do
    if "$BGPSEC" rtr-dump --cache "$addr" --timeout 1 >"$work/dump.json" 2>/dev/null &&
      { [ -z "$keys" ] || python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if len(d['bgpsec_keys']) == int(sys.argv[2]) and len(d['roas']) == int(sys.argv[3]) else 1)" "$work/dump.json" "$keys" "$roas" 2>/dev/null; }; then
      return 0
    fi
    sleep 0.2
  done
  echo "stayrtr did not serve the data:"
  tail -5 "$work/stayrtr.log"
  exit 1
}

# --- packet capture on lo (tshark) -----------------------------------------------------------------
# Where a test decodes the wire with tshark (the only check independent of our own codecs), a run
# that cannot capture fails: scripts/setup gives dumpcap its capture capabilities, and root can
# capture anyway. A developer without capture rights may set BGPSEC_ALLOW_NO_CAPTURE=1: the
# capture checks are then counted as skipped in the summary. CI never sets it.
capturing=
capture_pid=
# capture_start PCAP FILTER CHECKS: tshark captures on lo what the capture filter FILTER lets
# through into PCAP (its output in PCAP.log), in the background; `capturing` is 1 while it runs.
# CHECKS: how many checks the test makes on the capture (skipped when it may not capture).
capture_start() {
  # `dumpcap -L` opens the interface as a capture does, and fast
  if command -v tshark >/dev/null && command -v dumpcap >/dev/null && dumpcap -i lo -L >/dev/null 2>&1; then
    tshark -i lo -f "$2" -w "$1" >"$1.log" 2>&1 &
    capture_pid=$!
    pids+=($!)
    capturing=1
    capture_file=$1
  elif [ "${BGPSEC_ALLOW_NO_CAPTURE:-0}" = "1" ]; then
    skip "$3" "tshark cannot capture on lo here (BGPSEC_ALLOW_NO_CAPTURE=1)"
  else
    bad "tshark cannot capture on lo (run scripts/setup, or as root; BGPSEC_ALLOW_NO_CAPTURE=1 skips): $(dumpcap -i lo -L 2>&1 | tail -2)"
  fi
}
# capture_started: one check, that tshark says it captures (call it before the traffic to see)
capture_started() {
  [ -n "$capturing" ] || return 0
  for _ in $(seq 100); do
    if grep -q '^Capturing on' "$capture_file.log"; then ok; return 0; fi
    kill -0 "$capture_pid" 2>/dev/null || break
    sleep 0.1
  done
  bad "tshark did not start capturing: $(tail -3 "$capture_file.log")"
  kill "$capture_pid" 2>/dev/null
  capturing=
}
# capture_stop: ends the capture (SIGINT) and waits until tshark has written the whole file;
# fails when there is no complete file to read
capture_stop() {
  [ -n "$capturing" ] || return 1
  capturing=
  kill -INT "$capture_pid" 2>/dev/null
  # tshark prints "N packets captured" once the file is complete
  for _ in $(seq 50); do
    grep -q 'packets\? captured' "$capture_file.log" && break
    sleep 0.1
  done
  grep -q 'packets\? captured' "$capture_file.log" || kill -KILL "$capture_pid" 2>/dev/null
  wait "$capture_pid" 2>/dev/null
  grep -q 'packets\? captured' "$capture_file.log" && return 0
  bad "tshark did not stop on SIGINT: $(tail -3 "$capture_file.log")"
  return 1
}

# --- BIRD 2 ----------------------------------------------------------------------------------------
# One bird per test: config $work/bird.conf (the test writes it), control socket $bird_sock, its
# output appended to $work/bird.out; the pid in bird_pid while it runs.
bird_sock="$work/bird.ctl"
start_bird() {  # start_bird [-R]   (-R: BIRD's graceful restart recovery after start)
  bird -p -c "$work/bird.conf" || { echo "bird rejects the config"; exit 1; }
  bird -f -c "$work/bird.conf" -s "$bird_sock" -P "$work/bird.pid" "$@" >>"$work/bird.out" 2>&1 &
  bird_pid=$!
  local deadline=$((SECONDS + 10))
  until birdc -s "$bird_sock" show status >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || { echo "bird did not come up"; tail -5 "$work/bird.out"; exit 1; }
    sleep 0.2
  done
}
# stop_bird: `birdc down`, then SIGTERM after 10 s; nothing when bird is not running
bird_pid=
stop_bird() {
  [ -n "$bird_pid" ] || return 0
  birdc -s "$bird_sock" down >/dev/null 2>&1
  local deadline=$((SECONDS + 10))
  while kill -0 "$bird_pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
  kill "$bird_pid" 2>/dev/null
  wait "$bird_pid" 2>/dev/null
  bird_pid=
}
# bird_json_py: writes $work/bird2json.py, which bird_routes and proto use
bird_json_py() {
cat >"$work/bird2json.py" <<'PY'
# bird2json.py routes|protocol: birdc's text on stdin as JSON.
#   routes:   `show route all` -> {"routes": [{"prefix", "dest", "proto", "since", "from",
#             "best", "attrs": {"BGP.as_path": ...}}]}
#   protocol: `show protocols all NAME` -> {"state", "since", "info", "text" (whitespace
#             collapsed), "neighbor_caps" (the text of the "Neighbor capabilities" block)}
import json, re, sys
text = sys.stdin.read()
if sys.argv[1] == "routes":
    routes, prefix, route = [], None, None
    for line in text.splitlines():
        if line.startswith("\t"):  # an attribute; other routes of a prefix start with spaces
            if route is not None and ":" in line:
                key, val = line.strip().split(":", 1)
                route["attrs"][key.strip()] = val.strip()
            continue
        m = re.match(r"^(\S+)?\s+(.*?)\[(\S+) (\S+)(?: from (\S+))?\]\s*(\*)?", line)
        if m and not line.startswith(("Table", "BIRD")):
            prefix = m.group(1) or prefix
            route = {"prefix": prefix, "dest": m.group(2).strip(), "proto": m.group(3),
                     "since": m.group(4), "from": m.group(5), "best": m.group(6) == "*",
                     "attrs": {}}
            routes.append(route)
    print(json.dumps({"routes": routes}))
else:
    out = {"text": " ".join(text.split()), "neighbor_caps": ""}
    for line in text.splitlines():
        f = line.split()
        if len(f) >= 5 and f[1] == "BGP":
            out.update(state=f[3], since=f[4], info=" ".join(f[5:]))
    caps = re.search(r"Neighbor capabilities\n(.*?)\n    \S", text, re.S)
    if caps:
        out["neighbor_caps"] = " ".join(caps.group(1).split())
    print(json.dumps(out))
PY
}
bird_routes() { birdc -s "$bird_sock" show route all | python3 "$work/bird2json.py" routes; }
proto() { birdc -s "$bird_sock" show protocols all "$1" | python3 "$work/bird2json.py" protocol; }
