# SPDX-License-Identifier: BSD-2-Clause
# Tests of the control API, its text rendering and the metrics endpoint (real sockets in a
# temporary directory and on 127.0.0.1; metrics_test uses ports 17990-17991).
bgpsecd_test(daemon_control_test
  SRCS ${CMAKE_CURRENT_SOURCE_DIR}/control_server_test.cpp
       ${CMAKE_CURRENT_SOURCE_DIR}/control_text_test.cpp
       ${CMAKE_CURRENT_SOURCE_DIR}/metrics_test.cpp
  DEPS bgpsecd::daemon)
