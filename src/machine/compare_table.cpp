// Trace generation of the compare table (compare_table.hpp).
#include "machine/compare_table.hpp"

#include "machine/instruction_trace.hpp"

namespace tessera::rv32im {

namespace {

// The decision of `op` on (b, c): rd for the SLT forms, taken for the branches.
bool decide(ZkOp op, uint32_t b, uint32_t c) {
  const bool lt = static_cast<int32_t>(b) < static_cast<int32_t>(c);
  switch (op) {
    case ZkOp::Slt:
    case ZkOp::SltImm:
    case ZkOp::Blt:
      return lt;
    case ZkOp::Sltu:
    case ZkOp::SltuImm:
    case ZkOp::Bltu:
      return b < c;
    case ZkOp::Bge:
      return !lt;
    case ZkOp::Bgeu:
      return b >= c;
    case ZkOp::Beq:
      return b == c;
    case ZkOp::Bne:
      return b != c;
    default:
      return false;
  }
}

}  // namespace

RowMajorMatrix<BabyBear> CompareAir::generate_trace(const ShardRecord& s, ByteCounts& bytes) const {
  // (sequential_instruction_trace fills flags and adapter for any next_pc: delta is ours.)
  return sequential_instruction_trace(
      s, Family::Compare, L.width, L.ops, L.io, bytes,
      [this](BabyBear* row, const ProgramRow& p, uint32_t b, uint32_t c, ByteCounts& bc) {
        const uint32_t d = b - c;
        set_col(row, L.d_lo, d & 0xffff);
        set_col(row, L.d_hi, d >> 16);
        bc.range16(d & 0xffff);
        bc.range16(d >> 16);
        set_flag(row, L.borrow_lo, (b & 0xffff) < (c & 0xffff));
        set_flag(row, L.ltu, b < c);
        set_flag(row, L.b_neg, (b >> 31) != 0);
        set_flag(row, L.c_neg, (c >> 31) != 0);
        bc.op(kByteAnd, byte_of(b, 3), 128);
        bc.op(kByteAnd, byte_of(c, 3), 128);
        row[L.inv] = BabyBear::from_u32((d & 0xffff) + (d >> 16)).inverse();  // 0 stays 0
        const bool cond = decide(p.op, b, c);
        if (cond && (L.ops.mask({p.op}) & L.branch_mask) != 0) {
          row[L.delta] = BabyBear::from_u32(p.target) - BabyBear::from_u32(p.pc + 4);
        }
        return cond ? 1u : 0u;
      });
}

}  // namespace tessera::rv32im
