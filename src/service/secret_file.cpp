// SPDX-License-Identifier: BSD-2-Clause
#include "service/secret_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <sys/stat.h>

namespace bgpsecd::service {

base::Result<std::string> read_secret_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return base::fail(path + ": " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    return base::fail(path + ": not a regular file");
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return base::fail(path + ": group or others may access it (mode " +
                      std::to_string((st.st_mode >> 6) & 7) +
                      std::to_string((st.st_mode >> 3) & 7) + std::to_string(st.st_mode & 7) +
                      "); a secret must be readable by its owner only (chmod 600)");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return base::fail(path + ": cannot read it");
  }
  std::ostringstream text;
  text << in.rdbuf();
  std::string secret = text.str();
  if (!secret.empty() && secret.back() == '\n') {
    secret.pop_back();
    if (!secret.empty() && secret.back() == '\r') {
      secret.pop_back();
    }
  }
  return secret;
}

}  // namespace bgpsecd::service
