#pragma once
// The shard table: where the shard's public statement meets the buses. Its first row
//   sends    (0, start_pc, 0, 0, 0)                      on state: the first instruction's input
//   receives (K, end_pc, halted, exit_lo, exit_hi)        on state: the last instruction's output
//   sends    (-1, in_count, out_count, eof)               on io_order: before the first I/O call
//   receives (last_io_clk, in_count', out_count', eof')   on io_order: after the last one
// so that the instruction rows form one chain of exactly K steps from start_pc to end_pc (see
// adapter.hpp), halting — the exit system call sends halted = 1 — only if its last step is the
// exit, and the I/O system calls form one chain in cycle order between the two I/O states.
// The remaining public values (shard index, start cycle) are not used by any constraint: they
// are bound to the proof by the transcript, and the verifier checks them against the request.

#include <cstdint>
#include <string>

#include "field/babybear.hpp"
#include "machine/buses.hpp"
#include "matrix/row_major_matrix.hpp"
#include "stark/air.hpp"
#include "stark/cuda_quotient.hpp"

namespace tessera::rv32im {

namespace shard_pv {
inline constexpr uint32_t kStartPc = 0, kEndPc = 1, kCycles = 2, kHalted = 3, kExitLo = 4,
                          kExitHi = 5, kInCount = 6, kOutCount = 7, kEof = 8, kEndInCount = 9,
                          kEndOutCount = 10, kEndEof = 11, kLastIoClk = 12, kShardIndex = 13,
                          kStartCycleLo = 14, kStartCycleHi = 15, kCount = 16;
}

inline constexpr uint32_t kShardTableHeight = 4;

class ShardAir : public AirBase {
 public:
  std::string name() const { return "shard"; }
  // Column 0: 1 on the first row, 0 elsewhere. (The first-row selector cannot be the
  // multiplicity: selectors are unnormalised — n on the first row — in the quotient.)
  size_t width() const { return 1; }
  size_t num_public_values() const { return shard_pv::kCount; }

  template <class AB>
  TESSERA_HD void eval(AB& b) const {
    using Expr = typename AB::Expr;
    namespace pv = shard_pv;
    const Expr zero(BabyBear::zero());
    const Expr first = b.main().local(0);
    b.when_first_row().assert_eq("shard.first", first, BabyBear::one());
    b.when_transition().assert_zero("shard.only_first", b.main().next(0));
    Expr v[pv::kCount];
    for (uint32_t i = 0; i < pv::kCount; ++i) v[i] = b.public_value(i);
    b.send(kBusState, {zero, v[pv::kStartPc], zero, zero, zero}, first);
    b.receive(kBusState,
              {v[pv::kCycles], v[pv::kEndPc], v[pv::kHalted], v[pv::kExitLo], v[pv::kExitHi]},
              first);
    b.send(kBusIoOrder, {Expr(-BabyBear::one()), v[pv::kInCount], v[pv::kOutCount], v[pv::kEof]},
           first);
    b.receive(kBusIoOrder,
              {v[pv::kLastIoClk], v[pv::kEndInCount], v[pv::kEndOutCount], v[pv::kEndEof]}, first);
  }

  RowMajorMatrix<BabyBear> generate_trace() const {
    RowMajorMatrix<BabyBear> t(1, kShardTableHeight);
    t.at(0, 0) = BabyBear::one();
    return t;
  }
};

}  // namespace tessera::rv32im

// The CUDA constraint fold (stark/cuda_quotient.hpp; instantiated in kernels/quotient_rv32im*.cu).
namespace tessera {
TESSERA_CUDA_QUOTIENT_AIR(rv32im::ShardAir);
}  // namespace tessera
