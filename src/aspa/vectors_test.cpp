// SPDX-License-Identifier: BSD-2-Clause
// The published ASPA verification examples (docs/aspa.md §10): the draft's official examples
// (set S1), BIRD's filter tests (S2), OpenBGPD's unit tests (S3), and derived prepend, AS_SET
// and neighbor-check cases. Each row names its vector, so a failure says which one.
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "aspa/verify.hpp"
#include "wire/as_path_text.hpp"

namespace bgpsecd::aspa {
namespace {

using Set = std::vector<std::pair<std::uint32_t, std::vector<std::uint32_t>>>;

AspaTable table_of(const Set& set) {
  std::vector<AspaRecord> records;
  for (const auto& [customer, providers] : set) {
    AspaRecord r{base::Asn(customer), {}};
    for (const auto p : providers) {
      r.providers.emplace_back(p);
    }
    records.push_back(std::move(r));
  }
  return AspaTable::build(records);
}

// Set S1: A=65541 ... S=65555.
constexpr std::uint32_t A = 65541, B = 65542, C = 65543, D = 65544, E = 65545, F = 65546, G = 65547,
                        H = 65548, J = 65549, K = 65550, L = 65551, P = 65552, Q = 65553, R = 65554,
                        S = 65555;

const Set kS1 = {{A, {C, D}}, {B, {E}}, {C, {F}}, {D, {F, G}}, {G, {0}}, {H, {0}},
                 {K, {0}},    {L, {K}}, {P, {0}}, {Q, {0}},    {R, {Q}}, {S, {R}}};

const Set kS2 = {{65540, {65544, 65549}}, {65541, {65545}}, {65542, {65544, 65545}},
                 {65543, {65544, 65545}}, {65544, {0}},     {65545, {0}},
                 {65550, {65540}},        {65551, {65543}}};

const Set kS3 = {{1, {4, 5, 6}},
                 {2, {10, 11}},
                 {3, {1, 13, 14}},
                 {4, {16, 24}},
                 {5, {1, 17, 25}},
                 {8, {0}},
                 {9, {2}},
                 {10, {0}},
                 {11, {2}},
                 {12, {3}},
                 {13, {0}},
                 {14, {3, 25}},
                 {15, {4}},
                 {16, {4}},
                 {17, {5}},
                 {18, {6}},
                 {20, {19}},
                 {21, {0}},
                 {23, {22}},
                 {24, {0}},
                 {25, {0}},
                 {26, {5}},
                 {27, {14}},
                 {101, {102}},
                 {102, {103, 104, 105}},
                 {103, {111, 112, 203}},
                 {105, {0}},
                 {112, {0}},
                 {113, {104, 105, 204, 205}},
                 {201, {202}},
                 {202, {203, 204, 205}},
                 {203, {103, 111, 112}},
                 {205, {0}}};

constexpr auto V = AspaState::Valid;
constexpr auto I = AspaState::Invalid;
constexpr auto U = AspaState::Unknown;
constexpr auto Up = Direction::Upstream;
constexpr auto Down = Direction::Downstream;

struct Vector {
  const char* name;
  const Set* set;
  std::vector<std::uint32_t> path;  // neighbor first
  Direction direction;
  AspaState expect;
};

// A path given as ASNs, neighbor first, as one AS_SEQUENCE (prepends stay in it).
wire::AsPath sequence(const std::vector<std::uint32_t>& asns) {
  wire::AsPath path;
  if (!asns.empty()) {
    path.segments.push_back({wire::AsPathSegmentType::AsSequence, {}});
    for (const auto a : asns) {
      path.segments.back().asns.emplace_back(a);
    }
  }
  return path;
}

std::string path_text(const std::vector<std::uint32_t>& asns) {
  return "[" + wire::as_path_to_text(sequence(asns)) + "]";
}

const std::vector<Vector>& vectors() {
  static const std::vector<Vector> v = {
      {"1", &kS1, {F, C, A}, Up, V},
      {"2", &kS1, {G, D, C, A}, Up, I},
      {"3", &kS1, {G, D, F, C, A}, Up, U},
      {"4", &kS1, {D, E, B}, Up, U},
      {"5", &kS1, {C, A, D, E, B}, Up, I},
      {"6", &kS1, {C, A, D, G, E, B}, Up, I},
      {"7", &kS1, {D, A, C, F}, Up, I},
      {"8", &kS1, {D, A, C, F, G}, Up, I},
      {"9", &kS1, {E, B}, Up, V},
      {"10", &kS1, {E, G, F, C, A}, Down, U},
      {"11", &kS1, {E, G, D, A}, Down, V},
      {"12", &kS1, {E, D, C, A}, Down, U},
      {"13", &kS1, {E, G, D, C, A}, Down, I},
      {"14", &kS1, {C, F, D, G}, Down, U},
      {"15", &kS1, {D, G, E, B}, Down, V},
      {"16", &kS1, {C, D, G, E, B}, Down, I},
      {"17", &kS1, {F, C, A}, Down, V},
      {"18", &kS1, {J, H}, Up, I},
      {"19", &kS1, {K, J, H}, Down, I},
      {"20", &kS1, {Q, P}, Up, I},
      {"21", &kS1, {Q, P}, Down, V},
      {"22", &kS1, {R, Q, P}, Down, V},
      {"23 up", &kS2, {65544, 65540}, Up, V},
      {"23 down", &kS2, {65544, 65540}, Down, V},
      {"24 up", &kS2, {65542, 65544, 65540}, Up, I},
      {"24 down", &kS2, {65542, 65544, 65540}, Down, V},
      {"25 up", &kS2, {65555, 65542, 65544, 65540}, Up, I},
      {"25 down", &kS2, {65555, 65542, 65544, 65540}, Down, U},
      {"26 up", &kS2, {65545, 65541, 65554}, Up, U},
      {"26 down", &kS2, {65545, 65541, 65554}, Down, U},
      {"27 up", &kS2, {65543, 65545, 65541, 65554}, Up, I},
      {"27 down", &kS2, {65543, 65545, 65541, 65554}, Down, U},
      {"28 up", &kS2, {65544, 65541}, Up, I},
      {"28 down", &kS2, {65544, 65541}, Down, V},
      {"29 up", &kS2, {65545, 65544, 65540}, Up, I},
      {"29 down", &kS2, {65545, 65544, 65540}, Down, V},
      {"30 up", &kS2, {65555, 65545, 65544, 65540}, Up, I},
      {"30 down", &kS2, {65555, 65545, 65544, 65540}, Down, U},
      {"31 up", &kS2, {65549, 65540, 65550}, Up, V},
      {"31 down", &kS2, {65549, 65540, 65550}, Down, V},
      {"32 up", &kS3, {}, Up, I},
      {"32 down", &kS3, {}, Down, I},
      {"33", &kS3, {2}, Up, V},
      {"34", &kS3, {2, 8}, Up, I},
      {"35", &kS3, {2, 9}, Up, V},
      {"36", &kS3, {2, 10}, Up, I},
      {"37", &kS3, {3, 8}, Up, I},
      {"38", &kS3, {3, 13}, Up, I},
      {"39", &kS3, {3, 14}, Up, V},
      {"40", &kS3, {4, 8}, Down, V},
      {"41", &kS3, {7, 19}, Up, U},
      {"42", &kS3, {7, 21}, Up, I},
      {"43", &kS3, {3, 14, 25}, Up, I},
      {"44", &kS3, {3, 14, 19}, Up, U},
      {"45", &kS3, {3, 14, 27}, Up, V},
      {"46", &kS3, {7, 19, 22, 21}, Up, I},
      {"47", &kS3, {6, 19, 22, 23}, Down, U},
      {"48", &kS3, {1, 5, 17, 13, 3, 14, 27}, Down, V},
      {"48 reversed", &kS3, {27, 14, 3, 13, 17, 5, 1}, Down, V},
      {"49", &kS3, {27, 14, 3, 6, 7, 19, 17, 5, 1}, Down, I},
      {"50", &kS3, {27, 14, 3, 7, 19, 6, 1, 5, 17}, Down, U},
      {"51", &kS3, {201, 202, 203, 103, 102, 101}, Down, V},
      {"52", &kS3, {201, 202, 203, 111, 103, 102, 101}, Down, V},
      {"53", &kS3, {201, 202, 205, 105, 102, 101}, Down, V},
      {"54", &kS3, {201, 202, 205, 111, 105, 102, 101}, Down, I},
      {"55", &kS3, {201, 202, 205, 112, 105, 102, 101}, Down, I},
      {"56", &kS3, {201, 202, 205, 113, 105, 102, 101}, Down, I},
      {"57", &kS3, {201, 202, 205, 111, 104, 102, 101}, Down, U},
      {"58", &kS3, {201, 202, 204, 111, 104, 102, 101}, Down, U},
      {"59", &kS3, {201, 202, 204, 113, 104, 102, 101}, Down, U},
      {"60", &kS1, {F, F, F, C, A, A}, Up, V},
      {"61", &kS1, {G, G, D, D, C, A}, Up, I},
      {"62", &kS3, {1, 1, 5, 5}, Down, V},
  };
  return v;
}

TEST(AspaVectors, Sets1To3AndPrepends) {
  for (const auto& v : vectors()) {
    const auto table = table_of(*v.set);
    // Prerequisite step 2 is assumed passed: the neighbor is the leftmost AS.
    VerifyOptions options{v.direction, {}};
    if (!v.path.empty()) {
      options.neighbor_as = base::Asn(v.path.front());
    }
    const auto verdict = verify(table, sequence(v.path), options);
    EXPECT_EQ(verdict.state, v.expect)
        << "vector " << v.name << ": " << path_text(v.path) << " " << direction_name(v.direction)
        << " gave " << aspa_state_name(verdict.state) << ", expected " << aspa_state_name(v.expect);
  }
}

TEST(AspaVectors, Vector10RampBounds) {
  // docs/aspa.md §10 vector 10 spells out its ramps: max_up 4, max_down 2, min_up 3, min_down 1.
  const auto table = table_of(kS1);
  const std::vector<base::Asn> path = {base::Asn(E), base::Asn(G), base::Asn(F), base::Asn(C),
                                       base::Asn(A)};
  const auto r = compute_ramps(table, path, true);
  EXPECT_EQ(r.max_up, 4U);
  EXPECT_EQ(r.max_down, 2U);
  EXPECT_EQ(r.min_up, 3U);
  EXPECT_EQ(r.min_down, 1U);
}

TEST(AspaVectors, Vector63AsSetInTheMiddle) {
  const auto table = table_of(kS1);
  auto path = wire::parse_as_path_text("65546 {65543} 65541");
  ASSERT_TRUE(path.has_value());
  for (const auto d : {Up, Down}) {
    const auto verdict = verify(table, *path, {d, base::Asn(F)});
    EXPECT_EQ(verdict.state, I) << "vector 63 " << direction_name(d);
    EXPECT_EQ(verdict.reason, AspaReason::AsSet) << "vector 63 " << direction_name(d);
  }
}

TEST(AspaVectors, Vector64NeighborMismatch) {
  const auto table = table_of(kS1);
  const auto verdict = verify(table, sequence({E, B}), {Up, base::Asn(64999)});
  EXPECT_EQ(verdict.state, I) << "vector 64";
  EXPECT_EQ(verdict.reason, AspaReason::NeighborMismatch) << "vector 64";
}

TEST(AspaVectors, Vector65RouteServerClientSkipsNeighborCheck) {
  // An RS client receiving from a transparent route server (AS 64999, not in the path).
  const auto table = table_of(kS1);
  const auto verdict = verify(table, sequence({E, B}), {Up, std::nullopt});
  EXPECT_EQ(verdict.state, V) << "vector 65";
}

TEST(AspaVectors, Vector66EmptyTable) {
  const AspaTable empty;
  EXPECT_EQ(verify(empty, sequence({64500, 64501, 64502}), {Up, base::Asn(64500)}).state, U)
      << "vector 66";
  EXPECT_EQ(verify(empty, sequence({64500}), {Up, base::Asn(64500)}).state, V)
      << "vector 66, one AS upstream";
  EXPECT_EQ(verify(empty, sequence({64500, 64501}), {Down, base::Asn(64500)}).state, V)
      << "vector 66, two ASes downstream";
}

}  // namespace
}  // namespace bgpsecd::aspa
