// SPDX-License-Identifier: BSD-2-Clause
// Errors are values (docs/style.md §2.5). Result<T, E> is tl::expected; use only the members that
// std::expected also has, so that moving to C++23 is a one-line change here.
//
// Propagation uses exactly one macro pair:
//   BGPSEC_TRY(expr);                         // expr is a Result<void-ish>; returns its error
//   BGPSEC_ASSIGN_OR_RETURN(auto x, expr);    // binds the value or returns the error
#pragma once

#include <string>
#include <utility>

#include <tl/expected.hpp>

namespace bgpsecd::base {

// A general error for non-wire failures (files, config, keys, command lines): a message an
// operator can act on, naming the thing that is wrong.
struct Error {
  std::string message;
  friend bool operator==(const Error&, const Error&) = default;
};

template <class T, class E = Error>
using Result = tl::expected<T, E>;

template <class E>
[[nodiscard]] tl::unexpected<E> fail(E e) {
  return tl::unexpected<E>(std::move(e));
}

[[nodiscard]] inline tl::unexpected<Error> fail(std::string message) {
  return tl::unexpected<Error>(Error{std::move(message)});
}

[[nodiscard]] inline tl::unexpected<Error> fail(const char* message) {
  return tl::unexpected<Error>(Error{message});
}

}  // namespace bgpsecd::base

#define BGPSEC_CONCAT_INNER_(a, b) a##b
#define BGPSEC_CONCAT_(a, b) BGPSEC_CONCAT_INNER_(a, b)

#define BGPSEC_TRY(expr)                                              \
  do {                                                                \
    auto&& bgpsec_try_result_ = (expr);                               \
    if (!bgpsec_try_result_) {                                        \
      return ::tl::unexpected(std::move(bgpsec_try_result_).error()); \
    }                                                                 \
  } while (false)

#define BGPSEC_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp) {                                         \
    return ::tl::unexpected(std::move(tmp).error());  \
  }                                                   \
  lhs = std::move(tmp).value()

#define BGPSEC_ASSIGN_OR_RETURN(lhs, expr) \
  BGPSEC_ASSIGN_OR_RETURN_IMPL_(BGPSEC_CONCAT_(bgpsec_assign_result_, __LINE__), lhs, expr)
