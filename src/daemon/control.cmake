# SPDX-License-Identifier: BSD-2-Clause
# The text rendering bgpsecctl prints for bgpsecd's control API answers (the API's server and
# client and the metrics registry are in service/).
list(APPEND DAEMON_SRCS ${CMAKE_CURRENT_SOURCE_DIR}/control_text.cpp)
