// SPDX-License-Identifier: BSD-2-Clause
// bgpsecvd's Prometheus counters (bgpsecvd(8), METRICS), named bgpsecvd_*: PDUs by type in
// both directions, receipts and notifications by result type, results computed, ERRORs sent by
// code, sign requests by outcome, updates collected and revalidated. The gauges that are
// computed at scrape time (routers, updates, queue) are registered by the server.
#pragma once

#include <cstdint>
#include <span>

#include "service/metrics.hpp"
#include "srx/pdu.hpp"
#include "validation_server/update.hpp"

namespace bgpsecd::validation_server {

class ServerMetrics {
 public:
  // Every series is created at once (with value 0), so that rates exist from the start.
  explicit ServerMetrics(service::MetricsRegistry& registry);

  void received(const srx::SrxPdu& pdu);
  void malformed(const srx::SrxError& error);
  // One encoded PDU going out (its type and, for notifications, its bits are read from it).
  void sent(std::span<const std::uint8_t> pdu);
  void result(ResultType type, srx::SrxResult result);
  enum class SignOutcome : std::uint8_t { Signed, Refused, UnknownUpdate };
  void sign_request(SignOutcome outcome);
  void collected(std::uint64_t count);
  void revalidated(std::uint64_t count);

 private:
  service::MetricsRegistry& registry_;
};

}  // namespace bgpsecd::validation_server
