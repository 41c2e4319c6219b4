// SPDX-License-Identifier: BSD-2-Clause
// Our table to a neighbor, in slices. A full table is a million and more prefixes: exported in
// one go it held the I/O thread for seconds (every other session's keepalives and UPDATEs, the
// control socket and the workers' results waiting behind it). Each slice exports the best
// routes after the walk's cursor for a few milliseconds, then yields; the next runs once the
// I/O thread has served what queued meanwhile, and waits while the session's send queue is
// long, so a slow reader does not make us hold the whole table encoded in memory.
//
// Route changes during the walk go out as always (export_change): a prefix the walk has not
// reached yet is then already in the Adj-RIB-Out, and the walk sends nothing for it unless it
// changed again (AdjRibOut::advertise answers only a difference). So the peer ends with the
// Loc-RIB's best routes whatever happens in between, and End-of-RIB (RFC 4724 §2) goes out
// once the walk is through.
#include <chrono>

#include <spdlog/spdlog.h>

#include "daemon/slice_budget.hpp"
#include "daemon/speaker.hpp"
#include "daemon/speaker_neighbor.hpp"

namespace bgpsecd::daemon {
namespace {

// Above this many octets waiting to be written to the peer, the walk pauses and looks again
// after kQueueWait.
constexpr std::size_t kQueueLimit = std::size_t{4} << 20;
constexpr auto kQueueWait = std::chrono::milliseconds(10);

}  // namespace

void Speaker::send_table(Neighbor& n) {
  if (deferring_) {
    // RFC 4724 §4.1: no advertisements (and no End-of-RIB) until the deferral ends.
    n.table_deferred = true;
    return;
  }
  stop_table(n);
  n.table_sending = true;
  n.table_started = std::chrono::steady_clock::now();
  if (n.exports_nothing() && n.adj_out.size() == 0) {
    // RFC 8212 §3: nothing to send and nothing to withdraw; a full table's walk would take
    // seconds of the I/O thread to find that out prefix by prefix. Only End-of-RIB goes out.
    n.leaks_held.clear();
    finish_table(n);
    return;
  }
  send_table_slice(n, n.table_epoch);
}

void Speaker::stop_table(Neighbor& n) {
  ++n.table_epoch;  // a slice already scheduled finds this and does nothing
  n.table_sending = false;
  n.table_cursor.reset();
  n.table_walked = 0;
  if (n.table_timer) {
    n.table_timer->cancel();
  }
}

void Speaker::send_table_slice(Neighbor& n, std::uint64_t epoch) {
  if (epoch != n.table_epoch || !n.table_sending || !n.established()) {
    return;
  }
  const SliceBudget budget;
  std::size_t visited = 0;
  bool queue_full = false;
  bool more = false;
  loc_rib_.for_each_best_after(n.table_cursor, [&](const rib::Route& best) {
    if (budget.spent(visited)) {
      more = true;
      return false;
    }
    if (visited % SliceBudget::kClockEvery == 0 && n.peer->queued_bytes() >= kQueueLimit) {
      queue_full = more = true;
      return false;
    }
    export_prefix(n, best.prefix, &best);
    n.table_cursor = best.prefix;
    ++visited;
    return true;
  });
  n.table_walked += visited;
  if (more) {
    // Looked up again by name: a reload may remove the neighbor before the next slice runs.
    auto next = [this, name = n.name(), epoch] {
      if (Neighbor* again = find_neighbor(name); again != nullptr) {
        send_table_slice(*again, epoch);
      }
    };
    if (queue_full) {
      if (!n.table_timer) {
        n.table_timer = std::make_unique<asio::steady_timer>(io_);
      }
      n.table_timer->expires_after(kQueueWait);
      n.table_timer->async_wait([next = std::move(next)](const std::error_code& ec) {
        if (!ec) {
          next();
        }
      });
    } else {
      asio::post(io_, std::move(next));
    }
    return;
  }
  finish_table(n);
}

void Speaker::finish_table(Neighbor& n) {
  n.table_sending = false;
  // RFC 4724 §2: End-of-RIB after the initial table, per family.
  for (const auto& family : n.negotiated->families) {
    if (const auto afi = afi_of(family.afi)) {
      if (auto sent = n.peer->send_update(wire::make_end_of_rib(*afi, family.safi)); !sent) {
        spdlog::warn("peer {}: cannot send End-of-RIB: {}", n.name(), sent.error().message);
      }
    }
  }
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - n.table_started;
  spdlog::info("peer {}: our table sent ({} prefixes looked at, {} advertised) in {:.2f} s",
               n.name(), n.table_walked, n.adj_out.size(), took.count());
}

}  // namespace bgpsecd::daemon
