#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Both daemons started as root without --allow-root: exit 2 and one line that names the way
# out, before they bind anything; `-n` still checks the configuration as root. Only root can
# see this, so as any other user the test is skipped (exit 77, ctest's SKIP_RETURN_CODE). The
# addresses in the files (127.0.42.3-4, port 17969) are never bound when the test passes.
# Run by ctest with BGPSECD and BGPSECVD set.
set -uo pipefail
: "${BGPSECD:?}" "${BGPSECVD:?}"
if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP: not root"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
refusal="refusing to run as root (uid 0): run as an unprivileged user, or pass --allow-root"

cat >"$work/bgpsecd.toml" <<TOML
[global]
asn = 65420
router_id = "127.0.42.3"
listen = ["127.0.42.3:17969"]

[control]
socket = "$work/d.sock"

[metrics]
listen = ""
TOML
echo '{"roas": [], "bgpsec_keys": []}' >"$work/rpki.json"

# expect_refusal NAME COMMAND...: exit 2 and the refusal on stderr, prefixed with NAME
expect_refusal() {
  timeout 10 "${@:2}" >/dev/null 2>"$work/err"
  local code=$?
  if [ $code -ne 2 ] || [ "$(cat "$work/err")" != "$1: $refusal" ]; then
    echo "FAIL: $1 as root: exit $code, stderr: $(cat "$work/err")"
    fail=$((fail + 1))
  fi
}
expect_refusal bgpsecd "$BGPSECD" -c "$work/bgpsecd.toml"
expect_refusal bgpsecvd "$BGPSECVD" --listen 127.0.42.4:17969 --rpki "$work/rpki.json" \
  --control-socket none

for check in "$BGPSECD -n -c $work/bgpsecd.toml" \
  "$BGPSECVD -n --listen 127.0.42.4:17969 --rpki $work/rpki.json --control-socket none"; do
  if ! $check >/dev/null 2>"$work/err"; then
    echo "FAIL: $check as root: $(cat "$work/err")"
    fail=$((fail + 1))
  fi
done
echo "$fail failed"
[ "$fail" -eq 0 ]
