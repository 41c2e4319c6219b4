# SPDX-License-Identifier: BSD-2-Clause
bgpsecd_test(validation_server_validation_test
  SRCS ${CMAKE_CURRENT_SOURCE_DIR}/update_validation_test.cpp
       ${CMAKE_CURRENT_SOURCE_DIR}/update_signing_test.cpp
  DEPS bgpsecd::validation_server)
# The RFC 8608 vectors (tests/vectors) come through bgpsec/test_support.hpp.
target_include_directories(validation_server_validation_test PRIVATE ${PROJECT_SOURCE_DIR})
# `bgpsec verify` accepts what the server signed: the test above, run with the tool's path.
add_test(NAME tool.bgpsec_verify_server_signature
         COMMAND validation_server_validation_test
                 --gtest_filter=SignUpdateTool.BgpsecVerifyAcceptsTheSignedPath)
set_tests_properties(tool.bgpsec_verify_server_signature PROPERTIES
                     ENVIRONMENT "BGPSEC=$<TARGET_FILE:bgpsec>" LABELS tool)
