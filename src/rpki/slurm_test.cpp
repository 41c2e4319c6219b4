// SPDX-License-Identifier: BSD-2-Clause
// SLURM (RFC 8416): the RFC's example document (§3.5), each error with the entry it names,
// both base64 alphabets, the writer round trip, and apply_slurm (filters, then assertions).
#include "rpki/slurm.hpp"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/hex.hpp"
#include "rpki/vrp_table.hpp"

namespace bgpsecd::rpki {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;

// RFC 8608 Appendix A keys (rfc8608.json), base64url without padding as RFC 8416 writes them.
constexpr const char* kSki64496 = "q02RD1XK5xohXvPK_jrMRbXuwVQ";
constexpr const char* kKey64496 =
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEc5G6u5KgyzvhDlmxnr_7IU4EqR4MuhsTmn042Q935VqgW45pVnjg-"
    "haQS1XZ1PXA38WIle5QvE910gWiW9Nv9Q";
constexpr const char* kSki65536 = "R_I78asvip0mhk672N8nEcdEBuw";
constexpr const char* kKey65536 =
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEKPxf6a_PX0yrP1-FyyEvwenQ4Nvq7kJb0vDTF1qg6Ynqm2A-"
    "OPNfsynfSVZB8roEDxw6xhODB_JXy6a4tYj0Hw";

// RFC 8416 §3.5's example. The RFC's SKIs ("Zm9v", "YmFy": 3 octets) and its bgpsecAssertion
// ("<some base64 SKI>") are placeholders; real 20-octet SKIs and an RFC 8608 key stand in.
const char* const kRfc8416Example = R"({
  "slurmVersion": 1,
  "validationOutputFilters": {
    "prefixFilters": [
      { "prefix": "192.0.2.0/24", "comment": "All VRPs encompassed by prefix" },
      { "asn": 64496, "comment": "All VRPs matching ASN" },
      { "prefix": "198.51.100.0/24", "asn": 64497,
        "comment": "All VRPs encompassed by prefix, matching ASN" }
    ],
    "bgpsecFilters": [
      { "asn": 64496, "comment": "All keys for ASN" },
      { "SKI": "R_I78asvip0mhk672N8nEcdEBuw", "comment": "Key matching Router SKI" },
      { "asn": 64497, "SKI": "q02RD1XK5xohXvPK_jrMRbXuwVQ",
        "comment": "Key for ASN 64497 matching Router SKI" }
    ]
  },
  "locallyAddedAssertions": {
    "prefixAssertions": [
      { "asn": 64496, "prefix": "198.51.100.0/24", "comment": "My other important route" },
      { "asn": 64496, "prefix": "2001:DB8::/32", "maxPrefixLength": 48,
        "comment": "My other important de-aggregated routes" }
    ],
    "bgpsecAssertions": [
      { "asn": 64496, "comment": "My known key for my important ASN",
        "SKI": "q02RD1XK5xohXvPK_jrMRbXuwVQ",
        "routerPublicKey": "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEc5G6u5KgyzvhDlmxnr_7IU4EqR4MuhsTmn042Q935VqgW45pVnjg-haQS1XZ1PXA38WIle5QvE910gWiW9Nv9Q" }
    ]
  }
})";

base::Prefix prefix(const std::string& text) { return base::Prefix::parse(text).value(); }

base::Ski ski(const char* b64) { return base::Ski::from_bytes(*base::from_base64(b64)).value(); }

crypto::PublicKey key(const char* b64) {
  return crypto::PublicKey::from_spki_der(*base::from_base64(b64)).value();
}

VrpEntry vrp(const std::string& p, unsigned max_length, std::uint32_t asn) {
  return VrpEntry{prefix(p), static_cast<std::uint8_t>(max_length), base::Asn(asn), {}};
}

RouterKeyEntry key_entry(std::uint32_t asn, const char* ski_b64, const char* key_b64) {
  return RouterKeyEntry{base::Asn(asn), ski(ski_b64), key(key_b64), {}};
}

TEST(Slurm, Rfc8416Sec35ExampleParses) {
  auto slurm = parse_slurm(kRfc8416Example);
  ASSERT_TRUE(slurm) << slurm.error().message;

  ASSERT_EQ(slurm->prefix_filters.size(), 3U);
  EXPECT_EQ(slurm->prefix_filters[0],
            (PrefixFilter{prefix("192.0.2.0/24"), {}, "All VRPs encompassed by prefix"}));
  EXPECT_EQ(slurm->prefix_filters[1],
            (PrefixFilter{{}, base::Asn(64496), "All VRPs matching ASN"}));
  EXPECT_EQ(slurm->prefix_filters[2],
            (PrefixFilter{prefix("198.51.100.0/24"), base::Asn(64497),
                          "All VRPs encompassed by prefix, matching ASN"}));

  ASSERT_EQ(slurm->bgpsec_filters.size(), 3U);
  EXPECT_EQ(slurm->bgpsec_filters[0], (BgpsecFilter{base::Asn(64496), {}, "All keys for ASN"}));
  EXPECT_EQ(slurm->bgpsec_filters[1],
            (BgpsecFilter{{}, ski(kSki65536), "Key matching Router SKI"}));
  EXPECT_EQ(slurm->bgpsec_filters[2].asn, base::Asn(64497));
  EXPECT_EQ(slurm->bgpsec_filters[2].ski->to_hex(), "AB4D910F55CAE71A215EF3CAFE3ACC45B5EEC154");

  ASSERT_EQ(slurm->prefix_assertions.size(), 2U);
  EXPECT_EQ(slurm->prefix_assertions[0],
            (PrefixAssertion{
                prefix("198.51.100.0/24"), base::Asn(64496), {}, "My other important route"}));
  EXPECT_EQ(slurm->prefix_assertions[0].max_length(), 24);  // absent: the prefix length
  EXPECT_EQ(slurm->prefix_assertions[1].prefix, prefix("2001:db8::/32"));
  EXPECT_EQ(slurm->prefix_assertions[1].max_length(), 48);

  ASSERT_EQ(slurm->bgpsec_assertions.size(), 1U);
  EXPECT_EQ(slurm->bgpsec_assertions[0].asn, base::Asn(64496));
  EXPECT_EQ(slurm->bgpsec_assertions[0].ski.to_hex(), "AB4D910F55CAE71A215EF3CAFE3ACC45B5EEC154");
  EXPECT_EQ(slurm->bgpsec_assertions[0].key, key(kKey64496));
}

TEST(Slurm, WriterRoundTripsAndUsesBase64UrlWithoutPadding) {
  auto slurm = parse_slurm(kRfc8416Example);
  ASSERT_TRUE(slurm);
  const auto text = to_slurm_json(*slurm);
  EXPECT_THAT(text, HasSubstr(kSki64496));
  EXPECT_THAT(text, HasSubstr(kKey64496));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("=")));
  auto again = parse_slurm(text);
  ASSERT_TRUE(again) << again.error().message << "\n" << text;
  EXPECT_EQ(*again, *slurm);
}

TEST(Slurm, EmptyArraysAreAnEmptyDocument) {
  auto slurm = parse_slurm(
      R"({"slurmVersion":1,"validationOutputFilters":{"prefixFilters":[],"bgpsecFilters":[]},
          "locallyAddedAssertions":{"prefixAssertions":[],"bgpsecAssertions":[]}})");
  ASSERT_TRUE(slurm) << slurm.error().message;
  EXPECT_EQ(*slurm, Slurm{});
}

TEST(Slurm, StandardBase64WithPaddingIsAcceptedToo) {
  // StayRTR decodes SKI and routerPublicKey as standard base64, not RFC 8416's base64url.
  const auto spki = key(kKey64496).spki_der();
  const auto ski_value = ski(kSki64496);
  const auto ski_bytes = ski_value.span();
  Json doc = Json::parse(kRfc8416Example);
  auto& a = doc["locallyAddedAssertions"]["bgpsecAssertions"][0];
  a["SKI"] = base::to_base64(ski_bytes);
  a["routerPublicKey"] = base::to_base64(spki);
  ASSERT_THAT(a["SKI"].get<std::string>(), HasSubstr("="));
  auto slurm = parse_slurm(doc.dump());
  ASSERT_TRUE(slurm) << slurm.error().message;
  EXPECT_EQ(slurm->bgpsec_assertions[0].key, key(kKey64496));
}

struct ErrorCase {
  const char* name;
  const char* pointer;  // JSON pointer of the value to replace ("" = whole document)
  Json value;           // replacement; null with `remove` = erase the member
  bool remove;
  const char* message;
};

std::vector<ErrorCase> error_cases() {
  const std::string key64496 = kKey64496;
  return {
      {"not an object", "", Json::array(), false,
       "not a SLURM JSON object (expected {\"slurmVersion\": 1, ...})"},
      {"version missing", "/slurmVersion", nullptr, true, "slurmVersion missing (RFC 8416 §3.2)"},
      {"version 3", "/slurmVersion", 3, false, "slurmVersion 3 is not supported (must be 1 or 2)"},
      {"version string", "/slurmVersion", "1", false,
       "slurmVersion \"1\" is not supported (must be 1 or 2)"},
      {"aspaFilters in version 1", "/validationOutputFilters/aspaFilters", Json::array(), false,
       "validationOutputFilters: unknown member \"aspaFilters\""},
      {"unknown top member", "/aspaAssertions", Json::array(), false,
       "SLURM: unknown member \"aspaAssertions\""},
      {"filters missing", "/validationOutputFilters", nullptr, true,
       "validationOutputFilters missing (RFC 8416 §3.2)"},
      {"filters not object", "/validationOutputFilters", Json::array(), false,
       "validationOutputFilters must be a JSON object"},
      {"prefixFilters missing", "/validationOutputFilters/prefixFilters", nullptr, true,
       "validationOutputFilters.prefixFilters missing (RFC 8416 §3.2; an empty array is fine)"},
      {"bgpsecFilters not array", "/validationOutputFilters/bgpsecFilters", Json::object(), false,
       "validationOutputFilters.bgpsecFilters must be a JSON array"},
      {"assertions missing", "/locallyAddedAssertions", nullptr, true,
       "locallyAddedAssertions missing (RFC 8416 §3.2)"},
      {"bgpsecAssertions missing", "/locallyAddedAssertions/bgpsecAssertions", nullptr, true,
       "locallyAddedAssertions.bgpsecAssertions missing (RFC 8416 §3.2; an empty array is fine)"},
      {"unknown filters member", "/validationOutputFilters/aspaFilters", Json::array(), false,
       "validationOutputFilters: unknown member \"aspaFilters\""},
      {"prefix filter not object", "/validationOutputFilters/prefixFilters/1", 5, false,
       "prefixFilters[1]: not a JSON object"},
      {"prefix filter empty",
       "/validationOutputFilters/prefixFilters/1",
       {{"comment", "x"}},
       false,
       "prefixFilters[1]: needs prefix or asn (RFC 8416 §3.3.1)"},
      {"prefix filter host bits", "/validationOutputFilters/prefixFilters/0/prefix", "192.0.2.1/24",
       false, ""},
      {"prefix filter prefix number", "/validationOutputFilters/prefixFilters/0/prefix", 24, false,
       "prefixFilters[0]: prefix must be a string like \"192.0.2.0/24\""},
      {"asn negative", "/validationOutputFilters/prefixFilters/2/asn", -1, false,
       "prefixFilters[2]: asn must be an integer 0..4294967295"},
      {"asn too large", "/validationOutputFilters/prefixFilters/2/asn", 4294967296ULL, false,
       "prefixFilters[2]: asn must be an integer 0..4294967295"},
      {"asn string", "/validationOutputFilters/prefixFilters/2/asn", "AS64497", false,
       "prefixFilters[2]: asn must be an integer 0..4294967295"},
      {"comment number", "/validationOutputFilters/prefixFilters/2/comment", 7, false,
       "prefixFilters[2]: comment must be a string"},
      {"bgpsec filter empty", "/validationOutputFilters/bgpsecFilters/0", Json::object(), false,
       "bgpsecFilters[0]: needs asn or SKI (RFC 8416 §3.3.2)"},
      {"SKI not base64", "/validationOutputFilters/bgpsecFilters/1/SKI", "not*base64", false, ""},
      {"SKI too short", "/validationOutputFilters/bgpsecFilters/1/SKI", "Zm9v", false,
       "bgpsecFilters[1]: SKI is 3 octets, expected 20"},
      {"SKI number", "/validationOutputFilters/bgpsecFilters/2/SKI", 1, false,
       "bgpsecFilters[2]: SKI must be a base64url string"},
      {"unknown filter member", "/validationOutputFilters/bgpsecFilters/0/routerPublicKey",
       key64496, false, "bgpsecFilters[0]: unknown member \"routerPublicKey\""},
      {"assertion prefix missing", "/locallyAddedAssertions/prefixAssertions/1/prefix", nullptr,
       true, "prefixAssertions[1]: prefix missing"},
      {"assertion asn missing", "/locallyAddedAssertions/prefixAssertions/0/asn", nullptr, true,
       "prefixAssertions[0]: asn missing"},
      {"maxPrefixLength too short", "/locallyAddedAssertions/prefixAssertions/1/maxPrefixLength",
       31, false, "prefixAssertions[1]: maxPrefixLength 31 is outside 32..128 for 2001:db8::/32"},
      {"maxPrefixLength too long", "/locallyAddedAssertions/prefixAssertions/1/maxPrefixLength",
       129, false, "prefixAssertions[1]: maxPrefixLength 129 is outside 32..128 for 2001:db8::/32"},
      {"maxPrefixLength negative", "/locallyAddedAssertions/prefixAssertions/0/maxPrefixLength",
       -24, false, "prefixAssertions[0]: maxPrefixLength must be a non-negative integer"},
      {"misspelt maxLength", "/locallyAddedAssertions/prefixAssertions/0/maxLength", 24, false,
       "prefixAssertions[0]: unknown member \"maxLength\""},
      {"key assertion SKI missing", "/locallyAddedAssertions/bgpsecAssertions/0/SKI", nullptr, true,
       "bgpsecAssertions[0]: SKI missing"},
      {"key assertion asn missing", "/locallyAddedAssertions/bgpsecAssertions/0/asn", nullptr, true,
       "bgpsecAssertions[0]: asn missing"},
      {"key assertion key missing", "/locallyAddedAssertions/bgpsecAssertions/0/routerPublicKey",
       nullptr, true, "bgpsecAssertions[0]: routerPublicKey missing"},
      {"key assertion key not base64", "/locallyAddedAssertions/bgpsecAssertions/0/routerPublicKey",
       "!!!", false, ""},
      {"key assertion key not SPKI", "/locallyAddedAssertions/bgpsecAssertions/0/routerPublicKey",
       "Zm9vYmFy", false, ""},
      {"key assertion SKI mismatch", "/locallyAddedAssertions/bgpsecAssertions/0/SKI", kSki65536,
       false,
       "bgpsecAssertions[0]: SKI 47F23BF1AB2F8A9D26864EBBD8DF2711C74406EC does not match "
       "routerPublicKey (SHA-1 of its public point is AB4D910F55CAE71A215EF3CAFE3ACC45B5EEC154, "
       "RFC 8209)"},
  };
}

TEST(Slurm, Rfc8416EachErrorRejectsTheFileAndNamesTheEntry) {
  for (const auto& c : error_cases()) {
    Json doc = Json::parse(kRfc8416Example);
    const Json::json_pointer ptr(c.pointer);
    if (c.remove) {
      doc[ptr.parent_pointer()].erase(ptr.back());
    } else if (std::string(c.pointer).empty()) {
      doc = c.value;
    } else {
      doc[ptr] = c.value;
    }
    auto slurm = parse_slurm(doc.dump());
    ASSERT_FALSE(slurm) << c.name;
    if (std::string(c.message).empty()) {
      // Messages from base:: or crypto:: follow the entry name; check only the entry.
      const std::string entry = std::string(c.pointer).find("Assertions") != std::string::npos
                                    ? "bgpsecAssertions[0]: "
                                    : "";
      EXPECT_THAT(slurm.error().message, HasSubstr(entry)) << c.name;
      EXPECT_THAT(slurm.error().message, ::testing::ContainsRegex("^[a-zA-Z]+\\[[0-9]\\]: "))
          << c.name << ": " << slurm.error().message;
    } else {
      EXPECT_EQ(slurm.error().message, c.message) << c.name;
    }
  }
}

TEST(Slurm, SyntaxErrorIsReported) {
  auto slurm = parse_slurm("{\"slurmVersion\": 1,");
  ASSERT_FALSE(slurm);
  EXPECT_THAT(slurm.error().message, HasSubstr("not valid JSON: "));
}

TEST(Slurm, LoadFileNamesTheFile) {
  auto slurm = load_slurm_file("/nonexistent/slurm.json");
  ASSERT_FALSE(slurm);
  EXPECT_THAT(slurm.error().message, HasSubstr("/nonexistent/slurm.json"));
}

TEST(Slurm, Rfc8416Sec4FiltersThenAssertions) {
  auto slurm = parse_slurm(kRfc8416Example);
  ASSERT_TRUE(slurm);
  RpkiData data;
  data.vrps = {
      vrp("192.0.2.0/24", 24, 1),         // filter 0: the prefix itself
      vrp("192.0.2.128/25", 25, 2),       // filter 0: a more-specific
      vrp("192.0.0.0/16", 24, 3),         // kept: less specific than the filter
      vrp("203.0.113.0/24", 24, 64496),   // filter 1: the ASN
      vrp("198.51.100.0/24", 24, 64497),  // filter 2: prefix and ASN
      vrp("198.51.100.0/24", 24, 64498),  // kept: filter 2's ASN differs
      vrp("2001:db8::/32", 48, 64496),    // filter 1, but asserted again below
  };
  data.router_keys = {
      key_entry(64496, kSki64496, kKey64496),  // bgpsec filter 0 (ASN)
      key_entry(65536, kSki65536, kKey65536),  // bgpsec filter 1 (SKI)
      key_entry(64497, kSki64496, kKey64496),  // bgpsec filter 2 (ASN and SKI)
      key_entry(64498, kSki64496, kKey64496),  // kept
  };
  const auto out = apply_slurm(*slurm, data);
  EXPECT_EQ(out.vrps, (std::vector<VrpEntry>{
                          vrp("192.0.0.0/16", 24, 3), vrp("198.51.100.0/24", 24, 64498),
                          vrp("198.51.100.0/24", 24, 64496),  // asserted
                          vrp("2001:db8::/32", 48, 64496),    // asserted, not filtered
                      }));
  EXPECT_EQ(out.router_keys, (std::vector<RouterKeyEntry>{
                                 key_entry(64498, kSki64496, kKey64496),
                                 key_entry(64496, kSki64496, kKey64496),  // asserted
                             }));
  // The result validates as the operator intended.
  auto table = VrpTable::build(out.vrps);
  ASSERT_TRUE(table);
  EXPECT_EQ(table->validate_origin(prefix("2001:db8:1::/48"), base::Asn(64496)),
            OriginState::Valid);
  // The filtered 192.0.2.0/24 AS 1 no longer makes its route Valid; the kept /16 covers it.
  EXPECT_EQ(table->validate_origin(prefix("192.0.2.0/24"), base::Asn(1)), OriginState::Invalid);
  EXPECT_EQ(table->validate_origin(prefix("192.0.2.0/24"), base::Asn(3)), OriginState::Valid);
}

TEST(Slurm, AssertionAlreadyPresentIsNotAddedTwice) {
  Slurm slurm;
  slurm.prefix_assertions = {{prefix("192.0.2.0/24"), base::Asn(64496), 24, {}},
                             {prefix("192.0.2.0/24"), base::Asn(64496), {}, "same VRP"}};
  slurm.bgpsec_assertions = {{base::Asn(64496), ski(kSki64496), key(kKey64496), {}}};
  RpkiData data;
  data.vrps = {VrpEntry{prefix("192.0.2.0/24"), 24, base::Asn(64496), 1800000000}};
  data.router_keys = {key_entry(64496, kSki64496, kKey64496)};
  const auto out = apply_slurm(slurm, data);
  EXPECT_EQ(out, data);
}

// docs/aspa.md §9: StayRTR's SLURM version 2 with ASPA filters and assertions.
const char* const kStayRtrAspaSlurm = R"({
  "slurmVersion": 2,
  "validationOutputFilters": {
    "prefixFilters": [],
    "bgpsecFilters": [],
    "aspaFilters": [
      {"customer_asid": 64496, "afi": "ipv6", "comment": "ASPA filter for AS 64496"}
    ]
  },
  "locallyAddedAssertions": {
    "prefixAssertions": [],
    "bgpsecAssertions": [],
    "aspaAssertions": [
      {"customer_asid": 64499, "afi": "ipv6", "provider_set": [64497, 64498],
       "comment": "Pretend 64497 and 64498 are upstream of 64499"}
    ]
  }
})";

TEST(Slurm, AspaVersion2ParsesAndRoundTrips) {
  auto slurm = parse_slurm(kStayRtrAspaSlurm);
  ASSERT_TRUE(slurm) << slurm.error().message;
  ASSERT_EQ(slurm->aspa_filters.size(), 1U);
  EXPECT_EQ(slurm->aspa_filters[0],
            (AspaFilter{base::Asn(64496), "ipv6", "ASPA filter for AS 64496"}));
  ASSERT_EQ(slurm->aspa_assertions.size(), 1U);
  EXPECT_EQ(slurm->aspa_assertions[0].customer, base::Asn(64499));
  EXPECT_EQ(slurm->aspa_assertions[0].providers,
            (std::vector<base::Asn>{base::Asn(64497), base::Asn(64498)}));
  const auto text = to_slurm_json(*slurm);
  EXPECT_THAT(text, HasSubstr("\"slurmVersion\": 2"));
  auto again = parse_slurm(text);
  ASSERT_TRUE(again) << again.error().message << "\n" << text;
  EXPECT_EQ(*again, *slurm);
  // Without ASPA entries the writer stays at version 1.
  EXPECT_THAT(to_slurm_json(Slurm{}), HasSubstr("\"slurmVersion\": 1"));
}

TEST(Slurm, AspaArraysAreOptionalInVersion2) {
  auto slurm = parse_slurm(R"({"slurmVersion": 2,
    "validationOutputFilters": {"prefixFilters": [], "bgpsecFilters": []},
    "locallyAddedAssertions": {"prefixAssertions": [], "bgpsecAssertions": []}})");
  ASSERT_TRUE(slurm) << slurm.error().message;
  EXPECT_TRUE(slurm->aspa_filters.empty());
  EXPECT_TRUE(slurm->aspa_assertions.empty());
}

TEST(Slurm, AspaErrorsNameTheEntry) {
  const auto with = [](const char* pointer, const Json& value) {
    Json doc = Json::parse(kStayRtrAspaSlurm);
    doc[Json::json_pointer(pointer)] = value;
    auto slurm = parse_slurm(doc.dump());
    return slurm ? std::string("accepted") : slurm.error().message;
  };
  EXPECT_EQ(with("/validationOutputFilters/aspaFilters/0/customer_asid", "AS1"),
            "aspaFilters[0]: customer_asid must be an integer 0..4294967295");
  EXPECT_EQ(with("/validationOutputFilters/aspaFilters/0/afi", "ipv5"),
            "aspaFilters[0]: afi must be \"ipv4\" or \"ipv6\"");
  EXPECT_EQ(with("/validationOutputFilters/aspaFilters/0/providers", Json::array()),
            "aspaFilters[0]: unknown member \"providers\"");
  EXPECT_EQ(with("/validationOutputFilters/aspaFilters", Json::object()),
            "validationOutputFilters.aspaFilters must be a JSON array");
  EXPECT_EQ(with("/locallyAddedAssertions/aspaAssertions/0/provider_set", 5),
            "aspaAssertions[0]: provider_set must be an array of ASNs");
  EXPECT_EQ(with("/locallyAddedAssertions/aspaAssertions/0/provider_set/1", -2),
            "aspaAssertions[0]: provider_set[1] must be an integer 0..4294967295");
  Json doc = Json::parse(kStayRtrAspaSlurm);
  doc["locallyAddedAssertions"]["aspaAssertions"][0].erase("provider_set");
  auto missing = parse_slurm(doc.dump());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "aspaAssertions[0]: provider_set missing");
}

TEST(Slurm, AspaFiltersThenAssertions) {
  auto slurm = parse_slurm(kStayRtrAspaSlurm);
  ASSERT_TRUE(slurm);
  RpkiData data;
  data.aspas = {{base::Asn(64496), {base::Asn(1)}},
                {base::Asn(64499), {base::Asn(2)}},
                {base::Asn(64496), {base::Asn(3)}}};
  const auto out = apply_slurm(*slurm, data);
  // Both records of 64496 are filtered; 64499 keeps its own and gains the asserted one.
  const std::vector<aspa::AspaRecord> expect = {
      {base::Asn(64499), {base::Asn(2)}}, {base::Asn(64499), {base::Asn(64497), base::Asn(64498)}}};
  EXPECT_EQ(out.aspas, expect);
  const auto table = aspa::AspaTable::build(out.aspas);
  EXPECT_EQ(table.authorized(base::Asn(64496), base::Asn(1)), aspa::Authorization::NoAttestation);
  EXPECT_EQ(table.authorized(base::Asn(64499), base::Asn(64498)),
            aspa::Authorization::ProviderPlus);
  EXPECT_TRUE(filter_matches(slurm->aspa_filters[0], data.aspas[0]));
  EXPECT_FALSE(filter_matches(slurm->aspa_filters[0], data.aspas[1]));
}

TEST(Slurm, FilterMatching) {
  const PrefixFilter by_prefix{prefix("10.0.0.0/8"), {}, {}};
  EXPECT_TRUE(filter_matches(by_prefix, vrp("10.0.0.0/8", 8, 1)));
  EXPECT_TRUE(filter_matches(by_prefix, vrp("10.1.0.0/16", 16, 1)));
  EXPECT_FALSE(filter_matches(by_prefix, vrp("0.0.0.0/0", 8, 1)));
  EXPECT_FALSE(filter_matches(by_prefix, vrp("11.0.0.0/8", 8, 1)));
  EXPECT_FALSE(filter_matches(by_prefix, vrp("::/0", 8, 1)));
  const PrefixFilter both{prefix("10.0.0.0/8"), base::Asn(5), {}};
  EXPECT_TRUE(filter_matches(both, vrp("10.0.0.0/24", 24, 5)));
  EXPECT_FALSE(filter_matches(both, vrp("10.0.0.0/24", 24, 6)));
  const BgpsecFilter by_ski{{}, ski(kSki65536), {}};
  EXPECT_TRUE(filter_matches(by_ski, key_entry(1, kSki65536, kKey65536)));
  EXPECT_FALSE(filter_matches(by_ski, key_entry(1, kSki64496, kKey64496)));
}

}  // namespace
}  // namespace bgpsecd::rpki
