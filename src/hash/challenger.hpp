#pragma once
// The Fiat-Shamir transcript: a duplex sponge over Poseidon2 with Plonky3's DuplexChallenger
// semantics (rate 8, width 16), so that the prover and the verifier derive the same challenges from
// the same sequence of observations.
//
//   observe(x):  clears the output buffer (a challenge sampled after new data must depend on it),
//                appends x to the input buffer; when 8 inputs are buffered, duplexes.
//   sample():    duplexes if inputs are pending or the output buffer is exhausted, then returns the
//                LAST element of the output buffer and removes it (outputs are consumed from the
//                back: state[7], state[6], ..., as Plonky3's Vec::pop).
//   duplexing:   the k pending inputs overwrite state[0 .. k) (the rest of the state is kept),
//                the state is permuted, the input buffer is emptied and the output buffer is
//                refilled with state[0 .. 8).
//
// Extension elements are observed as their 4 coefficients c0..c3 in order; sample_ext() draws
// 4 base elements as c0, c1, c2, c3 in order of sampling.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "field/babybear.hpp"
#include "field/extension.hpp"
#include "hash/digest.hpp"
#include "hash/poseidon2.hpp"

namespace tessera {

class Challenger {
 public:
  static constexpr size_t kRate = 8;
  static constexpr uint32_t kMaxSampleBits = 27;  // 2^27 < p: the low bits are close to uniform

  Challenger() = default;

  void observe(BabyBear value);
  void observe(const BabyBear4& value);
  void observe(const Digest& digest);
  void observe_many(std::span<const BabyBear> values);

  BabyBear sample();
  BabyBear4 sample_ext();
  // The low `bits` bits of the canonical value of sample(); bits <= 27 (else InvalidArgument).
  uint32_t sample_bits(uint32_t bits);

  // The state that the duplexing following observe(value) would permute: the pending inputs and
  // then `value` overwrite state[0 ..). For any challenger c, a copy that runs observe(value) and
  // then sample() returns permute(c.duplex_input_with(value))[kRate - 1]. Proof-of-work grinding
  // uses this to test many candidates with the batched permutation. Requires no other state change.
  Poseidon2State duplex_input_with(BabyBear value) const;

  friend bool operator==(const Challenger& a, const Challenger& b) = default;

 private:
  void duplex();

  Poseidon2State state_{};
  std::array<BabyBear, kRate> input_{};
  size_t input_len_ = 0;
  std::array<BabyBear, kRate> output_{};
  size_t output_len_ = 0;
};

}  // namespace tessera
