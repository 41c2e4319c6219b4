# SPDX-License-Identifier: BSD-2-Clause
# Configuration piece of bgpsecd::daemon: TOML parsing (toml++), normal form, reload diff.
# The TOML helpers and the tables bgpsecvd shares are in service/; config.cpp runs the parser, config_<part>.cpp read one part of the file each.
list(
  APPEND
  DAEMON_SRCS
  ${CMAKE_CURRENT_SOURCE_DIR}/config.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/config_parse.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/config_global.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/config_control.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/config_rpki.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/config_bgpsec.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/config_aspa.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/config_validation.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/config_policy.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/config_network.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/config_neighbor.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/config_tcp_ao.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/config_bmp.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/config_values.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/config_normal_form.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/config_diff.cpp)
list(APPEND DAEMON_DEPS tomlplusplus::tomlplusplus bgpsecd::service)
