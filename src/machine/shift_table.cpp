// Trace generation of the shift table (shift_table.hpp).
#include "machine/shift_table.hpp"

#include "machine/instruction_trace.hpp"

namespace tessera::rv32im {

RowMajorMatrix<BabyBear> ShiftAir::generate_trace(const ShardRecord& s, ByteCounts& bytes) const {
  return sequential_instruction_trace(
      s, Family::Shift, L.width, L.ops, L.io, bytes,
      [this](BabyBear* row, const ProgramRow& p, uint32_t b, uint32_t c, ByteCounts& bc) {
        const uint32_t amount = c & 31;
        const bool left = p.op == ZkOp::Sll || p.op == ZkOp::SllImm;
        const bool arith = p.op == ZkOp::Sra || p.op == ZkOp::SraImm;
        // left: s = t - 8 d; right: s = 8 d - t (shift_table.hpp).
        const uint32_t t = left ? amount & 7 : (8 - (amount & 7)) & 7;
        const int32_t d =
            left ? -static_cast<int32_t>(amount >> 3) : static_cast<int32_t>((amount + t) >> 3);
        const bool sign = arith && (b >> 31) != 0;
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
        // The executor's semantics (vm/executor.cpp).
        return left    ? b << amount
               : arith ? static_cast<uint32_t>(static_cast<int32_t>(b) >> amount)
                       : b >> amount;
      });
}

}  // namespace tessera::rv32im
