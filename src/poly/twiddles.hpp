#pragma once
// Precomputed twiddle factors of the radix-2 NTTs, shared by every transform size.
//
// Layout ("stage-major"): for the butterfly stage of half-size m = 2^s, the twiddles
// w_{2m}^j, 0 <= j < m, are stored contiguously at entries [m, 2m), where w_{2m} =
// two_adic_generator(s + 1) is a primitive 2m-th root of unity. Entry 0 is unused. These entries
// do not depend on the transform size, so one table of 2^L entries serves every transform of
// size <= 2^L, and each stage reads its twiddles sequentially.
//
// The table is built once per process for the largest size requested so far and then shared
// read-only; callers keep a shared_ptr, so growing it never invalidates a table in use.

#include <cstdint>
#include <memory>
#include <vector>

#include "field/babybear.hpp"

namespace tessera {

struct NttTwiddles {
  uint32_t log_size = 0;          // serves transforms of up to 2^log_size points
  std::vector<BabyBear> forward;  // [m + j] = w_{2m}^j
  std::vector<BabyBear> inverse;  // [m + j] = w_{2m}^-j
};

// A table serving transforms of size 2^log_n (log_n <= 27). Thread-safe.
std::shared_ptr<const NttTwiddles> ntt_twiddles(uint32_t log_n);

}  // namespace tessera
