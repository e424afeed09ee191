// Poseidon2 on 8 states at once with AVX2 (lanes = states). Compiled for AVX2 with
// `#pragma GCC target` only for the functions below, so the rest of the binary stays baseline
// x86-64; poseidon2.cpp calls in only when the CPU reports AVX2.
//
// Montgomery multiplication as in poseidon2_avx512.cpp (p' = p^-1 mod 2^32, result
// hi(a b) - hi(q p) in (-p, p), then + p when negative), with _mm256_mul_epu32 on even and odd
// lanes separately.

#include <cstdint>
#include <cstring>

#include "hash/poseidon2_simd.hpp"
#include "hash/sponge.hpp"

#if defined(__x86_64__)
#include <immintrin.h>

namespace tessera::poseidon2_detail {

bool cpu_supports_avx2() {
  return __builtin_cpu_supports("avx2");
}

#pragma GCC push_options
#pragma GCC target("avx2")

namespace {

using V = __m256i;
constexpr size_t kLanes = kAvx2Lanes;
constexpr uint32_t kP = BabyBear::kModulus;
constexpr uint32_t kPInv = 0x88000001u;  // p^-1 mod 2^32
static_assert(static_cast<uint32_t>(kP * kPInv) == 1u);

[[gnu::always_inline]] inline V splat(uint32_t x) {
  return _mm256_set1_epi32(static_cast<int>(x));
}

// a + b mod p: t = a + b < 2p; min(t, t - p) as unsigned picks t - p exactly when it did not wrap.
[[gnu::always_inline]] inline V add(V a, V b) {
  const V t = _mm256_add_epi32(a, b);
  return _mm256_min_epu32(t, _mm256_sub_epi32(t, splat(kP)));
}

// The high words of the even-lane products `even` and odd-lane products `odd`, back in lane order.
[[gnu::always_inline]] inline V interleave_hi(V even, V odd) {
  const V even_hi = _mm256_castps_si256(_mm256_movehdup_ps(_mm256_castsi256_ps(even)));
  return _mm256_blend_epi32(even_hi, odd, 0b10101010);
}

// hi(t) - hi(q p) mapped into [0, p).
[[gnu::always_inline]] inline V monty_finish(V t_even, V t_odd, V q_even, V q_odd) {
  const V qp_even = _mm256_mul_epu32(q_even, splat(kP));
  const V qp_odd = _mm256_mul_epu32(q_odd, splat(kP));
  const V d = _mm256_sub_epi32(interleave_hi(t_even, t_odd), interleave_hi(qp_even, qp_odd));
  return _mm256_min_epu32(d, _mm256_add_epi32(d, splat(kP)));
}

[[gnu::always_inline]] inline V mul(V a, V b) {
  const V a_odd = _mm256_srli_epi64(a, 32);
  const V b_odd = _mm256_srli_epi64(b, 32);
  const V t_even = _mm256_mul_epu32(a, b);
  const V t_odd = _mm256_mul_epu32(a_odd, b_odd);
  const V q_even = _mm256_mul_epu32(t_even, splat(kPInv));
  const V q_odd = _mm256_mul_epu32(t_odd, splat(kPInv));
  return monty_finish(t_even, t_odd, q_even, q_odd);
}

// Multiplication by a constant c: q = a (c p') mod 2^32 needs no wait for the product a c.
struct ConstMul {
  V c;
  V c_pinv;
};
[[gnu::always_inline]] inline ConstMul make_const(uint32_t raw) {
  return {splat(raw), splat(raw * kPInv)};
}
[[gnu::always_inline]] inline V mul_const(V a, const ConstMul& k) {
  const V a_odd = _mm256_srli_epi64(a, 32);
  const V t_even = _mm256_mul_epu32(a, k.c);
  const V t_odd = _mm256_mul_epu32(a_odd, k.c);
  const V q_even = _mm256_mul_epu32(a, k.c_pinv);
  const V q_odd = _mm256_mul_epu32(a_odd, k.c_pinv);
  return monty_finish(t_even, t_odd, q_even, q_odd);
}

#include "hash/poseidon2_simd_core.inl"

// In-place transpose of an 8 x 8 matrix of words held as 8 row vectors (an involution).
[[gnu::always_inline]] inline void transpose8(V* r) {
  V t[8];
  for (int k = 0; k < 8; k += 2) {
    t[k] = _mm256_unpacklo_epi32(r[k], r[k + 1]);
    t[k + 1] = _mm256_unpackhi_epi32(r[k], r[k + 1]);
  }
  // w[4g + m]: in 128-bit lane L, element 4L + m of rows 4g .. 4g + 3.
  V w[8];
  for (int g = 0; g < 2; ++g) {
    const V a = t[4 * g], b = t[4 * g + 1], c = t[4 * g + 2], d = t[4 * g + 3];
    w[4 * g + 0] = _mm256_unpacklo_epi64(a, c);
    w[4 * g + 1] = _mm256_unpackhi_epi64(a, c);
    w[4 * g + 2] = _mm256_unpacklo_epi64(b, d);
    w[4 * g + 3] = _mm256_unpackhi_epi64(b, d);
  }
  for (int m = 0; m < 4; ++m) {
    r[m] = _mm256_permute2x128_si256(w[m], w[4 + m], 0x20);
    r[4 + m] = _mm256_permute2x128_si256(w[m], w[4 + m], 0x31);
  }
}

// 8 consecutive states (128 words) in place: elements 0..7 and 8..15 are two 8 x 8 transposes.
void permute_block(uint32_t* words) {
  V s[16];
  for (int l = 0; l < 8; ++l) {
    s[l] = _mm256_loadu_si256(reinterpret_cast<const V*>(words + 16 * l));
    s[8 + l] = _mm256_loadu_si256(reinterpret_cast<const V*>(words + 16 * l + 8));
  }
  transpose8(s);
  transpose8(s + 8);
  simd_permute(s);
  transpose8(s);
  transpose8(s + 8);
  for (int l = 0; l < 8; ++l) {
    _mm256_storeu_si256(reinterpret_cast<V*>(words + 16 * l), s[l]);
    _mm256_storeu_si256(reinterpret_cast<V*>(words + 16 * l + 8), s[8 + l]);
  }
}

// Sponge over kLanes rows at once; the state stays in registers between chunks.
void hash_row_block(const BabyBear* rows, size_t width, Digest* out) {
  V s[16];
  for (auto& v : s) v = _mm256_setzero_si256();
  alignas(32) uint32_t chunk[kSpongeRate][kLanes];
  if (width == 0) simd_permute(s);
  for (size_t offset = 0; offset < width; offset += kSpongeRate) {
    const size_t len = width - offset < kSpongeRate ? width - offset : kSpongeRate;
    for (size_t l = 0; l < kLanes; ++l) {
      const BabyBear* src = rows + l * width + offset;
      for (size_t i = 0; i < len; ++i) chunk[i][l] = src[i].raw();
    }
    for (size_t i = 0; i < len; ++i) s[i] = _mm256_load_si256(reinterpret_cast<const V*>(chunk[i]));
    simd_permute(s);
  }
  for (size_t i = 0; i < kDigestElems; ++i)
    _mm256_store_si256(reinterpret_cast<V*>(chunk[i]), s[i]);
  for (size_t l = 0; l < kLanes; ++l) {
    for (size_t i = 0; i < kDigestElems; ++i) out[l][i] = BabyBear::from_raw(chunk[i][l]);
  }
}

}  // namespace

void permute_many_avx2(std::span<Poseidon2State> states) {
  static_assert(sizeof(Poseidon2State) == kPoseidon2Width * sizeof(uint32_t));
  const size_t full = states.size() / kLanes * kLanes;
  for (size_t b = 0; b < full; b += kLanes) {
    permute_block(reinterpret_cast<uint32_t*>(states[b].data()));
  }
  if (full < states.size()) {
    Poseidon2State padded[kLanes] = {};
    const size_t rest = states.size() - full;
    std::memcpy(padded, &states[full], rest * sizeof(Poseidon2State));
    permute_block(reinterpret_cast<uint32_t*>(padded[0].data()));
    std::memcpy(&states[full], padded, rest * sizeof(Poseidon2State));
  }
}

void hash_rows_avx2(const BabyBear* rows, size_t width, size_t n_rows, Digest* out) {
  size_t r = 0;
  for (; r + kLanes <= n_rows; r += kLanes) hash_row_block(rows + r * width, width, out + r);
  for (; r < n_rows; ++r) out[r] = hash_elements(std::span(rows + r * width, width));
}

#pragma GCC pop_options

}  // namespace tessera::poseidon2_detail

#else  // not x86-64: no AVX2 path

namespace tessera::poseidon2_detail {
bool cpu_supports_avx2() {
  return false;
}
void permute_many_avx2(std::span<Poseidon2State>) {
  TESSERA_FAIL(ErrorKind::NotCompiled, "AVX2 Poseidon2 is only built for x86-64");
}
void hash_rows_avx2(const BabyBear*, size_t, size_t, Digest*) {
  TESSERA_FAIL(ErrorKind::NotCompiled, "AVX2 Poseidon2 is only built for x86-64");
}
}  // namespace tessera::poseidon2_detail

#endif
