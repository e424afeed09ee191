#include "machine/byte_table.hpp"

namespace tessera::rv32im {

void ByteCounts::merge(const ByteCounts& o) {
  for (size_t i = 0; i < counts_.size(); ++i) counts_[i] += o.counts_[i];
}

RowMajorMatrix<BabyBear> ByteAir::preprocessed_trace() const {
  RowMajorMatrix<BabyBear> t(byte_cols::kWidth, size_t{1} << kByteTableLogHeight);
  for (uint32_t r = 0; r < (1u << kByteTableLogHeight); ++r) {
    const uint32_t x = r & 0xff, y = r >> 8;
    BabyBear* row = t.row(r).data();
    row[byte_cols::kX] = BabyBear::from_u32(x);
    row[byte_cols::kY] = BabyBear::from_u32(y);
    row[byte_cols::kAnd] = BabyBear::from_u32(x & y);
    row[byte_cols::kOr] = BabyBear::from_u32(x | y);
    row[byte_cols::kXor] = BabyBear::from_u32(x ^ y);
  }
  return t;
}

RowMajorMatrix<BabyBear> ByteAir::generate_trace(const ByteCounts& counts) const {
  RowMajorMatrix<BabyBear> t(kByteOps, size_t{1} << kByteTableLogHeight);
  for (uint32_t r = 0; r < (1u << kByteTableLogHeight); ++r) {
    for (uint32_t op = 1; op <= kByteOps; ++op) {
      t.at(r, op - 1) = BabyBear::from_u32(counts.count(op, r));
    }
  }
  return t;
}

}  // namespace tessera::rv32im
