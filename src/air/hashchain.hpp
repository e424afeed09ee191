#pragma once
// The hash-chain statement (DESIGN.md §4): "I know w_1 .. w_n such that h_i = C(h_{i-1}, w_i)
// ends at h_n", with C the Poseidon2 compression C(l, r) = first 8 of permute(l || r)
// (hash/sponge.hpp compress).
//
// Table (one shard of K steps, K a power of two): the Poseidon2 permutation AIR (298 columns,
// air/poseidon2_air.hpp), row j computing step first_step + 1 + j, i.e. permute(h || w) with
// h = input lanes 0..7 and w = input lanes 8..15; the chain is
//     first row:   input[0..8)            = start digest          (public values 0..7)
//     transition:  next row's input[0..8) = this row's output[0..8)
//     last row:    output[0..8)           = end digest            (public values 8..15)
// Public values 16, 17 are the step range (first_step, steps = K); the AIR does not constrain
// them, but they are bound into the transcript and the machine's verifier checks them against
// the request (steps = K = the table height, first_step = shard index * K). The proof contains no
// witness: the w_i are committed columns of the trace, opened only at random points.
//
// Witnesses are derived deterministically from a 64-bit seed (so that a worker can re-derive its
// shard's witnesses from the seed and the checkpoint alone). With the seed and the step written in
// 16-bit limbs (s_0 least significant),
//     w_i = first 8 of permute(1, s_0, s_1, s_2, s_3, i_0, i_1, i_2, i_3, 0, ..., 0)   (i >= 1)
//     h_0 = first 8 of permute(2, s_0, s_1, s_2, s_3, 0, ..., 0)
// The leading tag separates the two uses; the encoding is injective in (seed, i).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "air/poseidon2_air.hpp"
#include "hash/digest.hpp"
#include "matrix/row_major_matrix.hpp"
#include "stark/air.hpp"
#include "stark/cuda_quotient.hpp"

namespace tessera {

// The step counter is a field element in the shard statements; capping the chain at 2^30 steps
// keeps every counter value canonical (< p), so two different counters never alias.
inline constexpr uint64_t kHashchainMaxSteps = uint64_t{1} << 30;

// Public values of a hash-chain table.
namespace hashchain_pv {
inline constexpr size_t kStartDigest = 0;  // 8 values
inline constexpr size_t kEndDigest = 8;    // 8 values
inline constexpr size_t kFirstStep = 16;   // steps done before this shard
inline constexpr size_t kSteps = 17;       // steps in this shard (= table height)
inline constexpr size_t kCount = 18;
}  // namespace hashchain_pv

class HashchainAir : public AirBase {
 public:
  std::string name() const { return "hashchain"; }
  size_t width() const { return poseidon2_cols::kPermutationWidth; }
  size_t num_public_values() const { return hashchain_pv::kCount; }

  template <class AB>
  TESSERA_HD void eval(AB& b) const {
    using Expr = typename AB::Expr;
    Poseidon2Air::eval_permutation(b);
    const auto m = b.main();
    for (size_t i = 0; i < kDigestElems; ++i) {
      const Expr h_in = m.local(Poseidon2Air::input_col(i));
      const Expr h_out = m.local(Poseidon2Air::output_col(i));
      b.when_first_row().assert_eq("hashchain.start", h_in,
                                   b.public_value(hashchain_pv::kStartDigest + i));
      b.when_transition().assert_eq("hashchain.link", m.next(Poseidon2Air::input_col(i)), h_out);
      b.when_last_row().assert_eq("hashchain.end", h_out,
                                  b.public_value(hashchain_pv::kEndDigest + i));
    }
  }
};

TESSERA_CUDA_QUOTIENT_AIR(HashchainAir);

// w_i for step i >= 1 (see the header comment).
Digest hashchain_witness(uint64_t seed, uint64_t step);
// w_first .. w_{first + out.size() - 1}; batched (vectorised permutation, OpenMP), equal to
// hashchain_witness for each step.
void hashchain_witnesses(uint64_t seed, uint64_t first, std::span<Digest> out);
// h_0.
Digest hashchain_initial_digest(uint64_t seed);

// Runs steps first_step + 1 .. first_step + steps from digest `start`; returns the end digest.
Digest hashchain_advance(uint64_t seed, const Digest& start, uint64_t first_step, uint64_t steps);

// The trace of one shard (steps first_step + 1 .. first_step + steps, `steps` a power of two)
// from digest `start`, and its public values.
struct HashchainShardWitness {
  RowMajorMatrix<BabyBear> trace;
  std::vector<BabyBear> public_values;
  Digest end{};
};
HashchainShardWitness hashchain_shard_witness(uint64_t seed, const Digest& start,
                                              uint64_t first_step, uint64_t steps);

}  // namespace tessera
