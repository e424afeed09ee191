// FRI folding: the layer fold equals the verifier's pair fold, and folding the evaluations of
// f = f_e(X^2) + X f_o(X^2) gives the evaluations of f_e + beta f_o (bit-reversed order).
#include <gtest/gtest.h>

#include "fri/fri_fold.hpp"
#include "fri_test_util.hpp"
#include "poly/bit_reverse.hpp"

namespace tessera {
namespace {

using fri_test::expect_error;
using fri_test::random_ext;

TEST(FriFold, InversePointTableIsBitReversedInverses) {
  for (size_t m : {size_t{1}, size_t{2}, size_t{8}, size_t{1} << 15}) {
    const auto inv = fri_inverse_points_bitrev(m);
    const uint32_t log_m = log2_strict(m, "m");
    const BabyBear w = BabyBear::two_adic_generator(log_m + 1);
    for (size_t i = 0; i < m; i += (m > 64 ? 97 : 1)) {
      EXPECT_EQ(inv[i] * w.pow(reverse_bits(i, log_m)), BabyBear::one());
    }
  }
  expect_error(ErrorKind::InvalidArgument, [] { fri_inverse_points_bitrev(3); });
  expect_error(ErrorKind::InvalidArgument, [] { fri_inverse_points_bitrev(0); });
}

BabyBear4 eval_ext_poly(const std::vector<BabyBear4>& coeffs, BabyBear4 x) {
  BabyBear4 acc = BabyBear4::zero();
  for (size_t j = coeffs.size(); j-- > 0;) acc = acc * x + coeffs[j];
  return acc;
}

TEST(FriFold, FoldsTheEvenAndOddParts) {
  std::mt19937_64 rng(3);
  for (uint32_t log_m : {0u, 1u, 4u, 13u}) {
    const size_t m = size_t{1} << log_m;
    // f of degree < 2m with extension coefficients.
    std::vector<BabyBear4> f(2 * m), fe(m), fo(m);
    for (size_t j = 0; j < 2 * m; ++j) f[j] = random_ext(rng);
    for (size_t j = 0; j < m; ++j) fe[j] = f[2 * j], fo[j] = f[2 * j + 1];
    // Layer in bit-reversed order of H_2m: the NTT of each coefficient (base-field twiddles).
    RowMajorMatrix<BabyBear> evals(4, 2 * m);
    for (size_t j = 0; j < 2 * m; ++j) {
      for (uint32_t k = 0; k < 4; ++k) evals.at(j, k) = f[j].coeff(k);
    }
    ntt_forward(evals);
    bit_reverse_rows(evals);
    std::vector<BabyBear4> layer(2 * m);
    for (size_t i = 0; i < 2 * m; ++i) {
      layer[i] = BabyBear4(evals.at(i, 0), evals.at(i, 1), evals.at(i, 2), evals.at(i, 3));
    }
    const BabyBear w2m = BabyBear::two_adic_generator(log_m + 1);
    for (size_t i : {size_t{0}, 2 * m - 1, m / 3}) {
      EXPECT_EQ(layer[i], eval_ext_poly(f, BabyBear4(w2m.pow(reverse_bits(i, log_m + 1)))));
    }
    const BabyBear4 beta = random_ext(rng);
    // A table for a larger layer serves through its prefix.
    const auto inv_x = fri_inverse_points_bitrev(std::max<size_t>(m, 1) * 4);
    std::vector<BabyBear4> out(m);
    fri_fold_layer_cpu(layer, beta, inv_x, out);
    const BabyBear wm = BabyBear::two_adic_generator(log_m);
    for (size_t i = 0; i < m; i += (m > 256 ? 331 : 1)) {
      const BabyBear4 y(wm.pow(reverse_bits(i, log_m)));
      EXPECT_EQ(out[i], eval_ext_poly(fe, y) + beta * eval_ext_poly(fo, y)) << i;
      EXPECT_EQ(out[i], fri_fold_pair(i, log_m, beta, layer[2 * i], layer[2 * i + 1])) << i;
    }
  }
}

TEST(FriFold, RejectsBadSizes) {
  std::vector<BabyBear4> in(8), out(3);
  const auto inv = fri_inverse_points_bitrev(4);
  expect_error(ErrorKind::InvalidArgument,
               [&] { fri_fold_layer_cpu(in, BabyBear4::one(), inv, out); });
  std::vector<BabyBear4> out4(4);
  expect_error(ErrorKind::InvalidArgument, [&] {
    fri_fold_layer_cpu(in, BabyBear4::one(), std::span<const BabyBear>(inv.data(), 2), out4);
  });
}

}  // namespace
}  // namespace tessera
