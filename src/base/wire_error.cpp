// SPDX-License-Identifier: BSD-2-Clause
#include "base/wire_error.hpp"

namespace bgpsecd::base {

const char* action_name(Action a) noexcept {
  switch (a) {
    case Action::AttributeDiscard:
      return "attribute-discard";
    case Action::TreatAsWithdraw:
      return "treat-as-withdraw";
    case Action::AfiSafiDisable:
      return "afi-safi-disable";
    case Action::SessionReset:
      return "session-reset";
  }
  return "unknown";
}

}  // namespace bgpsecd::base
