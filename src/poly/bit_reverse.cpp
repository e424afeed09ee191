#include "poly/bit_reverse.hpp"

#include <algorithm>
#include <bit>

#include "common/check.hpp"

namespace tessera {

uint32_t log2_strict(size_t n, const char* what) {
  TESSERA_CHECK(n != 0 && std::has_single_bit(n), ErrorKind::InvalidArgument,
                what << " " << n << " is not a power of two");
  return static_cast<uint32_t>(std::countr_zero(n));
}

void bit_reverse_rows(BabyBear* data, size_t height, size_t width) {
  const uint32_t bits = log2_strict(height, "bit-reversal height");
  if (width == 0 || height <= 2) return;
  // Each pair {i, rev(i)} is swapped exactly once, by the smaller index; pairs are disjoint, so
  // the iterations are independent.
  const long long n = static_cast<long long>(height);
#pragma omp parallel for schedule(static) if (height * width >= (size_t{1} << 16))
  for (long long i = 0; i < n; ++i) {
    const size_t r = reverse_bits(static_cast<size_t>(i), bits);
    if (static_cast<size_t>(i) < r) {
      std::swap_ranges(data + static_cast<size_t>(i) * width,
                       data + static_cast<size_t>(i) * width + width, data + r * width);
    }
  }
}

void bit_reverse_rows(RowMajorMatrix<BabyBear>& m) {
  bit_reverse_rows(m.data(), m.height(), m.width());
}

}  // namespace tessera
