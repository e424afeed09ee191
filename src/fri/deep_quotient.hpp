#pragma once
// The DEEP step of the PCS on the prover's side (CPU reference): evaluating committed columns at
// an out-of-domain point z, and accumulating the reduced quotient
//   RO(x) = sum_k alpha^k (p_k(x) - p_k(z)) / (x - z)
// over an LDE.
//
// Every LDE here is on the coset g * H_N (g = 31) in BIT-REVERSED row order: row i holds the value
// at x_i = g * w_N^rev(i). The first n rows (n | N) are then the evaluations on g * H_n in
// bit-reversed order, and the points x_i of a smaller LDE are the prefix of those of a larger
// one — so the point table and the inverse denominators of the tallest LDE serve every height.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "field/babybear.hpp"
#include "field/extension.hpp"
#include "matrix/row_major_matrix.hpp"

namespace tessera {

// x_i = 31 * w_N^rev(i), i < N = 2^log_n (log_n <= 27).
std::vector<BabyBear> lde_points_bitrev(uint32_t log_n);

// 1 / (x_i - z) for the first out.size() points of lde_points_bitrev. InvalidArgument (naming the
// point) if z is one of them. OpenMP-parallel batch inversion.
void lde_inverse_denominators(std::span<const BabyBear> points_bitrev, BabyBear4 z,
                              std::span<BabyBear4> out);

// p_c(z) for every column c of the polynomials of degree < n = 2^log_n whose evaluations on
// g * H_n are the first n rows of `lde` (bit-reversed), by the barycentric formula on the coset
//   p(z) = (z^n - g^n) / (n g^n) * sum_i y_i x_i / (z - x_i).
// `points_bitrev` and `inv_denoms` (= 1/(x_i - z)) hold at least n entries.
std::vector<BabyBear4> interpolate_on_lde_coset(const RowMajorMatrix<BabyBear>& lde, uint32_t log_n,
                                                BabyBear4 z,
                                                std::span<const BabyBear> points_bitrev,
                                                std::span<const BabyBear4> inv_denoms);

// sum_c alpha_powers[c] * values[c] (extension-field powers times base-field values).
BabyBear4 dot_ext_powers(std::span<const BabyBear4> alpha_powers, std::span<const BabyBear> values);

// One opening point of a matrix in the reduced quotient: the contribution at row i is
//   coeff * (sum_c alpha^c lde[i][c] - reduced_value) * inv_denoms[i]
// with coeff = alpha^(offset of this point's first column) and reduced_value =
// sum_c alpha^c p_c(z) (so that the columns of the point get the powers coeff * alpha^c).
struct ReducedOpeningPoint {
  BabyBear4 coeff;
  BabyBear4 reduced_value;
  std::span<const BabyBear4> inv_denoms;  // at least lde.height() entries
};

// acc[i] += sum over points of their contributions at row i, for i < lde.height() = acc.size().
// alpha_powers.size() must be lde.width(). InvalidArgument on size mismatches. OpenMP-parallel;
// exact arithmetic, so the result does not depend on the thread count.
void reduce_openings_cpu(const RowMajorMatrix<BabyBear>& lde,
                         std::span<const BabyBear4> alpha_powers,
                         std::span<const ReducedOpeningPoint> points, std::span<BabyBear4> acc);

}  // namespace tessera
