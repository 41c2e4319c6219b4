# SPDX-License-Identifier: BSD-2-Clause
# The transport over real loopback sockets (127.0.0.1, ports picked by the kernel).
bgpsecd_test(validation_server_transport_test
  SRCS ${CMAKE_CURRENT_SOURCE_DIR}/srx_transport_test.cpp
  DEPS bgpsecd::validation_server)

# bgpsecvd's configuration (reads etc/bgpsecvd.example.toml via BGPSEC_SOURCE_DIR).
bgpsecd_test(validation_server_config_test
  SRCS ${CMAKE_CURRENT_SOURCE_DIR}/server_config_test.cpp
  DEPS bgpsecd::validation_server)

# The text bgpsecctl prints for bgpsecvd's own commands (no sockets).
bgpsecd_test(validation_server_text_test
  SRCS ${CMAKE_CURRENT_SOURCE_DIR}/server_text_test.cpp
  DEPS bgpsecd::validation_server)
