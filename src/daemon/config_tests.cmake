# SPDX-License-Identifier: BSD-2-Clause
# Tests of the configuration piece and its TOML reader (reads etc/bgpsecd.example.toml via
# BGPSEC_SOURCE_DIR).
bgpsecd_test(daemon_config_test
  SRCS ${CMAKE_CURRENT_SOURCE_DIR}/config_test.cpp
       ${CMAKE_CURRENT_SOURCE_DIR}/config_confed_test.cpp
       ${CMAKE_CURRENT_SOURCE_DIR}/config_tcp_security_test.cpp
       ${CMAKE_CURRENT_SOURCE_DIR}/config_tcp_ao_test.cpp
       ${CMAKE_CURRENT_SOURCE_DIR}/config_validation_test.cpp
       ${CMAKE_CURRENT_SOURCE_DIR}/config_rpki_ssh_test.cpp
       ${CMAKE_CURRENT_SOURCE_DIR}/config_bmp_test.cpp
       ${CMAKE_CURRENT_SOURCE_DIR}/config_aspa_test.cpp
       ${CMAKE_CURRENT_SOURCE_DIR}/config_role_test.cpp
  DEPS bgpsecd::daemon)
