// SPDX-License-Identifier: BSD-2-Clause
#include "srx/results.hpp"

namespace bgpsecd::srx {

std::size_t result_index(ResultType type) noexcept {
  switch (type) {
    case ResultType::Origin:
      return 0;
    case ResultType::Path:
      return 1;
    case ResultType::Aspa:
      break;
  }
  return 2;
}

namespace {

SrxResult UpdateResults::*member(ResultType type) noexcept {
  switch (type) {
    case ResultType::Origin:
      return &UpdateResults::origin;
    case ResultType::Path:
      return &UpdateResults::path;
    case ResultType::Aspa:
      break;
  }
  return &UpdateResults::aspa;
}

}  // namespace

SrxResult& result_of(UpdateResults& results, ResultType type) noexcept {
  return results.*member(type);
}

SrxResult result_of(const UpdateResults& results, ResultType type) noexcept {
  return results.*member(type);
}

const char* result_name(SrxResult result) noexcept {
  switch (result) {
    case SrxResult::Valid:
      return "valid";
    case SrxResult::NotFound:
      return "notfound";
    case SrxResult::Invalid:
      return "invalid";
    case SrxResult::Undefined:
      return "undefined";
    case SrxResult::DoNotUse:
      return "donotuse";
    case SrxResult::Unknown:
      return "unknown";
    case SrxResult::Unverifiable:
      return "unverifiable";
  }
  return "unknown";
}

}  // namespace bgpsecd::srx
