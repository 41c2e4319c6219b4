// SPDX-License-Identifier: BSD-2-Clause
// The validation server's updates by SRx update ID (RFC 8374 §9.3; docs/srx-proxy.md §7): each
// with its content, its results, the key that tells two requests apart, and its holders (the
// proxies that asked for results, and which). IDs are NIST's (srx::update_id) with its
// collision +1 rule. An update nobody holds is kept for a keep window, then collected; NIST
// never collects. Time is passed in, never read here.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "base/result.hpp"
#include "srx/pdu.hpp"
#include "srx/update_id.hpp"
#include "validation_server/update.hpp"

namespace bgpsecd::validation_server {

using Clock = std::chrono::steady_clock;

// What one proxy asked of an update.
struct Holder {
  std::uint8_t types = 0;  // validation bits requested (kValidationBits)
  // Types requested without a receipt while no result was known: the first result is
  // notified only when it differs from the default the proxy supplied (docs/srx-proxy.md §7).
  std::uint8_t compare_default = 0;
  UpdateResults defaults;
  friend bool operator==(const Holder&, const Holder&) = default;
};

struct StoredUpdate {
  UpdateContent content;
  UpdateResults results;  // all Undefined until computed
  srx::UpdateKey key;
  std::map<std::uint32_t, Holder> holders;  // by proxy ID
  // Per result type (origin, path, ASPA): the generation of the newest validation asked for;
  // a result of an older one is stale. In flight: asked for and not answered yet.
  std::array<std::uint64_t, 3> generation{};
  std::uint8_t in_flight = 0;
  std::optional<Clock::time_point> expires;  // set while nobody holds it
};

struct StoreLimits {
  std::size_t max_updates = 1'000'000;          // updates stored in total
  std::size_t max_updates_per_proxy = 500'000;  // updates one proxy may hold
  std::chrono::seconds min_keep_window{900};    // floor under the proxies' keepWindow
};

enum class StoreRefusal : std::uint8_t {
  TooManyUpdates,   // the store holds max_updates
  TooManyForProxy,  // the proxy holds max_updates_per_proxy
  NoFreeId,         // every 32-bit ID holds another update
};
[[nodiscard]] const char* store_refusal_text(StoreRefusal refusal) noexcept;

struct Admission {
  std::uint32_t id = 0;
  bool created = false;
};

class UpdateStore {
 public:
  explicit UpdateStore(StoreLimits limits) : limits_(limits) {}

  // Stores the update of `request` (content built by the caller) unless it is stored already,
  // and lets `holder` (if any) hold it for `types`. Nothing changes when refused. An update
  // stored without a holder starts its keep window at once.
  [[nodiscard]] base::Result<Admission, StoreRefusal> admit(const srx::VerifyRequestPdu& request,
                                                            UpdateContent content,
                                                            std::optional<std::uint32_t> holder,
                                                            std::uint8_t types,
                                                            Clock::time_point now);
  // `proxy` holds `id` for `types` (added to what it held). Refused over the per-proxy limit.
  [[nodiscard]] base::Result<Holder*, StoreRefusal> hold(std::uint32_t id, std::uint32_t proxy,
                                                         std::uint8_t types);
  // `proxy` lets go of `id`; false if `id` is unknown or not held by `proxy`. When the last
  // holder lets go, the update expires max(keep_window, the minimum) later.
  bool release(std::uint32_t id, std::uint32_t proxy, std::chrono::seconds keep_window,
               Clock::time_point now);
  // `proxy` lets go of everything it holds (GOODBYE, connection lost).
  void release_all(std::uint32_t proxy, std::chrono::seconds keep_window, Clock::time_point now);
  // Removes the updates whose keep window has passed; their IDs.
  std::vector<std::uint32_t> collect(Clock::time_point now);

  [[nodiscard]] StoredUpdate* find(std::uint32_t id);
  [[nodiscard]] const StoredUpdate* find(std::uint32_t id) const;
  [[nodiscard]] std::size_t size() const noexcept { return updates_.size(); }
  [[nodiscard]] std::size_t held_by(std::uint32_t proxy) const;
  [[nodiscard]] const StoreLimits& limits() const noexcept { return limits_; }
  // New limits (a reload): they apply to admissions and releases from now on; nothing stored
  // is dropped and no keep window already running changes.
  void set_limits(StoreLimits limits) noexcept { limits_ = limits; }

 private:
  void expire_later(StoredUpdate& update, std::chrono::seconds keep_window,
                    Clock::time_point now) const;

  StoreLimits limits_;
  std::map<std::uint32_t, StoredUpdate> updates_;
  std::map<std::uint32_t, std::size_t> held_;  // proxy ID -> updates held
};

}  // namespace bgpsecd::validation_server
