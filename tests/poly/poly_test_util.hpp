#pragma once
// Reference transforms for the NTT tests, written directly from the definitions (O(n^2)).
#include <cstdint>
#include <random>

#include "field/babybear.hpp"
#include "matrix/row_major_matrix.hpp"

namespace tessera::test {

inline RowMajorMatrix<BabyBear> random_matrix(size_t height, size_t width, uint64_t seed) {
  std::mt19937_64 rng(seed);
  RowMajorMatrix<BabyBear> m(width, height);
  for (auto& x : m.values())
    x = BabyBear::from_u32(static_cast<uint32_t>(rng() % BabyBear::kModulus));
  return m;
}

// out_i = scale * sum_j in_j w^(ij), per column; w a primitive n-th root of unity.
inline RowMajorMatrix<BabyBear> naive_dft(const RowMajorMatrix<BabyBear>& in, BabyBear w,
                                          BabyBear scale) {
  const size_t n = in.height(), width = in.width();
  std::vector<BabyBear> wp(n);  // w^k, k < n; w^(ij) = w^(ij mod n)
  BabyBear x = BabyBear::one();
  for (size_t k = 0; k < n; ++k, x *= w) wp[k] = x;
  RowMajorMatrix<BabyBear> out(width, n);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) {
      const BabyBear t = wp[(i * j) % n];
      for (size_t c = 0; c < width; ++c) out.at(i, c) += in.at(j, c) * t;
    }
    for (size_t c = 0; c < width; ++c) out.at(i, c) *= scale;
  }
  return out;
}

inline uint32_t log2_of(size_t n) {
  uint32_t k = 0;
  while ((size_t{1} << k) < n) ++k;
  return k;
}

// Coefficients -> evaluations on <w_n>.
inline RowMajorMatrix<BabyBear> naive_forward(const RowMajorMatrix<BabyBear>& coeffs) {
  return naive_dft(coeffs, BabyBear::two_adic_generator(log2_of(coeffs.height())), BabyBear::one());
}
// Evaluations on <w_n> -> coefficients.
inline RowMajorMatrix<BabyBear> naive_inverse(const RowMajorMatrix<BabyBear>& evals) {
  const size_t n = evals.height();
  return naive_dft(evals, BabyBear::two_adic_generator(log2_of(n)).inverse(),
                   BabyBear::from_u64(n).inverse());
}

// Column c of the coefficient matrix evaluated at x (Horner).
inline BabyBear horner(const RowMajorMatrix<BabyBear>& coeffs, size_t c, BabyBear x) {
  BabyBear acc = BabyBear::zero();
  for (size_t j = coeffs.height(); j-- > 0;) acc = acc * x + coeffs.at(j, c);
  return acc;
}

}  // namespace tessera::test
