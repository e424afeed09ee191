// The mul/div and control-flow group of the rv32im tables (rv32im_table_groups.hpp).
#include "machine/compare_table.hpp"
#include "machine/divrem_table.hpp"
#include "machine/jump_table.hpp"
#include "machine/mul_table.hpp"
#include "machine/rv32im_table_groups.hpp"

namespace tessera::rv32im {

void add_muldiv_tables(Machine& m) {
  add_table(m, MulAir{}, kTableMul);
  add_table(m, DivRemAir{}, kTableDivRem);
  add_table(m, CompareAir{}, kTableCompare);
  add_table(m, JumpAir{}, kTableJump);
}

}  // namespace tessera::rv32im
