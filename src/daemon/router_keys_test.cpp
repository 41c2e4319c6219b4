// SPDX-License-Identifier: BSD-2-Clause
#include "daemon/router_keys.hpp"

#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

#include "bgpsec/key_directory.hpp"

namespace bgpsecd::daemon {
namespace {
namespace fs = std::filesystem;

class RouterKeysTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("bgpsecd-router-keys-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  crypto::PrivateKey add(std::uint32_t asn) {
    auto key = *crypto::PrivateKey::generate();
    EXPECT_TRUE(bgpsec::write_key(dir_ / "keys", base::Asn(asn), key));
    return key;
  }
  fs::path dir_;
};

TEST_F(RouterKeysTest, NoKeysConfiguredIsNoKeys) {
  const auto keys = load_router_keys(BgpsecConfig{}, base::Asn(65001));
  ASSERT_TRUE(keys);
  EXPECT_TRUE(keys->empty());
}

TEST_F(RouterKeysTest, KeyDirGivesTheKeyOfOurAsOnly) {
  const auto ours = add(65001);
  add(65002);  // a lab directory shared by several routers
  BgpsecConfig config;
  config.key_dir = (dir_ / "keys").string();
  const auto keys = load_router_keys(config, base::Asn(65001));
  ASSERT_TRUE(keys) << keys.error().message;
  ASSERT_EQ(keys->size(), 1U);
  EXPECT_EQ(keys->front()->ski(), ours.public_key().ski());
  EXPECT_EQ(keys->front()->suite(), wire::kAlgorithmSuite1);
}

TEST_F(RouterKeysTest, KeyDirWithoutOurKeySaysHowToMakeOne) {
  add(65002);
  BgpsecConfig config;
  config.key_dir = (dir_ / "keys").string();
  const auto keys = load_router_keys(config, base::Asn(65001));
  ASSERT_FALSE(keys);
  EXPECT_NE(keys.error().message.find("bgpsec keygen --asn 65001"), std::string::npos)
      << keys.error().message;
}

TEST_F(RouterKeysTest, TwoKeysForOurAsAreRefused) {
  add(65001);
  const auto second = add(65003);
  BgpsecConfig config;
  config.key_dir = (dir_ / "keys").string();
  config.key_files = {
      (dir_ / "keys" / ("65003." + second.public_key().ski().to_hex() + ".pem")).string()};
  const auto keys = load_router_keys(config, base::Asn(65001));
  ASSERT_FALSE(keys);
  EXPECT_NE(keys.error().message.find("several router keys"), std::string::npos);
}

TEST_F(RouterKeysTest, KeyFileAloneAndBrokenFile) {
  const auto key = add(65009);
  BgpsecConfig config;
  config.key_files = {
      (dir_ / "keys" / ("65009." + key.public_key().ski().to_hex() + ".pem")).string()};
  const auto keys = load_router_keys(config, base::Asn(65001));
  ASSERT_TRUE(keys) << keys.error().message;
  ASSERT_EQ(keys->size(), 1U);
  EXPECT_EQ(keys->front()->ski(), key.public_key().ski());

  config.key_files = {(dir_ / "missing.pem").string()};
  const auto missing = load_router_keys(config, base::Asn(65001));
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("missing.pem"), std::string::npos);
}

}  // namespace
}  // namespace bgpsecd::daemon
