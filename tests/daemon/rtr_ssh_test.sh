#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# RTR over SSH (RFC 8210 §9, subsystem "rpki-rtr") against stayrtr's SSH listener:
#   S1 (127.0.39.1) serves a JSON file with one ROA and the router keys of AS 65391 and 65392
#   over TCP and over SSH (key and password authentication, its host key made by ssh-keygen);
#   S2 (127.0.39.2) serves another ROA over TCP only.
# Checks:
#   - `bgpsec rtr-dump --cache ssh:...` gets S1's data with a key and with a password file;
#   - bgpsecd A (127.0.39.10) with S1 over SSH only: in sync, its VRP and router keys in
#     `show rpki`;
#   - bgpsecd B (127.0.39.11) whose known_hosts holds another key for S1 (preference 1) and S2
#     over TCP (preference 2): the SSH connection is refused with a log line naming the cache
#     and S1's fingerprint, B never takes S1's data, and S2 is used instead;
#   - a client key others may read is refused by rtr-dump.
# Run by ctest with BGPSECD, BGPSECCTL, BGPSEC, STAYRTR and PORT set. Addresses 127.0.39.1-20
# and ports PORT..PORT+9 on them belong to this test.
set -uo pipefail
: "${BGPSECD:?}" "${BGPSECCTL:?}" "${BGPSEC:?}" "${PORT:?}"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
need "${STAYRTR:-stayrtr}"
need ssh-keygen
a=127.0.39.10
b=127.0.39.11
s1_tcp=127.0.39.1:$((PORT + 1))
s1_ssh=127.0.39.1:$((PORT + 2))
s2_tcp=127.0.39.2:$((PORT + 1))

keygen() { ssh-keygen -q -t ecdsa -b 256 -m PEM -N '' -C "$2" -f "$work/$1" || exit 1; }
keygen host_key s1-host
keygen other_host_key not-s1
keygen client_key bgpsecd
chmod 600 "$work/client_key"
# known_hosts names a cache on another port than 22 as [ADDR]:PORT (sshd(8) SSH_KNOWN_HOSTS).
echo "[127.0.39.1]:$((PORT + 2)) $(cut -d' ' -f1,2 "$work/host_key.pub")" >"$work/known_hosts"
echo "[127.0.39.1]:$((PORT + 2)) $(cut -d' ' -f1,2 "$work/other_host_key.pub")" >"$work/wrong_known_hosts"
printf 's3cret-rtr\n' >"$work/password"
chmod 600 "$work/password"
fingerprint=$(ssh-keygen -l -E sha256 -f "$work/host_key.pub" | cut -d' ' -f2)

for asn in 65391 65392; do "$BGPSEC" keygen --asn $asn --out "$work/keys" >/dev/null || exit 1; done
mkdir "$work/nokeys"
"$BGPSEC" rpki-json --key-dir "$work/keys" --roa 203.0.113.0/24=65391 >"$work/s1.json" || exit 1
"$BGPSEC" rpki-json --key-dir "$work/nokeys" --roa 198.51.100.0/24=65392 >"$work/s2.json" || exit 1
stayrtr_start "$s1_tcp" "127.0.39.1:$((PORT + 3))" "$work/s1.json" -checktime=false \
  -ssh.bind "$s1_ssh" -ssh.key "$work/host_key" -ssh.auth.user rpki \
  -ssh.method.key -ssh.auth.key.file "$work/client_key.pub" \
  -ssh.method.password -ssh.auth.password s3cret-rtr
stayrtr_wait "$s1_tcp" 2 1
stayrtr_start "$s2_tcp" "127.0.39.2:$((PORT + 3))" "$work/s2.json" -checktime=false
stayrtr_wait "$s2_tcp" 0 1

# --- bgpsec rtr-dump over SSH ---------------------------------------------------------------------
dump_counts() {  # dump_counts FILE: "KEYS ROAS"
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(len(d['bgpsec_keys']), len(d['roas']))" "$1" 2>&1
}
"$BGPSEC" rtr-dump --cache "ssh:$s1_ssh" --ssh-user rpki --ssh-key "$work/client_key" \
  --ssh-known-hosts "$work/known_hosts" --timeout 15 >"$work/dump_key.json" 2>"$work/dump_key.err"
if [ "$(dump_counts "$work/dump_key.json")" = "2 1" ]; then ok; else bad "rtr-dump over SSH with a key: $(cat "$work/dump_key.err")"; fi
"$BGPSEC" rtr-dump --cache "ssh:$s1_ssh" --ssh-user rpki --ssh-password-file "$work/password" \
  --ssh-known-hosts "$work/known_hosts" --timeout 15 >"$work/dump_pw.json" 2>"$work/dump_pw.err"
if [ "$(dump_counts "$work/dump_pw.json")" = "2 1" ]; then ok; else bad "rtr-dump over SSH with a password: $(cat "$work/dump_pw.err")"; fi
cp "$work/client_key" "$work/leaky_key"
chmod 644 "$work/leaky_key"
if "$BGPSEC" rtr-dump --cache "ssh:$s1_ssh" --ssh-user rpki --ssh-key "$work/leaky_key" \
  --ssh-known-hosts "$work/known_hosts" --timeout 3 -v >/dev/null 2>"$work/dump_leaky.err"; then
  bad "rtr-dump used a key others may read"
elif grep -q "readable by group or others" "$work/dump_leaky.err"; then ok; else
  bad "rtr-dump with a readable key: $(cat "$work/dump_leaky.err")"
fi

# --- bgpsecd ------------------------------------------------------------------------------------------
# cache_toml ADDRESS PREFERENCE [KNOWN-HOSTS]: one [[rpki.cache]], over SSH when KNOWN-HOSTS is given
cache_toml() {
  printf '\n[[rpki.cache]]\naddress = "%s"\npreference = %s\n' "$1" "$2"
  if [ $# -ge 3 ]; then
    printf 'transport = "ssh"\nssh_user = "rpki"\nssh_key = "%s"\nssh_known_hosts = "%s"\n' \
      "$work/client_key" "$3"
  fi
}
{
  global_toml a 65391 $a
  printf '\n[rpki]\nfailover_after = 2\n'
  cache_toml "$s1_ssh" 1 "$work/known_hosts"
} >"$work/a.toml"
{
  global_toml b 65392 $b
  printf '\n[rpki]\nfailover_after = 2\n'
  cache_toml "$s1_ssh" 1 "$work/wrong_known_hosts"
  cache_toml "$s2_tcp" 2
} >"$work/b.toml"
"$BGPSECD" -n -c "$work/a.toml" >"$work/a.normal" 2>&1 || bad "bgpsecd -n: $(cat "$work/a.normal")"
if grep -q 'transport = "ssh"' "$work/a.normal"; then ok; else bad "-n shows no SSH cache: $(cat "$work/a.normal")"; fi
start a
start b

judge_py <<'PY'
def cache(out, name):
    return next((c for c in out["caches"] if c["name"] == name), None)
def synced(out, name):
    c = cache(out, name)
    return c is not None and c["connected"] and c["in_sync"]
PY
expect "A in sync with S1 over SSH: 1 VRP, 2 router keys" 30 \
  "synced(out, '$s1_ssh') and cache(out, '$s1_ssh')['vrps'] == 1 and cache(out, '$s1_ssh')['router_keys'] == 2 and out['router_keys'] == 2" \
  ctl a show rpki
expect "B falls back to S2 over TCP" 30 \
  "synced(out, '$s2_tcp') and out['vrps'] == 1 and out['router_keys'] == 0" ctl b show rpki
expect "B never gets S1's data" 1 "not synced(out, '$s1_ssh') and cache(out, '$s1_ssh')['vrps'] == 0" \
  ctl b show rpki
if grep -F "rtr $s1_ssh" "$work/b.log" | grep -F "$fingerprint" | grep "refusing" >/dev/null; then ok; else
  bad "no log line naming $s1_ssh and $fingerprint: $(grep -F "rtr $s1_ssh" "$work/b.log" | tail -3)"
fi
if grep -q "refusing" "$work/a.log"; then bad "A refused S1: $(grep refusing "$work/a.log")"; else ok; fi
summary
