// The mul/div and control-flow group of the rv32im tables (rv32im_table_groups.hpp).
#include "common/check.hpp"
#include "machine/compare_table.hpp"
#include "machine/divrem_table.hpp"
#include "machine/jump_table.hpp"
#include "machine/mul_table.hpp"
#include "machine/rv32im_stark.hpp"
#include "machine/rv32im_table_groups.hpp"

namespace tessera::rv32im {

void add_muldiv_tables(Machine& m) {
  TESSERA_CHECK(m.add(MulAir{}) == kTableMul, ErrorKind::Internal, "table order");
  TESSERA_CHECK(m.add(DivRemAir{}) == kTableDivRem, ErrorKind::Internal, "table order");
  TESSERA_CHECK(m.add(CompareAir{}) == kTableCompare, ErrorKind::Internal, "table order");
  TESSERA_CHECK(m.add(JumpAir{}) == kTableJump, ErrorKind::Internal, "table order");
}

}  // namespace tessera::rv32im
