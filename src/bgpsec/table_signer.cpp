// SPDX-License-Identifier: BSD-2-Clause
// Keys, signatures and UPDATE encoding for a synthetic table (table_signer.hpp).
//
//   worker threads (spec.threads)              calling thread
//   take chunk c (1024 routes) ---> done[c] ---> sink(chunks in order) ---> file
//
// Workers run at most kWindow chunks ahead of the sink, so memory stays bounded whatever
// the table size; the order of the output does not depend on the thread count.
#include "bgpsec/table_signer.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "base/byte_writer.hpp"
#include "crypto/digest.hpp"
#include "wire/update.hpp"

namespace bgpsecd::bgpsec {
namespace {

constexpr std::size_t kChunkRoutes = 1024;

// Runs body(i) for i in [0, n) on `threads` threads; the first error wins.
base::Result<void> parallel_for(std::size_t n, unsigned threads,
                                const std::function<base::Result<void>(std::size_t)>& body) {
  std::atomic<std::size_t> next{0};
  std::mutex error_mutex;
  std::optional<base::Error> error;
  auto work = [&] {
    for (std::size_t i = next++; i < n; i = next++) {
      auto r = body(i);
      if (!r) {
        const std::lock_guard lock(error_mutex);
        if (!error) {
          error = r.error();
        }
        next = n;
      }
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < std::max(1U, threads); ++t) {
    pool.emplace_back(work);
  }
  work();
  for (auto& t : pool) {
    t.join();
  }
  if (error) {
    return tl::unexpected(*error);
  }
  return {};
}

base::Result<base::Bytes> encode_route(const base::Prefix& prefix, wire::BgpsecPath path,
                                       const SignedTableSpec& spec) {
  wire::UpdateMessage update;
  update.attrs.origin = wire::Origin::Igp;
  wire::MpReach reach;
  reach.afi = prefix.afi();
  reach.next_hops = {prefix.afi() == base::Afi::Ipv4 ? spec.next_hop4 : spec.next_hop6};
  // RFC 8205 §4.1: one prefix per BGPsec UPDATE, in MP_REACH_NLRI for IPv4 too.
  reach.nlri = {prefix};
  update.attrs.mp_reach = std::move(reach);
  update.attrs.bgpsec_path = std::move(path);
  // Extended messages (RFC 8654) are negotiated by `bgpsec replay`; the encoder still refuses
  // anything over 65535 octets.
  return wire::encode_update(update,
                             wire::EncodeContext{.four_octet_as = true, .extended_messages = true});
}

}  // namespace

base::Result<crypto::PrivateKey> derive_router_key(std::uint64_t seed, base::Asn asn,
                                                   std::uint32_t router) {
  // SHA-256 of (label, seed, AS, router, attempt) as the scalar; a value outside [1, n-1]
  // (probability about 2^-32) just takes the next attempt.
  for (std::uint32_t attempt = 0; attempt < 16; ++attempt) {
    base::ByteWriter in;
    for (const char c : std::string_view("bgpsec gen router key")) {
      in.put_u8(static_cast<std::uint8_t>(c));
    }
    in.put_u64(seed);
    in.put_u32(asn.value());
    in.put_u32(router);
    in.put_u32(attempt);
    const auto scalar = crypto::sha256(in.take());
    if (auto key = crypto::PrivateKey::from_scalar(scalar)) {
      return key;
    }
  }
  return base::fail("cannot derive a key for AS " + asn.to_string());
}

base::Result<TableKeys> TableKeys::derive(const SyntheticTable& table,
                                          const SignedTableSpec& spec) {
  const std::size_t n_as = table.ases.size();
  std::vector<std::optional<crypto::PrivateKey>> keys(n_as + spec.senders.size());
  BGPSEC_TRY(parallel_for(keys.size(), spec.threads, [&](std::size_t i) -> base::Result<void> {
    base::Asn asn;
    std::uint32_t router = 0;
    if (i < n_as) {
      asn = table.ases[i];
    } else {
      const std::size_t s = i - n_as;
      asn = spec.senders[s];
      // A further router of an AS already listed gets a key of its own.
      router = static_cast<std::uint32_t>(std::count(
          spec.senders.begin(), spec.senders.begin() + static_cast<std::ptrdiff_t>(s), asn));
    }
    BGPSEC_ASSIGN_OR_RETURN(auto key, derive_router_key(spec.seed, asn, router));
    keys[i] = std::move(key);
    return {};
  }));
  TableKeys out;
  out.as_keys_.reserve(n_as);
  out.index_.reserve(n_as);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    auto& target = i < n_as ? out.as_keys_ : out.sender_keys_;
    target.emplace_back(std::move(*keys[i]));
    if (i < n_as) {
      out.index_.emplace(table.ases[i].value(), i);
    }
  }
  return out;
}

rpki::RpkiData TableKeys::rpki_data(const SyntheticTable& table,
                                    const SignedTableSpec& spec) const {
  rpki::RpkiData data;
  data.router_keys.reserve(as_keys_.size() + sender_keys_.size());
  auto add_key = [&](base::Asn asn, const PrivateKeySigner& signer) {
    const auto& pub = signer.key().public_key();
    data.router_keys.push_back({asn, pub.ski(), pub, std::nullopt});
  };
  for (std::size_t i = 0; i < as_keys_.size(); ++i) {
    add_key(table.ases[i], as_keys_[i]);
  }
  for (std::size_t i = 0; i < sender_keys_.size(); ++i) {
    add_key(spec.senders[i], sender_keys_[i]);
  }
  data.vrps.reserve(table.routes.size());
  for (const auto& route : table.routes) {
    data.vrps.push_back(
        {route.prefix, route.prefix.length(), table.ases[route.origin], std::nullopt});
  }
  return data;
}

base::Result<SignedChunk> sign_routes(const SyntheticTable& table, const TableKeys& keys,
                                      const SignedTableSpec& spec, std::size_t begin,
                                      std::size_t end) {
  SignedChunk chunk;
  chunk.updates.resize(spec.senders.size());
  for (std::size_t r = begin; r < end; ++r) {
    const auto& route = table.routes[r];
    const SignedPrefix signed_prefix{route.prefix, base::kSafiUnicast};
    const auto& below = table.paths[route.path];  // most recent first, origin last
    const std::size_t m = below.size();
    // Segment i of `below` signs for `target` on top of `lower` (or originates, RFC 8205 §4.2).
    auto sign_hop = [&](std::size_t i, base::Asn target,
                        const std::optional<wire::BgpsecPath>& lower) {
      const SignatureProvider* providers[] = {&keys.key_for(below[i].asn)};
      const Hop hop{.own_as = below[i].asn, .target_as = target, .pcount = below[i].pcount};
      ++chunk.signatures;
      return lower ? forward(*lower, hop, signed_prefix, providers)
                   : originate(hop, signed_prefix, providers);
    };
    // Below the top segment of `below`, signatures do not depend on the sender: sign once.
    std::optional<wire::BgpsecPath> lower;
    for (std::size_t i = m; i-- > 1;) {
      BGPSEC_ASSIGN_OR_RETURN(auto next, sign_hop(i, below[i - 1].asn, lower));
      lower = std::move(next);
    }
    // The top segment of `below` signs for the sender's AS: once per distinct sender AS.
    std::vector<std::pair<base::Asn, wire::BgpsecPath>> tops;
    for (std::size_t s = 0; s < spec.senders.size(); ++s) {
      const base::Asn sender = spec.senders[s];
      auto top =
          std::find_if(tops.begin(), tops.end(), [&](const auto& t) { return t.first == sender; });
      if (top == tops.end()) {
        BGPSEC_ASSIGN_OR_RETURN(auto path, sign_hop(0, sender, lower));
        tops.emplace_back(sender, std::move(path));
        top = tops.end() - 1;
      }
      // The sender's own signature, for the receiving AS (RFC 8205 §4.2).
      const SignatureProvider* providers[] = {&keys.sender_key(s)};
      BGPSEC_ASSIGN_OR_RETURN(
          auto path, forward(top->second, Hop{.own_as = sender, .target_as = spec.target_as},
                             signed_prefix, providers));
      ++chunk.signatures;
      BGPSEC_ASSIGN_OR_RETURN(auto bytes, encode_route(route.prefix, std::move(path), spec));
      chunk.updates[s].insert(chunk.updates[s].end(), bytes.begin(), bytes.end());
    }
    ++chunk.messages;
  }
  return chunk;
}

base::Result<SignedTableStats> sign_table(const SyntheticTable& table, const TableKeys& keys,
                                          const SignedTableSpec& spec, const TableSink& sink) {
  const std::size_t n_chunks = (table.routes.size() + kChunkRoutes - 1) / kChunkRoutes;
  const unsigned threads = std::max(1U, spec.threads);
  const std::size_t window = 4 * std::size_t{threads};

  std::mutex mutex;
  std::condition_variable changed;
  std::map<std::size_t, SignedChunk> done;
  std::size_t next_chunk = 0;
  std::size_t consumed = 0;  // chunks handed to the sink
  std::optional<base::Error> error;

  auto work = [&] {
    for (;;) {
      std::size_t c = 0;
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return error || next_chunk < consumed + window; });
        if (error || next_chunk >= n_chunks) {
          return;
        }
        c = next_chunk++;
      }
      const std::size_t begin = c * kChunkRoutes;
      auto chunk = sign_routes(table, keys, spec, begin,
                               std::min(begin + kChunkRoutes, table.routes.size()));
      const std::lock_guard lock(mutex);
      if (!chunk) {
        if (!error) {
          error = chunk.error();
        }
      } else {
        done.emplace(c, std::move(*chunk));
      }
      changed.notify_all();
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) {
    pool.emplace_back(work);
  }

  SignedTableStats stats;
  for (std::size_t c = 0; c < n_chunks; ++c) {
    SignedChunk chunk;
    {
      std::unique_lock lock(mutex);
      changed.wait(lock, [&] { return error || done.contains(c); });
      if (error) {
        break;
      }
      chunk = std::move(done.at(c));
      done.erase(c);
    }
    base::Result<void> sunk;
    for (std::size_t s = 0; s < chunk.updates.size() && sunk; ++s) {
      stats.bytes += chunk.updates[s].size();
      sunk = sink(s, chunk.updates[s]);
    }
    stats.messages += chunk.messages;
    stats.signatures += chunk.signatures;
    const std::lock_guard lock(mutex);
    if (!sunk && !error) {
      error = sunk.error();
    }
    consumed = c + 1;
    changed.notify_all();
  }
  {
    // Wake workers waiting for the window after the last chunk (or an error).
    const std::lock_guard lock(mutex);
    consumed = n_chunks;
    changed.notify_all();
  }
  for (auto& t : pool) {
    t.join();
  }
  if (error) {
    return tl::unexpected(*error);
  }
  return stats;
}

}  // namespace bgpsecd::bgpsec
