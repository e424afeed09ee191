#include "machine/rv32im_stark.hpp"

#include "machine/rv32im_table_groups.hpp"

namespace tessera::rv32im {

Rv32imStark::Rv32imStark(const ProgramImage& image) : machine_("rv32im") {
  // The order is TableId's (each group checks its own).
  add_system_tables(machine_, image);
  add_alu_tables(machine_);
  add_muldiv_tables(machine_);
  add_memory_tables(machine_);
}

std::string table_name(TableId t) {
  switch (t) {
    case kTableShard: return "shard";
    case kTableProgram: return "program";
    case kTableBytes: return "bytes";
    case kTableSystem: return "system";
    case kTableIoWords: return "io_words";
    case kTableAbsorbInput: return "absorb_input";
    case kTableAbsorbOutput: return "absorb_output";
    case kTableP2Call: return "p2_call";
    case kTableAlu: return "alu";
    case kTableBitwise: return "bitwise";
    case kTableShift: return "shift";
    case kTableMul: return "mul";
    case kTableDivRem: return "divrem";
    case kTableCompare: return "compare";
    case kTableJump: return "jump";
    case kTableLoad: return "load";
    case kTableStore: return "store";
    case kTablePages: return "pages";
    case kTableMerkle: return "merkle";
    case kTablePoseidon2: return "poseidon2";
    case kTableCount: break;
  }
  return "?";
}

}  // namespace tessera::rv32im
