#pragma once
// FRI folding with arity 2 (Plonky3's TwoAdicFriGenericConfig), CPU reference.
//
// A layer of 2m values is stored in BIT-REVERSED order of the subgroup H_2m = <w_2m>: position
// 2i holds f(x_i) and position 2i + 1 holds f(-x_i), x_i = w_2m^rev_m(i) (rev_m reverses log2 m
// bits). Writing f(X) = f_e(X^2) + X f_o(X^2), the folded layer f'(Y) = f_e(Y) + beta f_o(Y) is
//   f'(x_i^2) = (f(x_i) + f(-x_i)) / 2 + beta (f(x_i) - f(-x_i)) / (2 x_i),
// stored at position i — again bit-reversed order, now of H_m (x_i^2 = w_m^rev_m(i)).
// The layer is folded over the UNSHIFTED subgroup even though the committed codeword lives on
// 31 * H: the result is the fold of X -> f(31 X), just as low-degree, and prover and verifier
// agree on it (Plonky3's convention; the final polynomial is expressed in the same variable).
//
// x_i^-1 for every layer: for i < m, rev_M(i) = rev_m(i) * (M / m), so w_2M^-rev_M(i) =
// w_2m^-rev_m(i). One table inv_x[i] = w_2M^-rev_M(i) (i < M) therefore serves every layer of
// at most 2M values through its prefix.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "field/babybear.hpp"
#include "field/extension.hpp"

namespace tessera {

// inv_x[i] = w_{2m}^-rev_m(i) for i < m (m a power of two, m <= 2^26).
std::vector<BabyBear> fri_inverse_points_bitrev(size_t m);

// out[i] = fold of (in[2i], in[2i+1]) with challenge beta, i < out.size() = in.size() / 2;
// `inv_x` holds at least out.size() entries of fri_inverse_points_bitrev (any larger m).
// in.size() must be 2 * out.size() >= 2 (InvalidArgument otherwise). OpenMP-parallel.
void fri_fold_layer_cpu(std::span<const BabyBear4> in, BabyBear4 beta,
                        std::span<const BabyBear> inv_x, std::span<BabyBear4> out);

// The verifier's fold of one pair: e0 = f(x), e1 = f(-x) with x = w_{2m}^rev_m(pair_index),
// m = 2^log_folded_height; returns f'(x^2).
BabyBear4 fri_fold_pair(size_t pair_index, uint32_t log_folded_height, BabyBear4 beta, BabyBear4 e0,
                        BabyBear4 e1);

}  // namespace tessera
