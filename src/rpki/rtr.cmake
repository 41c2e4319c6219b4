# SPDX-License-Identifier: BSD-2-Clause
# RTR client (RFC 8210 / RFC 6810): PDU codec and the router-side state machine.
list(APPEND RPKI_SRCS
     ${CMAKE_CURRENT_SOURCE_DIR}/rtr_pdu.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/rtr_client.cpp)
