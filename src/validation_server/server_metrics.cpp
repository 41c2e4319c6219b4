// SPDX-License-Identifier: BSD-2-Clause
#include "validation_server/server_metrics.hpp"

#include <array>
#include <string>

namespace bgpsecd::validation_server {
namespace {

constexpr std::string_view kReceived = "bgpsecvd_pdus_received_total";
constexpr std::string_view kReceivedHelp = "SRx PDUs received from routers, by type";
constexpr std::string_view kSent = "bgpsecvd_pdus_sent_total";
constexpr std::string_view kSentHelp = "SRx PDUs sent to routers, by type";
constexpr std::string_view kMalformed = "bgpsecvd_pdus_malformed_total";
constexpr std::string_view kMalformedHelp =
    "input refused by the SRx decoder, by the ERROR code answered";
constexpr std::string_view kReceipts = "bgpsecvd_receipts_total";
constexpr std::string_view kReceiptsHelp = "VERIFY_NOTIFICATIONs answering a request (receipts)";
constexpr std::string_view kNotifications = "bgpsecvd_notifications_total";
constexpr std::string_view kNotificationsHelp =
    "result notifications sent (not receipts), by result type carried";
constexpr std::string_view kResults = "bgpsecvd_results_total";
constexpr std::string_view kResultsHelp = "results computed, by type and value";
constexpr std::string_view kErrors = "bgpsecvd_errors_sent_total";
constexpr std::string_view kErrorsHelp = "ERROR PDUs sent, by code";
constexpr std::string_view kSign = "bgpsecvd_sign_requests_total";
constexpr std::string_view kSignHelp =
    "SIGN_REQUESTs answered, by outcome (signed, refused, unknown_update)";
constexpr std::string_view kCollected = "bgpsecvd_updates_collected_total";
constexpr std::string_view kCollectedHelp =
    "updates removed after their keep window (nobody held them)";
constexpr std::string_view kRevalidated = "bgpsecvd_updates_revalidated_total";
constexpr std::string_view kRevalidatedHelp =
    "updates validated again because an RPKI change affected them";

constexpr std::array<std::uint8_t, 12> kTypes{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
constexpr std::array<std::pair<std::uint8_t, const char*>, 3> kBits{
    {{srx::kFlagOrigin, "origin"}, {srx::kFlagPath, "path"}, {srx::kFlagAspa, "aspa"}}};

const char* type_label(ResultType type) {
  switch (type) {
    case ResultType::Origin:
      return "origin";
    case ResultType::Path:
      return "path";
    case ResultType::Aspa:
      return "aspa";
  }
  return "unknown";
}

const char* result_label(srx::SrxResult result) {
  switch (result) {
    case srx::SrxResult::Valid:
      return "valid";
    case srx::SrxResult::NotFound:
      return "notfound";
    case srx::SrxResult::Invalid:
      return "invalid";
    case srx::SrxResult::Undefined:
      return "undefined";
    case srx::SrxResult::DoNotUse:
      return "donotuse";
    case srx::SrxResult::Unknown:
      return "unknown";
    case srx::SrxResult::Unverifiable:
      return "unverifiable";
  }
  return "unknown";
}

}  // namespace

ServerMetrics::ServerMetrics(service::MetricsRegistry& registry) : registry_(registry) {
  for (const std::uint8_t type : kTypes) {
    const std::string name = srx::srx_pdu_type_name(type);
    const bool to_server =
        type == 0 || type == 2 || (type >= 3 && type <= 5) || type == 8 || type == 9;
    const bool to_router =
        type == 1 || type == 2 || type == 6 || type == 7 || type == 10 || type == 11;
    if (to_server) {
      static_cast<void>(registry_.counter(kReceived, kReceivedHelp, {{"type", name}}));
    }
    if (to_router) {
      static_cast<void>(registry_.counter(kSent, kSentHelp, {{"type", name}}));
    }
  }
  for (std::uint16_t code = 0; code <= 5; ++code) {
    static_cast<void>(registry_.counter(kErrors, kErrorsHelp, {{"code", std::to_string(code)}}));
  }
  static_cast<void>(registry_.counter(kReceipts, kReceiptsHelp));
  for (const auto& [bit, name] : kBits) {
    static_cast<void>(registry_.counter(kNotifications, kNotificationsHelp, {{"type", name}}));
  }
  static_cast<void>(registry_.counter(kSign, kSignHelp, {{"outcome", "signed"}}));
  static_cast<void>(registry_.counter(kSign, kSignHelp, {{"outcome", "refused"}}));
  static_cast<void>(registry_.counter(kCollected, kCollectedHelp));
  static_cast<void>(registry_.counter(kRevalidated, kRevalidatedHelp));
}

void ServerMetrics::received(const srx::SrxPdu& pdu) {
  const auto type = static_cast<std::uint8_t>(srx::srx_pdu_type(pdu));
  registry_.counter(kReceived, kReceivedHelp, {{"type", srx::srx_pdu_type_name(type)}}).inc();
}

void ServerMetrics::malformed(const srx::SrxError& error) {
  registry_
      .counter(kMalformed, kMalformedHelp,
               {{"code", std::to_string(static_cast<unsigned>(error.code))}})
      .inc();
}

void ServerMetrics::sent(std::span<const std::uint8_t> pdu) {
  if (pdu.size() < srx::kSrxHeaderSize) {
    return;
  }
  const std::uint8_t type = pdu[0];
  registry_.counter(kSent, kSentHelp, {{"type", srx::srx_pdu_type_name(type)}}).inc();
  if (type == static_cast<std::uint8_t>(srx::SrxPduType::VerifyNotification)) {
    if ((pdu[1] & srx::kFlagReceipt) != 0) {
      registry_.counter(kReceipts, kReceiptsHelp).inc();
      return;
    }
    for (const auto& [bit, name] : kBits) {
      if ((pdu[1] & bit) != 0) {
        registry_.counter(kNotifications, kNotificationsHelp, {{"type", name}}).inc();
      }
    }
  } else if (type == static_cast<std::uint8_t>(srx::SrxPduType::Error)) {
    const auto code = static_cast<std::uint16_t>((pdu[1] << 8) | pdu[2]);
    registry_.counter(kErrors, kErrorsHelp, {{"code", std::to_string(code)}}).inc();
  }
}

void ServerMetrics::result(ResultType type, srx::SrxResult result) {
  registry_
      .counter(kResults, kResultsHelp,
               {{"type", type_label(type)}, {"result", result_label(result)}})
      .inc();
}

void ServerMetrics::sign_request(SignOutcome outcome) {
  const char* label = outcome == SignOutcome::Signed    ? "signed"
                      : outcome == SignOutcome::Refused ? "refused"
                                                        : "unknown_update";
  registry_.counter(kSign, kSignHelp, {{"outcome", label}}).inc();
}

void ServerMetrics::collected(std::uint64_t count) {
  registry_.counter(kCollected, kCollectedHelp).inc(count);
}

void ServerMetrics::revalidated(std::uint64_t count) {
  registry_.counter(kRevalidated, kRevalidatedHelp).inc(count);
}

}  // namespace bgpsecd::validation_server
