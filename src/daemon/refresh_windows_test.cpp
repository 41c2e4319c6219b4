// SPDX-License-Identifier: BSD-2-Clause
// RefreshWindows: the RFC 7313 §4 windows between BoRR and EoRR and their EoRR timers. The
// limits are 0 s, so running the io_context fires whatever timer is still armed.
#include "daemon/refresh_windows.hpp"

#include <gtest/gtest.h>

namespace bgpsecd::daemon {
namespace {

using std::chrono::seconds;

TEST(RefreshWindows, EorrMissingExpiresTheWindow) {
  asio::io_context io;
  RefreshWindows w(io);
  int expired = 0;
  w.open(base::Afi::Ipv4, seconds(0), [&] { ++expired; });
  EXPECT_TRUE(w.is_open(base::Afi::Ipv4));
  EXPECT_FALSE(w.is_open(base::Afi::Ipv6));
  io.run();
  EXPECT_EQ(expired, 1);
  EXPECT_FALSE(w.is_open(base::Afi::Ipv4));
  EXPECT_FALSE(w.close(base::Afi::Ipv4));  // an EoRR after the timer: no window any more
}

TEST(RefreshWindows, EorrInTimeStopsTheTimer) {
  asio::io_context io;
  RefreshWindows w(io);
  int expired = 0;
  w.open(base::Afi::Ipv6, seconds(0), [&] { ++expired; });
  EXPECT_TRUE(w.close(base::Afi::Ipv6));
  EXPECT_FALSE(w.close(base::Afi::Ipv6));  // EoRR without BoRR
  io.run();
  EXPECT_EQ(expired, 0);
}

TEST(RefreshWindows, SecondBorrRestartsTheWindow) {
  asio::io_context io;
  RefreshWindows w(io);
  int first = 0;
  int second = 0;
  w.open(base::Afi::Ipv4, seconds(0), [&] { ++first; });
  w.open(base::Afi::Ipv4, seconds(0), [&] { ++second; });
  io.run();
  EXPECT_EQ(first, 0);
  EXPECT_EQ(second, 1);
}

TEST(RefreshWindows, FamiliesAreIndependentAndCloseAllFiresNothing) {
  asio::io_context io;
  RefreshWindows w(io);
  int v4 = 0;
  int v6 = 0;
  w.open(base::Afi::Ipv4, seconds(0), [&] { ++v4; });
  w.open(base::Afi::Ipv6, seconds(0), [&] { ++v6; });
  EXPECT_TRUE(w.close(base::Afi::Ipv4));
  io.run();
  EXPECT_EQ(v4, 0);
  EXPECT_EQ(v6, 1);
  io.restart();
  w.open(base::Afi::Ipv4, seconds(0), [&] { ++v4; });
  w.close_all();
  io.run();
  EXPECT_EQ(v4, 0);
}

TEST(RefreshWindows, GoneBeforeItsTimerRanFiresNothing) {
  asio::io_context io;
  int expired = 0;
  {
    RefreshWindows w(io);
    w.open(base::Afi::Ipv4, seconds(0), [&] { ++expired; });
  }
  io.run();
  EXPECT_EQ(expired, 0);
}

}  // namespace
}  // namespace bgpsecd::daemon
