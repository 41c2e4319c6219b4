# SPDX-License-Identifier: BSD-2-Clause
# Tests and fuzzer of the RTR client (declared after bgpsecd::rpki).
bgpsecd_test(rpki_rtr_test
  SRCS ${CMAKE_CURRENT_SOURCE_DIR}/rtr_pdu_test.cpp ${CMAKE_CURRENT_SOURCE_DIR}/rtr_client_test.cpp
       ${CMAKE_CURRENT_SOURCE_DIR}/rtr_cache_set_test.cpp
  DEPS bgpsecd::rpki)

# RTR PDUs come from a remote cache over TCP.
bgpsecd_fuzzer(rtr_pdu SRCS ${PROJECT_SOURCE_DIR}/fuzz/rtr_pdu_fuzz.cpp DEPS bgpsecd::rpki)
