# SPDX-License-Identifier: BSD-2-Clause
# Tests of the text rendering of the control API's answers.
bgpsecd_test(daemon_control_test
  SRCS ${CMAKE_CURRENT_SOURCE_DIR}/control_text_test.cpp
  DEPS bgpsecd::daemon)
