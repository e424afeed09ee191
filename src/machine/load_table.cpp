// Trace generation of the load table (load_table.hpp).
#include "machine/load_table.hpp"

#include "machine/memory_trace.hpp"
#include "machine/memory_tree.hpp"

namespace tessera::rv32im {

RowMajorMatrix<BabyBear> LoadAir::generate_trace(const ShardRecord& s, const WordClasses& classes,
                                                 ByteCounts& bytes) const {
  return memory_instruction_trace(
      s, Family::Load, kSlotMemory, L.width, L.ops, L.io, bytes,
      [&](BabyBear* row, const MemoryInstruction& m, ByteCounts& bc) {
        const ProgramRow& p = *m.program;
        const uint32_t word = m.event->prev_word;
        const uint32_t hi = fill_access(row, L.access, m.ts, m.prev_ts, bc);
        const uint32_t addr = fill_address(row, L.address, m.b, p.imm, hi, bc);
        set_word(row, L.word, word);
        set_col(row, L.cls, classes.of_word(addr >> 2));
        // The executor's semantics (vm/executor.cpp): the selected byte or half, extended.
        const uint32_t shift = 8 * (addr & 3);
        const uint32_t byte = (word >> shift) & 0xff, half = (word >> shift) & 0xffff;
        uint32_t a = word, top = 0;
        switch (p.op) {
          case ZkOp::Lb:
            a = static_cast<uint32_t>(static_cast<int8_t>(byte));
            top = byte;
            break;
          case ZkOp::Lbu:
            a = byte;
            break;
          case ZkOp::Lh:
            a = static_cast<uint32_t>(static_cast<int16_t>(half));
            top = half >> 8;
            break;
          case ZkOp::Lhu:
            a = half;
            break;
          default:
            break;
        }
        set_col(row, L.top, top);
        set_flag(row, L.sign, (top >> 7) != 0);
        if (p.op == ZkOp::Lb || p.op == ZkOp::Lh) bc.op(kByteAnd, top, 128);
        return a;
      });
}

}  // namespace tessera::rv32im
