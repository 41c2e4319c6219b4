// SPDX-License-Identifier: BSD-2-Clause
#include "bgpsec/key_directory.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <unistd.h>

namespace bgpsecd::bgpsec {
namespace {
namespace fs = std::filesystem;

class KeyDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("bgpsec-keydir-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  static crypto::PrivateKey fresh() { return *crypto::PrivateKey::generate(); }
  fs::path dir_;
};

TEST_F(KeyDirectoryTest, WrittenKeysLoadBackByAsn) {
  const auto a = fresh();
  const auto b = fresh();
  const auto path = write_key(dir_, base::Asn(65001), a);
  ASSERT_TRUE(path) << path.error().message;
  EXPECT_EQ(path->filename().string(), "65001." + a.public_key().ski().to_hex() + ".pem");
  // The directory holds private keys: owner only.
  EXPECT_EQ(fs::status(dir_).permissions() & fs::perms::all, fs::perms::owner_all);
  ASSERT_TRUE(write_key(dir_, base::Asn(4200000001), b));
  // Files that are not keys of ours are skipped.
  std::ofstream(dir_ / "README") << "not a key\n";
  std::ofstream(dir_ / "ca.pem") << "-----BEGIN CERTIFICATE-----\n";

  const auto keys = load_keys(dir_);
  ASSERT_TRUE(keys) << keys.error().message;
  ASSERT_EQ(keys->size(), 2U);
  const auto found = key_for(*keys, base::Asn(4200000001), dir_);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->public_key(), b.public_key());
}

TEST_F(KeyDirectoryTest, RefusesToOverwrite) {
  const auto a = fresh();
  ASSERT_TRUE(write_key(dir_, base::Asn(65001), a));
  EXPECT_FALSE(write_key(dir_, base::Asn(65001), a));
}

TEST_F(KeyDirectoryTest, MissingKeyIsAnErrorThatSaysWhatToDo) {
  ASSERT_TRUE(write_key(dir_, base::Asn(65001), fresh()));
  const auto keys = load_keys(dir_);
  ASSERT_TRUE(keys);
  const auto none = key_for(*keys, base::Asn(65002), dir_);
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("bgpsec keygen --asn 65002"), std::string::npos);
}

// RFC 8634 §4: during a rollover the old and the new key of an AS are in the directory
// together; the one that was there first keeps signing until the operator switches.
TEST_F(KeyDirectoryTest, SeveralKeysOfAnAsLoadAndTheOldestSigns) {
  const auto old_key = fresh();
  const auto new_key = fresh();
  const auto old_path = write_key(dir_, base::Asn(65001), old_key);
  const auto new_path = write_key(dir_, base::Asn(65001), new_key);
  ASSERT_TRUE(old_path && new_path);
  const auto now = fs::last_write_time(*old_path);
  fs::last_write_time(*old_path, now - std::chrono::hours(24));
  fs::last_write_time(*new_path, now);
  auto keys = load_keys(dir_);
  ASSERT_TRUE(keys) << keys.error().message;
  ASSERT_EQ(keys->size(), 2U);
  auto active = key_for(*keys, base::Asn(65001), dir_);
  ASSERT_TRUE(active) << active.error().message;
  EXPECT_EQ(active->public_key(), old_key.public_key());

  // The old key's file removed (or made newer): the new key signs.
  fs::last_write_time(*old_path, now + std::chrono::hours(1));
  keys = load_keys(dir_);
  ASSERT_TRUE(keys);
  active = key_for(*keys, base::Asn(65001), dir_);
  ASSERT_TRUE(active);
  EXPECT_EQ(active->public_key(), new_key.public_key());
}

TEST(ChooseActiveKey, ConfiguredSkiWinsOverAge) {
  const auto t = fs::file_time_type::clock::now();
  const auto a = *base::Ski::from_hex("0101010101010101010101010101010101010101");
  const auto b = *base::Ski::from_hex("0202020202020202020202020202020202020202");
  const std::vector<KeyStamp> keys{{b, t}, {a, t - std::chrono::hours(1)}};
  EXPECT_EQ(*choose_active_key(keys, std::nullopt), 1U);  // a is older
  EXPECT_EQ(*choose_active_key(keys, b), 0U);
  EXPECT_EQ(*choose_active_key(keys, a), 1U);
  const auto c = *base::Ski::from_hex("0303030303030303030303030303030303030303");
  const auto missing = choose_active_key(keys, c);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find(c.to_hex()), std::string::npos);
  EXPECT_FALSE(choose_active_key({}, std::nullopt));
}

TEST(ChooseActiveKey, SameAgeFallsBackToTheLowerSki) {
  const auto t = fs::file_time_type::clock::now();
  const auto a = *base::Ski::from_hex("0101010101010101010101010101010101010101");
  const auto b = *base::Ski::from_hex("0202020202020202020202020202020202020202");
  EXPECT_EQ(*choose_active_key(std::vector<KeyStamp>{{b, t}, {a, t}}, std::nullopt), 1U);
  EXPECT_EQ(*choose_active_key(std::vector<KeyStamp>{{a, t}, {b, t}}, std::nullopt), 0U);
}

TEST_F(KeyDirectoryTest, MissingDirectoryAndBrokenKeyAreErrors) {
  EXPECT_FALSE(load_keys(dir_));
  fs::create_directories(dir_);
  {
    std::ofstream f(dir_ / "65001.0011.pem");
    f << "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
  }
  fs::permissions(dir_ / "65001.0011.pem", fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_FALSE(load_keys(dir_));
}

}  // namespace
}  // namespace bgpsecd::bgpsec
