# SPDX-License-Identifier: BSD-2-Clause
# VRP table and origin validation (RFC 6811), the published RPKI snapshot store, and SLURM
# (RFC 8416); included by CMakeLists.txt into the bgpsecd::rpki library.
list(APPEND RPKI_SRCS
     ${CMAKE_CURRENT_SOURCE_DIR}/vrp_table.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/rpki_store.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/slurm.cpp)
