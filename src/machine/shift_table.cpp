// Trace generation of the shift table (shift_table.hpp).
#include "machine/shift_table.hpp"

#include "machine/shard_record.hpp"
#include "machine/trace_util.hpp"

namespace tessera::rv32im {

RowMajorMatrix<BabyBear> ShiftAir::generate_trace(const ShardRecord& s, ByteCounts& bytes) const {
  const auto& cycles = s.by_family[static_cast<size_t>(Family::Shift)];
  RowMajorMatrix<BabyBear> trace(L.width, table_height(cycles.size()));
  fill_rows(trace, cycles.size(), bytes, [&](size_t i, BabyBear* row, ByteCounts& bc) {
    const uint32_t cycle = cycles[i];
    const ProgramRow& p = s.program_row(cycle);
    const vm::CycleEvent& e = s.record.cycles[cycle];
    const uint32_t b = e.rs1_value, c = reads_rs2(p.op) ? e.rs2_value : p.imm;
    const uint32_t amount = c & 31;
    const bool left = p.op == ZkOp::Sll || p.op == ZkOp::SllImm;
    const bool arith = p.op == ZkOp::Sra || p.op == ZkOp::SraImm;
    // The executor's semantics (vm/executor.cpp).
    const uint32_t a = left    ? b << amount
                       : arith ? static_cast<uint32_t>(static_cast<int32_t>(b) >> amount)
                               : b >> amount;
    // left: s = t - 8 d; right: s = 8 d - t (shift_table.hpp).
    const uint32_t t = left ? amount & 7 : (8 - (amount & 7)) & 7;
    const int32_t d =
        left ? -static_cast<int32_t>(amount >> 3) : static_cast<int32_t>((amount + t) >> 3);
    const bool sign = arith && (b >> 31) != 0;

    set_op_flags(row, L.ops, p.op);
    fill_adapter(row, L.io, adapter_witness(s, cycle, a), bc);
    set_col(row, L.s, amount);
    bc.op(kByteAnd, c & 0xff, 31);
    for (uint32_t k = 0; k < 3; ++k) set_flag(row, L.t[k], ((t >> k) & 1) != 0);
    set_col(row, L.pow_m1, (1u << t) - 1);
    set_flag(row, L.move[d + kShiftMoveBias], true);
    set_flag(row, L.sign, sign);
    if (arith) bc.op(kByteAnd, byte_of(b, 3), 128);
    for (uint32_t k = 0; k < 4; ++k) {
      const uint32_t shifted = byte_of(b, k) << t;
      set_col(row, L.low[k], shifted & 0xff);
      set_col(row, L.high[k], shifted >> 8);
      bc.pair(shifted >> 8, shifted & 0xff);
    }
  });
  return trace;
}

}  // namespace tessera::rv32im
