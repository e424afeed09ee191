// The system group of the rv32im tables (rv32im_table_groups.hpp).
#include "machine/absorb_table.hpp"
#include "machine/byte_table.hpp"
#include "machine/io_words_table.hpp"
#include "machine/p2call_table.hpp"
#include "machine/rv32im_table_groups.hpp"
#include "machine/shard_table.hpp"
#include "machine/system_table.hpp"

namespace tessera::rv32im {

void add_system_tables(Machine& m, const ProgramImage& image) {
  add_table(m, ShardAir{}, kTableShard);
  add_table(m, ProgramAir(&image), kTableProgram);
  add_table(m, ByteAir{}, kTableBytes);
  add_table(m, SystemAir{}, kTableSystem);
  add_table(m, IoWordsAir{}, kTableIoWords);
  add_table(m, AbsorbAir(kIoInput), kTableAbsorbInput);
  add_table(m, AbsorbAir(kIoOutput), kTableAbsorbOutput);
  add_table(m, P2CallAir{}, kTableP2Call);
}

}  // namespace tessera::rv32im
