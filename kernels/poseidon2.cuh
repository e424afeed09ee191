#pragma once
// Poseidon2 (BabyBear, width 16) on CUDA devices: device functions for other kernels and the
// launchers of the batch kernels in poseidon2.cu. Results are bit-identical to the CPU reference
// (src/hash/poseidon2.hpp, sponge.hpp): the same rounds on the same canonical Montgomery words.
//
// The device permutation works on raw Montgomery words with a 32-bit Montgomery product:
//   lo = a b mod 2^32, hi = floor(a b / 2^32), q = lo p' mod 2^32 (p' = p^-1 mod 2^32),
//   a b 2^-32 = hi - floor(q p / 2^32)  (mod p), the difference lying in (-p, p);
// four 32-bit multiplications (mul.lo / mul.hi) instead of 64-bit arithmetic, and the canonical
// result is the same word as BabyBear::operator*. Round constants come from the __constant__
// copy of the project's generated table (poseidon2.hpp); every thread of a warp reads the same
// constant at the same time, which the constant cache serves as a broadcast.
#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>

#include "hash/digest.hpp"
#include "hash/poseidon2.hpp"

namespace tessera::cuda {

namespace p2dev {

inline constexpr uint32_t kP = BabyBear::kModulus;
inline constexpr uint32_t kPInv = 0x88000001u;  // p^-1 mod 2^32

__device__ __forceinline__ uint32_t add(uint32_t a, uint32_t b) {
  const uint32_t t = a + b;  // < 2p < 2^32
  return t >= kP ? t - kP : t;
}

__device__ __forceinline__ uint32_t mul(uint32_t a, uint32_t b) {
  const uint32_t lo = a * b;
  const uint32_t hi = __umulhi(a, b);
  const uint32_t q = lo * kPInv;
  const uint32_t qp_hi = __umulhi(q, kP);
  const uint32_t d = hi - qp_hi;
  return hi < qp_hi ? d + kP : d;
}

__device__ __forceinline__ uint32_t sbox(uint32_t x) {
  const uint32_t x2 = mul(x, x);
  const uint32_t x3 = mul(x2, x);
  const uint32_t x4 = mul(x2, x2);
  return mul(x3, x4);
}

__device__ __forceinline__ void m4(uint32_t& x0, uint32_t& x1, uint32_t& x2, uint32_t& x3) {
  const uint32_t t0 = add(x0, x1);
  const uint32_t t1 = add(x2, x3);
  const uint32_t t2 = add(add(x1, x1), t1);
  const uint32_t t3 = add(add(x3, x3), t0);
  const uint32_t t1x2 = add(t1, t1);
  const uint32_t t0x2 = add(t0, t0);
  const uint32_t t4 = add(add(t1x2, t1x2), t3);
  const uint32_t t5 = add(add(t0x2, t0x2), t2);
  x0 = add(t3, t5);
  x1 = t5;
  x2 = add(t2, t4);
  x3 = t4;
}

__device__ __forceinline__ void external_layer(uint32_t* s) {
#pragma unroll
  for (int g = 0; g < 16; g += 4) m4(s[g], s[g + 1], s[g + 2], s[g + 3]);
#pragma unroll
  for (int j = 0; j < 4; ++j) {
    const uint32_t column = add(add(s[j], s[4 + j]), add(s[8 + j], s[12 + j]));
#pragma unroll
    for (int g = 0; g < 16; g += 4) s[g + j] = add(s[g + j], column);
  }
}

__device__ __forceinline__ void full_round(uint32_t* s, const uint32_t* rc) {
#pragma unroll
  for (int i = 0; i < 16; ++i) s[i] = sbox(add(s[i], rc[i]));
  external_layer(s);
}

}  // namespace p2dev

// The permutation of one state held in 16 registers (Montgomery words), fully unrolled so that the
// state never leaves registers.
__device__ __forceinline__ void poseidon2_permute_words(uint32_t* s) {
  using namespace p2dev;
  const auto& c = poseidon2_detail::constants();
  external_layer(s);
#pragma unroll
  for (int r = 0; r < 4; ++r) full_round(s, c.external[r]);
#pragma unroll
  for (int r = 0; r < 13; ++r) {
    s[0] = sbox(add(s[0], c.internal[r]));
    uint32_t sum = s[0];
#pragma unroll
    for (int i = 1; i < 16; ++i) sum = add(sum, s[i]);
#pragma unroll
    for (int i = 0; i < 16; ++i) s[i] = add(sum, mul(s[i], c.internal_diag[i]));
  }
#pragma unroll
  for (int r = 4; r < 8; ++r) full_round(s, c.external[r]);
}

// Sponge of `width` elements at `row` (sponge.hpp convention), digest into out[0..8).
__device__ __forceinline__ void poseidon2_hash_words(const uint32_t* row, size_t width,
                                                     uint32_t* out) {
  uint32_t s[16];
#pragma unroll
  for (int i = 0; i < 16; ++i) s[i] = 0;
  if (width == 0) poseidon2_permute_words(s);
  for (size_t offset = 0; offset < width; offset += 8) {
    const size_t len = width - offset < 8 ? width - offset : 8;
    if (len == 8) {
#pragma unroll
      for (int i = 0; i < 8; ++i) s[i] = row[offset + i];
    } else {
      // Registers cannot be indexed dynamically: predicate every slot.
#pragma unroll
      for (int i = 0; i < 8; ++i) {
        if (static_cast<size_t>(i) < len) s[i] = row[offset + i];
      }
    }
    poseidon2_permute_words(s);
  }
#pragma unroll
  for (int i = 0; i < 8; ++i) out[i] = s[i];
}

// ---- launchers (poseidon2.cu); all pointers are DEVICE pointers, work is queued on `stream` ----

// states[i] = permute(states[i]) for i < n.
void launch_poseidon2_permute(Poseidon2State* states, size_t n, cudaStream_t stream);
// out[r] = hash_elements(row r) of the row-major height x width matrix at `matrix`.
void launch_poseidon2_hash_rows(const BabyBear* matrix, size_t width, size_t height, Digest* out,
                                cudaStream_t stream);
// parents[i] = compress(children[2i], children[2i + 1]) for i < n_parents (one Merkle layer).
void launch_poseidon2_compress_layer(const Digest* children, size_t n_parents, Digest* parents,
                                     cudaStream_t stream);

}  // namespace tessera::cuda
