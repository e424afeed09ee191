// Poseidon2 with AVX-512F: on 16 states at once (lanes = states), and on one state held in one
// register (lanes = its 16 elements) for sequential callers. Compiled for AVX-512 with
// `#pragma GCC target` only for the functions below, so the rest of the binary stays baseline
// x86-64; poseidon2.cpp calls in only when the CPU reports AVX-512F.
//
// Montgomery multiplication, 16 lanes. _mm512_mul_epu32 multiplies the even 32-bit lanes into
// 64-bit products, so even and odd lanes are done separately (odd ones shifted down) and the high
// halves are interleaved back. With p' = p^-1 mod 2^32 (not -p^-1 as in the scalar code):
//   t = a b,  q = (t mod 2^32) p' mod 2^32,  then t - q p = 0 mod 2^32 and
//   (t - q p) / 2^32 = hi(t) - hi(q p)  lies in (-p, p)   (t < p^2 and q p < 2^32 p),
// congruent to a b 2^-32; adding p when negative gives the canonical word, the same word as the
// scalar BabyBear::operator*. Six multiplications per 16 products.

#include <cstdint>
#include <cstring>

#include "hash/poseidon2_simd.hpp"
#include "hash/sponge.hpp"

#if defined(__x86_64__)
#include <immintrin.h>

namespace tessera::poseidon2_detail {

bool cpu_supports_avx512() {
  return __builtin_cpu_supports("avx512f");
}

#pragma GCC push_options
#pragma GCC target("avx512f")
// GCC 12 reports the deliberately undefined pass-through operand inside its own AVX-512 intrinsic
// headers (_mm512_undefined_epi32) as "(may be) used uninitialized" once inlined; a false positive.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"

namespace {

using V = __m512i;
constexpr size_t kLanes = kAvx512Lanes;
constexpr uint32_t kP = BabyBear::kModulus;
constexpr uint32_t kPInv = 0x88000001u;  // p^-1 mod 2^32
static_assert(static_cast<uint32_t>(kP * kPInv) == 1u);

[[gnu::always_inline]] inline V splat(uint32_t x) {
  return _mm512_set1_epi32(static_cast<int>(x));
}

// a + b mod p: t = a + b < 2p; min(t, t - p) as unsigned picks t - p exactly when it did not wrap.
[[gnu::always_inline]] inline V add(V a, V b) {
  const V t = _mm512_add_epi32(a, b);
  return _mm512_min_epu32(t, _mm512_sub_epi32(t, splat(kP)));
}

// The high words of the even-lane products `even` and odd-lane products `odd`, back in lane order.
[[gnu::always_inline]] inline V interleave_hi(V even, V odd) {
  return _mm512_castps_si512(
      _mm512_mask_movehdup_ps(_mm512_castsi512_ps(odd), 0x5555, _mm512_castsi512_ps(even)));
}

// hi(t) - hi(q p) mapped into [0, p).
[[gnu::always_inline]] inline V monty_finish(V t_even, V t_odd, V q_even, V q_odd) {
  const V qp_even = _mm512_mul_epu32(q_even, splat(kP));
  const V qp_odd = _mm512_mul_epu32(q_odd, splat(kP));
  const V d = _mm512_sub_epi32(interleave_hi(t_even, t_odd), interleave_hi(qp_even, qp_odd));
  return _mm512_min_epu32(d, _mm512_add_epi32(d, splat(kP)));
}

[[gnu::always_inline]] inline V mul(V a, V b) {
  const V a_odd = _mm512_srli_epi64(a, 32);
  const V b_odd = _mm512_srli_epi64(b, 32);
  const V t_even = _mm512_mul_epu32(a, b);
  const V t_odd = _mm512_mul_epu32(a_odd, b_odd);
  const V q_even = _mm512_mul_epu32(t_even, splat(kPInv));
  const V q_odd = _mm512_mul_epu32(t_odd, splat(kPInv));
  return monty_finish(t_even, t_odd, q_even, q_odd);
}

// Multiplication by constants (lane i by c_i, often all equal): q = a (c p') mod 2^32 needs no
// wait for the product a c. _mm512_mul_epu32 reads the even words of its operands, so the odd
// lanes' constants are kept shifted down beside them.
struct ConstMul {
  V c, c_pinv;          // even lanes
  V c_odd, c_pinv_odd;  // odd lanes, moved to the even positions
};
[[gnu::always_inline]] inline ConstMul make_const(uint32_t raw) {
  const V c = splat(raw), c_pinv = splat(raw * kPInv);
  return {c, c_pinv, c, c_pinv};
}
// 16 possibly different raw Montgomery words.
[[gnu::always_inline]] inline ConstMul make_const_lanes(const uint32_t* raw) {
  const V c = _mm512_loadu_si512(raw);
  const V c_pinv = _mm512_mullo_epi32(c, splat(kPInv));
  return {c, c_pinv, _mm512_srli_epi64(c, 32), _mm512_srli_epi64(c_pinv, 32)};
}
[[gnu::always_inline]] inline V mul_const(V a, const ConstMul& k) {
  const V a_odd = _mm512_srli_epi64(a, 32);
  const V t_even = _mm512_mul_epu32(a, k.c);
  const V t_odd = _mm512_mul_epu32(a_odd, k.c_odd);
  const V q_even = _mm512_mul_epu32(a, k.c_pinv);
  const V q_odd = _mm512_mul_epu32(a_odd, k.c_pinv_odd);
  return monty_finish(t_even, t_odd, q_even, q_odd);
}

#include "hash/poseidon2_simd_core.inl"

// In-place transpose of a 16 x 16 matrix of words held as 16 row vectors (an involution: it turns
// 16 states into 16 element vectors and back).
[[gnu::always_inline]] inline void transpose16(V* r) {
  V t[16];
  for (int k = 0; k < 16; k += 2) {
    t[k] = _mm512_unpacklo_epi32(r[k], r[k + 1]);
    t[k + 1] = _mm512_unpackhi_epi32(r[k], r[k + 1]);
  }
  // w[4g + m]: in 128-bit lane L, element 4L + m of rows 4g .. 4g + 3.
  V w[16];
  for (int g = 0; g < 4; ++g) {
    const V a = t[4 * g], b = t[4 * g + 1], c = t[4 * g + 2], d = t[4 * g + 3];
    w[4 * g + 0] = _mm512_unpacklo_epi64(a, c);
    w[4 * g + 1] = _mm512_unpackhi_epi64(a, c);
    w[4 * g + 2] = _mm512_unpacklo_epi64(b, d);
    w[4 * g + 3] = _mm512_unpackhi_epi64(b, d);
  }
  // Element 4L + m, lane g  <-  w[4g + m], lane L: a 4 x 4 transpose of 128-bit lanes.
  for (int m = 0; m < 4; ++m) {
    const V x0 = _mm512_shuffle_i32x4(w[m], w[4 + m], _MM_SHUFFLE(1, 0, 1, 0));
    const V x1 = _mm512_shuffle_i32x4(w[m], w[4 + m], _MM_SHUFFLE(3, 2, 3, 2));
    const V x2 = _mm512_shuffle_i32x4(w[8 + m], w[12 + m], _MM_SHUFFLE(1, 0, 1, 0));
    const V x3 = _mm512_shuffle_i32x4(w[8 + m], w[12 + m], _MM_SHUFFLE(3, 2, 3, 2));
    r[m] = _mm512_shuffle_i32x4(x0, x2, _MM_SHUFFLE(2, 0, 2, 0));
    r[4 + m] = _mm512_shuffle_i32x4(x0, x2, _MM_SHUFFLE(3, 1, 3, 1));
    r[8 + m] = _mm512_shuffle_i32x4(x1, x3, _MM_SHUFFLE(2, 0, 2, 0));
    r[12 + m] = _mm512_shuffle_i32x4(x1, x3, _MM_SHUFFLE(3, 1, 3, 1));
  }
}

// 16 consecutive states (256 words) in place.
void permute_block(uint32_t* words) {
  V s[16];
  for (int l = 0; l < 16; ++l) s[l] = _mm512_loadu_si512(words + 16 * l);
  transpose16(s);
  simd_permute(s);
  transpose16(s);
  for (int l = 0; l < 16; ++l) _mm512_storeu_si512(words + 16 * l, s[l]);
}

// Sponge over kLanes rows at once; the state stays in registers between chunks.
void hash_row_block(const BabyBear* rows, size_t width, Digest* out) {
  V s[16];
  for (auto& v : s) v = _mm512_setzero_si512();
  alignas(64) uint32_t chunk[kSpongeRate][kLanes];
  if (width == 0) simd_permute(s);
  for (size_t offset = 0; offset < width; offset += kSpongeRate) {
    const size_t len = width - offset < kSpongeRate ? width - offset : kSpongeRate;
    for (size_t l = 0; l < kLanes; ++l) {
      const BabyBear* src = rows + l * width + offset;
      for (size_t i = 0; i < len; ++i) chunk[i][l] = src[i].raw();
    }
    for (size_t i = 0; i < len; ++i) s[i] = _mm512_load_si512(chunk[i]);
    simd_permute(s);
  }
  for (size_t i = 0; i < kDigestElems; ++i) _mm512_store_si512(chunk[i], s[i]);
  for (size_t l = 0; l < kLanes; ++l) {
    for (size_t i = 0; i < kDigestElems; ++i) out[l][i] = BabyBear::from_raw(chunk[i][l]);
  }
}

// ---- one state in one register (lanes = the 16 elements of one state) -------------------------
// For the sequential uses (a hash chain, the challenger, Merkle path checks) where there are no 16
// independent states. Same arithmetic words as the scalar reference, so the same output.

// The Montgomery words of small integers, M4's entries.
constexpr uint32_t mont(uint32_t k) {
  return BabyBear::from_u32(k).raw();
}

struct SingleStateConstants {
  // M4 by in-lane rotations: with r_k[i] = x[(i + k) mod 4] inside each group of four,
  // (M4 x)_i = sum_k M4[i][(i + k) mod 4] r_k[i]; m4[k] holds those coefficients per lane.
  ConstMul m4[4];
  ConstMul diag;         // d_i in lane i
  ConstMul one_plus_d0;  // 1 + d_0 in every lane
  V lane0;               // all ones in lane 0, zero elsewhere
};

inline SingleStateConstants make_single_state_constants() {
  constexpr uint32_t kM4[4][4] = {{5, 7, 1, 3}, {4, 6, 1, 1}, {1, 3, 5, 7}, {1, 1, 4, 6}};
  SingleStateConstants k{};
  for (int rot = 0; rot < 4; ++rot) {
    uint32_t lanes[16];
    for (int i = 0; i < 16; ++i) lanes[i] = mont(kM4[i % 4][(i % 4 + rot) % 4]);
    k.m4[rot] = make_const_lanes(lanes);
  }
  k.diag = make_const_lanes(kPoseidon2Constants.internal_diag);
  k.one_plus_d0 = make_const(
      (BabyBear::one() + BabyBear::from_raw(kPoseidon2Constants.internal_diag[0])).raw());
  k.lane0 = _mm512_maskz_set1_epi32(1, -1);
  return k;
}

// M_E on one state: M4 on each 128-bit lane (a group of four), then every element gets the sum
// of the four groups at its position (two cross-lane shuffles broadcast that sum).
[[gnu::always_inline]] inline V single_external_layer(V x, const SingleStateConstants& k) {
  const V r1 = _mm512_shuffle_epi32(x, static_cast<_MM_PERM_ENUM>(_MM_SHUFFLE(0, 3, 2, 1)));
  const V r2 = _mm512_shuffle_epi32(x, static_cast<_MM_PERM_ENUM>(_MM_SHUFFLE(1, 0, 3, 2)));
  const V r3 = _mm512_shuffle_epi32(x, static_cast<_MM_PERM_ENUM>(_MM_SHUFFLE(2, 1, 0, 3)));
  const V y = add(add(mul_const(x, k.m4[0]), mul_const(r1, k.m4[1])),
                  add(mul_const(r2, k.m4[2]), mul_const(r3, k.m4[3])));
  V column = add(y, _mm512_shuffle_i32x4(y, y, _MM_SHUFFLE(2, 3, 0, 1)));
  column = add(column, _mm512_shuffle_i32x4(column, column, _MM_SHUFFLE(1, 0, 3, 2)));
  return add(y, column);
}

// Sum of all 16 lanes, in every lane.
[[gnu::always_inline]] inline V all_lanes_sum(V x) {
  x = add(x, _mm512_shuffle_i32x4(x, x, _MM_SHUFFLE(2, 3, 0, 1)));
  x = add(x, _mm512_shuffle_i32x4(x, x, _MM_SHUFFLE(1, 0, 3, 2)));
  x = add(x, _mm512_shuffle_epi32(x, static_cast<_MM_PERM_ENUM>(_MM_SHUFFLE(2, 3, 0, 1))));
  return add(x, _mm512_shuffle_epi32(x, static_cast<_MM_PERM_ENUM>(_MM_SHUFFLE(1, 0, 3, 2))));
}

void permute_single(uint32_t* words) {
  static const SingleStateConstants k = make_single_state_constants();
  const auto& c = kPoseidon2Constants;
  V s = single_external_layer(_mm512_loadu_si512(words), k);
  for (size_t r = 0; r < kPoseidon2HalfFullRounds; ++r) {
    s = single_external_layer(simd_sbox(add(s, _mm512_loadu_si512(c.external[r]))), k);
  }
  for (size_t r = 0; r < kPoseidon2PartialRounds; ++r) {
    // y_i = sum_j x'_j + d_i x'_i with x' = x except x'_0 = (x_0 + c_r)^7, i.e. with o the sum
    // of lanes 1..15: y_0 = o + (1 + d_0) x'_0 and y_i = o + x'_0 + d_i x_i. o and d_i x_i do
    // not wait for the S-box, and (1 + d_0) x'_0 comes out of the S-box chain itself,
    // x^7 (1 + d_0) = x^4 * (x^2 * (x (1 + d_0))), at the same depth as x^7 = x^4 * x^3: no
    // multiplication is left after the S-box, only the broadcast of x'_0 and two additions.
    const V others = all_lanes_sum(_mm512_andnot_si512(k.lane0, s));
    const V dx = mul_const(s, k.diag);
    const V x = add(s, splat(c.internal[r]));
    const V x2 = mul(x, x);
    const V xd = mul_const(x, k.one_plus_d0);
    const V x4 = mul(x2, x2);
    const V x7 = mul(mul(x2, x), x4);
    const V y0 = mul(mul(x2, xd), x4);  // lane 0: (1 + d_0) x'_0
    const V s0 = _mm512_permutexvar_epi32(_mm512_setzero_si512(), x7);
    s = add(others, _mm512_mask_blend_epi32(1, add(s0, dx), y0));
  }
  for (size_t r = kPoseidon2HalfFullRounds; r < kPoseidon2FullRounds; ++r) {
    s = single_external_layer(simd_sbox(add(s, _mm512_loadu_si512(c.external[r]))), k);
  }
  _mm512_storeu_si512(words, s);
}

}  // namespace

void permute_one_avx512(Poseidon2State& state) {
  permute_single(reinterpret_cast<uint32_t*>(state.data()));
}

void permute_many_avx512(std::span<Poseidon2State> states) {
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

void hash_rows_avx512(const BabyBear* rows, size_t width, size_t n_rows, Digest* out) {
  size_t r = 0;
  for (; r + kLanes <= n_rows; r += kLanes) hash_row_block(rows + r * width, width, out + r);
  for (; r < n_rows; ++r) out[r] = hash_elements(std::span(rows + r * width, width));
}

#pragma GCC diagnostic pop
#pragma GCC pop_options

}  // namespace tessera::poseidon2_detail

#else  // not x86-64: no AVX-512 path

namespace tessera::poseidon2_detail {
bool cpu_supports_avx512() {
  return false;
}
void permute_many_avx512(std::span<Poseidon2State>) {
  TESSERA_FAIL(ErrorKind::NotCompiled, "AVX-512 Poseidon2 is only built for x86-64");
}
void hash_rows_avx512(const BabyBear*, size_t, size_t, Digest*) {
  TESSERA_FAIL(ErrorKind::NotCompiled, "AVX-512 Poseidon2 is only built for x86-64");
}
void permute_one_avx512(Poseidon2State&) {
  TESSERA_FAIL(ErrorKind::NotCompiled, "AVX-512 Poseidon2 is only built for x86-64");
}
}  // namespace tessera::poseidon2_detail

#endif
