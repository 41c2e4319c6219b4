// SPDX-License-Identifier: BSD-2-Clause
#include "service/config_tables.hpp"

#include <chrono>
#include <sstream>

namespace bgpsecd::service {

base::Result<void> read_rpki_table(TomlReader& reader, const toml::table& root, RpkiConfig& r) {
  constexpr std::string_view ctx = "rpki";
  BGPSEC_ASSIGN_OR_RETURN(const toml::table* t, reader.sub_table(root, "rpki", ctx));
  if (t == nullptr)
    return {};
  BGPSEC_TRY(
      reader.check_keys(*t, ctx, {"cache", "files", "reload_interval", "slurm", "failover_after"}));
  BGPSEC_TRY(reader.for_each_string(
      *t, "files", ctx, [&](std::string_view text, const toml::node& n) -> base::Result<void> {
        if (text.empty())
          return reader.error(n.source(), ctx, "'files': empty file name");
        r.files.emplace_back(text);
        return {};
      }));
  std::int64_t seconds = r.reload_interval.count();
  BGPSEC_TRY(reader.read_int(*t, "reload_interval", ctx, 0, 86400 * 7, seconds));
  r.reload_interval = std::chrono::seconds(seconds);
  BGPSEC_TRY(reader.read_string(*t, "slurm", ctx, r.slurm_file));
  seconds = r.failover_after.count();
  BGPSEC_TRY(reader.read_int(*t, "failover_after", ctx, 1, 86400, seconds));
  r.failover_after = std::chrono::seconds(seconds);
  BGPSEC_ASSIGN_OR_RETURN(const toml::array* caches, reader.array_of_tables(*t, "cache", ctx));
  if (caches != nullptr) {
    for (const toml::node& node : *caches) {
      const toml::table& c = *node.as_table();
      const std::string cctx = "rpki cache #" + std::to_string(r.caches.size() + 1);
      BGPSEC_TRY(reader.check_keys(c, cctx,
                                   {"address", "preference", "version", "transport", "ssh_user",
                                    "ssh_key", "ssh_known_hosts", "ssh_password_file"}));
      BGPSEC_ASSIGN_OR_RETURN(const toml::node* addr_node, reader.require(c, "address", cctx));
      BGPSEC_ASSIGN_OR_RETURN(const std::string_view text,
                              reader.string_of(*addr_node, "address", cctx));
      auto parsed = rpki::parse_cache_address(std::string(text));
      if (!parsed)
        return reader.error(addr_node->source(), cctx, "'address': " + parsed.error().message);
      RpkiCache cache;
      cache.host = parsed->host;
      cache.port = parsed->port;
      const std::string name = "rpki cache " + cache.address();
      BGPSEC_TRY(reader.read_int(c, "preference", name, 0, 255, cache.preference));
      // Version 2 adds ASPAs (docs/aspa.md §11); RFC 8210 is version 1 (router keys); RFC 6810
      // version 0 carries only VRPs.
      BGPSEC_TRY(reader.read_int(c, "version", name, 0, 2, cache.version));
      BGPSEC_TRY(read_rpki_cache_transport(reader, c, name, cache));
      for (const RpkiCache& other : r.caches) {
        if (other.host == cache.host && other.port == cache.port) {
          return reader.error(addr_node->source(), name, "cache given twice");
        }
      }
      r.caches.push_back(std::move(cache));
    }
  }
  return {};
}

base::Result<void> read_control_table(TomlReader& reader, const toml::table& root,
                                      std::string& socket, std::optional<Endpoint>& tcp_out) {
  BGPSEC_ASSIGN_OR_RETURN(const toml::table* control, reader.sub_table(root, "control", "control"));
  if (control != nullptr) {
    BGPSEC_TRY(reader.check_keys(*control, "control", {"socket", "tcp"}));
    BGPSEC_TRY(reader.read_string(*control, "socket", "control", socket));
    std::string tcp;
    BGPSEC_TRY(reader.read_string(*control, "tcp", "control", tcp));
    if (!tcp.empty()) {
      const toml::node* node = control->get("tcp");
      auto ep = parse_endpoint(tcp, 0);
      if (!ep || ep->port == 0) {
        return reader.error(
            node->source(), "control",
            "'tcp' must be ADDRESS:PORT" + (ep ? std::string() : ": " + ep.error().message));
      }
      // The control API has no authentication: only local users may reach it.
      if (!is_loopback(ep->address)) {
        return reader.error(node->source(), "control", "'tcp' must be a loopback address");
      }
      tcp_out = *ep;
    }
  }
  return {};
}

base::Result<void> read_metrics_table(TomlReader& reader, const toml::table& root,
                                      std::uint16_t default_port, std::optional<Endpoint>& listen) {
  BGPSEC_ASSIGN_OR_RETURN(const toml::table* metrics, reader.sub_table(root, "metrics", "metrics"));
  if (metrics != nullptr) {
    BGPSEC_TRY(reader.check_keys(*metrics, "metrics", {"listen"}));
    const toml::node* node = metrics->get("listen");
    if (node != nullptr) {
      BGPSEC_ASSIGN_OR_RETURN(const std::string_view text,
                              reader.string_of(*node, "listen", "metrics"));
      if (text.empty()) {
        listen.reset();
      } else {
        auto ep = parse_endpoint(text, default_port);
        if (!ep)
          return reader.error(node->source(), "metrics", "'listen': " + ep.error().message);
        if (!is_loopback(ep->address)) {
          reader.warn(node->source(), "metrics",
                      "metrics are served beyond loopback on " + ep->to_string());
        }
        listen = *ep;
      }
    }
  }
  return {};
}

base::Result<void> read_key_sources(TomlReader& reader, const toml::table& t, std::string_view ctx,
                                    KeySources& keys) {
  BGPSEC_TRY(reader.read_string(t, "key_dir", ctx, keys.key_dir));
  BGPSEC_TRY(reader.for_each_string(
      t, "key_files", ctx, [&](std::string_view text, const toml::node& n) -> base::Result<void> {
        if (text.empty())
          return reader.error(n.source(), ctx, "'key_files': empty file name");
        keys.key_files.emplace_back(text);
        return {};
      }));
  BGPSEC_ASSIGN_OR_RETURN(const toml::table* active, reader.sub_table(t, "active_key", ctx));
  if (active != nullptr) {
    // RFC 8634 §4: which of an AS's keys signs, by SKI: `65001 = "<40 hex digits>"`.
    constexpr std::string_view actx = "bgpsec active_key";
    for (const auto& [key, node] : *active) {
      auto asn = base::parse_asn(key.str());
      if (!asn)
        return reader.error(node.source(), actx,
                            "'" + std::string(key.str()) + "': " + asn.error().message);
      const auto* text = node.as_string();
      if (text == nullptr)
        return reader.error(node.source(), actx,
                            "'" + std::string(key.str()) + "' must be a SKI (40 hex digits), not " +
                                type_name(node));
      auto ski = base::Ski::from_hex(text->get());
      if (!ski)
        return reader.error(node.source(), actx,
                            "'" + std::string(key.str()) + "': " + ski.error().message);
      keys.active_key[asn->value()] = *ski;
    }
  }
  return {};
}

std::string RpkiCache::address() const {
  if (host.find(':') != std::string::npos)
    return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

rpki::RtrCacheConfig to_rtr_cache_config(const RpkiCache& cache) {
  rpki::RtrCacheConfig out;
  out.host = cache.host;
  out.port = cache.port;
  out.preference = cache.preference;
  out.max_version = cache.version;
  out.ssh = cache.ssh;
  return out;
}

std::string string_array(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i != 0)
      out += ", ";
    out += quote(items[i]);
  }
  return out + "]";
}

std::string control_and_metrics_normal_form(const std::string& socket,
                                            const std::optional<Endpoint>& tcp,
                                            const std::optional<Endpoint>& metrics) {
  std::ostringstream o;
  o << "[control]\n";
  o << "socket = " << quote(socket) << "\n";
  o << "tcp = " << quote(tcp ? tcp->to_string() : "") << "\n\n";
  o << "[metrics]\n";
  o << "listen = " << quote(metrics ? metrics->to_string() : "") << "\n\n";
  return o.str();
}

std::string rpki_normal_form(const RpkiConfig& r) {
  std::ostringstream o;
  o << "[rpki]\n";
  o << "files = " << string_array(r.files) << "\n";
  o << "reload_interval = " << r.reload_interval.count() << "\n";
  o << "slurm = " << quote(r.slurm_file) << "\n";
  o << "failover_after = " << r.failover_after.count() << "\n\n";
  for (const RpkiCache& cache : r.caches) {
    o << "[[rpki.cache]]\n";
    o << "address = " << quote(cache.address()) << "\n";
    o << "preference = " << unsigned{cache.preference} << "\n";
    o << "version = " << unsigned{cache.version} << "\n";
    // File names only: the key and the password stay in their files.
    if (cache.ssh) {
      o << "transport = \"ssh\"\n";
      o << "ssh_user = " << quote(cache.ssh->user) << "\n";
      o << "ssh_key = " << quote(cache.ssh->key_file) << "\n";
      o << "ssh_known_hosts = " << quote(cache.ssh->known_hosts) << "\n";
      o << "ssh_password_file = " << quote(cache.ssh->password_file) << "\n";
    } else {
      o << "transport = \"tcp\"\n";
    }
    o << "\n";
  }
  return o.str();
}

}  // namespace bgpsecd::service
