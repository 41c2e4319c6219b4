// SPDX-License-Identifier: BSD-2-Clause
#include "bgpsec/key_directory.hpp"

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

TEST_F(KeyDirectoryTest, MissingOrAmbiguousKeyIsAnErrorThatSaysWhatToDo) {
  ASSERT_TRUE(write_key(dir_, base::Asn(65001), fresh()));
  ASSERT_TRUE(write_key(dir_, base::Asn(65001), fresh()));
  const auto keys = load_keys(dir_);
  ASSERT_TRUE(keys);
  const auto several = key_for(*keys, base::Asn(65001), dir_);
  ASSERT_FALSE(several);
  EXPECT_NE(several.error().message.find("several keys for AS65001"), std::string::npos);
  const auto none = key_for(*keys, base::Asn(65002), dir_);
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("bgpsec keygen --asn 65002"), std::string::npos);
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
