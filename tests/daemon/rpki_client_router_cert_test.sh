#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Router certificates (RFC 8209) through a real relying party: `bgpsec keygen --csr` writes a
# PKCS#10 request, tests/rpki/make_repo.py builds a small RPKI repository (trust anchor, CA,
# manifests, CRLs, a ROA, a router certificate issued from the request), and rpki-client
# validates it offline. stayrtr (127.0.35.10) serves rpki-client's JSON to bgpsecd B (AS 65351,
# 127.0.35.2), which validates the route bgpsecd A (AS 65350, 127.0.35.1) signs. The steps:
#   1. rpki-client accepts the router certificate (its key, ASN and SKI are in the JSON
#      bgpsec_keys) and the ROA (in roas); B has A's route Valid; A, which also reads the JSON,
#      shows when its key's entry expires (the certificate is valid for 24 h; rpki-client's
#      `expires` is the certificate's end, not the CRL's or manifest's) and warns, as it is told
#      to within 2 days;
#   2. the certificate is revoked on a new CRL under a new manifest: the key leaves the JSON,
#      the ROA stays; B has the route Not Valid (key not found);
#   3. a certificate for a new key of the same AS, A's key_dir holds the new key, reload: the
#      new key is in the JSON, the revoked one is not; B has the route Valid again.
# Run by ctest with BGPSECD, BGPSECCTL, BGPSEC, STAYRTR and PORT set; addresses 127.0.35.1-10 and
# ports PORT..PORT+2 belong to this test. Needs rpki-client (scripts/setup installs it) and
# python3 with the cryptography module.
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

# 1. the router certificate and the ROA are accepted
python3 "$make_repo" "$work/repo" --asn $asn --csr "$work/old.csr" --prefix 192.0.2.0/24 \
  --router-days 1 || exit 1
validate || bad "rpki-client failed: $(tail -5 "$work/rpki-client.log")"
expect "1: the certified key in bgpsec_keys" 0 "keys(out) == {$old_key}" jsonout
expect "1: the ROA in roas" 0 "roas(out) == {$roa}" jsonout

# The chain: stayrtr serves rpki-client's JSON (re-read every 2 s); A (AS $asn) signs
# 192.0.2.0/24 with the certified key, B (the observer) validates it with what stayrtr serves.
need "${STAYRTR:-stayrtr}"
: "${BGPSECD:?}" "${BGPSECCTL:?}" "${PORT:?}"
a=127.0.35.1
b=127.0.35.2
rtr=127.0.35.10:$((PORT + 1))
cp "$work/out/json" "$work/rpki.json"
serve() { cp "$work/out/json" "$work/rpki.json.tmp" && mv "$work/rpki.json.tmp" "$work/rpki.json"; }
stayrtr_start "$rtr" "127.0.35.10:$((PORT + 2))" "$work/rpki.json" -refresh 2
stayrtr_wait "$rtr" 1 1
"$BGPSEC" keygen --asn 65351 --out "$work/keys-b" >/dev/null || exit 1
{
  global_toml a $asn $a
  # A also reads rpki-client's JSON itself: RTR carries no expiry, the file does. The router
  # certificate ends in 24 h, within the 2 days A is told to warn about.
  printf '\n[rpki]\nfiles = ["%s"]\n' "$work/rpki.json"
  printf '\n[bgpsec]\nkey_dir = "%s"\nkey_expiry_warning = 172800\n' "$work/keys"
  printf '\n[[network]]\nprefix = "192.0.2.0/24"\n'
  printf '\n[[policy]]\nname = "all"\ndefault_action = "accept"\n'
  neighbor_toml $b 65351 $a '["ipv4"]' 'bgpsec = true'
} >"$work/a.toml"
{
  global_toml b 65351 $b
  printf '\n[[rpki.cache]]\naddress = "%s"\n\n[bgpsec]\nkey_dir = "%s"\n' "$rtr" "$work/keys-b"
  printf '\n[[policy]]\nname = "all"\ndefault_action = "accept"\n'
  neighbor_toml $a $asn $b '["ipv4"]' 'bgpsec = true'
} >"$work/b.toml"
start b
start a
state_at_b() {
  expect "$1" 40 "[(r['path_state'], a_ski(r)) for r in out['routes'] if r['prefix'] == '192.0.2.0/24'] == [$2]" \
    ctl b show routes
}
state_at_b "chain: B has A's route Valid, signed with the certified key" "('valid', '$old_ski')"

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
# the key left because of the CRL, not because rpki-client could not parse the certificate
if grep -q "router-$old_ski.cer: certificate revoked" "$work/rpki-client.log"; then ok
else bad "2: rpki-client did not report the revocation: $(tail -3 "$work/rpki-client.log")"; fi
serve
state_at_b "chain: after the revocation, B has the route Not Valid" "('not-valid', '$old_ski')"

# 3. a certificate for the new key: only the new key
python3 "$make_repo" "$work/repo" --asn $asn --csr "$work/old.csr" --revoke 1 \
  --csr "$work/new.csr" --prefix 192.0.2.0/24 || exit 1
validate || bad "rpki-client failed: $(tail -5 "$work/rpki-client.log")"
expect "3: only the new key in bgpsec_keys" 0 "keys(out) == {$new_key}" jsonout
serve
# A's key directory now holds only the new key; reload re-reads it
mv "$work/keys/$asn.$old_ski.pem" "$work/old.pem" || bad "3: no old key file"
cp -p "$work/new"/*.pem "$work/keys/" || bad "3: no new key file"
ctl a reload >"$work/reload.json" 2>&1 || bad "3: reload: $(cat "$work/reload.json")"
state_at_b "chain: B has the route Valid again, signed with the new key" "('valid', '$new_ski')"
if [ "$old_ski" != "$new_ski" ]; then ok; else bad "the two keys have one SKI"; fi
summary
