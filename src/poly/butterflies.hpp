#pragma once
// The innermost NTT loops (radix-2 butterflies over runs of rows, row scaling), with explicit
// AVX-512 and AVX2 implementations chosen once at run time from the CPU, and a portable scalar
// fallback. All implementations compute the same canonical field values (a Montgomery product
// is unique), so results never depend on the level; tests compare every level the CPU has.
//
// Internal to src/poly; the public API is ntt.hpp.

#include <cstddef>

#include "field/babybear.hpp"

namespace tessera::ntt_detail {

enum class SimdLevel { kScalar = 0, kAvx2 = 1, kAvx512 = 2 };

// The best level this CPU supports.
SimdLevel best_simd_level() noexcept;
// The level in use (initially best_simd_level()).
SimdLevel simd_level() noexcept;
// For tests and benchmarks: use `level` from now on. Throws InvalidArgument if the CPU lacks it.
void set_simd_level(SimdLevel level);
const char* simd_level_name(SimdLevel level) noexcept;

// For r in [0, rows), c in [0, cols), with x = a + r*stride + c, y = b + r*stride + c, t = tw[r]:
//   dit: (x, y) <- (x + t y, x - t y)        dif: (x, y) <- (x + y, (x - y) t)
// The runs [a, a + rows*stride) and [b, ...) must not overlap (they are distinct rows).
void dit_rows(BabyBear* a, BabyBear* b, const BabyBear* tw, size_t rows, size_t stride,
              size_t cols) noexcept;
void dif_rows(BabyBear* a, BabyBear* b, const BabyBear* tw, size_t rows, size_t stride,
              size_t cols) noexcept;
// dst[c] = src[c] * k for c in [0, n); dst may equal src.
void scale_row(BabyBear* dst, const BabyBear* src, BabyBear k, size_t n) noexcept;

}  // namespace tessera::ntt_detail
