// SIMD butterflies. Montgomery multiplication in vector lanes (after Plonky3's packed BabyBear):
// for canonical a, b < p with R = 2^32,
//   prod = a b < p^2,   q = (prod mod R) * p^-1 mod R,   so q p = prod (mod R), and
//   (prod - q p) / R = hi(prod) - hi(q p)  in (-p, p)   (the low halves cancel exactly),
// which is congruent to a b R^-1 mod p; adding p when negative gives the canonical result. The
// 32x32->64 products use mul_epu32 on the even lanes and, after moving odd lanes down
// (movehdup), on the odd lanes. Addition and subtraction stay canonical with an unsigned min:
//   a + b -> min(a + b, a + b - p),   a - b -> min(a - b, a - b + p)   (32-bit wrap-around).
// The values are the Montgomery words of BabyBear (same R), so the scalar and vector paths give
// identical words.

#include "poly/butterflies.hpp"

#include <atomic>

#include "common/check.hpp"

#if defined(__x86_64__)
#include <immintrin.h>
#define TESSERA_NTT_X86 1
#else
#define TESSERA_NTT_X86 0
#endif

namespace tessera::ntt_detail {

namespace {

constexpr uint32_t kP = BabyBear::kModulus;
constexpr uint32_t kPInv = 0x88000001u;  // p^-1 mod 2^32
static_assert(static_cast<uint32_t>(kP * kPInv) == 1u);

// ---- scalar ----------------------------------------------------------------------------------

void dit_scalar(BabyBear* __restrict a, BabyBear* __restrict b, const BabyBear* __restrict tw,
                size_t rows, size_t stride, size_t cols) {
  for (size_t r = 0; r < rows; ++r, a += stride, b += stride) {
    const BabyBear w = tw[r];
    for (size_t c = 0; c < cols; ++c) {
      const BabyBear u = a[c], v = b[c] * w;
      a[c] = u + v;
      b[c] = u - v;
    }
  }
}
void dif_scalar(BabyBear* __restrict a, BabyBear* __restrict b, const BabyBear* __restrict tw,
                size_t rows, size_t stride, size_t cols) {
  for (size_t r = 0; r < rows; ++r, a += stride, b += stride) {
    const BabyBear w = tw[r];
    for (size_t c = 0; c < cols; ++c) {
      const BabyBear u = a[c], v = b[c];
      a[c] = u + v;
      b[c] = (u - v) * w;
    }
  }
}
void scale_scalar(BabyBear* dst, const BabyBear* src, BabyBear k, size_t n) {
  for (size_t c = 0; c < n; ++c) dst[c] = src[c] * k;
}

#if TESSERA_NTT_X86
// GCC 12's AVX-512 intrinsics pass _mm512_undefined_epi32() as the unused merge source, which
// -Wmaybe-uninitialized reports as a false positive.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
// ---- AVX-512 (16 lanes) ----------------------------------------------------------------------
#define TESSERA_AVX512 __attribute__((target("avx512f")))

TESSERA_AVX512 inline __m512i odd_to_even512(__m512i x) {
  return _mm512_castps_si512(_mm512_movehdup_ps(_mm512_castsi512_ps(x)));
}
TESSERA_AVX512 inline __m512i add512(__m512i a, __m512i b) {
  const __m512i t = _mm512_add_epi32(a, b);
  return _mm512_min_epu32(t, _mm512_sub_epi32(t, _mm512_set1_epi32(static_cast<int>(kP))));
}
TESSERA_AVX512 inline __m512i sub512(__m512i a, __m512i b) {
  const __m512i t = _mm512_sub_epi32(a, b);
  return _mm512_min_epu32(t, _mm512_add_epi32(t, _mm512_set1_epi32(static_cast<int>(kP))));
}
// a * b, where b_odd holds b's odd lanes moved to the even positions (equal to b when b is a
// broadcast).
TESSERA_AVX512 inline __m512i mul512(__m512i a, __m512i b, __m512i b_odd) {
  const __m512i p = _mm512_set1_epi32(static_cast<int>(kP));
  const __m512i pinv = _mm512_set1_epi32(static_cast<int>(kPInv));
  const __m512i prod_evn = _mm512_mul_epu32(a, b);
  const __m512i prod_odd = _mm512_mul_epu32(odd_to_even512(a), b_odd);
  const __m512i qp_evn = _mm512_mul_epu32(_mm512_mul_epu32(prod_evn, pinv), p);
  const __m512i qp_odd = _mm512_mul_epu32(_mm512_mul_epu32(prod_odd, pinv), p);
  // High 32 bits of each product into its own lane: even lanes from *_evn, odd from *_odd.
  const __mmask16 evens = 0x5555;
  const __m512i prod_hi = _mm512_castps_si512(
      _mm512_mask_movehdup_ps(_mm512_castsi512_ps(prod_odd), evens, _mm512_castsi512_ps(prod_evn)));
  const __m512i qp_hi = _mm512_castps_si512(
      _mm512_mask_movehdup_ps(_mm512_castsi512_ps(qp_odd), evens, _mm512_castsi512_ps(qp_evn)));
  const __m512i t = _mm512_sub_epi32(prod_hi, qp_hi);
  return _mm512_min_epu32(t, _mm512_add_epi32(t, p));
}

TESSERA_AVX512 void dit_avx512(BabyBear* a, BabyBear* b, const BabyBear* tw, size_t rows,
                               size_t stride, size_t cols) {
  if (stride == 1 && cols == 1) {  // one column: lanes run over rows, each with its twiddle
    size_t r = 0;
    for (; r + 16 <= rows; r += 16) {
      const __m512i w = _mm512_loadu_si512(tw + r);
      const __m512i u = _mm512_loadu_si512(a + r);
      const __m512i v = mul512(_mm512_loadu_si512(b + r), w, odd_to_even512(w));
      _mm512_storeu_si512(a + r, add512(u, v));
      _mm512_storeu_si512(b + r, sub512(u, v));
    }
    dit_scalar(a + r, b + r, tw + r, rows - r, 1, 1);
    return;
  }
  const __mmask16 tail = static_cast<__mmask16>((1u << (cols % 16)) - 1);
  for (size_t r = 0; r < rows; ++r, a += stride, b += stride) {
    const __m512i w = _mm512_set1_epi32(static_cast<int>(tw[r].raw()));
    size_t c = 0;
    for (; c + 16 <= cols; c += 16) {
      const __m512i u = _mm512_loadu_si512(a + c);
      const __m512i v = mul512(_mm512_loadu_si512(b + c), w, w);
      _mm512_storeu_si512(a + c, add512(u, v));
      _mm512_storeu_si512(b + c, sub512(u, v));
    }
    if (tail != 0) {
      const __m512i u = _mm512_maskz_loadu_epi32(tail, a + c);
      const __m512i v = mul512(_mm512_maskz_loadu_epi32(tail, b + c), w, w);
      _mm512_mask_storeu_epi32(a + c, tail, add512(u, v));
      _mm512_mask_storeu_epi32(b + c, tail, sub512(u, v));
    }
  }
}

TESSERA_AVX512 void dif_avx512(BabyBear* a, BabyBear* b, const BabyBear* tw, size_t rows,
                               size_t stride, size_t cols) {
  if (stride == 1 && cols == 1) {
    size_t r = 0;
    for (; r + 16 <= rows; r += 16) {
      const __m512i w = _mm512_loadu_si512(tw + r);
      const __m512i u = _mm512_loadu_si512(a + r);
      const __m512i v = _mm512_loadu_si512(b + r);
      _mm512_storeu_si512(a + r, add512(u, v));
      _mm512_storeu_si512(b + r, mul512(sub512(u, v), w, odd_to_even512(w)));
    }
    dif_scalar(a + r, b + r, tw + r, rows - r, 1, 1);
    return;
  }
  const __mmask16 tail = static_cast<__mmask16>((1u << (cols % 16)) - 1);
  for (size_t r = 0; r < rows; ++r, a += stride, b += stride) {
    const __m512i w = _mm512_set1_epi32(static_cast<int>(tw[r].raw()));
    size_t c = 0;
    for (; c + 16 <= cols; c += 16) {
      const __m512i u = _mm512_loadu_si512(a + c);
      const __m512i v = _mm512_loadu_si512(b + c);
      _mm512_storeu_si512(a + c, add512(u, v));
      _mm512_storeu_si512(b + c, mul512(sub512(u, v), w, w));
    }
    if (tail != 0) {
      const __m512i u = _mm512_maskz_loadu_epi32(tail, a + c);
      const __m512i v = _mm512_maskz_loadu_epi32(tail, b + c);
      _mm512_mask_storeu_epi32(a + c, tail, add512(u, v));
      _mm512_mask_storeu_epi32(b + c, tail, mul512(sub512(u, v), w, w));
    }
  }
}

TESSERA_AVX512 void scale_avx512(BabyBear* dst, const BabyBear* src, BabyBear k, size_t n) {
  const __m512i w = _mm512_set1_epi32(static_cast<int>(k.raw()));
  size_t c = 0;
  for (; c + 16 <= n; c += 16) {
    _mm512_storeu_si512(dst + c, mul512(_mm512_loadu_si512(src + c), w, w));
  }
  const __mmask16 tail = static_cast<__mmask16>((1u << (n - c)) - 1);
  if (tail != 0) {
    _mm512_mask_storeu_epi32(dst + c, tail, mul512(_mm512_maskz_loadu_epi32(tail, src + c), w, w));
  }
}

// ---- AVX2 (8 lanes) --------------------------------------------------------------------------
#define TESSERA_AVX2 __attribute__((target("avx2")))

TESSERA_AVX2 inline __m256i odd_to_even256(__m256i x) {
  return _mm256_castps_si256(_mm256_movehdup_ps(_mm256_castsi256_ps(x)));
}
TESSERA_AVX2 inline __m256i add256(__m256i a, __m256i b) {
  const __m256i t = _mm256_add_epi32(a, b);
  return _mm256_min_epu32(t, _mm256_sub_epi32(t, _mm256_set1_epi32(static_cast<int>(kP))));
}
TESSERA_AVX2 inline __m256i sub256(__m256i a, __m256i b) {
  const __m256i t = _mm256_sub_epi32(a, b);
  return _mm256_min_epu32(t, _mm256_add_epi32(t, _mm256_set1_epi32(static_cast<int>(kP))));
}
TESSERA_AVX2 inline __m256i mul256(__m256i a, __m256i b, __m256i b_odd) {
  const __m256i p = _mm256_set1_epi32(static_cast<int>(kP));
  const __m256i pinv = _mm256_set1_epi32(static_cast<int>(kPInv));
  const __m256i prod_evn = _mm256_mul_epu32(a, b);
  const __m256i prod_odd = _mm256_mul_epu32(odd_to_even256(a), b_odd);
  const __m256i qp_evn = _mm256_mul_epu32(_mm256_mul_epu32(prod_evn, pinv), p);
  const __m256i qp_odd = _mm256_mul_epu32(_mm256_mul_epu32(prod_odd, pinv), p);
  // Even lanes: high half of *_evn (moved down); odd lanes: high half of *_odd (in place).
  const __m256i prod_hi = _mm256_blend_epi32(odd_to_even256(prod_evn), prod_odd, 0xAA);
  const __m256i qp_hi = _mm256_blend_epi32(odd_to_even256(qp_evn), qp_odd, 0xAA);
  const __m256i t = _mm256_sub_epi32(prod_hi, qp_hi);
  return _mm256_min_epu32(t, _mm256_add_epi32(t, p));
}

TESSERA_AVX2 void dit_avx2(BabyBear* a, BabyBear* b, const BabyBear* tw, size_t rows, size_t stride,
                           size_t cols) {
  if (stride == 1 && cols == 1) {
    size_t r = 0;
    for (; r + 8 <= rows; r += 8) {
      const __m256i w = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(tw + r));
      const __m256i u = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + r));
      const __m256i v =
          mul256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + r)), w, odd_to_even256(w));
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(a + r), add256(u, v));
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(b + r), sub256(u, v));
    }
    dit_scalar(a + r, b + r, tw + r, rows - r, 1, 1);
    return;
  }
  for (size_t r = 0; r < rows; ++r, a += stride, b += stride) {
    const __m256i w = _mm256_set1_epi32(static_cast<int>(tw[r].raw()));
    size_t c = 0;
    for (; c + 8 <= cols; c += 8) {
      const __m256i u = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + c));
      const __m256i v = mul256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + c)), w, w);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(a + c), add256(u, v));
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(b + c), sub256(u, v));
    }
    dit_scalar(a + c, b + c, tw + r, 1, 0, cols - c);
  }
}

TESSERA_AVX2 void dif_avx2(BabyBear* a, BabyBear* b, const BabyBear* tw, size_t rows, size_t stride,
                           size_t cols) {
  if (stride == 1 && cols == 1) {
    size_t r = 0;
    for (; r + 8 <= rows; r += 8) {
      const __m256i w = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(tw + r));
      const __m256i u = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + r));
      const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + r));
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(a + r), add256(u, v));
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(b + r),
                          mul256(sub256(u, v), w, odd_to_even256(w)));
    }
    dif_scalar(a + r, b + r, tw + r, rows - r, 1, 1);
    return;
  }
  for (size_t r = 0; r < rows; ++r, a += stride, b += stride) {
    const __m256i w = _mm256_set1_epi32(static_cast<int>(tw[r].raw()));
    size_t c = 0;
    for (; c + 8 <= cols; c += 8) {
      const __m256i u = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + c));
      const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + c));
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(a + c), add256(u, v));
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(b + c), mul256(sub256(u, v), w, w));
    }
    dif_scalar(a + c, b + c, tw + r, 1, 0, cols - c);
  }
}

TESSERA_AVX2 void scale_avx2(BabyBear* dst, const BabyBear* src, BabyBear k, size_t n) {
  const __m256i w = _mm256_set1_epi32(static_cast<int>(k.raw()));
  size_t c = 0;
  for (; c + 8 <= n; c += 8) {
    _mm256_storeu_si256(
        reinterpret_cast<__m256i*>(dst + c),
        mul256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + c)), w, w));
  }
  scale_scalar(dst + c, src + c, k, n - c);
}
#pragma GCC diagnostic pop
#endif  // TESSERA_NTT_X86

SimdLevel detect() noexcept {
#if TESSERA_NTT_X86
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return SimdLevel::kAvx512;
  if (__builtin_cpu_supports("avx2")) return SimdLevel::kAvx2;
#endif
  return SimdLevel::kScalar;
}

std::atomic<SimdLevel>& level_ref() noexcept {
  static std::atomic<SimdLevel> level{best_simd_level()};
  return level;
}

}  // namespace

SimdLevel best_simd_level() noexcept {
  static const SimdLevel best = detect();
  return best;
}

SimdLevel simd_level() noexcept {
  return level_ref().load(std::memory_order_relaxed);
}

void set_simd_level(SimdLevel level) {
  TESSERA_CHECK(static_cast<int>(level) <= static_cast<int>(best_simd_level()),
                ErrorKind::InvalidArgument,
                "this CPU does not support the " << simd_level_name(level) << " NTT path");
  level_ref().store(level, std::memory_order_relaxed);
}

const char* simd_level_name(SimdLevel level) noexcept {
  switch (level) {
    case SimdLevel::kAvx512:
      return "avx512";
    case SimdLevel::kAvx2:
      return "avx2";
    case SimdLevel::kScalar:
      break;
  }
  return "scalar";
}

void dit_rows(BabyBear* a, BabyBear* b, const BabyBear* tw, size_t rows, size_t stride,
              size_t cols) noexcept {
  switch (simd_level()) {
#if TESSERA_NTT_X86
    case SimdLevel::kAvx512:
      return dit_avx512(a, b, tw, rows, stride, cols);
    case SimdLevel::kAvx2:
      return dit_avx2(a, b, tw, rows, stride, cols);
#endif
    default:
      return dit_scalar(a, b, tw, rows, stride, cols);
  }
}

void dif_rows(BabyBear* a, BabyBear* b, const BabyBear* tw, size_t rows, size_t stride,
              size_t cols) noexcept {
  switch (simd_level()) {
#if TESSERA_NTT_X86
    case SimdLevel::kAvx512:
      return dif_avx512(a, b, tw, rows, stride, cols);
    case SimdLevel::kAvx2:
      return dif_avx2(a, b, tw, rows, stride, cols);
#endif
    default:
      return dif_scalar(a, b, tw, rows, stride, cols);
  }
}

void scale_row(BabyBear* dst, const BabyBear* src, BabyBear k, size_t n) noexcept {
  switch (simd_level()) {
#if TESSERA_NTT_X86
    case SimdLevel::kAvx512:
      return scale_avx512(dst, src, k, n);
    case SimdLevel::kAvx2:
      return scale_avx2(dst, src, k, n);
#endif
    default:
      return scale_scalar(dst, src, k, n);
  }
}

}  // namespace tessera::ntt_detail
