#pragma once
// Batched number-theoretic transforms over BabyBear on row-major matrices: every COLUMN is one
// polynomial / one vector of evaluations, and all columns are transformed together (each
// butterfly combines two whole rows, so the innermost loop runs along a row and vectorises).
//
// Notation: n = height = 2^k (k <= 27), w_n = BabyBear::two_adic_generator(k) a primitive n-th
// root of unity, H = <w_n> = {w_n^i}. A column holds either the coefficients c_0..c_{n-1} of
// f(X) = sum_j c_j X^j (natural order) or its evaluations f(w_n^i) at row i (natural order).
//
//   ntt_forward:  c  -> e,  e_i = sum_j c_j w_n^(ij)
//   ntt_inverse:  e  -> c,  c_j = n^-1 sum_i e_i w_n^(-ij)
//   coset_lde:    evaluations on H  ->  evaluations of the same f (deg < n) on the coset
//                 shift * H', |H'| = N = n << log_blowup, row i = f(shift * w_N^i).
//
// All functions are multithreaded with OpenMP; the arithmetic is exact, so results are
// bit-identical for any thread count (and to the CUDA kernels in kernels/ntt.cu).
// Heights must be powers of two with 1 <= height (and height << log_blowup) <= 2^27; anything
// else throws tessera::Error(ErrorKind::InvalidArgument). Height 0 is rejected, width 0 is a
// valid (empty) batch.

#include <cstddef>
#include <cstdint>

#include "field/babybear.hpp"
#include "matrix/row_major_matrix.hpp"
#include "poly/bit_reverse.hpp"

namespace tessera {

// Largest supported transform size, log2 (the two-adicity of BabyBear).
inline constexpr uint32_t kMaxLogNttSize = BabyBear::kTwoAdicity;

// Row order of a coset LDE. Natural: row i = f(shift * w_N^i). BitReversed: row i =
// f(shift * w_N^rev(i)), rev over log2(N) bits — the order in which FRI and the Merkle commitment
// want an LDE (the two points folded together, x and -x, sit in adjacent rows). Producing it
// directly costs the same as the natural order; no bit-reversal pass over the N rows is needed.
enum class LdeOrder { Natural, BitReversed };

// Coefficients (natural order) -> evaluations on H (natural order), in place.
void ntt_forward(RowMajorMatrix<BabyBear>& m);
// Evaluations on H (natural order) -> coefficients (natural order), in place.
void ntt_inverse(RowMajorMatrix<BabyBear>& m);
// Evaluations on H (natural order, n rows) -> evaluations on shift * H' (natural order,
// n << log_blowup rows). shift = BabyBear::one() gives a plain low-degree extension on H'; a
// STARK uses shift = BabyBear::kGenerator so that the LDE domain is disjoint from H.
RowMajorMatrix<BabyBear> coset_lde(const RowMajorMatrix<BabyBear>& evals, uint32_t log_blowup,
                                   BabyBear shift, LdeOrder order = LdeOrder::Natural);

// The same on raw row-major storage (`data` holds height * width values), for callers that own
// their buffers (the Backend, the STARK prover). `out` must hold (height << log_blowup) * width
// values and must not overlap `evals`.
void ntt_forward(BabyBear* data, size_t height, size_t width);
void ntt_inverse(BabyBear* data, size_t height, size_t width);
void coset_lde(const BabyBear* evals, size_t height, size_t width, uint32_t log_blowup,
               BabyBear shift, BabyBear* out, LdeOrder order = LdeOrder::Natural);

}  // namespace tessera
