// SPDX-License-Identifier: BSD-2-Clause
// [control] and [metrics]: where the control API and the Prometheus metrics are served.
#include <algorithm>

#include "daemon/config_parse.hpp"

namespace bgpsecd::daemon {
namespace {

bool is_loopback(const base::IpAddress& a) {
  const auto o = a.octets();
  if (a.afi() == base::Afi::Ipv4)
    return o[0] == 127;
  return std::all_of(o.begin(), o.end() - 1, [](std::uint8_t b) { return b == 0; }) && o[15] == 1;
}

}  // namespace
}  // namespace bgpsecd::daemon

namespace bgpsecd::daemon::config_detail {

base::Result<void> ControlSection::parse_control_and_metrics(const toml::table& root) {
  GlobalConfig& g = config_.global;
  BGPSEC_ASSIGN_OR_RETURN(const toml::table* control, sub_table(root, "control", "control"));
  if (control != nullptr) {
    BGPSEC_TRY(check_keys(*control, "control", {"socket", "tcp"}));
    BGPSEC_TRY(read_string(*control, "socket", "control", g.control_socket));
    std::string tcp;
    BGPSEC_TRY(read_string(*control, "tcp", "control", tcp));
    if (!tcp.empty()) {
      const toml::node* node = control->get("tcp");
      auto ep = parse_endpoint(tcp, 0);
      if (!ep || ep->port == 0) {
        return error(
            node->source(), "control",
            "'tcp' must be ADDRESS:PORT" + (ep ? std::string() : ": " + ep.error().message));
      }
      // The control API has no authentication: only local users may reach it.
      if (!is_loopback(ep->address)) {
        return error(node->source(), "control", "'tcp' must be a loopback address");
      }
      g.control_tcp = *ep;
    }
  }
  BGPSEC_ASSIGN_OR_RETURN(const toml::table* metrics, sub_table(root, "metrics", "metrics"));
  if (metrics != nullptr) {
    BGPSEC_TRY(check_keys(*metrics, "metrics", {"listen"}));
    const toml::node* node = metrics->get("listen");
    if (node != nullptr) {
      BGPSEC_ASSIGN_OR_RETURN(const std::string_view text, string_of(*node, "listen", "metrics"));
      if (text.empty()) {
        g.metrics_listen.reset();
      } else {
        auto ep = parse_endpoint(text, kDefaultMetricsPort);
        if (!ep)
          return error(node->source(), "metrics", "'listen': " + ep.error().message);
        if (!is_loopback(ep->address)) {
          warn(node->source(), "metrics",
               "metrics are served beyond loopback on " + ep->to_string());
        }
        g.metrics_listen = *ep;
      }
    }
  }
  return {};
}

}  // namespace bgpsecd::daemon::config_detail
