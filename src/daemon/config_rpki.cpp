// SPDX-License-Identifier: BSD-2-Clause
// [rpki]: RPKI files, SLURM and the RTR caches ([[rpki.cache]]).
#include "daemon/config_parse.hpp"
#include "service/config_tables.hpp"

namespace bgpsecd::daemon::config_detail {

base::Result<void> RpkiSection::parse_rpki(const toml::table& root) {
  return service::read_rpki_table(*this, root, config_.rpki);
}

}  // namespace bgpsecd::daemon::config_detail
