#include "machine/rv32im_stark.hpp"

#include "common/check.hpp"
#include "machine/absorb_table.hpp"
#include "machine/alu_table.hpp"
#include "machine/bitwise_table.hpp"
#include "machine/byte_table.hpp"
#include "machine/compare_table.hpp"
#include "machine/divrem_table.hpp"
#include "machine/io_words_table.hpp"
#include "machine/jump_table.hpp"
#include "machine/load_table.hpp"
#include "machine/merkle_table.hpp"
#include "machine/mul_table.hpp"
#include "machine/p2call_table.hpp"
#include "machine/page_table.hpp"
#include "machine/poseidon2_table.hpp"
#include "machine/shard_table.hpp"
#include "machine/shift_table.hpp"
#include "machine/store_table.hpp"
#include "machine/system_table.hpp"

namespace tessera::rv32im {

Rv32imStark::Rv32imStark(const ProgramImage& image) : machine_("rv32im") {
  // The order is TableId's.
  TESSERA_CHECK(machine_.add(ShardAir{}) == kTableShard, ErrorKind::Internal, "table order");
  TESSERA_CHECK(machine_.add(ProgramAir(&image)) == kTableProgram, ErrorKind::Internal, "table order");
  TESSERA_CHECK(machine_.add(ByteAir{}) == kTableBytes, ErrorKind::Internal, "table order");
  TESSERA_CHECK(machine_.add(SystemAir{}) == kTableSystem, ErrorKind::Internal, "table order");
  TESSERA_CHECK(machine_.add(IoWordsAir{}) == kTableIoWords, ErrorKind::Internal, "table order");
  TESSERA_CHECK(machine_.add(AbsorbAir(kIoInput)) == kTableAbsorbInput, ErrorKind::Internal,
                "table order");
  TESSERA_CHECK(machine_.add(AbsorbAir(kIoOutput)) == kTableAbsorbOutput, ErrorKind::Internal,
                "table order");
  TESSERA_CHECK(machine_.add(P2CallAir{}) == kTableP2Call, ErrorKind::Internal, "table order");
  TESSERA_CHECK(machine_.add(AluAir{}) == kTableAlu, ErrorKind::Internal, "table order");
  TESSERA_CHECK(machine_.add(BitwiseAir{}) == kTableBitwise, ErrorKind::Internal, "table order");
  TESSERA_CHECK(machine_.add(ShiftAir{}) == kTableShift, ErrorKind::Internal, "table order");
  TESSERA_CHECK(machine_.add(MulAir{}) == kTableMul, ErrorKind::Internal, "table order");
  TESSERA_CHECK(machine_.add(DivRemAir{}) == kTableDivRem, ErrorKind::Internal, "table order");
  TESSERA_CHECK(machine_.add(CompareAir{}) == kTableCompare, ErrorKind::Internal, "table order");
  TESSERA_CHECK(machine_.add(JumpAir{}) == kTableJump, ErrorKind::Internal, "table order");
  TESSERA_CHECK(machine_.add(LoadAir{}) == kTableLoad, ErrorKind::Internal, "table order");
  TESSERA_CHECK(machine_.add(StoreAir{}) == kTableStore, ErrorKind::Internal, "table order");
  TESSERA_CHECK(machine_.add(PageAir{}) == kTablePages, ErrorKind::Internal, "table order");
  TESSERA_CHECK(machine_.add(MerkleAir{}) == kTableMerkle, ErrorKind::Internal, "table order");
  TESSERA_CHECK(machine_.add(Poseidon2LookupAir{}) == kTablePoseidon2, ErrorKind::Internal,
                "table order");
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
