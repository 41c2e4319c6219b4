# SPDX-License-Identifier: BSD-2-Clause
# The server piece of bgpsecd::validation_server: the SRx proxies' TCP transport, bgpsecvd's
# configuration and metrics, and the server that wires transport, conversation, validation,
# RPKI and the operator interfaces.
list(APPEND VSERVER_SRCS ${CMAKE_CURRENT_SOURCE_DIR}/srx_transport.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/server_config.cpp ${CMAKE_CURRENT_SOURCE_DIR}/server_metrics.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/server.cpp ${CMAKE_CURRENT_SOURCE_DIR}/server_text.cpp)
list(APPEND VSERVER_DEPS bgpsecd::service spdlog::spdlog)
