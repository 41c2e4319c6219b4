#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The packet capture the tests' independent wire checks rely on (lib.sh capture_start):
#   - here, tshark captures on lo: a TCP connection attempt to 127.0.3.20:PORT is in the file
#     it writes (so a machine set up by scripts/setup, as CI's is, can capture);
#   - when dumpcap cannot capture (a stand-in that fails, first in PATH), a test using
#     capture_start fails, and counts nothing as skipped;
#   - with BGPSEC_ALLOW_NO_CAPTURE=1 it counts the capture checks as skipped instead, and the
#     summary line says how many.
# Run by ctest with PORT set. Address 127.0.3.20 and port PORT belong to this test.
set -uo pipefail
: "${PORT:?}"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
need tshark
need dumpcap
target=127.0.3.20

# --- a real capture ------------------------------------------------------------------------------
capture_start "$work/lo.pcap" "tcp port $PORT" 2
capture_started
# Nothing listens there: a SYN and the RST that answers it.
python3 -c "import socket; socket.socket().connect_ex(('$target', $PORT))"
if capture_stop; then
  frames=$(tshark -r "$work/lo.pcap" -Y "ip.dst == $target && tcp.dstport == $PORT && tcp.flags.syn == 1" 2>&1 | grep -c .)
  if [ "$frames" -ge 1 ]; then ok; else bad "the SYN to $target:$PORT is not in the capture: $(tshark -r "$work/lo.pcap" 2>&1 | head -5)"; fi
fi

# --- no capture rights --------------------------------------------------------------------------
mkdir "$work/bin"
printf '#!/bin/sh\necho "dumpcap: You do not have permission to capture on that device" >&2\nexit 1\n' \
  >"$work/bin/dumpcap"
chmod +x "$work/bin/dumpcap"
# without_capture [VAR=VALUE...]: a test script that starts a capture of 4 checks and ends with
# its summary, run where dumpcap cannot capture; prints its output
without_capture() {
  # shellcheck disable=SC2016  # expanded by the inner bash
  env PATH="$work/bin:$PATH" "$@" bash -c 'set -uo pipefail; . "$1"; capture_start "$work/x.pcap" "tcp" 4; capture_started; capture_stop; summary' \
    _ "$(dirname "$0")/lib.sh" 2>&1
}
out=$(without_capture BGPSEC_ALLOW_NO_CAPTURE=0)
status=$?
if [ $status -ne 0 ] && echo "$out" | grep '^FAIL: tshark cannot capture on lo' >/dev/null &&
  echo "$out" | grep '^0 passed, 1 failed, 0 skipped in' >/dev/null; then ok
else bad "a test that cannot capture must fail (exit $status): $out"; fi
out=$(without_capture BGPSEC_ALLOW_NO_CAPTURE=1)
status=$?
if [ $status -eq 0 ] && echo "$out" | grep '^SKIP (4 checks): tshark cannot capture' >/dev/null &&
  echo "$out" | grep '^0 passed, 0 failed, 4 skipped in' >/dev/null; then ok
else bad "with BGPSEC_ALLOW_NO_CAPTURE=1 the 4 capture checks are skipped and counted (exit $status): $out"; fi
summary
