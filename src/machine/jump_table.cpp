// Trace generation of the jump table (jump_table.hpp).
#include "machine/jump_table.hpp"

#include "machine/instruction_trace.hpp"

namespace tessera::rv32im {

RowMajorMatrix<BabyBear> JumpAir::generate_trace(const ShardRecord& s, ByteCounts& bytes) const {
  // (sequential_instruction_trace fills flags and adapter for any next_pc: next_pc is ours.)
  return sequential_instruction_trace(
      s, Family::Jump, L.width, L.ops, L.io, bytes,
      [this](BabyBear* row, const ProgramRow& p, uint32_t b, uint32_t imm, ByteCounts& bc) {
        const uint32_t link = p.pc + 4;
        uint32_t next_pc = p.target;  // JAL: pc + offset as a field element
        uint32_t s3 = 0;
        if (p.op == ZkOp::Jalr) {
          const uint32_t sum = fill_add_bytes(row, L.s, L.carry, b, imm);
          set_flag(row, L.bit0, (sum & 1) != 0);
          next_pc = sum & ~1u;  // aligned and a text pc: the executor trapped otherwise
          bc.op(kByteAnd, byte_of(next_pc, 0), 3);
          bc.pair(byte_of(sum, 1), byte_of(sum, 2));
          s3 = byte_of(sum, 3);
        }
        set_col(row, L.next_pc, next_pc);
        bc.pair(byte_of(link, 0), byte_of(link, 1));
        bc.pair(byte_of(link, 2), byte_of(link, 3));
        bc.pair(s3, kMaxCanonicalTopByte - byte_of(link, 3));
        return link;
      });
}

}  // namespace tessera::rv32im
