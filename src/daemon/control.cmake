# SPDX-License-Identifier: BSD-2-Clause
# Operator interfaces of bgpsecd: the JSON control API server and client, the
# text rendering bgpsecctl prints, and the Prometheus registry with its HTTP endpoint.
list(APPEND DAEMON_SRCS
     ${CMAKE_CURRENT_SOURCE_DIR}/control_server.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/control_client.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/control_text.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/metrics.cpp)
