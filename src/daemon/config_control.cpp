// SPDX-License-Identifier: BSD-2-Clause
// [control] and [metrics]: where the control API and the Prometheus metrics are served.
#include "daemon/config_parse.hpp"
#include "service/config_tables.hpp"

namespace bgpsecd::daemon::config_detail {

base::Result<void> ControlSection::parse_control_and_metrics(const toml::table& root) {
  GlobalConfig& g = config_.global;
  BGPSEC_TRY(service::read_control_table(*this, root, g.control_socket, g.control_tcp));
  return service::read_metrics_table(*this, root, kDefaultMetricsPort, g.metrics_listen);
}

}  // namespace bgpsecd::daemon::config_detail
