// Field axioms for BabyBear and BabyBear4 on seeded random values.
#include <gtest/gtest.h>

#include <type_traits>

#include "field_test_util.hpp"

namespace tessera {
namespace {

using test::random_element;
using test::random_nonzero;

template <typename F>
class FieldAxioms : public ::testing::Test {
 protected:
  std::mt19937_64 rng{0x7e55e7a0u};
  static constexpr int kTrials = 2000;
  F draw() { return random_element<F>(rng); }
};

using FieldTypes = ::testing::Types<BabyBear, BabyBear4>;
TYPED_TEST_SUITE(FieldAxioms, FieldTypes);

TYPED_TEST(FieldAxioms, AdditionIsAnAbelianGroup) {
  using F = TypeParam;
  for (int i = 0; i < this->kTrials; ++i) {
    const F a = this->draw(), b = this->draw(), c = this->draw();
    EXPECT_EQ((a + b) + c, a + (b + c));
    EXPECT_EQ(a + b, b + a);
    EXPECT_EQ(a + F::zero(), a);
    EXPECT_EQ(a + (-a), F::zero());
    EXPECT_EQ(a - b, a + (-b));
    EXPECT_EQ((a - b) + b, a);
    EXPECT_EQ(-(-a), a);
  }
}

TYPED_TEST(FieldAxioms, MultiplicationIsCommutativeAssociativeWithOne) {
  using F = TypeParam;
  for (int i = 0; i < this->kTrials; ++i) {
    const F a = this->draw(), b = this->draw(), c = this->draw();
    EXPECT_EQ((a * b) * c, a * (b * c));
    EXPECT_EQ(a * b, b * a);
    EXPECT_EQ(a * F::one(), a);
    EXPECT_EQ(a * F::zero(), F::zero());
    EXPECT_EQ(a.square(), a * a);
    EXPECT_EQ((-a) * b, -(a * b));
  }
}

TYPED_TEST(FieldAxioms, Distributivity) {
  using F = TypeParam;
  for (int i = 0; i < this->kTrials; ++i) {
    const F a = this->draw(), b = this->draw(), c = this->draw();
    EXPECT_EQ(a * (b + c), a * b + a * c);
    EXPECT_EQ((a + b) * c, a * c + b * c);
    EXPECT_EQ(a * (b - c), a * b - a * c);
  }
}

TYPED_TEST(FieldAxioms, EveryNonZeroElementHasAnInverse) {
  using F = TypeParam;
  for (int i = 0; i < this->kTrials; ++i) {
    const F a = random_nonzero<F>(this->rng), b = random_nonzero<F>(this->rng);
    const F inv = a.inverse();
    EXPECT_EQ(a * inv, F::one());
    EXPECT_EQ(inv.inverse(), a);
    EXPECT_EQ((a * b).inverse(), inv * b.inverse());
  }
  EXPECT_EQ(F::one().inverse(), F::one());
  EXPECT_EQ((-F::one()).inverse(), -F::one());
  EXPECT_EQ(F::zero().inverse(), F::zero());  // documented convention of inverse()
}

TYPED_TEST(FieldAxioms, ZeroAndOneAreDistinctAndBehave) {
  using F = TypeParam;
  EXPECT_NE(F::zero(), F::one());
  EXPECT_TRUE(F::zero().is_zero());
  EXPECT_FALSE(F::one().is_zero());
  EXPECT_EQ(F::one() + F::one(), F::one() * (F::one() + F::one()));
  EXPECT_EQ(-F::zero(), F::zero());
  EXPECT_EQ(F(), F::zero());  // value-initialised elements are zero
}

TYPED_TEST(FieldAxioms, PowMatchesRepeatedMultiplicationAndExponentLaws) {
  using F = TypeParam;
  for (int i = 0; i < 200; ++i) {
    const F a = this->draw();
    F acc = F::one();
    for (uint64_t e = 0; e < 40; ++e) {
      EXPECT_EQ(a.pow(e), acc) << "e=" << e;
      acc *= a;
    }
    const uint64_t e1 = this->rng() >> 2, e2 = this->rng() >> 2;
    EXPECT_EQ(a.pow(e1 + e2), a.pow(e1) * a.pow(e2));
    EXPECT_EQ(a.pow(e1 % 100000).pow(e2 % 100000), a.pow((e1 % 100000) * (e2 % 100000)));
  }
  EXPECT_EQ(F::zero().pow(0), F::one());
  EXPECT_EQ(F::zero().pow(5), F::zero());
}

TYPED_TEST(FieldAxioms, LagrangeOrderOfTheMultiplicativeGroup) {
  using F = TypeParam;
  // |F*| = p - 1 for BabyBear, p^4 - 1 for the extension; a^|F*| = 1. For the extension, check
  // a^(p^4-1) through Horner in base p: p^4 - 1 = (p-1)(p^3 + p^2 + p + 1).
  for (int i = 0; i < 20; ++i) {
    const F a = random_nonzero<F>(this->rng);
    F r = a;
    if constexpr (std::is_same_v<F, BabyBear>) {
      r = a.pow(test::kP - 1);
    } else {
      const F b = a.pow(test::kP - 1);
      F x = b;  // b^(p^3 + p^2 + p + 1) by Horner: x <- x^p * b
      for (int k = 0; k < 3; ++k) x = x.pow(test::kP) * b;
      r = x;
    }
    EXPECT_EQ(r, F::one());
  }
}

}  // namespace
}  // namespace tessera
