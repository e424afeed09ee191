#pragma once
// Bit reversal of row indices. A radix-2 NTT either reads or writes its data in bit-reversed
// order (Cooley–Tukey DIT reads bit-reversed input, Gentleman–Sande DIF writes bit-reversed
// output); this header makes the permutation explicit so callers can choose where to pay for it.

#include <cstddef>
#include <cstdint>

#include "field/babybear.hpp"
#include "matrix/row_major_matrix.hpp"

namespace tessera {

// The low `bits` bits of x in reverse order (bit 0 <-> bit bits-1); bits above are ignored.
// reverse_bits(x, 0) == 0. Requires bits <= 64.
constexpr size_t reverse_bits(size_t x, uint32_t bits) {
  if (bits == 0) return 0;
  uint64_t v = static_cast<uint64_t>(x);
  v = ((v >> 1) & 0x5555555555555555ull) | ((v & 0x5555555555555555ull) << 1);
  v = ((v >> 2) & 0x3333333333333333ull) | ((v & 0x3333333333333333ull) << 2);
  v = ((v >> 4) & 0x0f0f0f0f0f0f0f0full) | ((v & 0x0f0f0f0f0f0f0f0full) << 4);
  v = ((v >> 8) & 0x00ff00ff00ff00ffull) | ((v & 0x00ff00ff00ff00ffull) << 8);
  v = ((v >> 16) & 0x0000ffff0000ffffull) | ((v & 0x0000ffff0000ffffull) << 16);
  v = (v >> 32) | (v << 32);
  return static_cast<size_t>(v >> (64 - bits));
}
static_assert(reverse_bits(1, 3) == 4 && reverse_bits(6, 3) == 3 && reverse_bits(5, 1) == 1);

// log2 of a power of two n >= 1; throws ErrorKind::InvalidArgument otherwise. `what` names the
// quantity in the message (e.g. "NTT height").
uint32_t log2_strict(size_t n, const char* what);

// Permutes the rows: row i <-> row reverse_bits(i, log2(height)). The height must be a power of
// two >= 1 (InvalidArgument otherwise); width 0 is a no-op. Multithreaded.
void bit_reverse_rows(RowMajorMatrix<BabyBear>& m);
void bit_reverse_rows(BabyBear* data, size_t height, size_t width);
// The same permutation with every row also multiplied by k (one pass instead of two; the inverse
// NTT uses it to apply its 1/n).
void bit_reverse_rows_scaled(BabyBear* data, size_t height, size_t width, BabyBear k);

}  // namespace tessera
