// SPDX-License-Identifier: BSD-2-Clause
// read_secret_file: the owner-only rule, the size limit and the errors that name the file
// but never its contents.
#include "base/secret_file.hpp"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <unistd.h>

namespace bgpsecd::base {
namespace {

namespace fs = std::filesystem;

fs::path file_with(const std::string& text, fs::perms mode) {
  const fs::path path =
      fs::temp_directory_path() / ("bgpsecd-secret-" + std::to_string(::getpid()) + "-" +
                                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::ofstream(path) << text;
  fs::permissions(path, mode);
  return path;
}

TEST(SecretFile, OwnerOnlyIsRead) {
  const auto path = file_with("s3cret\n", fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(read_secret_file(path.string(), "password file", 100).value(), "s3cret\n");
  fs::remove(path);
}

TEST(SecretFile, GroupOrOthersAccessIsRefusedWithoutQuotingTheSecret) {
  const auto path = file_with("s3cret", fs::perms::owner_read | fs::perms::group_write);
  const auto read = read_secret_file(path.string(), "key file", 100);
  ASSERT_FALSE(read);
  EXPECT_EQ(
      read.error().message,
      "key file " + path.string() + " is accessible by group or others (mode 0420); chmod 600 it");
  fs::remove(path);
}

TEST(SecretFile, AnotherUsersFileIsRefused) {
  if (::geteuid() != 0) {
    GTEST_SKIP() << "only root can give a file to another user";
  }
  const auto path = file_with("s3cret", fs::perms::owner_read);
  ASSERT_EQ(::chown(path.c_str(), 65534, 65534), 0);
  EXPECT_EQ(read_secret_file(path.string(), "key file", 100).error().message,
            "key file " + path.string() + " is owned by user 65534, not by us (0); chown it");
  fs::remove(path);
}

TEST(SecretFile, TooLargeMissingAndNotRegularAreRefused) {
  const auto path = file_with(std::string(101, 'x'), fs::perms::owner_read);
  EXPECT_EQ(read_secret_file(path.string(), "key file", 100).error().message,
            "key file " + path.string() + " is too large (over 100 octets)");
  fs::remove(path);
  EXPECT_EQ(read_secret_file(path.string(), "key file", 100).error().message,
            "cannot open key file " + path.string() + ": No such file or directory");
  EXPECT_EQ(read_secret_file("/", "key file", 100).error().message,
            "key file / is not a regular file");
}

}  // namespace
}  // namespace bgpsecd::base
