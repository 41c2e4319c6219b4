# SPDX-License-Identifier: BSD-2-Clause
# The server piece of bgpsecd::validation_server: the SRx proxies' TCP transport and the
# server that wires transport, conversation, validation, RPKI and the operator interfaces.
list(APPEND VSERVER_SRCS ${CMAKE_CURRENT_SOURCE_DIR}/srx_transport.cpp)
