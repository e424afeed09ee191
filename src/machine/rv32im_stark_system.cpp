// The system group of the rv32im tables (rv32im_table_groups.hpp).
#include "common/check.hpp"
#include "machine/absorb_table.hpp"
#include "machine/byte_table.hpp"
#include "machine/io_words_table.hpp"
#include "machine/p2call_table.hpp"
#include "machine/rv32im_stark.hpp"
#include "machine/rv32im_table_groups.hpp"
#include "machine/shard_table.hpp"
#include "machine/system_table.hpp"

namespace tessera::rv32im {

void add_system_tables(Machine& m, const ProgramImage& image) {
  TESSERA_CHECK(m.add(ShardAir{}) == kTableShard, ErrorKind::Internal, "table order");
  TESSERA_CHECK(m.add(ProgramAir(&image)) == kTableProgram, ErrorKind::Internal, "table order");
  TESSERA_CHECK(m.add(ByteAir{}) == kTableBytes, ErrorKind::Internal, "table order");
  TESSERA_CHECK(m.add(SystemAir{}) == kTableSystem, ErrorKind::Internal, "table order");
  TESSERA_CHECK(m.add(IoWordsAir{}) == kTableIoWords, ErrorKind::Internal, "table order");
  TESSERA_CHECK(m.add(AbsorbAir(kIoInput)) == kTableAbsorbInput, ErrorKind::Internal,
                "table order");
  TESSERA_CHECK(m.add(AbsorbAir(kIoOutput)) == kTableAbsorbOutput, ErrorKind::Internal,
                "table order");
  TESSERA_CHECK(m.add(P2CallAir{}) == kTableP2Call, ErrorKind::Internal, "table order");
}

}  // namespace tessera::rv32im
