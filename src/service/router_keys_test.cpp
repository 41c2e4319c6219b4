// SPDX-License-Identifier: BSD-2-Clause
#include "service/router_keys.hpp"

#include <chrono>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

#include "bgpsec/key_directory.hpp"

namespace bgpsecd::service {
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
  const auto keys = load_router_keys(KeySources{}, base::Asn(65001));
  ASSERT_TRUE(keys);
  EXPECT_TRUE(keys->empty());
  EXPECT_EQ(keys->active_key(), nullptr);
}

TEST_F(RouterKeysTest, KeyDirGivesTheKeyOfOurAsOnly) {
  const auto ours = add(65001);
  add(65002);  // a lab directory shared by several routers
  KeySources config;
  config.key_dir = (dir_ / "keys").string();
  const auto keys = load_router_keys(config, base::Asn(65001));
  ASSERT_TRUE(keys) << keys.error().message;
  ASSERT_EQ(keys->keys.size(), 1U);
  EXPECT_EQ(keys->active_key()->ski(), ours.public_key().ski());
  EXPECT_EQ(keys->active_key()->suite(), wire::kAlgorithmSuite1);
}

TEST_F(RouterKeysTest, KeyDirWithoutOurKeySaysHowToMakeOne) {
  add(65002);
  KeySources config;
  config.key_dir = (dir_ / "keys").string();
  const auto keys = load_router_keys(config, base::Asn(65001));
  ASSERT_FALSE(keys);
  EXPECT_NE(keys.error().message.find("bgpsec keygen --asn 65001"), std::string::npos)
      << keys.error().message;
}

// RFC 8634 §4: during a rollover our old and new key are loaded together; the old one signs
// until [bgpsec.active_key] names the new one (or the old file goes).
TEST_F(RouterKeysTest, SeveralKeysOfOurAsTheOldestOrTheConfiguredOneSigns) {
  const auto old_key = add(65001);
  const auto new_key = add(65001);
  const auto file = [&](const crypto::PrivateKey& k) {
    return dir_ / "keys" / ("65001." + k.public_key().ski().to_hex() + ".pem");
  };
  const auto now = fs::last_write_time(file(new_key));
  fs::last_write_time(file(old_key), now - std::chrono::hours(1));
  KeySources config;
  config.key_dir = (dir_ / "keys").string();
  auto keys = load_router_keys(config, base::Asn(65001));
  ASSERT_TRUE(keys) << keys.error().message;
  ASSERT_EQ(keys->keys.size(), 2U);
  EXPECT_EQ(keys->active_key()->ski(), old_key.public_key().ski());
  EXPECT_FALSE(keys->configured);

  config.active_key[65001] = new_key.public_key().ski();
  auto switched = load_router_keys(config, base::Asn(65001));
  ASSERT_TRUE(switched) << switched.error().message;
  EXPECT_EQ(switched->active_key()->ski(), new_key.public_key().ski());
  EXPECT_TRUE(switched->configured);

  // Reload: the counts of the keys that stay carry over, and the changes are named.
  keys->keys[keys->active]->set_signatures(7);
  const auto changes = carry_over(*keys, *switched);
  ASSERT_EQ(changes.size(), 1U);
  EXPECT_EQ(changes[0], "router key AS65001 " + new_key.public_key().ski().to_hex() + " active");
  for (const auto& k : switched->keys) {
    EXPECT_EQ(k->signatures(), k->ski() == old_key.public_key().ski() ? 7U : 0U);
  }
  fs::remove(file(old_key));
  auto without_old = load_router_keys(config, base::Asn(65001));
  ASSERT_TRUE(without_old);
  EXPECT_EQ(carry_over(*switched, *without_old),
            std::vector<std::string>{"router key AS65001 " + old_key.public_key().ski().to_hex() +
                                     " removed"});

  // An active_key for another AS does not matter here; ours naming no loaded key is an error.
  config.active_key[65001] = old_key.public_key().ski();
  config.active_key[65002] = new_key.public_key().ski();
  const auto missing = load_router_keys(config, base::Asn(65001));
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find(old_key.public_key().ski().to_hex()), std::string::npos)
      << missing.error().message;
}

TEST_F(RouterKeysTest, SignaturesAreCountedPerKey) {
  const auto key = add(65001);
  KeySources config;
  config.key_dir = (dir_ / "keys").string();
  const auto keys = load_router_keys(config, base::Asn(65001));
  ASSERT_TRUE(keys);
  const auto* active = keys->active_key();
  ASSERT_TRUE(active->sign(crypto::Sha256Digest{}));
  ASSERT_TRUE(active->sign(crypto::Sha256Digest{}));
  EXPECT_EQ(active->signatures(), 2U);
}

TEST_F(RouterKeysTest, KeyFilesJoinTheKeyDirAndTheSameKeyCountsOnce) {
  const auto ours = add(65001);
  const auto second = add(65003);
  KeySources config;
  config.key_dir = (dir_ / "keys").string();
  config.key_files = {
      (dir_ / "keys" / ("65003." + second.public_key().ski().to_hex() + ".pem")).string(),
      (dir_ / "keys" / ("65001." + ours.public_key().ski().to_hex() + ".pem")).string()};
  const auto keys = load_router_keys(config, base::Asn(65001));
  ASSERT_TRUE(keys) << keys.error().message;
  EXPECT_EQ(keys->keys.size(), 2U);
}

TEST_F(RouterKeysTest, KeyFileAloneAndBrokenFile) {
  const auto key = add(65009);
  KeySources config;
  config.key_files = {
      (dir_ / "keys" / ("65009." + key.public_key().ski().to_hex() + ".pem")).string()};
  const auto keys = load_router_keys(config, base::Asn(65001));
  ASSERT_TRUE(keys) << keys.error().message;
  ASSERT_EQ(keys->keys.size(), 1U);
  EXPECT_EQ(keys->active_key()->ski(), key.public_key().ski());

  config.key_files = {(dir_ / "missing.pem").string()};
  const auto missing = load_router_keys(config, base::Asn(65001));
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("missing.pem"), std::string::npos);
}

// bgpsecvd signs for every AS of its key directory, each with its own active key.
TEST_F(RouterKeysTest, ByAsGivesEveryAsOfTheDirectoryItsKeys) {
  const auto a = add(65001);
  const auto b = add(65002);
  KeySources config;
  config.key_dir = (dir_ / "keys").string();
  const auto keys = load_router_keys_by_as(config);
  ASSERT_TRUE(keys) << keys.error().message;
  ASSERT_EQ(keys->size(), 2U);
  EXPECT_EQ(keys->at(base::Asn(65001)).active_key()->ski(), a.public_key().ski());
  EXPECT_EQ(keys->at(base::Asn(65002)).active_key()->ski(), b.public_key().ski());
  EXPECT_TRUE(load_router_keys_by_as(KeySources{})->empty());
  config.key_dir = (dir_ / "missing").string();
  EXPECT_FALSE(load_router_keys_by_as(config));
}

// bgpsecvd's --key-dir goes through the same check as bgpsecd's keys (base/secret_file): a key
// others can read, or that another user could replace, is refused, naming the file and the fix.
TEST_F(RouterKeysTest, ByAsRefusesAKeyOthersCanReadOrAnotherUserOwns) {
  add(65001);
  const fs::path file = fs::directory_iterator(dir_ / "keys")->path();
  KeySources config;
  config.key_dir = (dir_ / "keys").string();
  fs::permissions(file, fs::perms::group_read, fs::perm_options::add);
  auto keys = load_router_keys_by_as(config);
  ASSERT_FALSE(keys);
  EXPECT_NE(keys.error().message.find(file.string()), std::string::npos) << keys.error().message;
  EXPECT_NE(keys.error().message.find("chmod 600"), std::string::npos) << keys.error().message;
  fs::permissions(file, fs::perms::group_read, fs::perm_options::remove);
  ASSERT_TRUE(load_router_keys_by_as(config));
  if (::geteuid() != 0) {
    return;  // only root can give the file to another user
  }
  ASSERT_EQ(::chown(file.c_str(), 65534, 65534), 0);
  keys = load_router_keys_by_as(config);
  ASSERT_FALSE(keys);
  EXPECT_NE(keys.error().message.find(file.string()), std::string::npos) << keys.error().message;
  EXPECT_NE(keys.error().message.find("chown"), std::string::npos) << keys.error().message;
}

}  // namespace
}  // namespace bgpsecd::service
