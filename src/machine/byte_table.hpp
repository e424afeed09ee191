#pragma once
// The byte table: every pair (x, y) of bytes, 2^16 preprocessed rows (row x + 256 y), answering
// the lookups of machine/buses.hpp's bytes bus:
//   (range16, x + 256 y, 0, 0)   (pair, x, y, 0)   (and, x, y, x & y)   (or ...)   (xor ...)
// One main column per operation holds how often the shard looked that row up. The table is the
// receiving side of a lookup: its multiplicities are free witnesses, and a message that is not one
// of its rows cannot be balanced however they are chosen (the senders' multiplicities are flags).
//
// ByteCounts accumulates the lookups while the other tables' traces are generated; its counts
// become the main columns.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "field/babybear.hpp"
#include "machine/buses.hpp"
#include "matrix/row_major_matrix.hpp"
#include "stark/air.hpp"
#include "stark/cuda_quotient.hpp"

namespace tessera::rv32im {

inline constexpr uint32_t kByteTableLogHeight = 16;
inline constexpr uint32_t kByteOps = 5;  // range16, pair, and, or, xor (ids 1..5)

// Preprocessed columns.
namespace byte_cols {
inline constexpr uint32_t kX = 0, kY = 1, kAnd = 2, kOr = 3, kXor = 4, kWidth = 5;
}

class ByteCounts {
 public:
  ByteCounts() : counts_(kByteOps << kByteTableLogHeight, 0) {}
  void range16(uint32_t v) { ++counts_[index(kByteRange16, v)]; }
  void pair(uint32_t x, uint32_t y) { ++counts_[index(kBytePair, x | (y << 8))]; }
  void op(uint32_t op, uint32_t x, uint32_t y) { ++counts_[index(op, x | (y << 8))]; }
  void merge(const ByteCounts& o);
  uint32_t count(uint32_t op, uint32_t row) const { return counts_[index(op, row)]; }

 private:
  static size_t index(uint32_t op, uint32_t row) {
    return (size_t{op - 1} << kByteTableLogHeight) | row;
  }
  std::vector<uint32_t> counts_;
};

class ByteAir : public AirBase {
 public:
  std::string name() const { return "bytes"; }
  size_t width() const { return kByteOps; }
  size_t preprocessed_width() const { return byte_cols::kWidth; }
  RowMajorMatrix<BabyBear> preprocessed_trace() const;

  template <class AB>
  TESSERA_HD void eval(AB& b) const {
    using Expr = typename AB::Expr;
    const auto p = b.preprocessed();
    const auto m = b.main();
    const Expr x = p.local(byte_cols::kX), y = p.local(byte_cols::kY);
    const Expr zero(BabyBear::zero());
    const Expr word = x + y * Expr(BabyBear::from_u32(256));
    receive(b, kByteRange16, word, zero, zero, Expr(m.local(0)));
    receive(b, kBytePair, x, y, zero, Expr(m.local(1)));
    receive(b, kByteAnd, x, y, Expr(p.local(byte_cols::kAnd)), Expr(m.local(2)));
    receive(b, kByteOr, x, y, Expr(p.local(byte_cols::kOr)), Expr(m.local(3)));
    receive(b, kByteXor, x, y, Expr(p.local(byte_cols::kXor)), Expr(m.local(4)));
  }

  // The main trace (multiplicity columns) from the shard's lookups.
  RowMajorMatrix<BabyBear> generate_trace(const ByteCounts& counts) const;

 private:
  template <class AB, class Expr>
  TESSERA_HD static void receive(AB& b, uint32_t op, const Expr& x, const Expr& y, const Expr& z,
                                 const Expr& mult) {
    const Expr message[kBytesArity] = {Expr(BabyBear::from_u32(op)), x, y, z};
    b.interact(InteractionKind::Receive, kBusBytes, message, kBytesArity, mult,
               MultiplicityBound::lookup());
  }
};

}  // namespace tessera::rv32im

// The CUDA constraint fold (stark/cuda_quotient.hpp; instantiated in kernels/quotient_rv32im*.cu).
namespace tessera {
TESSERA_CUDA_QUOTIENT_AIR(rv32im::ByteAir);
}  // namespace tessera
