# SPDX-License-Identifier: BSD-2-Clause
bgpsecd_test(validation_server_store_test
  SRCS update_store_test.cpp conversation_handshake_test.cpp conversation_verify_test.cpp
  DEPS bgpsecd::validation_server bgpsecd::wire)  # wire: the shared hex test helper
