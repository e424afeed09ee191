// The ALU group of the rv32im tables (rv32im_table_groups.hpp).
#include "machine/alu_table.hpp"
#include "machine/bitwise_table.hpp"
#include "machine/rv32im_table_groups.hpp"
#include "machine/shift_table.hpp"

namespace tessera::rv32im {

void add_alu_tables(Machine& m) {
  add_table(m, AluAir{}, kTableAlu);
  add_table(m, BitwiseAir{}, kTableBitwise);
  add_table(m, ShiftAir{}, kTableShift);
}

}  // namespace tessera::rv32im
