// SPDX-License-Identifier: BSD-2-Clause
#include "base/secret_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace bgpsecd::base {
namespace {

std::string octal_mode(mode_t mode) {
  char buf[8] = {};
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

// Closes the descriptor on every way out.
struct Fd {
  explicit Fd(int descriptor) : fd(descriptor) {}
  int fd;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd >= 0) {
      ::close(fd);
    }
  }
};

}  // namespace

void wipe(std::string& secret) noexcept {
  ::explicit_bzero(secret.data(), secret.size());
  secret.clear();
}

Result<std::string> read_secret_file(const std::string& path, std::string_view what,
                                     std::size_t max_size) {
  const std::string name = std::string(what) + " " + path;
  const Fd file(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (file.fd < 0) {
    return fail("cannot open " + name + ": " + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(file.fd, &st) != 0) {
    return fail("cannot stat " + name + ": " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    return fail(name + " is not a regular file");
  }
  // Owned by us (or root, who could replace it anyway): a secret another user owns could be
  // replaced by them, whatever its mode says.
  if (st.st_uid != ::geteuid() && st.st_uid != 0) {
    return fail(name + " is owned by user " + std::to_string(st.st_uid) + ", not by us (" +
                std::to_string(::geteuid()) + "); chown it");
  }
  if ((st.st_mode & 077) != 0) {
    const char* access = (st.st_mode & 044) != 0 ? "readable" : "accessible";
    return fail(name + " is " + access + " by group or others (mode " + octal_mode(st.st_mode) +
                "); chmod 600 it");
  }
  std::string data;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(file.fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      const int err = errno;
      wipe(data);
      return fail("cannot read " + name + ": " + std::strerror(err));
    }
    if (n == 0) {
      break;
    }
    data.append(buf, static_cast<std::size_t>(n));
    if (data.size() > max_size) {
      wipe(data);
      ::explicit_bzero(buf, sizeof buf);
      return fail(name + " is too large (over " + std::to_string(max_size) + " octets)");
    }
  }
  ::explicit_bzero(buf, sizeof buf);
  return data;
}

}  // namespace bgpsecd::base
