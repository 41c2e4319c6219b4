// SPDX-License-Identifier: BSD-2-Clause
// RPKI JSON loading: rpki-client / StayRTR and Routinator formats (docs/peers.md §2.4 and
// §2.1), with the RFC 8608 example keys; expiry, maxLength, and errors that name the entry.
#include "rpki/rpki_json.hpp"

#include <fstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <stdlib.h>

#include "base/hex.hpp"

namespace bgpsecd::rpki {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;

constexpr std::int64_t kNow = 1764000000;  // 2025-11-24

struct ExampleKey {
  std::uint32_t asn;
  std::string ski;
  base::Bytes spki;
};

// The RFC 8608 Appendix A router keys, from the shared vectors file.
std::vector<ExampleKey> example_keys() {
  std::ifstream in(BGPSEC_VECTORS_DIR "/rfc8608.json");
  EXPECT_TRUE(in);
  const auto doc = Json::parse(in, nullptr, false);
  std::vector<ExampleKey> out;
  if (doc.is_discarded()) {
    ADD_FAILURE() << "vectors file is not JSON";
    return out;
  }
  for (const auto& k : doc["router_keys"]) {
    out.push_back({k["asn"].get<std::uint32_t>(), k["ski"].get<std::string>(),
                   *base::from_hex(k["spki_der"].get<std::string>())});
  }
  EXPECT_EQ(out.size(), 2U);
  return out;
}

// An rpki-client `-j` style document with the RFC 8608 example keys and two ROAs.
Json rpki_client_doc() {
  Json keys = Json::array();
  for (const auto& k : example_keys()) {
    keys.push_back({{"asn", k.asn},
                    {"ski", k.ski},
                    {"pubkey", base::to_base64(k.spki)},
                    {"ta", "test"},
                    {"expires", kNow + 3600}});
  }
  return {{"metadata", {{"buildtime", "2025-11-24T16:00:00Z"}, {"bgpsec_pubkeys", 2}}},
          {"roas",
           {{{"asn", 64496}, {"prefix", "192.0.2.0/24"}, {"maxLength", 24}, {"ta", "test"}},
            {{"asn", 65536}, {"prefix", "2001:db8::/32"}, {"maxLength", 48}, {"ta", "test"}}}},
          {"bgpsec_keys", keys}};
}

base::Result<RpkiData> parse(const Json& doc) { return parse_rpki_json(doc.dump(), kNow); }

void expect_error(const Json& doc, const std::string& message) {
  auto data = parse(doc);
  ASSERT_FALSE(data) << doc.dump();
  EXPECT_EQ(data.error().message, message);
}

TEST(RpkiJson, RpkiClientFormatWithRfc8608Keys) {
  auto data = parse(rpki_client_doc());
  ASSERT_TRUE(data) << data.error().message;
  ASSERT_EQ(data->router_keys.size(), 2U);
  const auto keys = example_keys();
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const auto& e = data->router_keys[i];
    EXPECT_EQ(e.asn, base::Asn(keys[i].asn));
    EXPECT_EQ(e.ski.to_hex(), keys[i].ski);
    EXPECT_EQ(e.key.ski(), e.ski);
    EXPECT_EQ(e.key.spki_der(), keys[i].spki);
    EXPECT_EQ(e.expires, kNow + 3600);
  }
  ASSERT_EQ(data->vrps.size(), 2U);
  EXPECT_EQ(data->vrps[0].prefix.to_string(), "192.0.2.0/24");
  EXPECT_EQ(data->vrps[0].max_length, 24);
  EXPECT_EQ(data->vrps[0].asn, base::Asn(64496));
  EXPECT_FALSE(data->vrps[0].expires);
  EXPECT_EQ(data->vrps[1].prefix.to_string(), "2001:db8::/32");
  EXPECT_EQ(data->vrps[1].max_length, 48);
}

// docs/peers.md §2.4: Routinator writes `routerKeys` with "AS<n>", `SKI` and base64url keys.
TEST(RpkiJson, RoutinatorFormat) {
  Json keys = Json::array();
  for (const auto& k : example_keys()) {
    keys.push_back({{"asn", "AS" + std::to_string(k.asn)},
                    {"SKI", k.ski},
                    {"routerPublicKey", base::to_base64(k.spki, base::Base64Alphabet::UrlSafe)},
                    {"ta", "ripe"}});
  }
  const Json doc = {{"metadata", {{"generated", kNow}}},
                    {"roas", {{{"asn", "AS64496"}, {"prefix", "192.0.2.0/24"}, {"maxLength", 24}}}},
                    {"routerKeys", keys},
                    {"aspas", Json::array()}};
  auto data = parse(doc);
  ASSERT_TRUE(data) << data.error().message;
  ASSERT_EQ(data->router_keys.size(), 2U);
  EXPECT_EQ(data->router_keys[1].asn, base::Asn(65536));
  EXPECT_EQ(data->router_keys[1].ski.to_hex(), "47F23BF1AB2F8A9D26864EBBD8DF2711C74406EC");
  ASSERT_EQ(data->vrps.size(), 1U);
  EXPECT_EQ(data->vrps[0].asn, base::Asn(64496));
}

// The StayRTR input that was served and checked on this machine (docs/peers.md §2.1).
TEST(RpkiJson, StayRtrExampleFromPeersDoc) {
  const std::string text = R"({
 "metadata": {"buildtime": "2026-11-25T05:46:02Z", "generated": 1795585562},
 "roas": [
  {"asn": "AS4200000001", "prefix": "192.0.2.0/24",  "maxLength": 24, "ta": "testta"},
  {"asn": 65002,          "prefix": "198.51.100.0/22","maxLength": 24, "ta": "testta", "expires": 1798177562},
  {"asn": "65003",        "prefix": "203.0.113.0/24"}
 ],
 "bgpsec_keys": [
  {"asn": 4200000001, "ski": "955B86925AF85D598B70AB21EDF5DBC67B6ED3EE",
   "pubkey": "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEI5jWRNg1dVAV2qu+EIMEX7nMfnviChvtsv1oeyg6TIjjdclLvnglKcbHlmrpT9N22kX5KeO9IlbVMfCW945DSQ==",
   "ta": "testta", "expires": 1798177562}
 ],
 "provider_authorizations": {"ipv4": [{"customer_asid": 64496, "providers": [64497], "expires": 1798177562}], "ipv6": []}
})";
  auto data = parse_rpki_json(text, kNow);
  ASSERT_TRUE(data) << data.error().message;
  ASSERT_EQ(data->vrps.size(), 3U);
  EXPECT_EQ(data->vrps[0].asn, base::Asn(4200000001U));
  EXPECT_EQ(data->vrps[2].asn, base::Asn(65003));
  // maxLength missing: the prefix length.
  EXPECT_EQ(data->vrps[2].max_length, 24);
  ASSERT_EQ(data->router_keys.size(), 1U);
  EXPECT_EQ(data->router_keys[0].asn, base::Asn(4200000001U));
  EXPECT_EQ(data->router_keys[0].key.ski().to_hex(), "955B86925AF85D598B70AB21EDF5DBC67B6ED3EE");
  // After the keys expired (and the first ROA, which has no expiry, stays).
  auto later = parse_rpki_json(text, 1798177563);
  ASSERT_TRUE(later);
  EXPECT_EQ(later->vrps.size(), 2U);
  EXPECT_TRUE(later->router_keys.empty());
}

TEST(RpkiJson, ExpiredEntriesAreDroppedNotErrors) {
  auto doc = rpki_client_doc();
  doc["bgpsec_keys"][0]["expires"] = kNow - 1;
  doc["bgpsec_keys"][1]["expires"] = kNow;  // still valid at `now`
  doc["roas"][1]["expires"] = kNow - 100;
  auto data = parse(doc);
  ASSERT_TRUE(data) << data.error().message;
  ASSERT_EQ(data->router_keys.size(), 1U);
  EXPECT_EQ(data->router_keys[0].asn, base::Asn(65536));
  ASSERT_EQ(data->vrps.size(), 1U);
  EXPECT_EQ(data->vrps[0].asn, base::Asn(64496));
}

TEST(RpkiJson, ExpiredButMalformedIsStillAnError) {
  auto doc = rpki_client_doc();
  doc["roas"][1]["expires"] = kNow - 100;
  doc["roas"][1]["maxLength"] = 20;
  expect_error(doc, "roas[1]: maxLength 20 is outside 32..128 for 2001:db8::/32");
}

// RFC 6482: prefix length <= maxLength <= 32 (IPv4) / 128 (IPv6).
TEST(RpkiJson, MaxLengthRange) {
  auto doc = rpki_client_doc();
  doc["roas"][0]["maxLength"] = 23;
  expect_error(doc, "roas[0]: maxLength 23 is outside 24..32 for 192.0.2.0/24");
  doc["roas"][0]["maxLength"] = 33;
  expect_error(doc, "roas[0]: maxLength 33 is outside 24..32 for 192.0.2.0/24");
  doc["roas"][0]["maxLength"] = 32;
  doc["roas"][1]["maxLength"] = 129;
  expect_error(doc, "roas[1]: maxLength 129 is outside 32..128 for 2001:db8::/32");
  doc["roas"][1]["maxLength"] = 128;
  EXPECT_TRUE(parse(doc));
  doc["roas"][1]["maxLength"] = -1;
  expect_error(doc, "roas[1]: maxLength must be a non-negative integer");
  doc["roas"][1]["maxLength"] = "48";
  expect_error(doc, "roas[1]: maxLength must be a non-negative integer");
  doc["roas"][1].erase("maxLength");
  auto data = parse(doc);
  ASSERT_TRUE(data);
  EXPECT_EQ(data->vrps[1].max_length, 32);
}

TEST(RpkiJson, BadPrefixNamesTheEntry) {
  auto doc = rpki_client_doc();
  for (int i = 0; i < 16; ++i) {
    doc["roas"].push_back({{"asn", 64496}, {"prefix", "192.0.2.0/24"}});
  }
  doc["roas"][17] = {{"asn", 64496}, {"prefix", "10.0.0.1/8"}, {"maxLength", 8}};
  expect_error(doc, "roas[17]: invalid prefix '10.0.0.1/8': host bits set");
  doc["roas"][17]["prefix"] = "10.0.0.0";
  expect_error(doc, "roas[17]: invalid prefix '10.0.0.0': missing /length");
  doc["roas"][17].erase("prefix");
  expect_error(doc, "roas[17]: prefix missing");
}

TEST(RpkiJson, AsnForms) {
  auto doc = rpki_client_doc();
  doc["roas"][0]["asn"] = "64500";
  doc["bgpsec_keys"][0]["asn"] = "AS64501";
  auto data = parse(doc);
  ASSERT_TRUE(data) << data.error().message;
  EXPECT_EQ(data->vrps[0].asn, base::Asn(64500));
  EXPECT_EQ(data->router_keys[0].asn, base::Asn(64501));
  doc["roas"][0]["asn"] = -5;
  expect_error(doc, "roas[0]: asn must be a non-negative integer or a string like \"AS64496\"");
  doc["roas"][0]["asn"] = 4294967296ULL;
  expect_error(doc, "roas[0]: asn 4294967296 is larger than 4294967295");
  doc["roas"][0]["asn"] = "ASX";
  expect_error(doc, "roas[0]: invalid AS number 'ASX'");
  doc["roas"][0].erase("asn");
  expect_error(doc, "roas[0]: asn missing");
}

TEST(RpkiJson, SkiErrorsNameTheEntry) {
  auto doc = rpki_client_doc();
  for (std::size_t i = 0; i < 2; ++i) {
    doc["bgpsec_keys"].push_back(doc["bgpsec_keys"][i]);
  }
  const std::string ski = doc["bgpsec_keys"][3]["ski"];
  doc["bgpsec_keys"][3]["ski"] = ski.substr(0, 38);
  expect_error(doc, "bgpsec_keys[3]: ski is 19 octets, expected 20");
  doc["bgpsec_keys"][3]["ski"] = "XY" + ski.substr(2);
  auto data = parse(doc);
  ASSERT_FALSE(data);
  EXPECT_THAT(data.error().message, HasSubstr("bgpsec_keys[3]: ski 'XY"));
  // RFC 8209: the SKI given must be SHA-1 of the key's point.
  doc["bgpsec_keys"][3]["ski"] = doc["bgpsec_keys"][0]["ski"];
  expect_error(doc,
               "bgpsec_keys[3]: ski AB4D910F55CAE71A215EF3CAFE3ACC45B5EEC154 does not match the "
               "key (SHA-1 of its public point is 47F23BF1AB2F8A9D26864EBBD8DF2711C74406EC, "
               "RFC 8209)");
  doc["bgpsec_keys"][3].erase("ski");
  expect_error(doc, "bgpsec_keys[3]: ski missing");
  doc["bgpsec_keys"][3]["ski"] = 5;
  expect_error(doc, "bgpsec_keys[3]: ski must be a string");
}

TEST(RpkiJson, KeyErrorsNameTheEntry) {
  auto doc = rpki_client_doc();
  doc["bgpsec_keys"][1]["pubkey"] = "not base64!";
  auto data = parse(doc);
  ASSERT_FALSE(data);
  EXPECT_THAT(data.error().message, HasSubstr("bgpsec_keys[1]: pubkey is not base64"));
  // RFC 8608 §3.1: a compressed point is refused.
  auto spki = example_keys()[1].spki;
  base::Bytes compressed = *base::from_hex("3039301306072A8648CE3D020106082A8648CE3D030107032200");
  compressed.push_back(static_cast<std::uint8_t>(0x02 | (spki.back() & 1)));
  compressed.insert(compressed.end(), spki.begin() + 27, spki.begin() + 59);
  doc["bgpsec_keys"][1]["pubkey"] = base::to_base64(compressed);
  data = parse(doc);
  ASSERT_FALSE(data);
  EXPECT_THAT(data.error().message, HasSubstr("bgpsec_keys[1]: pubkey: "));
  EXPECT_THAT(data.error().message, HasSubstr("compressed"));
  doc["bgpsec_keys"][1] = "a string";
  expect_error(doc, "bgpsec_keys[1]: not a JSON object");
}

TEST(RpkiJson, DocumentErrors) {
  auto not_json = parse_rpki_json("{\"roas\": [\n{\"asn\": 1,,}]}", kNow);
  ASSERT_FALSE(not_json);
  EXPECT_THAT(not_json.error().message, HasSubstr("not valid JSON"));
  EXPECT_THAT(not_json.error().message, HasSubstr("line 2"));
  EXPECT_FALSE(parse_rpki_json("", kNow));
  expect_error(Json::array(), "not an RPKI JSON object (expected {\"roas\": [...], ...})");
  expect_error(Json{{"slurmVersion", 1}},
               "no roas, bgpsec_keys, routerKeys, aspas or provider_authorizations: not an RPKI "
               "JSON export");
  expect_error(Json{{"roas", Json::object()}}, "roas is not a JSON array");
  expect_error(Json{{"roas", Json::array()}, {"bgpsec_keys", 3}},
               "bgpsec_keys is not a JSON array");
  auto empty = parse(Json{{"roas", Json::array()}});
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->vrps.empty());
  EXPECT_TRUE(empty->router_keys.empty());
  auto doc = rpki_client_doc();
  doc["roas"][0]["expires"] = 1.5;
  expect_error(doc, "roas[0]: expires must be an integer (Unix time)");
}

// The file is read as a stream, entry by entry; what is reported must not depend on that: a
// syntax error after a bad entry wins, a bad array type after a bad entry wins, a member given
// twice counts the last time, and nested unknown members are skipped.
TEST(RpkiJson, StreamedReadingKeepsDocumentOrder) {
  auto late_syntax = parse_rpki_json("{\"roas\": [{\"asn\": 1}], \"x\": [,]}", kNow);
  ASSERT_FALSE(late_syntax);
  EXPECT_THAT(late_syntax.error().message, HasSubstr("not valid JSON"));
  expect_error(Json::parse(R"({"roas": [{"asn": 1}], "routerKeys": {"a": [1]}})"),
               "routerKeys is not a JSON array");
  expect_error(Json::parse(R"({"roas": [{"asn": 1}], "bgpsec_keys": [7]})"),
               "roas[0]: prefix missing");
  auto last = parse_rpki_json(
      R"({"roas": [{"asn": 1}], "meta": {"roas": [1]},
          "roas": [{"prefix": "192.0.2.0/24", "asn": 5, "ta": {"x": [1, {"y": 2}]}}]})",
      kNow);
  ASSERT_TRUE(last) << last.error().message;
  ASSERT_EQ(last->vrps.size(), 1U);
  EXPECT_EQ(last->vrps[0].asn, base::Asn(5));
  expect_error(Json::parse(R"({"roas": [{"prefix": "192.0.2.0/24", "asn": 5}, [1]]})"),
               "roas[1]: not a JSON object");
  EXPECT_TRUE(parse(Json::parse(R"({"roas": null, "routerKeys": []})")));
}

TEST(RpkiJson, RoundTripThroughRpkiClientFormat) {
  auto data = parse(rpki_client_doc());
  ASSERT_TRUE(data);
  const auto text = to_rpki_client_json(*data);
  auto again = parse_rpki_json(text, kNow);
  ASSERT_TRUE(again) << again.error().message << "\n" << text;
  EXPECT_EQ(*again, *data);
}

// docs/aspa.md §9: rpki-client 8.2 / StayRTR 0.5.1 put ASPAs in provider_authorizations.
TEST(RpkiJson, AspasInRpkiClient8Shape) {
  auto doc = rpki_client_doc();
  doc["metadata"]["aspas"] = 3;
  doc["provider_authorizations"] = Json::parse(R"({
    "ipv4": [{"customer_asid": 64496, "providers": [64497, 64498], "expires": 1900000000},
             {"customer_asid": 64499, "providers": [0]},
             {"customer_asid": 64500, "providers": [1], "expires": 1000}],
    "ipv6": [{"customer_asid": 64496, "providers": [64501]}],
    "comment": {"ipv4": [1]}
  })");
  auto data = parse(doc);
  ASSERT_TRUE(data) << data.error().message;
  EXPECT_EQ(data->vrps.size(), 2U);
  ASSERT_EQ(data->aspas.size(), 3U);  // the expired one is left out
  EXPECT_EQ(data->aspas[0],
            (aspa::AspaRecord{base::Asn(64496), {base::Asn(64497), base::Asn(64498)}, 1900000000}));
  EXPECT_EQ(data->aspas[1], (aspa::AspaRecord{base::Asn(64499), {base::Asn(0)}}));
  EXPECT_EQ(data->aspas[2], (aspa::AspaRecord{base::Asn(64496), {base::Asn(64501)}}));
  // The two families' lists are united (docs/aspa.md §2).
  const auto table = aspa::AspaTable::build(data->aspas);
  EXPECT_EQ(table.authorized(base::Asn(64496), base::Asn(64501)),
            aspa::Authorization::ProviderPlus);
  EXPECT_EQ(table.authorized(base::Asn(64496), base::Asn(64497)),
            aspa::Authorization::ProviderPlus);
  EXPECT_EQ(table.authorized(base::Asn(64500), base::Asn(1)), aspa::Authorization::NoAttestation);
}

// docs/aspa.md §9: newer rpki-client writes a flat top-level `aspas` array; a file with only
// ASPAs is a data set of its own.
TEST(RpkiJson, AspasTopLevelArrayAlone) {
  auto data = parse(
      Json::parse(R"({"aspas": [{"customer_asid": "AS65000", "providers": [65001, "AS65002"]}]})"));
  ASSERT_TRUE(data) << data.error().message;
  EXPECT_TRUE(data->vrps.empty());
  ASSERT_EQ(data->aspas.size(), 1U);
  EXPECT_EQ(data->aspas[0],
            (aspa::AspaRecord{base::Asn(65000), {base::Asn(65001), base::Asn(65002)}}));
  EXPECT_TRUE(parse(Json::parse(R"({"provider_authorizations": {}})")));
}

TEST(RpkiJson, AspaErrorsNameTheEntry) {
  expect_error(Json::parse(R"({"aspas": [{"providers": [1]}]})"),
               "aspas[0]: customer_asid missing");
  expect_error(Json::parse(R"({"aspas": [{"customer_asid": 1}]})"), "aspas[0]: providers missing");
  expect_error(Json::parse(R"({"aspas": [{"customer_asid": 1, "providers": 2}]})"),
               "aspas[0]: providers must be an array of ASNs");
  expect_error(
      Json::parse(R"({"provider_authorizations": {"ipv6": [
                       {"customer_asid": 1, "providers": [2]},
                       {"customer_asid": 1, "providers": [2, 4294967296]}]}})"),
      "provider_authorizations.ipv6[1]: providers[1] 4294967296 is larger than 4294967295");
  expect_error(Json::parse(R"({"provider_authorizations": {"ipv4": [7]}})"),
               "provider_authorizations.ipv4[0]: not a JSON object");
  expect_error(Json::parse(R"({"provider_authorizations": {"ipv4": {"a": 1}}})"),
               "provider_authorizations.ipv4 is not a JSON array");
  expect_error(Json::parse(R"({"provider_authorizations": [1]})"),
               "provider_authorizations is not a JSON object");
  expect_error(Json::parse(R"({"aspas": {"customer_asid": 1}})"), "aspas is not a JSON array");
  expect_error(Json::parse(R"({"aspas": [{"customer_asid": 1, "providers": [-1]}]})"),
               "aspas[0]: providers[0] must be a non-negative integer or a string like "
               "\"AS64496\"");
}

TEST(RpkiJson, AspaRoundTripKeepsTheTable) {
  auto doc = rpki_client_doc();
  doc["aspas"] = Json::parse(R"([{"customer_asid": 1, "providers": [3, 2]},
                                 {"customer_asid": 4, "providers": [0], "expires": 1900000000}])");
  auto data = parse(doc);
  ASSERT_TRUE(data) << data.error().message;
  const auto text = to_rpki_client_json(*data);
  auto again = parse_rpki_json(text, kNow);
  ASSERT_TRUE(again) << again.error().message << "\n" << text;
  EXPECT_EQ(again->vrps, data->vrps);
  EXPECT_EQ(again->aspas.size(), 2 * data->aspas.size());  // once per family list
  EXPECT_EQ(aspa::AspaTable::build(again->aspas).records(),
            aspa::AspaTable::build(data->aspas).records());
}

TEST(RpkiJson, LoadFile) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "bgpsecd-rpki-XXXXXX").string();
  ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
  const std::filesystem::path dir = tmpl;
  const auto good = dir / "rpki.json";
  std::ofstream(good) << rpki_client_doc().dump(2);
  auto data = load_rpki_json_file(good, kNow);
  ASSERT_TRUE(data) << data.error().message;
  EXPECT_EQ(data->router_keys.size(), 2U);

  const auto bad = dir / "bad.json";
  auto doc = rpki_client_doc();
  doc["bgpsec_keys"][0]["ski"] = "AB";
  std::ofstream(bad) << doc.dump(2);
  auto refused = load_rpki_json_file(bad, kNow);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message,
            bad.string() + ": bgpsec_keys[0]: ski is 1 octets, expected 20");

  auto missing = load_rpki_json_file(dir / "missing.json", kNow);
  ASSERT_FALSE(missing);
  EXPECT_THAT(missing.error().message, HasSubstr((dir / "missing.json").string()));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace bgpsecd::rpki
