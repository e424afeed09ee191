// The ALU group of the rv32im tables (rv32im_table_groups.hpp).
#include "common/check.hpp"
#include "machine/alu_table.hpp"
#include "machine/bitwise_table.hpp"
#include "machine/rv32im_stark.hpp"
#include "machine/rv32im_table_groups.hpp"
#include "machine/shift_table.hpp"

namespace tessera::rv32im {

void add_alu_tables(Machine& m) {
  TESSERA_CHECK(m.add(AluAir{}) == kTableAlu, ErrorKind::Internal, "table order");
  TESSERA_CHECK(m.add(BitwiseAir{}) == kTableBitwise, ErrorKind::Internal, "table order");
  TESSERA_CHECK(m.add(ShiftAir{}) == kTableShift, ErrorKind::Internal, "table order");
}

}  // namespace tessera::rv32im
