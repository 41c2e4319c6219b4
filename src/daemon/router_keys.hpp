// SPDX-License-Identifier: BSD-2-Clause
// The router keys bgpsecd signs with (RFC 8205 §4.2, RFC 8209): from [bgpsec] key_dir (the
// files of `bgpsec keygen`, <asn>.<SKI>.pem, only those of our AS) and key_files (PEM keys
// named explicitly). One key per algorithm suite: RFC 8205 §3.2 has one Signature_Segment
// per suite, so two suite-1 keys for our AS are a configuration error, not a choice.
#pragma once

#include <memory>
#include <vector>

#include "base/asn.hpp"
#include "base/result.hpp"
#include "bgpsec/signer.hpp"
#include "daemon/config.hpp"

namespace bgpsecd::daemon {

using RouterKeys = std::vector<std::unique_ptr<bgpsec::PrivateKeySigner>>;

// Empty when neither key_dir nor key_files is set. Errors name the file or directory.
[[nodiscard]] base::Result<RouterKeys> load_router_keys(const BgpsecConfig& config,
                                                        base::Asn own_as);

}  // namespace bgpsecd::daemon
