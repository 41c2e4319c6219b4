// SPDX-License-Identifier: BSD-2-Clause
// ServerCore: VERIFY requests, receipts and notifications, DELETE_UPDATE, SIGN_REQUEST and
// keep-window collection (docs/srx-proxy.md §7 gives the rules and where they differ from
// NIST's server).
#include <utility>
#include <vector>

#include "validation_server/conversation.hpp"

namespace bgpsecd::validation_server {
namespace {

srx::VerifyNotificationPdu notification(std::uint8_t types, const UpdateResults& values,
                                        std::uint32_t token, std::uint32_t id) {
  return srx::VerifyNotificationPdu{types,
                                    static_cast<std::uint8_t>(values.origin),
                                    static_cast<std::uint8_t>(values.path),
                                    static_cast<std::uint8_t>(values.aspa),
                                    token,
                                    id};
}

// What validation needs from the request: the header prefix with host bits cleared, the local
// AS falling back to the HELLO's (QuaggaSRx sends 0 for unsigned routes and IPv6), unicast.
UpdateContent content_of(const srx::VerifyRequestPdu& request, std::uint32_t hello_as) {
  UpdateContent content;
  content.prefix = base::Prefix(request.prefix_address, request.prefix_length);
  content.origin_as = request.origin_as;
  content.as_path = request.as_path;
  content.as_type = request.as_type;
  content.as_rel_type = request.as_rel_type;
  content.bgpsec_attribute = request.bgpsec_attribute;
  content.local_as = request.local_as != 0 ? request.local_as : hello_as;
  content.safi = base::kSafiUnicast;
  return content;
}

}  // namespace

void ServerCore::on_verify(ConnectionId id, Connection& connection,
                           const srx::VerifyRequestPdu& request, TimePoint now) {
  ++connection.counters.requests;
  const std::uint32_t proxy = *connection.proxy_id;
  const std::uint8_t requested = request.flags & kValidationBits;
  const bool receipt = (request.flags & srx::kFlagReceipt) != 0;
  // Only a request with validation bits makes the proxy a holder (flags 0 or 0x80: stored).
  const auto admitted = store_.admit(
      request, content_of(request, connection.asn),
      requested != 0 ? std::optional<std::uint32_t>(proxy) : std::nullopt, requested, now);
  if (!admitted) {
    // ERROR 5 is the only code QuaggaSRx does not end its session on; the route keeps its
    // default result (docs/srx-proxy.md §7.5).
    log(id, LogLevel::Warning,
        std::string("VERIFY refused: ") + store_refusal_text(admitted.error()));
    send_error(id, connection, srx::SrxErrorCode::UpdateNotFound);
    return;
  }
  const auto update_id = admitted->id;
  auto& update = *store_.find(update_id);
  const UpdateResults defaults{static_cast<srx::SrxResult>(request.roa_default),
                               static_cast<srx::SrxResult>(request.bgpsec_default),
                               static_cast<srx::SrxResult>(request.aspa_default)};
  if (receipt) {
    // The receipt goes out before any validation starts, so it precedes every notification.
    ++connection.counters.receipts;
    send(id,
         notification(srx::kFlagReceipt | requested, admitted->created ? defaults : update.results,
                      request.request_token, update_id));
  }
  if (requested == 0)
    return;
  auto& holder = update.holders.at(proxy);
  std::uint8_t differs = 0;
  std::uint8_t known = 0;
  for (const auto type : kResultTypes) {
    const auto bit = static_cast<std::uint8_t>(type);
    if ((requested & bit) == 0)
      continue;
    const auto stored = result_of(update.results, type);
    if (stored != srx::SrxResult::Undefined)
      known |= bit;
    if (receipt) {
      holder.compare_default &= static_cast<std::uint8_t>(~bit);
    } else if (stored == srx::SrxResult::Undefined) {
      // Without a receipt the first result is news only if it differs from the default.
      holder.compare_default |= bit;
      result_of(holder.defaults, type) = result_of(defaults, type);
    } else if (stored != result_of(defaults, type)) {
      differs |= bit;
    }
  }
  if (differs != 0)
    notify(proxy, update_id, differs, update.results);
  start_validation(update_id, update,
                   static_cast<std::uint8_t>(requested & ~known & ~update.in_flight));
}

void ServerCore::on_delete(ConnectionId id, Connection& connection,
                           const srx::DeleteUpdatePdu& request, TimePoint now) {
  ++connection.counters.deletes;
  if (!store_.release(request.update_id, *connection.proxy_id,
                      std::chrono::seconds{request.keep_window}, now)) {
    log(id, LogLevel::Info,
        "DELETE_UPDATE for update " + std::to_string(request.update_id) + " it does not hold");
    send_error(id, connection, srx::SrxErrorCode::UpdateNotFound);
  }
}

void ServerCore::on_sign(ConnectionId id, Connection& connection,
                         const srx::SignRequestPdu& request) {
  ++connection.counters.sign_requests;
  const auto* update = store_.find(request.update_id);
  if (update == nullptr) {
    // As NIST: ERROR 5, then ask for the routes so the update is known next time.
    send_error(id, connection, srx::SrxErrorCode::UpdateNotFound);
    send(id, srx::SyncRequestPdu{});
    return;
  }
  if (!hooks_.sign) {
    send_error(id, connection, srx::SrxErrorCode::AlgorithmNotSupported);
    return;
  }
  auto signed_data = hooks_.sign(request.update_id, update->content, request, connection.asn);
  if (!signed_data) {
    log(id, LogLevel::Warning, "SIGN_REQUEST failed: " + signed_data.error().message);
    send_error(id, connection, signed_data.error().code);
    return;
  }
  send(id, srx::SignNotificationPdu{request.update_id, std::move(*signed_data)});
}

void ServerCore::start_validation(std::uint32_t update_id, StoredUpdate& update,
                                  std::uint8_t types) {
  types &= kValidationBits;
  if (types == 0)
    return;
  const auto generation = next_generation_++;
  for (const auto type : kResultTypes) {
    if ((types & static_cast<std::uint8_t>(type)) != 0) {
      update.generation[result_index(type)] = generation;
    }
  }
  update.in_flight |= types;
  if (hooks_.validate)
    hooks_.validate(update_id, update.content, types, generation);
}

std::uint8_t ServerCore::revalidate(std::uint32_t id, std::uint8_t types) {
  auto* update = store_.find(id);
  if (update == nullptr)
    return 0;
  // Only results computed before can change; a type nobody asked for yet is computed, with
  // the RPKI of that moment, when a router first asks for it.
  std::uint8_t computed = 0;
  for (const auto type : kResultTypes) {
    if (update->generation[result_index(type)] != 0)
      computed |= static_cast<std::uint8_t>(type);
  }
  const auto started = static_cast<std::uint8_t>(types & computed & kValidationBits);
  start_validation(id, *update, started);
  return started;
}

void ServerCore::on_result(std::uint32_t id, ResultType type, srx::SrxResult result,
                           std::uint64_t generation) {
  auto* update = store_.find(id);
  // Gone (collected), or a result of an older validation than the newest asked for.
  if (update == nullptr || generation == 0 ||
      update->generation[result_index(type)] != generation) {
    return;
  }
  const auto bit = static_cast<std::uint8_t>(type);
  update->in_flight &= static_cast<std::uint8_t>(~bit);
  auto& stored = result_of(update->results, type);
  const bool changed = stored != result;
  stored = result;
  std::vector<std::uint32_t> tell;
  for (auto& [proxy, holder] : update->holders) {
    if ((holder.types & bit) == 0)
      continue;
    bool news = changed;
    if ((holder.compare_default & bit) != 0) {
      news = result != result_of(holder.defaults, type);
      holder.compare_default &= static_cast<std::uint8_t>(~bit);
    }
    if (news)
      tell.push_back(proxy);
  }
  const auto results = update->results;
  for (const auto proxy : tell)
    notify(proxy, id, bit, results);
}

// A notification (token 0) with bits for `types` and the current stored values.
void ServerCore::notify(std::uint32_t proxy_id, std::uint32_t update_id, std::uint8_t types,
                        const UpdateResults& results) {
  auto proxy = proxies_.find(proxy_id);
  if (proxy == proxies_.end() || !proxy->second)
    return;
  auto connection = connections_.find(*proxy->second);
  if (connection == connections_.end())
    return;
  ++connection->second.counters.notifications;
  send(connection->first, notification(types, results, 0, update_id));
}

std::size_t ServerCore::collect(TimePoint now) {
  const auto removed = store_.collect(now);
  for (const auto id : removed) {
    if (hooks_.forget)
      hooks_.forget(id);
  }
  return removed.size();
}

}  // namespace bgpsecd::validation_server
