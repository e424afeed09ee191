#include "poly/bit_reverse.hpp"

#include <algorithm>
#include <bit>

#include "common/check.hpp"
#include "poly/butterflies.hpp"

namespace tessera {

uint32_t log2_strict(size_t n, const char* what) {
  TESSERA_CHECK(n != 0 && std::has_single_bit(n), ErrorKind::InvalidArgument,
                what << " " << n << " is not a power of two");
  return static_cast<uint32_t>(std::countr_zero(n));
}

namespace {

// Swaps row i with row rev(i) for every i, multiplying every row by k when `scale` is set.
//
// A plain loop over i touches rows i and rev(i), which for large matrices lie on unrelated
// memory pages: two TLB misses per swap. Instead split the k index bits as (a, b, c) with a and
// c of q bits each and b the m = k - 2q middle bits; rev(a, b, c) = (rev c, rev b, rev a). So the
// rows of "tile" b, {(a, b, c)}: 2^q runs of 2^q consecutive rows, are exchanged exactly with
// the rows of tile rev(b), again 2^q runs of 2^q consecutive rows. Handling one pair of tiles
// at a time keeps the working set to 2^(q+1) short runs (q is chosen so a tile is <= 256 KiB),
// and tiles are independent, so they are the unit of parallelism.
void permute(BabyBear* data, size_t height, size_t width, bool scale, BabyBear k) {
  const uint32_t bits = log2_strict(height, "bit-reversal height");
  if (width == 0) return;
  const auto fix = [&](BabyBear* row) {
    if (scale) ntt_detail::scale_row(row, row, k, width);
  };
  const auto exchange = [&](size_t i, size_t j) {
    BabyBear* a = data + i * width;
    BabyBear* b = data + j * width;
    fix(a);
    fix(b);
    std::swap_ranges(a, a + width, b);
  };
  if (bits < 2) {  // rev is the identity
    for (size_t i = 0; i < height; ++i) fix(data + i * width);
    return;
  }
  uint32_t q = 1;
  while (2 * (q + 1) <= bits && (size_t{1} << (2 * (q + 1))) * width <= (size_t{1} << 16)) ++q;
  const uint32_t m = bits - 2 * q;
  const size_t tiles = size_t{1} << m, side = size_t{1} << q;
#pragma omp parallel for schedule(dynamic, 1) if (height * width >= (size_t{1} << 16))
  for (size_t b = 0; b < tiles; ++b) {
    const size_t b_rev = reverse_bits(b, m);
    if (b > b_rev) continue;  // the pair is handled from tile b_rev
    for (size_t a = 0; a < side; ++a) {
      const size_t a_rev = reverse_bits(a, q);
      for (size_t c = 0; c < side; ++c) {
        const size_t i = (a << (m + q)) | (b << q) | c;
        const size_t j = (reverse_bits(c, q) << (m + q)) | (b_rev << q) | a_rev;
        // Tiles b < b_rev: every row pairs with a row of the other tile. Tile b == b_rev pairs
        // with itself: exchange from the smaller index only.
        if (b != b_rev || i < j) {
          exchange(i, j);
        } else if (i == j) {
          fix(data + i * width);
        }
      }
    }
  }
}

}  // namespace

void bit_reverse_rows(BabyBear* data, size_t height, size_t width) {
  permute(data, height, width, false, BabyBear::one());
}

void bit_reverse_rows_scaled(BabyBear* data, size_t height, size_t width, BabyBear k) {
  permute(data, height, width, true, k);
}

void bit_reverse_rows(RowMajorMatrix<BabyBear>& m) {
  bit_reverse_rows(m.data(), m.height(), m.width());
}

}  // namespace tessera
