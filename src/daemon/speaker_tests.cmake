# SPDX-License-Identifier: BSD-2-Clause
# Tests of the speaker piece's pure parts (the speaker itself runs in tests/daemon).
bgpsecd_test(daemon_speaker_test
  SRCS ${CMAKE_CURRENT_SOURCE_DIR}/rate_limit_test.cpp
       ${CMAKE_CURRENT_SOURCE_DIR}/refresh_windows_test.cpp
       ${CMAKE_CURRENT_SOURCE_DIR}/validation_deferral_test.cpp
  DEPS bgpsecd::daemon)

# The BGPsec import decisions (import_decision.cpp) and ASPA verification of received routes
# (aspa_check.cpp), without sockets.
bgpsecd_test(daemon_import_decision_test
  SRCS ${CMAKE_CURRENT_SOURCE_DIR}/import_decision_test.cpp
       ${CMAKE_CURRENT_SOURCE_DIR}/aspa_check_test.cpp
  DEPS bgpsecd::daemon)

# Policy evaluation: every match, set and action, RFC 8212 (policy.cpp).
bgpsecd_test(daemon_policy_test
  SRCS ${CMAKE_CURRENT_SOURCE_DIR}/policy_test.cpp
  DEPS bgpsecd::daemon)
