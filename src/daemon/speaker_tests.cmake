# Tests of the speaker piece's pure parts (the speaker itself runs in tests/daemon).
bgpsecd_test(daemon_speaker_test
  SRCS ${CMAKE_CURRENT_SOURCE_DIR}/router_keys_test.cpp
  DEPS bgpsecd::daemon)
