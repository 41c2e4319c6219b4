// SPDX-License-Identifier: BSD-2-Clause
// JSON view of an UPDATE and its attributes, for `bgpsec decode` and the control API. Keys
// are the attribute names in lower case; addresses, prefixes and communities are strings in
// their usual text forms, opaque bytes upper-case hex.
#include <string>

#include <nlohmann/json.hpp>

#include "base/hex.hpp"
#include "wire/bgpsec_path_json.hpp"
#include "wire/update.hpp"

namespace bgpsecd::wire {

namespace {

using nlohmann::json;

const char* segment_type_name(AsPathSegmentType t) {
  switch (t) {
    case AsPathSegmentType::AsSet:
      return "as_set";
    case AsPathSegmentType::AsSequence:
      return "as_sequence";
    case AsPathSegmentType::AsConfedSequence:
      return "as_confed_sequence";
    case AsPathSegmentType::AsConfedSet:
      return "as_confed_set";
  }
  return "unknown";
}

json prefixes_json(const std::vector<base::Prefix>& prefixes) {
  json out = json::array();
  for (const auto& p : prefixes) {
    out.push_back(p.to_string());
  }
  return out;
}

json as_path_json(const AsPath& path) {
  json out = json::array();
  for (const auto& seg : path.segments) {
    json asns = json::array();
    for (const auto asn : seg.asns) {
      asns.push_back(asn.value());
    }
    out.push_back({{"type", segment_type_name(seg.type)}, {"asns", std::move(asns)}});
  }
  return out;
}

json aggregator_json(const Aggregator& agg) {
  return {{"asn", agg.asn.value()}, {"address", agg.address.to_string()}};
}

std::string router_id(std::uint32_t id) { return base::IpAddress::v4(id).to_string(); }

std::string community_text(std::uint32_t c) {
  return std::to_string(c >> 16) + ":" + std::to_string(c & 0xFFFF);
}

json ext_community_json(const ExtendedCommunity& c) {
  json out = {{"hex", base::to_hex(c.bytes)}};
  // RFC 8097: name the origin validation state.
  if (auto state = read_origin_validation_state(c)) {
    out["origin_validation_state"] = origin_validation_state_name(*state);
  }
  return out;
}

}  // namespace

json path_attributes_to_json(const PathAttributes& a) {
  json out = json::object();
  if (a.origin) {
    out["origin"] = origin_name(*a.origin);
  }
  if (a.as_path) {
    out["as_path"] = as_path_json(*a.as_path);
  }
  if (a.next_hop) {
    out["next_hop"] = a.next_hop->to_string();
  }
  if (a.med) {
    out["med"] = *a.med;
  }
  if (a.local_pref) {
    out["local_pref"] = *a.local_pref;
  }
  if (a.atomic_aggregate) {
    out["atomic_aggregate"] = true;
  }
  if (a.aggregator) {
    out["aggregator"] = aggregator_json(*a.aggregator);
  }
  if (!a.communities.empty()) {
    json list = json::array();
    for (const auto c : a.communities) {
      list.push_back(community_text(c));
    }
    out["communities"] = std::move(list);
  }
  if (a.originator_id) {
    out["originator_id"] = router_id(*a.originator_id);
  }
  if (!a.cluster_list.empty()) {
    json list = json::array();
    for (const auto id : a.cluster_list) {
      list.push_back(router_id(id));
    }
    out["cluster_list"] = std::move(list);
  }
  if (a.mp_reach) {
    json next_hops = json::array();
    for (const auto& nh : a.mp_reach->next_hops) {
      next_hops.push_back(nh.to_string());
    }
    out["mp_reach_nlri"] = {{"afi", base::afi_name(a.mp_reach->afi)},
                            {"safi", a.mp_reach->safi},
                            {"next_hops", std::move(next_hops)},
                            {"nlri", prefixes_json(a.mp_reach->nlri)}};
  }
  if (a.mp_unreach) {
    out["mp_unreach_nlri"] = {{"afi", base::afi_name(a.mp_unreach->afi)},
                              {"safi", a.mp_unreach->safi},
                              {"withdrawn", prefixes_json(a.mp_unreach->withdrawn)}};
  }
  if (!a.ext_communities.empty()) {
    json list = json::array();
    for (const auto& c : a.ext_communities) {
      list.push_back(ext_community_json(c));
    }
    out["extended_communities"] = std::move(list);
  }
  if (a.as4_path) {
    out["as4_path"] = as_path_json(*a.as4_path);
  }
  if (a.as4_aggregator) {
    out["as4_aggregator"] = aggregator_json(*a.as4_aggregator);
  }
  if (!a.large_communities.empty()) {
    json list = json::array();
    for (const auto& c : a.large_communities) {
      list.push_back(std::to_string(c.global) + ":" + std::to_string(c.local1) + ":" +
                     std::to_string(c.local2));
    }
    out["large_communities"] = std::move(list);
  }
  if (a.bgpsec_path) {
    out["bgpsec_path"] = bgpsec_path_to_json(*a.bgpsec_path);
  }
  if (a.otc) {
    out["otc"] = a.otc->value();
  }
  if (!a.unknown.empty()) {
    json list = json::array();
    for (const auto& u : a.unknown) {
      list.push_back({{"type", u.type}, {"flags", u.flags}, {"value", base::to_hex(u.value)}});
    }
    out["unknown"] = std::move(list);
  }
  return out;
}

json update_to_json(const UpdateMessage& update) {
  json out = {{"withdrawn", prefixes_json(update.withdrawn)},
              {"attributes", path_attributes_to_json(update.attrs)},
              {"nlri", prefixes_json(update.nlri)}};
  if (auto eor = end_of_rib(update)) {
    out["end_of_rib"] = {{"afi", base::afi_name(eor->first)}, {"safi", eor->second}};
  }
  return out;
}

}  // namespace bgpsecd::wire
