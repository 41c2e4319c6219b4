# SPDX-License-Identifier: BSD-2-Clause
# Tests and the SLURM fuzzer for vrp.cmake's sources (declared after bgpsecd::rpki exists).
bgpsecd_test(rpki_vrp_test
  SRCS ${CMAKE_CURRENT_SOURCE_DIR}/vrp_table_test.cpp
       ${CMAKE_CURRENT_SOURCE_DIR}/rpki_store_test.cpp
       ${CMAKE_CURRENT_SOURCE_DIR}/slurm_test.cpp
  DEPS bgpsecd::rpki)

# SLURM files are written by hand; the parser must survive anything.
bgpsecd_fuzzer(slurm SRCS ${PROJECT_SOURCE_DIR}/fuzz/slurm_fuzz.cpp DEPS bgpsecd::rpki)
