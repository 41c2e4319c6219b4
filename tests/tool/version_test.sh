#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# --version of every program: one line "<program> <version> (git <revision>)", the version of
# CMakeLists.txt and, in a git checkout, the revision of the checkout the binaries were built
# from (run the build again after a commit). Run by ctest with BGPSEC, BGPSECD, BGPSECCTL and
# SOURCE_DIR set.
set -uo pipefail
: "${BGPSEC:?}" "${BGPSECD:?}" "${BGPSECCTL:?}" "${SOURCE_DIR:?}"
pass=0
fail=0
version=$(sed -nE 's/^project\(bgpsecd VERSION ([0-9.]+) .*/\1/p' "$SOURCE_DIR/CMakeLists.txt")
commit=$(git -C "$SOURCE_DIR" rev-parse --short=12 HEAD 2>/dev/null || true)
for pair in "bgpsec:$BGPSEC" "bgpsecd:$BGPSECD" "bgpsecctl:$BGPSECCTL"; do
  name=${pair%%:*}
  binary=${pair#*:}
  line=$("$binary" --version 2>&1)
  code=$?
  if [ $code -ne 0 ] || [ "$(printf '%s\n' "$line" | wc -l)" -ne 1 ]; then
    echo "FAIL: $name --version: exit $code, output: $line"
    fail=$((fail + 1))
    continue
  fi
  if ! [[ "$line" =~ ^$name\ ([0-9]+\.[0-9]+\.[0-9]+)\ \(git\ ([A-Za-z0-9._+-]+)\)$ ]]; then
    echo "FAIL: $name --version prints '$line'"
    fail=$((fail + 1))
    continue
  fi
  if [ "${BASH_REMATCH[1]}" != "$version" ]; then
    echo "FAIL: $name --version says ${BASH_REMATCH[1]}, CMakeLists.txt says $version"
    fail=$((fail + 1))
  elif [ -n "$commit" ] && [[ "${BASH_REMATCH[2]}" != *"$commit"* ]]; then
    echo "FAIL: $name --version names revision ${BASH_REMATCH[2]}, the checkout is at $commit"
    fail=$((fail + 1))
  else
    pass=$((pass + 1))
  fi
done
echo "version: $pass passed, $fail failed"
[ $fail -eq 0 ]
