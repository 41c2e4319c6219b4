# SPDX-License-Identifier: BSD-2-Clause
# header, OPEN + capabilities, NOTIFICATION, KEEPALIVE, ROUTE-REFRESH, framing
list(APPEND WIRE_SRCS
     ${CMAKE_CURRENT_SOURCE_DIR}/header.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/capability.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/role.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/open.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/notification.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/keepalive.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/route_refresh.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/message.cpp)

bgpsecd_test(wire_messages_test
  SRCS ${CMAKE_CURRENT_SOURCE_DIR}/header_test.cpp
       ${CMAKE_CURRENT_SOURCE_DIR}/capability_test.cpp
       ${CMAKE_CURRENT_SOURCE_DIR}/role_test.cpp
       ${CMAKE_CURRENT_SOURCE_DIR}/open_test.cpp
       ${CMAKE_CURRENT_SOURCE_DIR}/notification_test.cpp
       ${CMAKE_CURRENT_SOURCE_DIR}/keepalive_test.cpp
       ${CMAKE_CURRENT_SOURCE_DIR}/route_refresh_test.cpp
       ${CMAKE_CURRENT_SOURCE_DIR}/message_test.cpp
  DEPS bgpsecd::wire nlohmann_json::nlohmann_json)

bgpsecd_fuzzer(open SRCS ${PROJECT_SOURCE_DIR}/fuzz/open_fuzz.cpp DEPS bgpsecd::wire)
bgpsecd_fuzzer(notification SRCS ${PROJECT_SOURCE_DIR}/fuzz/notification_fuzz.cpp
               DEPS bgpsecd::wire)
bgpsecd_fuzzer(route_refresh SRCS ${PROJECT_SOURCE_DIR}/fuzz/route_refresh_fuzz.cpp
               DEPS bgpsecd::wire)
bgpsecd_fuzzer(message SRCS ${PROJECT_SOURCE_DIR}/fuzz/message_fuzz.cpp DEPS bgpsecd::wire)
