# SPDX-License-Identifier: BSD-2-Clause
# UPDATE and path attributes
list(APPEND WIRE_SRCS
     ${CMAKE_CURRENT_SOURCE_DIR}/as_path.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/as_path_text.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/as4_path.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/nlri.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/communities.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/mp_reach.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/attributes.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/path_attributes.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/update.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/update_json.cpp)

bgpsecd_test(wire_update_test
  SRCS ${CMAKE_CURRENT_SOURCE_DIR}/as_path_test.cpp
       ${CMAKE_CURRENT_SOURCE_DIR}/as_path_text_test.cpp
       ${CMAKE_CURRENT_SOURCE_DIR}/as4_path_test.cpp
       ${CMAKE_CURRENT_SOURCE_DIR}/nlri_test.cpp
       ${CMAKE_CURRENT_SOURCE_DIR}/communities_test.cpp
       ${CMAKE_CURRENT_SOURCE_DIR}/mp_reach_test.cpp
       ${CMAKE_CURRENT_SOURCE_DIR}/attributes_test.cpp
       ${CMAKE_CURRENT_SOURCE_DIR}/update_test.cpp
       ${CMAKE_CURRENT_SOURCE_DIR}/update_rfc8608_test.cpp
       ${CMAKE_CURRENT_SOURCE_DIR}/update_json_test.cpp
  DEPS bgpsecd::wire)
# update_rfc8608_test reads the vectors through "tests/vectors/rfc8608.hpp".
target_include_directories(wire_update_test PRIVATE ${PROJECT_SOURCE_DIR})

bgpsecd_fuzzer(update SRCS ${PROJECT_SOURCE_DIR}/fuzz/update_fuzz.cpp DEPS bgpsecd::wire)
bgpsecd_fuzzer(path_attributes SRCS ${PROJECT_SOURCE_DIR}/fuzz/path_attributes_fuzz.cpp
               DEPS bgpsecd::wire)
