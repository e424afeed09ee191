#pragma once
// The parameters of the Poseidon2 instance over BabyBear, width 16 (Horizen Labs reference
// instance, shared/testvectors/poseidon2_babybear_w16.txt): S-box x^7, R_F = 8 full rounds (4 + 4),
// R_P = 13 partial rounds, the M4-based external matrix and the internal matrix 1 + diag(d).
//
// The round constants are not pasted from elsewhere: they are produced here, at compile time, by
// the Grain LFSR of the Poseidon paper (Grassi et al., "Poseidon: A New Hash Function for
// Zero-Knowledge Proof Systems", Appendix F, reference script generate_parameters_grain.sage):
//
//   1. The 80-bit state b_0..b_79 is the parameter string, most significant bit first:
//      field (2 bits, 1 = prime field), S-box (4 bits, 0 = x^alpha), n (12 bits, 31 = bits of p),
//      t (12 bits, 16), R_F (10 bits, 8), R_P (10 bits, 13), then 30 ones.
//   2. Each clock computes b_80 = b_62 ^ b_51 ^ b_38 ^ b_23 ^ b_13 ^ b_0 and shifts it in.
//      The first 160 output bits are discarded.
//   3. Self-shrinking: bits are taken in pairs (b, b'); b' is emitted only when b = 1.
//   4. A constant is the integer of the next n emitted bits (most significant first); candidates
//      >= p are rejected and redrawn.
//
// Poseidon2 draws R_F * t + R_P = 8 * 16 + 13 = 141 constants (not Poseidon's (R_F + R_P) * t), in
// round order: 16 for each of the 4 initial full rounds, ONE for each of the 13 partial rounds (a
// partial round adds a constant to element 0 only), 16 for each of the 4 final full rounds. (The
// Horizen Labs Rust instance stores this as 21 rows of 16 whose partial rows are (c, 0, ..., 0).)
// The layout was settled by the known-answer test (tests/hash/test_poseidon2_kat.cpp): drawing 16
// per partial round as well reproduces the first constants but not the permutation output; drawing
// one per partial round reproduces the vector exactly.

#include <array>
#include <cstddef>
#include <cstdint>

#include "field/babybear.hpp"

namespace tessera {

inline constexpr size_t kPoseidon2Width = 16;
inline constexpr size_t kPoseidon2FullRounds = 8;  // 4 before and 4 after the partial rounds
inline constexpr size_t kPoseidon2HalfFullRounds = kPoseidon2FullRounds / 2;
inline constexpr size_t kPoseidon2PartialRounds = 13;
inline constexpr size_t kPoseidon2Rounds = kPoseidon2FullRounds + kPoseidon2PartialRounds;
inline constexpr uint64_t kPoseidon2SboxDegree = 7;  // smallest alpha with gcd(alpha, p - 1) = 1

namespace poseidon2_detail {

// The Grain LFSR in self-shrinking mode. The 80-bit register lives in two words: bit i of the
// paper's sequence (b_i, b_0 the oldest) is bit i of lo_ for i < 64 and bit i - 64 of hi_.
class GrainLfsr {
 public:
  constexpr GrainLfsr(uint32_t field, uint32_t sbox, uint32_t n, uint32_t t, uint32_t r_f,
                      uint32_t r_p) {
    int pos = 0;
    auto push = [&](uint32_t value, int bits) {
      for (int i = bits - 1; i >= 0; --i) set_bit(pos++, (value >> i) & 1u);
    };
    push(field, 2);
    push(sbox, 4);
    push(n, 12);
    push(t, 12);
    push(r_f, 10);
    push(r_p, 10);
    while (pos < 80) set_bit(pos++, 1u);
    for (int i = 0; i < 160; ++i) clock();
  }

  // The next bit of the self-shrinking output.
  constexpr uint32_t next_bit() {
    for (;;) {
      const uint32_t select = clock();
      const uint32_t value = clock();
      if (select == 1u) return value;
    }
  }

  // The next `n_bits` emitted bits as an integer, most significant bit first.
  constexpr uint32_t next_bits(uint32_t n_bits) {
    uint32_t x = 0;
    for (uint32_t i = 0; i < n_bits; ++i) x = (x << 1) | next_bit();
    return x;
  }

 private:
  constexpr uint32_t bit(int i) const {
    return static_cast<uint32_t>(i < 64 ? (lo_ >> i) & 1u : (hi_ >> (i - 64)) & 1u);
  }
  constexpr void set_bit(int i, uint32_t b) {
    if (i < 64) {
      lo_ |= static_cast<uint64_t>(b) << i;
    } else {
      hi_ |= static_cast<uint64_t>(b) << (i - 64);
    }
  }
  // One clock: the feedback bit b_80 is appended and b_0 drops out; returns b_80.
  constexpr uint32_t clock() {
    const uint32_t fresh = bit(62) ^ bit(51) ^ bit(38) ^ bit(23) ^ bit(13) ^ bit(0);
    lo_ = (lo_ >> 1) | ((hi_ & 1u) << 63);
    hi_ = (hi_ >> 1) | (static_cast<uint64_t>(fresh) << 15);
    return fresh;
  }

  uint64_t lo_ = 0;  // b_0 .. b_63
  uint64_t hi_ = 0;  // b_64 .. b_79 in bits 0..15
};

// Plain words (no constructors) so that CUDA can hold a copy in __constant__ memory with a
// constant initializer. Values are Montgomery words of BabyBear (BabyBear::raw()).
struct Poseidon2Constants {
  // external[r] for the full rounds r = 0..7 (0..3 before, 4..7 after the partial rounds).
  uint32_t external[kPoseidon2FullRounds][kPoseidon2Width];
  uint32_t internal[kPoseidon2PartialRounds];  // added to element 0 in partial round r
  uint32_t internal_diag[kPoseidon2Width];     // d_i: internal matrix = all-ones + diag(d)
};

// 31 = the bit length of p.
inline constexpr uint32_t kFieldBits = 31;

constexpr Poseidon2Constants generate_constants() {
  Poseidon2Constants c{};
  GrainLfsr grain(/*field=*/1, /*sbox=*/0, kFieldBits, kPoseidon2Width, kPoseidon2FullRounds,
                  kPoseidon2PartialRounds);
  auto next_constant = [&grain]() {
    uint32_t candidate = grain.next_bits(kFieldBits);
    while (candidate >= BabyBear::kModulus) candidate = grain.next_bits(kFieldBits);
    return BabyBear::from_u32(candidate).raw();
  };
  for (size_t r = 0; r < kPoseidon2HalfFullRounds; ++r) {
    for (size_t i = 0; i < kPoseidon2Width; ++i) c.external[r][i] = next_constant();
  }
  for (size_t r = 0; r < kPoseidon2PartialRounds; ++r) c.internal[r] = next_constant();
  for (size_t r = kPoseidon2HalfFullRounds; r < kPoseidon2FullRounds; ++r) {
    for (size_t i = 0; i < kPoseidon2Width; ++i) c.external[r][i] = next_constant();
  }
  // The internal diagonal of the Horizen Labs instance (their MAT_DIAG16_M_1): chosen by its
  // authors so that 1 + diag(d) is invertible and the partial-round layer has no invariant
  // subspaces; it is part of the instance's definition, like the M4 matrix.
  constexpr uint32_t kDiag[kPoseidon2Width] = {0x0a632d94, 0x6db657b7, 0x56fbdc9e, 0x052b3d8a,
                                               0x33745201, 0x5c03108c, 0x0beba37b, 0x258c2e8b,
                                               0x12029f39, 0x694909ce, 0x6d231724, 0x21c3b222,
                                               0x3c0904a5, 0x01d6acda, 0x27705c83, 0x5231c802};
  for (size_t i = 0; i < kPoseidon2Width; ++i) {
    c.internal_diag[i] = BabyBear::from_u32(kDiag[i]).raw();
  }
  return c;
}

}  // namespace poseidon2_detail

// The table, generated by the compiler in one translation unit (poseidon2_constants.cpp, with
// constinit: it is constant-initialised, so usable during any static initialisation). CUDA
// translation units evaluate generate_constants() themselves for their __constant__ copy
// (poseidon2.hpp). Generating it in every translation unit would cost ~0.5 s of compile time each.
extern const poseidon2_detail::Poseidon2Constants kPoseidon2Constants;

}  // namespace tessera
