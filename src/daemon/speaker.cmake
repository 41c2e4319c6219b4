# SPDX-License-Identifier: BSD-2-Clause
# The speaker: policy evaluation, session/RIB/RPKI wiring, control API views.
list(APPEND DAEMON_SRCS
     ${CMAKE_CURRENT_SOURCE_DIR}/aspa_check.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/import_decision.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/policy.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/refresh_windows.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/speaker.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/speaker_aspa.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/speaker_bgpsec.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/speaker_best_first.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/speaker_bmp.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/bmp_station.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/speaker_deferral.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/speaker_keys.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/speaker_mrt.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/speaker_outsourcing.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/speaker_server_signing.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/speaker_table.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/speaker_departure.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/speaker_tcp_ao.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/speaker_refresh.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/speaker_reload.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/speaker_views.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/speaker_validation_views.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/validation_deferral.cpp)
list(APPEND DAEMON_DEPS spdlog::spdlog bgpsecd::srx_client bgpsecd::mrt bgpsecd::bmp)
