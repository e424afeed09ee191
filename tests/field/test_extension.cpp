// BabyBear4 = F_p[X]/(X^4 - 11) against an independent model: coefficients as plain integers
// mod p, schoolbook product into 7 coefficients, then X^(4+k) = 11 X^k.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <random>

#include "field_test_util.hpp"

namespace tessera {
namespace {

using test::kP;
using Poly = std::array<uint64_t, 4>;  // canonical coefficients in [0, p)

Poly to_poly(const BabyBear4& a) {
  return {a.coeff(0).as_u32(), a.coeff(1).as_u32(), a.coeff(2).as_u32(), a.coeff(3).as_u32()};
}
BabyBear4 from_poly(const Poly& c) {
  return BabyBear4(BabyBear::from_u64(c[0]), BabyBear::from_u64(c[1]), BabyBear::from_u64(c[2]),
                   BabyBear::from_u64(c[3]));
}
Poly naive_mul(const Poly& a, const Poly& b) {
  std::array<uint64_t, 7> prod{};
  for (int i = 0; i < 4; ++i) {
    for (int j = 0; j < 4; ++j) prod[i + j] = (prod[i + j] + a[i] * b[j] % kP) % kP;
  }
  for (int k = 6; k >= 4; --k) prod[k - 4] = (prod[k - 4] + 11 * prod[k]) % kP;
  return {prod[0], prod[1], prod[2], prod[3]};
}
Poly random_poly(std::mt19937_64& rng) {
  return {rng() % kP, rng() % kP, rng() % kP, rng() % kP};
}

// a^(p^4 - 2) = a^-1 (Lagrange in F_{p^4}*), computed with 64-bit exponents only:
// p^4 - 2 = (p-1) p^3 + (p-1) p^2 + (p-1) p + (p-2), evaluated by Horner in base p.
BabyBear4 inverse_by_fermat(const BabyBear4& a) {
  BabyBear4 r = BabyBear4::one();
  for (uint64_t digit : {kP - 1, kP - 1, kP - 1, kP - 2}) r = r.pow(kP) * a.pow(digit);
  return r;
}

TEST(BabyBear4, MultiplicationMatchesNaivePolynomialProduct) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 5000; ++i) {
    const Poly a = random_poly(rng), b = random_poly(rng);
    ASSERT_EQ(to_poly(from_poly(a) * from_poly(b)), naive_mul(a, b));
  }
  // Extremes: every coefficient p - 1.
  const Poly m = {kP - 1, kP - 1, kP - 1, kP - 1};
  EXPECT_EQ(to_poly(from_poly(m) * from_poly(m)), naive_mul(m, m));
}

TEST(BabyBear4, AdditionAndScalarOperationsAreCoefficientwise) {
  std::mt19937_64 rng(8);
  for (int i = 0; i < 1000; ++i) {
    const Poly a = random_poly(rng), b = random_poly(rng);
    const uint64_t s = rng() % kP;
    const Poly sum = to_poly(from_poly(a) + from_poly(b));
    const Poly diff = to_poly(from_poly(a) - from_poly(b));
    const Poly scaled = to_poly(from_poly(a) * BabyBear::from_u64(s));
    const Poly shifted = to_poly(from_poly(a) + BabyBear::from_u64(s));
    for (int k = 0; k < 4; ++k) {
      EXPECT_EQ(sum[k], (a[k] + b[k]) % kP);
      EXPECT_EQ(diff[k], (a[k] + kP - b[k]) % kP);
      EXPECT_EQ(scaled[k], a[k] * s % kP);
      EXPECT_EQ(shifted[k], k == 0 ? (a[0] + s) % kP : a[k]);
    }
    EXPECT_EQ(BabyBear::from_u64(s) * from_poly(a), from_poly(a) * BabyBear::from_u64(s));
  }
}

TEST(BabyBear4, XGeneratesAndSatisfiesItsMinimalPolynomial) {
  const BabyBear4 x = BabyBear4::x();
  EXPECT_EQ(to_poly(x.square()), (Poly{0, 0, 1, 0}));
  EXPECT_EQ(to_poly(x.pow(3)), (Poly{0, 0, 0, 1}));
  EXPECT_EQ(to_poly(x.pow(4)), (Poly{11, 0, 0, 0}));
  EXPECT_EQ(to_poly(x.pow(5)), (Poly{0, 11, 0, 0}));
  // 11 is a non-square in F_p (Euler's criterion), which makes X^4 - 11 irreducible (p = 1 mod 4).
  EXPECT_EQ(BabyBear::from_u32(11).pow((kP - 1) / 2), -BabyBear::one());
  EXPECT_EQ(kP % 4, 1u);
}

TEST(BabyBear4, InverseTwoWays) {
  std::mt19937_64 rng(9);
  for (int i = 0; i < 2000; ++i) {
    const BabyBear4 a = test::random_nonzero<BabyBear4>(rng);
    EXPECT_EQ(a * a.inverse(), BabyBear4::one());
  }
  for (int i = 0; i < 8; ++i) {
    const BabyBear4 a = test::random_nonzero<BabyBear4>(rng);
    EXPECT_EQ(inverse_by_fermat(a), a.inverse());
  }
  // Sparse elements exercise the tower formula's special cases.
  const BabyBear one = BabyBear::one(), zero = BabyBear::zero();
  for (const BabyBear4& a :
       {BabyBear4(zero, one, zero, zero), BabyBear4(zero, zero, one, zero),
        BabyBear4(zero, zero, zero, one), BabyBear4(BabyBear::from_u32(5), zero, zero, zero),
        BabyBear4(one, one, zero, zero), BabyBear4(zero, one, zero, one)}) {
    EXPECT_EQ(a * a.inverse(), BabyBear4::one());
    EXPECT_EQ(inverse_by_fermat(a), a.inverse());
  }
  EXPECT_EQ(BabyBear4::zero().inverse(), BabyBear4::zero());
}

TEST(BabyBear4, FrobeniusIsAFieldAutomorphismOfOrderFour) {
  std::mt19937_64 rng(10);
  const auto frob = [](const BabyBear4& a) { return a.pow(kP); };
  for (int i = 0; i < 50; ++i) {
    const BabyBear4 a = test::random_element<BabyBear4>(rng);
    const BabyBear4 b = test::random_element<BabyBear4>(rng);
    EXPECT_EQ(frob(a + b), frob(a) + frob(b));
    EXPECT_EQ(frob(a * b), frob(a) * frob(b));
    EXPECT_EQ(frob(frob(frob(frob(a)))), a);
    const BabyBear c = BabyBear::from_u64(rng());
    EXPECT_EQ(frob(BabyBear4(c)), BabyBear4(c));  // fixes the base field
  }
  // X^p = 11^((p-1)/4) X, and 11^((p-1)/4) is a primitive 4th root of unity, so Frobenius moves X.
  const BabyBear4 xp = frob(BabyBear4::x());
  EXPECT_NE(xp, BabyBear4::x());
  EXPECT_EQ(xp, BabyBear4::x() * BabyBear::from_u32(11).pow((kP - 1) / 4));
}

TEST(BabyBear4, PredicatesAndEmbedding) {
  const BabyBear c = BabyBear::from_u32(123);
  EXPECT_TRUE(BabyBear4(c).is_base());
  EXPECT_FALSE(BabyBear4::x().is_base());
  EXPECT_TRUE(BabyBear4::zero().is_zero());
  EXPECT_FALSE(BabyBear4::one().is_zero());
  EXPECT_EQ(BabyBear4(c) * BabyBear4(c), BabyBear4(c * c));
  EXPECT_EQ(BabyBear4(c).inverse(), BabyBear4(c.inverse()));
}

}  // namespace
}  // namespace tessera
