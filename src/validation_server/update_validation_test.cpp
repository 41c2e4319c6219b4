// SPDX-License-Identifier: BSD-2-Clause
// The SRx results of an update (origin, path with the RFC 8608 examples, ASPA) and the updates
// an RPKI change affects.
#include "validation_server/update_validation.hpp"

#include <optional>
#include <vector>

#include <gtest/gtest.h>

#include "validation_server/validation_test_support.hpp"

namespace bgpsecd::validation_server {
namespace {

using bgpsec::testing::kAs64496;
using bgpsec::testing::kAs65536;
using srx::SrxResult;
using testing::example_key_entries;
using testing::example_update;
using testing::load;
using testing::vrp;

struct Delivered {
  std::uint32_t id = 0;
  ResultType type = ResultType::Origin;
  SrxResult result = SrxResult::Undefined;
  std::uint64_t generation = 0;
  friend bool operator==(const Delivered&, const Delivered&) = default;
};

// The signature step run inline, counting how often validation got that far.
class Harness {
 public:
  Harness()
      : validation_(rpki_, [this](rib::StoredBgpsecPath path, base::Prefix prefix,
                                  std::uint8_t safi, base::Asn own_as, rpki::SnapshotPtr rpki,
                                  std::function<void(const bgpsec::PathValidation&)> done) {
          ++path_checks_;
          inline_(std::move(path), prefix, safi, own_as, std::move(rpki), std::move(done));
        }) {}

  rpki::RpkiStore& rpki() { return rpki_; }
  UpdateValidation& validation() { return validation_; }
  [[nodiscard]] int path_checks() const { return path_checks_; }

  std::vector<Delivered> run(const UpdateContent& content, std::uint8_t types, std::uint32_t id = 7,
                             std::uint64_t generation = 1) {
    std::vector<Delivered> out;
    validation_.validate(id, content, types, generation,
                         [&out](std::uint32_t i, ResultType t, SrxResult r, std::uint64_t g) {
                           out.push_back(Delivered{i, t, r, g});
                         });
    return out;
  }
  // The one result of `type` computed for `content`.
  std::optional<SrxResult> result(const UpdateContent& content, ResultType type) {
    const auto all = run(content, static_cast<std::uint8_t>(type));
    if (all.size() != 1 || all[0].type != type) {
      ADD_FAILURE() << "expected exactly one result of the type asked for";
      return std::nullopt;
    }
    return all[0].result;
  }

 private:
  rpki::RpkiStore rpki_;
  PathCheck inline_ = inline_path_check(bgpsec::default_signature_verifier());
  int path_checks_ = 0;
  UpdateValidation validation_;
};

UpdateContent route(const std::string& prefix, std::uint32_t origin) {
  UpdateContent content;
  content.prefix = base::Prefix::parse(prefix).value();
  content.origin_as = origin;
  content.as_path = {64500, origin};
  content.as_type = testing::kAsSequence;
  return content;
}

// ===== origin (RFC 6811 §2) =====

TEST(UpdateOrigin, ValidNotFoundInvalid) {
  Harness h;
  load(h.rpki(), {vrp("192.0.2.0/24", 24, 64496)}, {});
  EXPECT_EQ(h.result(route("192.0.2.0/24", 64496), ResultType::Origin), SrxResult::Valid);
  EXPECT_EQ(h.result(route("192.0.2.0/24", 64497), ResultType::Origin), SrxResult::Invalid);
  EXPECT_EQ(h.result(route("198.51.100.0/24", 64496), ResultType::Origin), SrxResult::NotFound);
}

TEST(UpdateOrigin, CoveringVrpDecidesAndMoreSpecificOneDoesNot) {
  Harness h;
  // A VRP for a more-specific prefix does not cover the route; the covering /16 does.
  load(h.rpki(), {vrp("10.0.0.0/16", 24, 64496), vrp("192.0.2.0/25", 25, 64496)}, {});
  EXPECT_EQ(h.result(route("10.0.5.0/24", 64496), ResultType::Origin), SrxResult::Valid);
  EXPECT_EQ(h.result(route("10.0.5.0/24", 64499), ResultType::Origin), SrxResult::Invalid);
  EXPECT_EQ(h.result(route("192.0.2.0/24", 64496), ResultType::Origin), SrxResult::NotFound);
}

TEST(UpdateOrigin, MaxLengthBoundsTheMatch) {
  Harness h;
  load(h.rpki(), {vrp("10.0.0.0/16", 20, 64496), vrp("2001:db8::/32", 48, 64496)}, {});
  EXPECT_EQ(h.result(route("10.0.16.0/20", 64496), ResultType::Origin), SrxResult::Valid);
  EXPECT_EQ(h.result(route("10.0.16.0/21", 64496), ResultType::Origin), SrxResult::Invalid);
  EXPECT_EQ(h.result(route("2001:db8:1::/48", 64496), ResultType::Origin), SrxResult::Valid);
  EXPECT_EQ(h.result(route("2001:db8:1:1::/64", 64496), ResultType::Origin), SrxResult::Invalid);
}

TEST(UpdateOrigin, AsZeroNeverMatches) {
  Harness h;
  load(h.rpki(), {vrp("192.0.2.0/24", 24, 0)}, {});
  EXPECT_EQ(h.result(route("192.0.2.0/24", 0), ResultType::Origin), SrxResult::Invalid);
}

// ===== path (RFC 8205 §5.2) =====

class UpdatePathExample : public ::testing::TestWithParam<std::size_t> {};

TEST_P(UpdatePathExample, Rfc8608ExampleIsValidAtAs65537) {
  Harness h;
  load(h.rpki(), {}, example_key_entries());
  EXPECT_EQ(h.result(example_update(GetParam()), ResultType::Path), SrxResult::Valid);
  EXPECT_EQ(h.path_checks(), 1);
}

TEST_P(UpdatePathExample, AnotherLocalAsIsInvalid) {
  Harness h;
  load(h.rpki(), {}, example_key_entries());
  auto update = example_update(GetParam());
  update.local_as = 65538;  // the newest signature targets 65537
  EXPECT_EQ(h.result(update, ResultType::Path), SrxResult::Invalid);
}

TEST_P(UpdatePathExample, BadSignatureIsInvalid) {
  Harness h;
  load(h.rpki(), {}, example_key_entries());
  auto update = example_update(GetParam());
  update.bgpsec_attribute.back() ^= 0x01;  // the last octet of the origin's signature
  EXPECT_EQ(h.result(update, ResultType::Path), SrxResult::Invalid);
  EXPECT_EQ(h.path_checks(), 1);
}

TEST_P(UpdatePathExample, UnknownKeyIsInvalid) {
  Harness h;
  // Only the origin's key: AS 65536's signature has no key (RFC 8205 §5.2).
  load(h.rpki(), {}, {example_key_entries()[0]});
  EXPECT_EQ(h.result(example_update(GetParam()), ResultType::Path), SrxResult::Invalid);
}

INSTANTIATE_TEST_SUITE_P(Ipv4AndIpv6, UpdatePathExample, ::testing::Values(0U, 1U));

TEST(UpdatePath, NoAttributeIsInvalidWithoutACheck) {
  Harness h;
  load(h.rpki(), {}, example_key_entries());
  auto update = example_update(0);
  update.bgpsec_attribute.clear();
  EXPECT_EQ(h.result(update, ResultType::Path), SrxResult::Invalid);
  EXPECT_EQ(h.path_checks(), 0);
}

// RFC 8374 §8.2: the cheap checks come first; a failure is Invalid and costs no crypto.
TEST(UpdatePath, CheapCheckFailuresNeverReachThePathCheck) {
  Harness h;
  load(h.rpki(), {}, example_key_entries());
  std::vector<std::pair<const char*, UpdateContent>> cases;
  auto update = example_update(0);
  update.bgpsec_attribute[0] = 0xD0;  // #1: Transitive set
  cases.emplace_back("transitive flag", update);
  update = example_update(0);
  update.bgpsec_attribute[0] = 0x10;  // #1: Optional clear
  cases.emplace_back("optional flag clear", update);
  update = example_update(0);
  update.bgpsec_attribute.pop_back();  // the attribute length overruns the bytes
  cases.emplace_back("truncated", update);
  update = example_update(0);
  update.bgpsec_attribute[5] = 0x0F;  // Secure_Path length 0x000F (RFC 8608 matrix row 6)
  cases.emplace_back("secure path length", update);
  update = example_update(0);
  update.safi = 2;  // #12: unicast only
  cases.emplace_back("multicast", update);
  update = example_update(0);
  update.bgpsec_attribute[7] = 0x80;  // newest segment: Confed_Segment from outside (#10)
  cases.emplace_back("confed segment", update);
  update = example_update(0);
  const base::Bytes origin_attr = {0x40, 0x01, 0x01, 0x00};
  update.bgpsec_attribute.insert(update.bgpsec_attribute.end(), origin_attr.begin(),
                                 origin_attr.end());
  cases.emplace_back("a second attribute after it", update);
  update = example_update(0);
  update.bgpsec_attribute = origin_attr;
  cases.emplace_back("not a BGPsec_PATH", update);
  for (const auto& [what, content] : cases) {
    EXPECT_EQ(h.result(content, ResultType::Path), SrxResult::Invalid) << what;
    EXPECT_FALSE(checked_update_path(content).has_value()) << what;
  }
  EXPECT_EQ(h.path_checks(), 0);
}

TEST(UpdatePath, ResultArrivesWhenThePathCheckCallsBack) {
  rpki::RpkiStore store;
  load(store, {}, example_key_entries());
  std::function<void()> pending;
  base::Asn seen_own_as;
  UpdateValidation validation(
      store,
      [&](rib::StoredBgpsecPath path, base::Prefix prefix, std::uint8_t safi, base::Asn own_as,
          rpki::SnapshotPtr rpki, std::function<void(const bgpsec::PathValidation&)> done) {
        seen_own_as = own_as;
        pending = [=] {
          inline_path_check(bgpsec::default_signature_verifier())(path, prefix, safi, own_as, rpki,
                                                                  done);
        };
      });
  std::vector<Delivered> out;
  validation.validate(42, example_update(0), kValidationBits, 9,
                      [&out](std::uint32_t i, ResultType t, SrxResult r, std::uint64_t g) {
                        out.push_back(Delivered{i, t, r, g});
                      });
  // Origin (no VRPs: NotFound) and ASPA at once, the path result once the check finishes.
  EXPECT_EQ(out, (std::vector<Delivered>{{42, ResultType::Origin, SrxResult::NotFound, 9},
                                         {42, ResultType::Aspa, SrxResult::Unknown, 9}}));
  EXPECT_EQ(seen_own_as, bgpsec::testing::kAs65537);
  ASSERT_TRUE(pending);
  // The check uses the snapshot of the request, not a later one.
  load(store, {}, {});
  pending();
  ASSERT_EQ(out.size(), 3U);
  EXPECT_EQ(out[2], (Delivered{42, ResultType::Path, SrxResult::Valid, 9}));
}

TEST(UpdatePath, NoSupportedSuiteIsInvalid) {
  bgpsec::PathValidation unverifiable;
  unverifiable.state = bgpsec::PathState::Unverifiable;
  EXPECT_EQ(path_result(unverifiable), SrxResult::Invalid);
}

// ===== ASPA (no ASPA data yet) and the types asked for =====

TEST(UpdateAspa, UnknownForAsSequenceUnverifiableOtherwise) {
  Harness h;
  auto update = route("192.0.2.0/24", 64496);
  EXPECT_EQ(h.result(update, ResultType::Aspa), SrxResult::Unknown);
  for (const std::uint8_t as_type :
       {std::uint8_t{0}, std::uint8_t{1}, std::uint8_t{3}, std::uint8_t{4}}) {
    update.as_type = as_type;
    EXPECT_EQ(h.result(update, ResultType::Aspa), SrxResult::Unverifiable) << int{as_type};
  }
}

TEST(UpdateValidationTypes, OnlyTheTypesAskedFor) {
  Harness h;
  load(h.rpki(), {vrp("192.0.2.0/24", 24, 64496)}, example_key_entries());
  EXPECT_TRUE(h.run(example_update(0), 0).empty());
  EXPECT_TRUE(h.run(example_update(0), srx::kFlagReceipt).empty());
  const auto both = h.run(example_update(0), srx::kFlagOrigin | srx::kFlagPath, 3, 5);
  EXPECT_EQ(both, (std::vector<Delivered>{{3, ResultType::Origin, SrxResult::Valid, 5},
                                          {3, ResultType::Path, SrxResult::Valid, 5}}));
}

// ===== which updates an RPKI change affects (RFC 8374 §9.2) =====

rpki::ChangeSet vrps_added(std::vector<rpki::VrpEntry> vrps) {
  rpki::ChangeSet change;
  change.vrps_added = std::move(vrps);
  return change;
}

TEST(UpdateAffected, VrpChangesReachTheUpdatesTheyCover) {
  Harness h;
  auto& v = h.validation();
  v.track(1, route("192.0.2.0/24", 64496));
  v.track(2, route("198.51.100.0/24", 64496));
  v.track(3, route("192.0.2.128/25", 64496));
  v.track(4, route("192.0.2.0/24", 64499));  // the same prefix from another origin
  v.track(5, route("2001:db8::/32", 64496));
  EXPECT_EQ(v.tracked(), 5U);

  EXPECT_EQ(v.affected(vrps_added({vrp("192.0.2.0/24", 24, 64496)})).origin,
            (std::vector<std::uint32_t>{1, 3, 4}));
  // A more-specific VRP covers neither the /24 nor the other half.
  EXPECT_TRUE(v.affected(vrps_added({vrp("192.0.2.0/25", 25, 64496)})).origin.empty());
  rpki::ChangeSet removed;
  removed.vrps_removed = {vrp("192.0.0.0/16", 24, 1), vrp("198.51.100.0/24", 24, 1)};
  EXPECT_EQ(v.affected(removed).origin, (std::vector<std::uint32_t>{1, 2, 3, 4}));
  EXPECT_EQ(v.affected(vrps_added({vrp("::/0", 128, 1)})).origin, (std::vector<std::uint32_t>{5}));
  EXPECT_TRUE(v.affected(vrps_added({vrp("203.0.113.0/24", 24, 1)})).origin.empty());
  EXPECT_TRUE(v.affected(removed).path.empty());

  v.forget(3);
  v.forget(3);                                 // unknown: nothing
  v.track(4, route("203.0.113.0/24", 64499));  // replaced: indexed under the new prefix only
  EXPECT_EQ(v.affected(removed).origin, (std::vector<std::uint32_t>{1, 2}));
  EXPECT_EQ(v.affected(vrps_added({vrp("203.0.113.0/24", 24, 1)})).origin,
            (std::vector<std::uint32_t>{4}));
  EXPECT_EQ(v.tracked(), 4U);
}

TEST(UpdateAffected, KeyChangesReachThePathsSignedWithThem) {
  Harness h;
  auto& v = h.validation();
  v.track(10, example_update(0));
  v.track(11, example_update(1));
  v.track(12, route("192.0.2.0/24", 64496));  // unsigned
  auto malformed = example_update(0);
  malformed.bgpsec_attribute[0] = 0xD0;  // never valid, whatever the keys
  v.track(13, malformed);

  const auto transit = bgpsec::testing::example_private_key(1).public_key();
  const auto other = bgpsec::testing::example_private_key(0).public_key();
  rpki::ChangeSet change;
  change.keys_added = {testing::key_entry(kAs65536, transit)};
  EXPECT_EQ(v.affected(change).path, (std::vector<std::uint32_t>{10, 11}));
  EXPECT_TRUE(v.affected(change).origin.empty());
  change.keys_added.clear();
  change.keys_removed = {testing::key_entry(kAs64496, other)};
  EXPECT_EQ(v.affected(change).path, (std::vector<std::uint32_t>{10, 11}));
  // The SKI under another AS, or another SKI under the AS, names no signature of theirs.
  change.keys_removed = {testing::key_entry(base::Asn(64497), transit),
                         testing::key_entry(kAs65536, other)};
  EXPECT_TRUE(v.affected(change).path.empty());

  v.forget(10);
  change.keys_removed = {testing::key_entry(kAs65536, transit)};
  EXPECT_EQ(v.affected(change).path, (std::vector<std::uint32_t>{11}));
}

}  // namespace
}  // namespace bgpsecd::validation_server
