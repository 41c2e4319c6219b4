// SPDX-License-Identifier: BSD-2-Clause
#include "validation_server/update_store.hpp"

#include <algorithm>
#include <utility>

namespace bgpsecd::validation_server {

const char* store_refusal_text(StoreRefusal refusal) noexcept {
  switch (refusal) {
    case StoreRefusal::TooManyUpdates:
      return "the server holds its maximum number of updates";
    case StoreRefusal::TooManyForProxy:
      return "this proxy holds its maximum number of updates";
    case StoreRefusal::NoFreeId:
      return "no free update ID";
  }
  return "refused";
}

base::Result<Admission, StoreRefusal> UpdateStore::admit(const srx::VerifyRequestPdu& request,
                                                         UpdateContent content,
                                                         std::optional<std::uint32_t> holder,
                                                         std::uint8_t types,
                                                         Clock::time_point now) {
  auto key = srx::update_key(request);
  const auto id = srx::resolve_update_id(srx::update_id(request), key,
                                         [this](std::uint32_t candidate) -> const srx::UpdateKey* {
                                           const auto* found = find(candidate);
                                           return found != nullptr ? &found->key : nullptr;
                                         });
  if (!id)
    return base::fail(StoreRefusal::NoFreeId);
  if (auto* known = find(*id)) {
    if (holder) {
      auto held = hold(*id, *holder, types);
      if (!held)
        return base::fail(held.error());
    }
    (void)known;
    return Admission{*id, false};
  }
  if (updates_.size() >= limits_.max_updates)
    return base::fail(StoreRefusal::TooManyUpdates);
  if (holder && held_by(*holder) >= limits_.max_updates_per_proxy) {
    return base::fail(StoreRefusal::TooManyForProxy);
  }
  auto& update = updates_[*id];
  update.content = std::move(content);
  update.key = std::move(key);
  if (holder) {
    (void)hold(*id, *holder, types);
  } else {
    expire_later(update, std::chrono::seconds{0}, now);
  }
  return Admission{*id, true};
}

base::Result<Holder*, StoreRefusal> UpdateStore::hold(std::uint32_t id, std::uint32_t proxy,
                                                      std::uint8_t types) {
  auto* update = find(id);
  if (update == nullptr)
    return base::fail(StoreRefusal::NoFreeId);
  auto it = update->holders.find(proxy);
  if (it == update->holders.end()) {
    if (held_by(proxy) >= limits_.max_updates_per_proxy) {
      return base::fail(StoreRefusal::TooManyForProxy);
    }
    it = update->holders.emplace(proxy, Holder{}).first;
    ++held_[proxy];
  }
  it->second.types |= types & kValidationBits;
  update->expires.reset();
  return &it->second;
}

bool UpdateStore::release(std::uint32_t id, std::uint32_t proxy, std::chrono::seconds keep_window,
                          Clock::time_point now) {
  auto* update = find(id);
  if (update == nullptr || update->holders.erase(proxy) == 0)
    return false;
  if (auto it = held_.find(proxy); it != held_.end() && --it->second == 0)
    held_.erase(it);
  if (update->holders.empty())
    expire_later(*update, keep_window, now);
  return true;
}

void UpdateStore::release_all(std::uint32_t proxy, std::chrono::seconds keep_window,
                              Clock::time_point now) {
  for (auto& [id, update] : updates_) {
    if (update.holders.erase(proxy) != 0 && update.holders.empty()) {
      expire_later(update, keep_window, now);
    }
  }
  held_.erase(proxy);
}

std::vector<std::uint32_t> UpdateStore::collect(Clock::time_point now) {
  std::vector<std::uint32_t> removed;
  for (auto it = updates_.begin(); it != updates_.end();) {
    if (it->second.expires && *it->second.expires <= now) {
      removed.push_back(it->first);
      it = updates_.erase(it);
    } else {
      ++it;
    }
  }
  return removed;
}

StoredUpdate* UpdateStore::find(std::uint32_t id) {
  auto it = updates_.find(id);
  return it != updates_.end() ? &it->second : nullptr;
}

const StoredUpdate* UpdateStore::find(std::uint32_t id) const {
  auto it = updates_.find(id);
  return it != updates_.end() ? &it->second : nullptr;
}

std::size_t UpdateStore::held_by(std::uint32_t proxy) const {
  auto it = held_.find(proxy);
  return it != held_.end() ? it->second : 0;
}

// §3.5 of NIST's behaviour: max(keepWindow, the server's minimum); SRx's keepWindow is 16 bits
// of seconds, so a caller's value never exceeds 65535 s.
void UpdateStore::expire_later(StoredUpdate& update, std::chrono::seconds keep_window,
                               Clock::time_point now) const {
  update.expires = now + std::max(keep_window, limits_.min_keep_window);
}

}  // namespace bgpsecd::validation_server
