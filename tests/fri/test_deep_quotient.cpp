// The DEEP step: barycentric evaluation on the LDE coset against Horner on the coefficients, and
// the reduced-opening accumulation against its definition.
#include <gtest/gtest.h>

#include "field/field_ops.hpp"
#include "fri/deep_quotient.hpp"
#include "fri_test_util.hpp"
#include "poly/bit_reverse.hpp"

namespace tessera {
namespace {

using fri_test::expect_error;
using fri_test::random_coefficients;
using fri_test::random_ext;

const BabyBear kG = BabyBear::from_u32(BabyBear::kGenerator);

// The bit-reversed LDE on 31 * H_N of the columns of `coeffs`.
RowMajorMatrix<BabyBear> bitrev_lde(const RowMajorMatrix<BabyBear>& coeffs, uint32_t log_blowup) {
  const TwoAdicDomain domain{log2_strict(coeffs.height(), "h"), BabyBear::one()};
  RowMajorMatrix<BabyBear> lde = coset_lde(fri_test::evaluate_on(coeffs, domain), log_blowup, kG);
  bit_reverse_rows(lde);
  return lde;
}

TEST(DeepQuotient, LdePointsAreBitReversedCoset) {
  const auto pts = lde_points_bitrev(5);
  for (size_t i = 0; i < pts.size(); ++i) {
    EXPECT_EQ(pts[i], kG * BabyBear::two_adic_generator(5).pow(reverse_bits(i, 5)));
  }
  // Prefix property: the first 8 points are those of the size-8 coset.
  const auto small = lde_points_bitrev(3);
  for (size_t i = 0; i < small.size(); ++i) EXPECT_EQ(small[i], pts[i]);
}

TEST(DeepQuotient, InterpolationMatchesHorner) {
  std::mt19937_64 rng(4);
  for (uint32_t log_n : {0u, 1u, 5u, 13u}) {
    for (uint32_t log_blowup : {1u, 2u}) {
      const size_t width = log_n == 13 ? 5 : 3;
      const auto coeffs = random_coefficients(rng, log_n, width);
      const auto lde = bitrev_lde(coeffs, log_blowup);
      const uint32_t log_lde = log_n + log_blowup;
      const auto pts = lde_points_bitrev(log_lde);
      const BabyBear4 z = random_ext(rng);
      std::vector<BabyBear4> inv(size_t{1} << log_lde);
      lde_inverse_denominators(pts, z, inv);
      for (size_t i = 0; i < inv.size(); i += 61)
        EXPECT_EQ(inv[i] * (BabyBear4(pts[i]) - z), BabyBear4::one());
      const auto values = interpolate_on_lde_coset(lde, log_n, z, pts, inv);
      ASSERT_EQ(values.size(), width);
      for (size_t c = 0; c < width; ++c) EXPECT_EQ(values[c], fri_test::horner(coeffs, c, z));
    }
  }
}

TEST(DeepQuotient, PointOnTheCosetIsRefused) {
  const auto pts = lde_points_bitrev(4);
  std::vector<BabyBear4> inv(16);
  const std::string msg = expect_error(
      ErrorKind::InvalidArgument, [&] { lde_inverse_denominators(pts, BabyBear4(pts[5]), inv); });
  EXPECT_NE(msg.find("LDE coset"), std::string::npos) << msg;
}

TEST(DeepQuotient, ReducedOpeningsMatchTheDefinition) {
  std::mt19937_64 rng(5);
  for (uint32_t log_n : {2u, 12u}) {
    const size_t width = 7;
    const auto coeffs = random_coefficients(rng, log_n, width);
    const auto lde = bitrev_lde(coeffs, 1);
    const size_t n = lde.height();
    const auto pts = lde_points_bitrev(log_n + 1);
    const BabyBear4 alpha = random_ext(rng);
    const auto alpha_powers = powers(alpha, width);
    const BabyBear4 z1 = random_ext(rng), z2 = random_ext(rng);
    std::vector<BabyBear4> inv1(n), inv2(n);
    lde_inverse_denominators(pts, z1, inv1);
    lde_inverse_denominators(pts, z2, inv2);
    std::vector<BabyBear4> v1(width), v2(width);
    for (size_t c = 0; c < width; ++c) {
      v1[c] = fri_test::horner(coeffs, c, z1);
      v2[c] = fri_test::horner(coeffs, c, z2);
    }
    BabyBear4 r1 = BabyBear4::zero(), r2 = BabyBear4::zero();
    for (size_t c = 0; c < width; ++c) r1 += alpha_powers[c] * v1[c], r2 += alpha_powers[c] * v2[c];
    const BabyBear4 c1 = random_ext(rng), c2 = c1 * alpha.pow(width);
    const ReducedOpeningPoint points[] = {{c1, r1, inv1}, {c2, r2, inv2}};
    std::vector<BabyBear4> acc(n);
    for (auto& a : acc) a = random_ext(rng);
    const auto before = acc;
    reduce_openings_cpu(lde, alpha_powers, points, acc);
    for (size_t i = 0; i < n; i += (n > 64 ? 37 : 1)) {
      // c1 sum_c alpha^c (p_c(x) - p_c(z1)) / (x - z1) + c1 alpha^w sum_c alpha^c (...z2...)
      BabyBear4 expected = before[i];
      for (size_t c = 0; c < width; ++c) {
        expected += c1 * alpha_powers[c] * (BabyBear4(lde.at(i, c)) - v1[c]) * inv1[i];
        expected += c2 * alpha_powers[c] * (BabyBear4(lde.at(i, c)) - v2[c]) * inv2[i];
      }
      EXPECT_EQ(acc[i], expected) << i;
    }
    // The quotient is a polynomial: every column vanishes at z, so (p(x) - p(z)) / (x - z) is
    // exact; its degree < n shows in the LDE: evaluations at x and -x fold consistently. (Covered
    // end to end by the PCS tests.)
  }
  std::vector<BabyBear4> acc(3);
  const RowMajorMatrix<BabyBear> m(2, 4);
  const std::vector<BabyBear4> powers2(2);
  expect_error(ErrorKind::InvalidArgument, [&] { reduce_openings_cpu(m, powers2, {}, acc); });
}

TEST(DeepQuotient, DotExtPowers) {
  std::mt19937_64 rng(6);
  std::vector<BabyBear4> a(300);
  std::vector<BabyBear> v(300);
  BabyBear4 expected = BabyBear4::zero();
  for (size_t i = 0; i < a.size(); ++i) {
    a[i] = random_ext(rng);
    v[i] = fri_test::random_felt(rng);
    expected += a[i] * v[i];
  }
  EXPECT_EQ(dot_ext_powers(a, v), expected);
  // Extreme values: p - 1 everywhere (largest products).
  std::fill(v.begin(), v.end(), BabyBear::from_u32(BabyBear::kModulus - 1));
  const BabyBear4 m1(
      BabyBear::from_u32(BabyBear::kModulus - 1), BabyBear::from_u32(BabyBear::kModulus - 1),
      BabyBear::from_u32(BabyBear::kModulus - 1), BabyBear::from_u32(BabyBear::kModulus - 1));
  std::fill(a.begin(), a.end(), m1);
  EXPECT_EQ(dot_ext_powers(a, v),
            m1 * BabyBear::from_u32(BabyBear::kModulus - 1) * BabyBear::from_u32(300));
}

}  // namespace
}  // namespace tessera
