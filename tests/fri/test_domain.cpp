// TwoAdicDomain against naive definitions: points, next point, vanishing polynomial as a product
// over the points, split/disjoint domains, selectors at a point and on a coset.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "fri/domain.hpp"
#include "fri_test_util.hpp"

namespace tessera {
namespace {

using fri_test::expect_error;
using fri_test::random_ext;

const BabyBear kG = BabyBear::from_u32(BabyBear::kGenerator);

TEST(TwoAdicDomain, PointsAreTheCosetInNaturalOrder) {
  for (uint32_t log_n : {0u, 1u, 3u, 6u}) {
    const TwoAdicDomain d{log_n, BabyBear::from_u32(7)};
    const auto pts = d.points();
    ASSERT_EQ(pts.size(), d.size());
    const BabyBear w = d.generator();
    EXPECT_EQ(w.pow(d.size()), BabyBear::one());
    if (log_n > 0) {
      EXPECT_NE(w.pow(d.size() / 2), BabyBear::one());  // order exactly n
    }
    for (size_t i = 0; i < pts.size(); ++i) {
      EXPECT_EQ(pts[i], BabyBear::from_u32(7) * w.pow(i));
      EXPECT_EQ(d.point(i), pts[i]);
      EXPECT_EQ(d.next_point(BabyBear4(pts[i])), BabyBear4(pts[(i + 1) % pts.size()]));
    }
    EXPECT_EQ(d.first_point(), BabyBear::from_u32(7));
  }
  EXPECT_EQ(TwoAdicDomain::natural(4).shift, BabyBear::one());
  expect_error(ErrorKind::InvalidArgument, [] { TwoAdicDomain::natural(28); });
  expect_error(ErrorKind::InvalidArgument, [] { (void)TwoAdicDomain{28, kG}.generator(); });
}

TEST(TwoAdicDomain, VanishingPolynomialIsTheProductOverThePoints) {
  std::mt19937_64 rng(1);
  for (uint32_t log_n : {0u, 2u, 5u}) {
    for (BabyBear shift : {BabyBear::one(), kG, BabyBear::from_u32(12345)}) {
      const TwoAdicDomain d{log_n, shift};
      const BabyBear4 x = random_ext(rng);
      BabyBear4 prod = BabyBear4::one();
      for (BabyBear p : d.points()) prod *= x - p;
      // prod (x - s w^i) = s^n ((x/s)^n - 1)
      EXPECT_EQ(prod, d.vanishing_at(x) * shift.pow(d.size()));
      for (BabyBear p : d.points()) {
        EXPECT_TRUE(d.vanishing_at(p).is_zero());
        EXPECT_TRUE(d.contains(BabyBear4(p)));
      }
      EXPECT_FALSE(d.contains(x));
    }
  }
}

TEST(TwoAdicDomain, SplitDomainsPartitionTheDomain) {
  const TwoAdicDomain d{5, kG};
  for (size_t chunks : {1u, 2u, 4u, 32u}) {
    const auto parts = d.split_domains(chunks);
    ASSERT_EQ(parts.size(), chunks);
    std::multiset<uint32_t> all;
    for (size_t i = 0; i < chunks; ++i) {
      EXPECT_EQ(parts[i].size(), d.size() / chunks);
      const auto pts = parts[i].points();
      for (size_t j = 0; j < pts.size(); ++j) {
        EXPECT_EQ(pts[j], d.point(i + chunks * j));  // chunk i holds points i, i + k, i + 2k ...
        all.insert(pts[j].as_u32());
      }
    }
    std::multiset<uint32_t> expected;
    for (BabyBear p : d.points()) expected.insert(p.as_u32());
    EXPECT_EQ(all, expected);
  }
  expect_error(ErrorKind::InvalidArgument, [&] { d.split_domains(3); });
  expect_error(ErrorKind::InvalidArgument, [&] { d.split_domains(64); });
  expect_error(ErrorKind::InvalidArgument, [&] { d.split_domains(0); });
}

TEST(TwoAdicDomain, DisjointDomainSharesNoPoint) {
  const TwoAdicDomain trace = TwoAdicDomain::natural(4);
  const TwoAdicDomain quotient = trace.create_disjoint_domain(6);
  EXPECT_EQ(quotient.shift, kG);
  EXPECT_EQ(quotient.log_size, 6u);
  for (BabyBear p : quotient.points()) EXPECT_FALSE(trace.contains(BabyBear4(p)));
  for (BabyBear p : trace.points()) EXPECT_FALSE(quotient.contains(BabyBear4(p)));
  const TwoAdicDomain shifted{3, BabyBear::from_u32(5)};
  EXPECT_EQ(shifted.create_disjoint_domain(3).shift, BabyBear::from_u32(5) * kG);
}

// Naive selectors: Z(x) from the product, u = x / s.
TwoAdicDomain::Selectors naive_selectors(const TwoAdicDomain& d, BabyBear4 x) {
  BabyBear4 prod = BabyBear4::one();
  for (BabyBear p : d.points()) prod *= x - p;
  const BabyBear4 z = prod * d.shift.pow(d.size()).inverse();
  const BabyBear4 u = x * d.shift.inverse();
  const BabyBear last = d.generator().pow(d.size() - 1);  // w^-1
  return {z * (u - BabyBear::one()).inverse(), z * (u - last).inverse(), u - last, z.inverse()};
}

TEST(TwoAdicDomain, SelectorsAtPointMatchTheDefinition) {
  std::mt19937_64 rng(2);
  for (uint32_t log_n : {0u, 1u, 4u}) {
    for (BabyBear shift : {BabyBear::one(), BabyBear::from_u32(99)}) {
      const TwoAdicDomain d{log_n, shift};
      const BabyBear4 x = random_ext(rng);
      const auto s = d.selectors_at_point(x);
      const auto n = naive_selectors(d, x);
      EXPECT_EQ(s.is_first_row, n.is_first_row);
      EXPECT_EQ(s.is_last_row, n.is_last_row);
      EXPECT_EQ(s.is_transition, n.is_transition);
      EXPECT_EQ(s.inv_vanishing, n.inv_vanishing);
      EXPECT_EQ(s.inv_vanishing * d.vanishing_at(x), BabyBear4::one());
    }
  }
  const TwoAdicDomain d = TwoAdicDomain::natural(3);
  expect_error(ErrorKind::InvalidArgument, [&] { d.selectors_at_point(BabyBear4(d.point(2))); });
}

TEST(TwoAdicDomain, SelectorsOnCosetMatchSelectorsAtEachPoint) {
  for (BabyBear shift : {BabyBear::one(), BabyBear::from_u32(3)}) {
    for (uint32_t log_n : {0u, 2u, 3u}) {
      const TwoAdicDomain d{log_n, shift};
      for (uint32_t extra : {0u, 1u, 2u}) {
        const TwoAdicDomain coset = d.create_disjoint_domain(log_n + extra);
        const auto sel = d.selectors_on_coset(coset);
        ASSERT_EQ(sel.is_first_row.size(), coset.size());
        for (size_t j = 0; j < coset.size(); ++j) {
          const auto at = d.selectors_at_point(BabyBear4(coset.point(j)));
          EXPECT_EQ(BabyBear4(sel.is_first_row[j]), at.is_first_row) << j;
          EXPECT_EQ(BabyBear4(sel.is_last_row[j]), at.is_last_row) << j;
          EXPECT_EQ(BabyBear4(sel.is_transition[j]), at.is_transition) << j;
          EXPECT_EQ(BabyBear4(sel.inv_vanishing[j]), at.inv_vanishing) << j;
        }
      }
    }
  }
  // A large coset exercises the parallel paths.
  const TwoAdicDomain d = TwoAdicDomain::natural(14);
  const TwoAdicDomain coset = d.create_disjoint_domain(15);
  const auto sel = d.selectors_on_coset(coset);
  for (size_t j : {size_t{0}, size_t{1}, size_t{12345}, coset.size() - 1}) {
    const auto at = d.selectors_at_point(BabyBear4(coset.point(j)));
    EXPECT_EQ(BabyBear4(sel.is_first_row[j]), at.is_first_row);
    EXPECT_EQ(BabyBear4(sel.inv_vanishing[j]), at.inv_vanishing);
  }
  // Not disjoint, or smaller than the domain: refused.
  expect_error(ErrorKind::InvalidArgument,
               [&] { d.selectors_on_coset(TwoAdicDomain::natural(15)); });
  expect_error(ErrorKind::InvalidArgument,
               [&] { d.selectors_on_coset(d.create_disjoint_domain(13)); });
}

}  // namespace
}  // namespace tessera
