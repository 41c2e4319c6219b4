# SPDX-License-Identifier: BSD-2-Clause
# Configuration piece of bgpsecd::daemon: TOML parsing (toml++), normal form, reload diff.
list(APPEND DAEMON_SRCS ${CMAKE_CURRENT_SOURCE_DIR}/config.cpp)
list(APPEND DAEMON_DEPS tomlplusplus::tomlplusplus)
