// SPDX-License-Identifier: BSD-2-Clause
// RouterKeyTable: a hash map from (AS, SKI) to the few keys registered for it.
#include "rpki/router_key_table.hpp"

#include <algorithm>

namespace bgpsecd::rpki {

std::size_t RouterKeyTable::IdHash::operator()(const Id& id) const noexcept {
  // The SKI is a SHA-1 output and already well mixed; fold the AS in so that one key
  // registered for many ASes does not pile into one bucket.
  return base::SkiHash{}(id.ski) ^
         (std::size_t{id.asn.value()} * static_cast<std::size_t>(0x9E3779B97F4A7C15ULL));
}

bool RouterKeyTable::add(base::Asn asn, const base::Ski& ski, const crypto::PublicKey& key) {
  auto& list = keys_[Id{asn, ski}];
  if (std::find(list.begin(), list.end(), key) != list.end()) {
    return false;
  }
  list.push_back(key);
  ++size_;
  return true;
}

bool RouterKeyTable::remove(base::Asn asn, const base::Ski& ski, const crypto::PublicKey& key) {
  const auto it = keys_.find(Id{asn, ski});
  if (it == keys_.end()) {
    return false;
  }
  auto& list = it->second;
  const auto pos = std::find(list.begin(), list.end(), key);
  if (pos == list.end()) {
    return false;
  }
  list.erase(pos);
  --size_;
  if (list.empty()) {
    keys_.erase(it);
  }
  return true;
}

std::size_t RouterKeyTable::remove_all(base::Asn asn, const base::Ski& ski) {
  const auto it = keys_.find(Id{asn, ski});
  if (it == keys_.end()) {
    return 0;
  }
  const std::size_t n = it->second.size();
  size_ -= n;
  keys_.erase(it);
  return n;
}

void RouterKeyTable::clear() noexcept {
  keys_.clear();
  size_ = 0;
}

bool RouterKeyTable::contains(base::Asn asn, const base::Ski& ski,
                              const crypto::PublicKey& key) const {
  const auto it = keys_.find(Id{asn, ski});
  return it != keys_.end() &&
         std::find(it->second.begin(), it->second.end(), key) != it->second.end();
}

void RouterKeyTable::find(base::Asn asn, const base::Ski& ski,
                          std::vector<crypto::PublicKey>& out) const {
  const auto it = keys_.find(Id{asn, ski});
  if (it != keys_.end()) {
    out.insert(out.end(), it->second.begin(), it->second.end());
  }
}

void RouterKeyTable::for_each(
    const std::function<void(base::Asn, const base::Ski&, const crypto::PublicKey&)>& f) const {
  for (const auto& [id, list] : keys_) {
    for (const auto& key : list) {
      f(id.asn, id.ski, key);
    }
  }
}

}  // namespace bgpsecd::rpki
