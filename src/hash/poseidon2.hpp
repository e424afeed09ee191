#pragma once
// Poseidon2 over BabyBear, width 16 (Grassi, Khovratovich, Schofnegger, "Poseidon2: A Faster
// Version of the Poseidon Hash Function"), the Horizen Labs instance; parameters and the
// derivation of the round constants are in poseidon2_constants.hpp.
//
// permutation(x):
//   x = M_E x                                            (initial external layer)
//   4 full rounds:    x_i += c_{r,i};  x_i = x_i^7 for all i;  x = M_E x
//   13 partial rounds: x_0 += c_{r,0}; x_0 = x_0^7;            x = M_I x
//   4 full rounds as above.
// M_E = circ(2 M4, M4, M4, M4) with M4 = [[5,7,1,3],[4,6,1,1],[1,3,5,7],[1,1,4,6]]: apply M4 to
// each group of 4, then add to y_i the sum over the groups of their entries at position i mod 4.
// M_I = 1 1^T + diag(d): y_i = (x_0 + ... + x_15) + d_i x_i.
//
// poseidon2_permute is the scalar reference, compiled for the host and for CUDA devices (the device
// reads the constants from its own __constant__ copy). poseidon2_permute_many is the fast CPU path:
// AVX-512 (16 states at a time) or AVX2 (8 at a time) chosen at run time, with the same outputs.

#include <array>
#include <cstddef>
#include <span>
#include <string_view>

#include "common/hd.hpp"
#include "field/babybear.hpp"
#include "hash/poseidon2_constants.hpp"

namespace tessera {

using Poseidon2State = std::array<BabyBear, kPoseidon2Width>;

namespace poseidon2_detail {

#if defined(__CUDACC__)
// Every CUDA translation unit gets its own statically initialised copy (no cudaMemcpyToSymbol, no
// relocatable device code needed); all threads of a warp read the same constant at the same time,
// which is the access pattern the constant cache serves in one transaction.
static __constant__ Poseidon2Constants kPoseidon2DeviceConstants = generate_constants();
#endif

TESSERA_HD_INLINE const Poseidon2Constants& constants() {
#if defined(__CUDA_ARCH__)
  return kPoseidon2DeviceConstants;
#else
  return kPoseidon2Constants;
#endif
}

TESSERA_HD_INLINE BabyBear sbox(BabyBear x) {
  const BabyBear x2 = x * x;
  const BabyBear x3 = x2 * x;
  const BabyBear x4 = x2 * x2;
  return x3 * x4;
}

// y = M4 x with 8 additions and 4 doublings (the Horizen Labs addition chain).
TESSERA_HD_INLINE void apply_m4(BabyBear* x) {
  const BabyBear t0 = x[0] + x[1];
  const BabyBear t1 = x[2] + x[3];
  const BabyBear t2 = x[1].doubled() + t1;
  const BabyBear t3 = x[3].doubled() + t0;
  const BabyBear t4 = t1.doubled().doubled() + t3;  // x0 + x1 + 4 x2 + 6 x3
  const BabyBear t5 = t0.doubled().doubled() + t2;  // 4 x0 + 6 x1 + x2 + x3
  x[0] = t3 + t5;                                   // 5 x0 + 7 x1 + x2 + 3 x3
  x[1] = t5;
  x[2] = t2 + t4;  // x0 + 3 x1 + 5 x2 + 7 x3
  x[3] = t4;
}

TESSERA_HD_INLINE void external_layer(Poseidon2State& s) {
  for (size_t g = 0; g < kPoseidon2Width; g += 4) apply_m4(&s[g]);
  for (size_t j = 0; j < 4; ++j) {
    const BabyBear column = s[j] + s[4 + j] + s[8 + j] + s[12 + j];
    for (size_t g = 0; g < kPoseidon2Width; g += 4) s[g + j] += column;
  }
}

TESSERA_HD_INLINE void internal_layer(Poseidon2State& s, const Poseidon2Constants& c) {
  BabyBear sum = s[0];
  for (size_t i = 1; i < kPoseidon2Width; ++i) sum += s[i];
  for (size_t i = 0; i < kPoseidon2Width; ++i) {
    s[i] = sum + BabyBear::from_raw(c.internal_diag[i]) * s[i];
  }
}

TESSERA_HD_INLINE void full_round(Poseidon2State& s, const uint32_t* rc) {
  for (size_t i = 0; i < kPoseidon2Width; ++i) s[i] = sbox(s[i] + BabyBear::from_raw(rc[i]));
  external_layer(s);
}

}  // namespace poseidon2_detail

// The permutation, scalar reference (host and device).
TESSERA_HD_INLINE void poseidon2_permute(Poseidon2State& state) {
  using namespace poseidon2_detail;
  const Poseidon2Constants& c = constants();
  external_layer(state);
  for (size_t r = 0; r < kPoseidon2HalfFullRounds; ++r) full_round(state, c.external[r]);
  for (size_t r = 0; r < kPoseidon2PartialRounds; ++r) {
    state[0] = sbox(state[0] + BabyBear::from_raw(c.internal[r]));
    internal_layer(state, c);
  }
  for (size_t r = kPoseidon2HalfFullRounds; r < kPoseidon2FullRounds; ++r) {
    full_round(state, c.external[r]);
  }
}

// Which CPU implementation permute_many uses. Auto picks the widest one this CPU supports.
enum class Poseidon2Impl { Auto, Scalar, Avx2, Avx512 };

std::string_view poseidon2_impl_name(Poseidon2Impl impl);
// True when this build and this CPU can run `impl` (Scalar and Auto always can).
bool poseidon2_impl_supported(Poseidon2Impl impl);
// What Auto resolves to on this CPU.
Poseidon2Impl poseidon2_best_impl();

// Permutes every state in place; identical outputs for every implementation. Forcing an
// implementation the CPU lacks is ErrorKind::InvalidArgument. Single-threaded (callers
// parallelise over independent batches).
void poseidon2_permute_many(std::span<Poseidon2State> states,
                            Poseidon2Impl impl = Poseidon2Impl::Auto);

// One state on the fastest path of this CPU (host only): AVX-512 holds the whole state in one
// register, about 2-3x the scalar reference; any other `impl` is the scalar reference. The same
// output as poseidon2_permute. For sequential callers (hash chains, the challenger, sponges and
// Merkle path checks); batches of independent states belong in poseidon2_permute_many.
void poseidon2_permute_one(Poseidon2State& state, Poseidon2Impl impl = Poseidon2Impl::Auto);

}  // namespace tessera
