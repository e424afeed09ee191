// BabyBear specifics: canonical form at the edges, agreement with plain integer arithmetic
// modulo p (independent of the Montgomery representation), and the two-adic root table.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <set>

#include "common/error.hpp"
#include "field/field_ops.hpp"
#include "field_test_util.hpp"

namespace tessera {
namespace {

using test::kP;

TEST(BabyBear, Constants) {
  EXPECT_EQ(kP, 2013265921u);
  EXPECT_EQ(kP, (uint64_t{1} << 31) - (uint64_t{1} << 27) + 1);
  EXPECT_EQ((kP - 1) % (uint64_t{1} << BabyBear::kTwoAdicity), 0u);
  EXPECT_NE(((kP - 1) >> BabyBear::kTwoAdicity) % 2, 0u);  // two-adicity exactly 27
  EXPECT_EQ(BabyBear::one().as_u32(), 1u);
  EXPECT_EQ(BabyBear::two().as_u32(), 2u);
  EXPECT_EQ(BabyBear::zero().as_u32(), 0u);
}

TEST(BabyBear, GeneratorGeneratesTheMultiplicativeGroup) {
  // p - 1 = 2^27 * 3 * 5: g generates F_p* iff g^((p-1)/q) != 1 for q in {2, 3, 5}.
  const BabyBear g = BabyBear::from_u32(BabyBear::kGenerator);
  EXPECT_EQ(g.pow(kP - 1), BabyBear::one());
  for (uint64_t q : {2u, 3u, 5u}) EXPECT_NE(g.pow((kP - 1) / q), BabyBear::one()) << q;
}

TEST(BabyBear, CanonicalFormAtTheEdges) {
  EXPECT_EQ(BabyBear::from_u32(0).as_u32(), 0u);
  EXPECT_EQ(BabyBear::from_u32(kP - 1).as_u32(), kP - 1);
  EXPECT_EQ(BabyBear::from_u32(kP), BabyBear::zero());
  EXPECT_EQ(BabyBear::from_u32(kP + 1), BabyBear::one());
  const uint32_t max32 = std::numeric_limits<uint32_t>::max();
  EXPECT_EQ(BabyBear::from_u32(max32).as_u32(), max32 % kP);
  const uint64_t max64 = std::numeric_limits<uint64_t>::max();
  EXPECT_EQ(BabyBear::from_u64(max64).as_u32(), max64 % kP);
  EXPECT_EQ(BabyBear::from_u64(kP * kP).as_u32(), 0u);
  EXPECT_EQ(BabyBear::from_u64(kP * 12345 + 7).as_u32(), 7u);
  EXPECT_EQ(BabyBear::from_i64(-1).as_u32(), kP - 1);
  EXPECT_EQ(BabyBear::from_i64(-static_cast<int64_t>(kP)), BabyBear::zero());
  EXPECT_EQ(BabyBear::from_i64(static_cast<int64_t>(kP)), BabyBear::zero());
  EXPECT_EQ(BabyBear::from_i64(0), BabyBear::zero());
  // INT64_MIN = -2^63: 2^63 mod p by repeated doubling in plain integers.
  uint64_t two63 = 1;
  for (int i = 0; i < 63; ++i) two63 = (two63 * 2) % kP;
  EXPECT_EQ(BabyBear::from_i64(std::numeric_limits<int64_t>::min()).as_u32(), (kP - two63) % kP);
  EXPECT_EQ(BabyBear::from_i64(std::numeric_limits<int64_t>::max()).as_u32(),
            static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) % kP);
  // p - 1 = -1: its square is 1, it is its own inverse, and (p-1) + 1 wraps to 0.
  const BabyBear m1 = BabyBear::from_u32(kP - 1);
  EXPECT_EQ(m1, -BabyBear::one());
  EXPECT_EQ(m1 * m1, BabyBear::one());
  EXPECT_EQ(m1 + BabyBear::one(), BabyBear::zero());
  EXPECT_EQ(BabyBear::zero() - BabyBear::one(), m1);
}

TEST(BabyBear, AgreesWithIntegerArithmeticModP) {
  std::mt19937_64 rng(42);
  for (int i = 0; i < 20000; ++i) {
    const uint64_t x = rng(), y = rng();
    const BabyBear a = BabyBear::from_u64(x), b = BabyBear::from_u64(y);
    const uint64_t xa = x % kP, yb = y % kP;
    ASSERT_EQ(a.as_u32(), xa);
    ASSERT_EQ((a + b).as_u32(), (xa + yb) % kP);
    ASSERT_EQ((a - b).as_u32(), (xa + kP - yb) % kP);
    ASSERT_EQ((a * b).as_u32(), (xa * yb) % kP);
    ASSERT_EQ((-a).as_u32(), (kP - xa) % kP);
    ASSERT_EQ(BabyBear::from_raw(a.raw()), a);
    ASSERT_LT(a.raw(), kP);  // the Montgomery word is canonical too
    const int64_t s = static_cast<int64_t>(rng());
    const uint64_t mag = s < 0 ? static_cast<uint64_t>(-(s + 1)) + 1 : static_cast<uint64_t>(s);
    ASSERT_EQ(BabyBear::from_i64(s).as_u32(), s < 0 ? (kP - mag % kP) % kP : mag % kP);
  }
}

TEST(BabyBear, TwoAdicGeneratorsArePrimitiveAndNested) {
  for (uint32_t k = 0; k <= BabyBear::kTwoAdicity; ++k) {
    const BabyBear g = BabyBear::two_adic_generator(k);
    EXPECT_EQ(g.pow(uint64_t{1} << k), BabyBear::one()) << "k=" << k;
    if (k > 0) {
      EXPECT_NE(g.pow(uint64_t{1} << (k - 1)), BabyBear::one()) << "k=" << k;
      EXPECT_EQ(g.pow(uint64_t{1} << (k - 1)), -BabyBear::one()) << "k=" << k;
    } else {
      EXPECT_EQ(g, BabyBear::one());
    }
    if (k < BabyBear::kTwoAdicity) {
      EXPECT_EQ(BabyBear::two_adic_generator(k + 1).square(), g) << "k=" << k;
    }
    EXPECT_EQ(two_adic_generator_inverse(k) * g, BabyBear::one());
  }
  EXPECT_THROW(two_adic_generator_inverse(BabyBear::kTwoAdicity + 1), Error);
}

TEST(BabyBear, TwoAdicSubgroupAndCoset) {
  for (uint32_t k = 0; k <= 10; ++k) {
    const auto h = two_adic_subgroup(k);
    ASSERT_EQ(h.size(), size_t{1} << k);
    std::set<uint32_t> distinct;
    for (const BabyBear x : h) {
      distinct.insert(x.as_u32());
      EXPECT_EQ(x.pow(uint64_t{1} << k), BabyBear::one());
    }
    EXPECT_EQ(distinct.size(), h.size()) << "k=" << k;
    const BabyBear shift = BabyBear::from_u32(BabyBear::kGenerator);
    const auto coset = two_adic_coset(k, shift);
    ASSERT_EQ(coset.size(), h.size());
    for (size_t i = 0; i < h.size(); ++i) EXPECT_EQ(coset[i], shift * h[i]);
  }
  try {
    two_adic_subgroup(28);
    FAIL() << "expected InvalidArgument";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
  }
}

}  // namespace
}  // namespace tessera
