#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Router certificates (RFC 8209) through a real relying party: `bgpsec keygen --csr` writes a
# PKCS#10 request, tests/rpki/make_repo.py builds a small RPKI repository (trust anchor, CA,
# manifests, CRLs, a ROA, a router certificate issued from the request), and rpki-client
# validates it offline. stayrtr (127.0.35.10) serves rpki-client's JSON over TCP to bgpsecd B
# (AS 65351, 127.0.35.2) and over SSH (RFC 8210 §9) to bgpsecd C (AS 65352, 127.0.35.3); both
# validate the route bgpsecd A (AS 65350, 127.0.35.1) signs. The steps (B and C alike):
#   1. rpki-client accepts the router certificate (its key, ASN and SKI are in the JSON
#      bgpsec_keys) and the ROA (in roas); B has A's route Valid; A, which also reads the JSON,
#      shows when its key's entry expires (the certificate is valid for 24 h; rpki-client's
#      `expires` is the certificate's end, not the CRL's or manifest's) and warns, as it is told
#      to within 2 days;
#   2. the certificate is revoked on a new CRL under a new manifest: the key leaves the JSON,
#      the ROA stays; B has the route Not Valid (key not found); A, reading the same JSON, says
#      that its signing key left the RPKI (a warning, in_rpki false in show rpki);
#   3. a certificate for a new key of the same AS, A's key_dir holds the new key, reload: the
#      new key is in the JSON, the revoked one is not; B has the route Valid again;
#   4. the new key's certificate is reissued already expired: rpki-client drops the key (and
#      says so), A warns as in 2, B has the route Not Valid.
# FORT (fort-validator 1.5, a second relying party) validates the same repository at each step:
# it accepts the ROA and the router certificate's chain, and sees the revocation. It prints no
# router keys: this version skips BGPsec router certificates after validating their chain
# (its debug log says "Type: BGPsec EE. Ignoring..."), so only rpki-client feeds stayrtr.
# Run by ctest with BGPSECD, BGPSECCTL, BGPSEC, STAYRTR and PORT set; addresses 127.0.35.1-10 and
# ports PORT..PORT+3 belong to this test. Needs rpki-client (scripts/setup installs it),
# ssh-keygen and python3 with the cryptography module.
set -uo pipefail
: "${BGPSEC:?}"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
if ! command -v rpki-client >/dev/null && ! [ -x /usr/sbin/rpki-client ]; then
  skip 3 "rpki-client is not installed (scripts/setup installs it)"
  summary
  exit
fi
RPKI_CLIENT=$(command -v rpki-client || echo /usr/sbin/rpki-client)
make_repo="$(dirname "$0")/../rpki/make_repo.py"
asn=65350

"$BGPSEC" keygen --asn $asn --out "$work/keys" --csr "$work/old.csr" >"$work/old.json" || exit 1
"$BGPSEC" keygen --asn $asn --out "$work/new" --csr "$work/new.csr" >"$work/new.json" || exit 1
old_ski=$(python3 -c "import json; print(json.load(open('$work/old.json'))['ski'].upper())")
new_ski=$(python3 -c "import json; print(json.load(open('$work/new.json'))['ski'].upper())")

# validate: rpki-client offline on the repository, its JSON in $work/out/json. It drops
# privileges to _rpki-client when run as root, so that user must own the cache and output.
validate() {
  rm -rf "$work/out"
  mkdir "$work/out"
  if [ "$(id -u)" -eq 0 ]; then
    chmod 755 "$work"  # mktemp made it 0700; keys stay in their own 0700 directories
    chown -R _rpki-client "$work/repo" "$work/out"
  fi
  "$RPKI_CLIENT" -n -d "$work/repo/cache" -t "$work/repo/test.tal" -j "$work/out" \
    >>"$work/rpki-client.log" 2>&1
}
judge_py <<'PY'
def keys(out):
    return {(k["asn"], k["ski"].upper(), k["pubkey"]) for k in out["bgpsec_keys"]}
def a_ski(r):
    return next((s.get("ski", "").upper() for s in r.get("secure_path") or [] if s["asn"] == 65350), None)
def roas(out):
    return {(r["asn"], r["prefix"], r["maxLength"]) for r in out["roas"]}
PY
key_of() { python3 -c "import json; k=json.load(open('$1')); print('(%d, \"%s\", \"%s\")' % (k['asn'], k['ski'].upper(), k['pubkey']))"; }
old_key=$(key_of "$work/old.json")
new_key=$(key_of "$work/new.json")
roa="($asn, '192.0.2.0/24', 24)"
jsonout() { cat "$work/out/json"; }
# fort_check STEP: FORT, offline, on a copy of the repository; its log in $work/fort-STEP.log,
# its ROAs in $work/fort-STEP.json. Skipped (one check) when fort-validator is not installed.
fort_check() {
  rm -rf "$work/fort-repo"
  cp -r "$work/repo/cache" "$work/fort-repo"
  fort --mode=standalone --tal="$work/repo/test.tal" --local-repository="$work/fort-repo" \
    --rsync.enabled=false --http.enabled=false --output.roa="$work/fort-$1.json" \
    --output.format=json --log.level=warning --validation-log.enabled=true \
    --validation-log.level=debug >"$work/fort-$1.log" 2>&1
}
# fort_expect STEP WHAT PATTERN...: FORT's run for STEP logged every PATTERN (grep -E) and has
# the ROA
fort_expect() {
  local step=$1 what=$2 pattern
  shift 2
  if ! command -v fort >/dev/null; then
    skip 1 "$what: fort-validator is not installed (scripts/setup installs it)"
    return
  fi
  fort_check "$step" || { bad "$what: fort failed: $(tail -3 "$work/fort-$step.log")"; return; }
  for pattern in "$@"; do
    grep -qE "$pattern" "$work/fort-$step.log" ||
      { bad "$what: no '$pattern' in FORT's log: $(grep -E "ERR|router-" "$work/fort-$step.log" | tail -3)"; return; }
  done
  if python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['roas']; sys.exit(0 if r == [{'asn': 'AS$asn', 'prefix': '192.0.2.0/24', 'maxLength': 24}] else 1)" \
    "$work/fort-$step.json"; then ok
  else bad "$what: FORT's ROAs: $(cat "$work/fort-$step.json")"; fi
}

# 1. the router certificate and the ROA are accepted
python3 "$make_repo" "$work/repo" --asn $asn --csr "$work/old.csr" --prefix 192.0.2.0/24 \
  --router-days 1 || exit 1
validate || bad "rpki-client failed: $(tail -5 "$work/rpki-client.log")"
expect "1: the certified key in bgpsec_keys" 0 "keys(out) == {$old_key}" jsonout
expect "1: the ROA in roas" 0 "roas(out) == {$roa}" jsonout
fort_expect 1 "1: FORT validates the router certificate's chain and the ROA" \
  "router-$old_ski.cer: Type: BGPsec EE"
if grep -q "ERR" "$work/fort-1.log" 2>/dev/null; then bad "1: FORT: $(grep ERR "$work/fort-1.log" | head -3)"; fi

# The chain: stayrtr serves rpki-client's JSON (re-read every 2 s); A (AS $asn) signs
# 192.0.2.0/24 with the certified key, B (the observer) validates it with what stayrtr serves.
need "${STAYRTR:-stayrtr}"
need ssh-keygen
: "${BGPSECD:?}" "${BGPSECCTL:?}" "${PORT:?}"
a=127.0.35.1
b=127.0.35.2
c=127.0.35.3
rtr=127.0.35.10:$((PORT + 1))
rtr_ssh=127.0.35.10:$((PORT + 3))
cp "$work/out/json" "$work/rpki.json"
serve() { cp "$work/out/json" "$work/rpki.json.tmp" && mv "$work/rpki.json.tmp" "$work/rpki.json"; }
# stayrtr's SSH listener: its host key, and C's client key (known_hosts names [ADDR]:PORT).
ssh-keygen -q -t ecdsa -b 256 -m PEM -N '' -C stayrtr -f "$work/host_key" || exit 1
ssh-keygen -q -t ecdsa -b 256 -m PEM -N '' -C bgpsecd-c -f "$work/client_key" || exit 1
echo "[127.0.35.10]:$((PORT + 3)) $(cut -d' ' -f1,2 "$work/host_key.pub")" >"$work/known_hosts"
stayrtr_start "$rtr" "127.0.35.10:$((PORT + 2))" "$work/rpki.json" -refresh 2 \
  -ssh.bind "$rtr_ssh" -ssh.key "$work/host_key" -ssh.auth.user rpki -ssh.method.key \
  -ssh.auth.key.file "$work/client_key.pub"
stayrtr_wait "$rtr" 1 1
"$BGPSEC" keygen --asn 65351 --out "$work/keys-b" >/dev/null || exit 1
{
  global_toml a $asn $a
  # A also reads rpki-client's JSON itself: RTR carries no expiry, the file does. The router
  # certificate ends in 24 h, within the 2 days A is told to warn about.
  printf '\n[rpki]\nfiles = ["%s"]\nreload_interval = 2\n' "$work/rpki.json"
  printf '\n[bgpsec]\nkey_dir = "%s"\nkey_expiry_warning = 172800\n' "$work/keys"
  printf '\n[[network]]\nprefix = "192.0.2.0/24"\n'
  printf '\n[[policy]]\nname = "all"\ndefault_action = "accept"\n'
  neighbor_toml $b 65351 $a '["ipv4"]' 'bgpsec = true'
  neighbor_toml $c 65352 $a '["ipv4"]' 'bgpsec = true'
} >"$work/a.toml"
{
  global_toml b 65351 $b
  printf '\n[[rpki.cache]]\naddress = "%s"\n\n[bgpsec]\nkey_dir = "%s"\n' "$rtr" "$work/keys-b"
  printf '\n[[policy]]\nname = "all"\ndefault_action = "accept"\n'
  neighbor_toml $a $asn $b '["ipv4"]' 'bgpsec = true'
} >"$work/b.toml"
{
  global_toml c 65352 $c
  printf '\n[[rpki.cache]]\naddress = "%s"\ntransport = "ssh"\nssh_user = "rpki"\n' "$rtr_ssh"
  printf 'ssh_key = "%s"\nssh_known_hosts = "%s"\n' "$work/client_key" "$work/known_hosts"
  printf '\n[[policy]]\nname = "all"\ndefault_action = "accept"\n'
  neighbor_toml $a $asn $c '["ipv4"]' 'bgpsec = { receive = ["ipv4"] }'
} >"$work/c.toml"
start b
start c
start a
# state_at WHAT STATE: the route at B (stayrtr over TCP) and at C (over SSH) is in STATE
state_at() {
  local name
  for name in b c; do
    expect "$1 (at ${name^^})" 40 \
      "[(r['path_state'], a_ski(r)) for r in out['routes'] if r['prefix'] == '192.0.2.0/24'] == [$2]" \
      ctl $name show routes
  done
}
state_at "chain: A's route Valid, signed with the certified key" "('valid', '$old_ski')"
expect "C gets the RPKI data over SSH" 5 \
  "[(x['name'], x['in_sync']) for x in out['caches']] == [('$rtr_ssh', True)]" ctl c show rpki

# Expiry as rpki-client sees it: the key's entry has an `expires` (the earliest end on its
# chain), A exports it and warns while it is less than key_expiry_warning away.
expect "1: A knows when its key's RPKI entry expires (within 24 h)" 0 \
  "[k['rpki_expires'] is not None and 0 < k['rpki_expires'] - $(date +%s) <= 86400 for a in out['signing_keys']['ases'] for k in a['keys']] == [True]" \
  ctl a show rpki
if grep -q "our signing key AS$asn $old_ski leaves the RPKI in" "$work/a.log"; then ok
else bad "1: A did not warn that its key's RPKI entry expires soon: $(grep -i rpki "$work/a.log" | tail -3)"; fi

# 2. revoked: the key is gone, the ROA stays
python3 "$make_repo" "$work/repo" --asn $asn --csr "$work/old.csr" --revoke 1 \
  --prefix 192.0.2.0/24 || exit 1
validate || bad "rpki-client failed: $(tail -5 "$work/rpki-client.log")"
expect "2: the revoked key left bgpsec_keys" 0 "keys(out) == set()" jsonout
expect "2: the ROA stays" 0 "roas(out) == {$roa}" jsonout
fort_expect 2 "2: FORT sees the revocation" "router-$old_ski.cer: Certificate validation failed: certificate revoked"
# the key left because of the CRL, not because rpki-client could not parse the certificate
if grep -q "router-$old_ski.cer: certificate revoked" "$work/rpki-client.log"; then ok
else bad "2: rpki-client did not report the revocation: $(tail -3 "$work/rpki-client.log")"; fi
serve
state_at "chain: after the revocation, the route Not Valid" "('not-valid', '$old_ski')"
# key_left STEP SKI: A tells its operator that the key it signs with left the RPKI
key_left() {
  expect "$1: A shows its signing key out of the RPKI" 20 \
    "[(k['ski'].upper(), k['in_rpki']) for a in out['signing_keys']['ases'] for k in a['keys']] == [('$2', False)]" \
    ctl a show rpki
  if grep -q "our signing key AS$asn $2 is no longer in the RPKI" "$work/a.log"; then ok
  else bad "$1: A did not warn that its key left the RPKI: $(grep -i "rpki:" "$work/a.log" | tail -3)"; fi
}
key_left 2 "$old_ski"

# 3. a certificate for the new key: only the new key
python3 "$make_repo" "$work/repo" --asn $asn --csr "$work/old.csr" --revoke 1 \
  --csr "$work/new.csr" --prefix 192.0.2.0/24 || exit 1
validate || bad "rpki-client failed: $(tail -5 "$work/rpki-client.log")"
expect "3: only the new key in bgpsec_keys" 0 "keys(out) == {$new_key}" jsonout
fort_expect 3 "3: FORT validates the new certificate's chain" "router-$new_ski.cer: Type: BGPsec EE"
serve
# A's key directory now holds only the new key; reload re-reads it
mv "$work/keys/$asn.$old_ski.pem" "$work/old.pem" || bad "3: no old key file"
cp -p "$work/new"/*.pem "$work/keys/" || bad "3: no new key file"
ctl a reload >"$work/reload.json" 2>&1 || bad "3: reload: $(cat "$work/reload.json")"
state_at "chain: the route Valid again, signed with the new key" "('valid', '$new_ski')"
if [ "$old_ski" != "$new_ski" ]; then ok; else bad "the two keys have one SKI"; fi

# 4. the new key's certificate expired (reissued with its end 90 s ago): rpki-client drops it
python3 "$make_repo" "$work/repo" --asn $asn --csr "$work/old.csr" --revoke 1 \
  --csr "$work/new.csr" --prefix 192.0.2.0/24 --router-days -0.001 || exit 1
validate || bad "rpki-client failed: $(tail -5 "$work/rpki-client.log")"
expect "4: the expired key left bgpsec_keys" 0 "keys(out) == set()" jsonout
if grep -q "router-$new_ski.cer: certificate has expired" "$work/rpki-client.log"; then ok
else bad "4: rpki-client did not report the expiry: $(tail -3 "$work/rpki-client.log")"; fi
serve
key_left 4 "$new_ski"
state_at "chain: after the expiry, the route Not Valid" "('not-valid', '$new_ski')"
summary
