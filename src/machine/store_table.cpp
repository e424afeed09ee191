// Trace generation of the store table (store_table.hpp).
#include "machine/store_table.hpp"

#include "machine/memory_trace.hpp"

namespace tessera::rv32im {

RowMajorMatrix<BabyBear> StoreAir::generate_trace(const ShardRecord& s, ByteCounts& bytes) const {
  return memory_instruction_trace(
      s, Family::Store, kSlotStore, L.width, L.ops, L.io, bytes,
      [this](BabyBear* row, const MemoryInstruction& m, ByteCounts& bc) {
        const uint32_t hi = fill_access(row, L.access, m.ts, m.prev_ts, bc);
        fill_address(row, L.address, m.b, m.program->imm, hi, bc);
        set_word(row, L.prev, m.event->prev_word);
        set_word(row, L.next, m.event->word);
        return 0u;
      });
}

}  // namespace tessera::rv32im
