# SPDX-License-Identifier: BSD-2-Clause
# The three SRx results of an update and the revalidation index (update_validation), and
# signing for SIGN_REQUEST (update_signing).
list(APPEND VSERVER_SRCS ${CMAKE_CURRENT_SOURCE_DIR}/update_validation.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/update_signing.cpp)
