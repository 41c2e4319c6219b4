// SPDX-License-Identifier: BSD-2-Clause
// Router keys and signed UPDATEs for a synthetic table (synthetic_table.hpp), for `bgpsec gen`:
// one key per AS derived from the seed, every route signed hop by hop with the signer of
// RFC 8205 §4.2 (originate, then forward) and encoded as a whole BGP UPDATE (one prefix in
// MP_REACH_NLRI, ORIGIN, BGPsec_PATH; RFC 8205 §4.1), on all cores, and the RPKI data
// (router keys and one ROA per route) that makes every route Valid.
//
// Several senders can get the same table: their UPDATEs share every signature below the
// sender's own AS that does not depend on it (all but the top two when the senders' ASes
// differ, since the AS below signs for the sender's AS; all but the top one for a second
// router of the same AS, which has a key of its own). That is the load of the same paths
// arriving from several peers, the case a signature cache exists for.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <unordered_map>
#include <vector>

#include "base/asn.hpp"
#include "base/bytes.hpp"
#include "base/check.hpp"
#include "base/prefix.hpp"
#include "base/result.hpp"
#include "bgpsec/signer.hpp"
#include "bgpsec/synthetic_table.hpp"
#include "rpki/rpki_json.hpp"

namespace bgpsecd::bgpsec {

// The key of router `router` (0, 1, ...) of `asn`, derived from `seed`: the same inputs always
// give the same key. For benchmarks and labs only: anyone who knows the seed has the key.
[[nodiscard]] base::Result<crypto::PrivateKey> derive_router_key(std::uint64_t seed, base::Asn asn,
                                                                 std::uint32_t router);

struct SignedTableSpec {
  base::Asn target_as;  // the receiving AS: Target AS of the senders' signatures
  // One UPDATE stream per sender, in this order. A sender AS listed again is a further router
  // of that AS, with its own key.
  std::vector<base::Asn> senders;
  base::IpAddress next_hop4;  // MP_REACH_NLRI next hop of the IPv4 routes
  base::IpAddress next_hop6;  // and of the IPv6 routes (16 octets)
  std::uint64_t seed = 1;     // key derivation
  unsigned threads = 1;
};

class TableKeys {
 public:
  // One key per AS of `table` and per sender; derived on `threads` threads.
  [[nodiscard]] static base::Result<TableKeys> derive(const SyntheticTable& table,
                                                      const SignedTableSpec& spec);

  [[nodiscard]] const PrivateKeySigner& as_key(std::size_t index) const { return as_keys_[index]; }
  [[nodiscard]] const PrivateKeySigner& sender_key(std::size_t index) const {
    return sender_keys_[index];
  }
  [[nodiscard]] std::size_t sender_count() const noexcept { return sender_keys_.size(); }
  // The key of an AS of the table (which every AS in SyntheticTable::paths is).
  [[nodiscard]] const PrivateKeySigner& key_for(base::Asn asn) const {
    const auto it = index_.find(asn.value());
    BGPSEC_CHECK(it != index_.end(), "AS outside the synthetic table");
    return as_keys_[it->second];
  }

  // The router keys of every AS and sender, and one exact-length ROA per route for its origin
  // AS (RFC 6811: Valid), as rpki::to_rpki_client_json writes them.
  [[nodiscard]] rpki::RpkiData rpki_data(const SyntheticTable& table,
                                         const SignedTableSpec& spec) const;

 private:
  std::vector<PrivateKeySigner> as_keys_;
  std::vector<PrivateKeySigner> sender_keys_;
  std::unordered_map<std::uint32_t, std::size_t> index_;  // AS number -> as_keys_ index
};

// The UPDATEs of some routes: per sender, whole messages (19-octet header included) back to
// back, in route order.
struct SignedChunk {
  std::vector<base::Bytes> updates;  // one per sender
  std::size_t messages = 0;          // per sender
  std::size_t signatures = 0;        // made for all senders together
};

// Signs and encodes routes [begin, end) for every sender. Fails when signing or encoding
// fails (e.g. an UPDATE over 65535 octets).
[[nodiscard]] base::Result<SignedChunk> sign_routes(const SyntheticTable& table,
                                                    const TableKeys& keys,
                                                    const SignedTableSpec& spec, std::size_t begin,
                                                    std::size_t end);

struct SignedTableStats {
  std::size_t messages = 0;    // per sender
  std::size_t signatures = 0;  // made
  std::size_t bytes = 0;       // all senders
};

// Signs the whole table on spec.threads threads and hands the UPDATEs to `sink` in route
// order, from the calling thread, in chunks: sink(sender, messages). Stops at the first error
// of the signer or of the sink and returns it.
using TableSink =
    std::function<base::Result<void>(std::size_t sender, std::span<const std::uint8_t> messages)>;
[[nodiscard]] base::Result<SignedTableStats> sign_table(const SyntheticTable& table,
                                                        const TableKeys& keys,
                                                        const SignedTableSpec& spec,
                                                        const TableSink& sink);

}  // namespace bgpsecd::bgpsec
