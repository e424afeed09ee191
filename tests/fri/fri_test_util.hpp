#pragma once
// Helpers for the FRI tests: random polynomials and their evaluations, naive evaluation, and
// checks of the typed errors.

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "field/babybear.hpp"
#include "field/extension.hpp"
#include "fri/domain.hpp"
#include "matrix/row_major_matrix.hpp"
#include "poly/ntt.hpp"

namespace tessera::fri_test {

inline BabyBear random_felt(std::mt19937_64& rng) {
  return BabyBear::from_u32(static_cast<uint32_t>(rng() % BabyBear::kModulus));
}
inline BabyBear4 random_ext(std::mt19937_64& rng) {
  return {random_felt(rng), random_felt(rng), random_felt(rng), random_felt(rng)};
}

// Coefficients of `width` random polynomials of degree < 2^log_n: column c, row j = coefficient
// of X^j.
inline RowMajorMatrix<BabyBear> random_coefficients(std::mt19937_64& rng, uint32_t log_n,
                                                    size_t width) {
  RowMajorMatrix<BabyBear> m(width, size_t{1} << log_n);
  for (auto& v : m.values()) v = random_felt(rng);
  return m;
}

// Evaluations of the columns of `coeffs` on `domain` (natural order): p(s X) has coefficients
// c_j s^j, evaluated on H by the forward NTT.
inline RowMajorMatrix<BabyBear> evaluate_on(const RowMajorMatrix<BabyBear>& coeffs,
                                            const TwoAdicDomain& domain) {
  RowMajorMatrix<BabyBear> m = coeffs;
  BabyBear s = BabyBear::one();
  for (size_t j = 0; j < m.height(); ++j, s *= domain.shift) {
    for (auto& v : m.row(j)) v *= s;
  }
  ntt_forward(m);
  return m;
}

// sum_j coeffs[j][col] z^j.
inline BabyBear4 horner(const RowMajorMatrix<BabyBear>& coeffs, size_t col, BabyBear4 z) {
  BabyBear4 acc = BabyBear4::zero();
  for (size_t j = coeffs.height(); j-- > 0;) acc = acc * z + coeffs.at(j, col);
  return acc;
}

// Runs f and expects a tessera::Error of `kind`; returns its message.
inline std::string expect_error(ErrorKind kind, const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), kind) << e.what();
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "unexpected exception type: " << e.what();
    return {};
  }
  ADD_FAILURE() << "no error thrown, expected " << static_cast<int>(kind);
  return {};
}

}  // namespace tessera::fri_test
