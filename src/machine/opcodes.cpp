#include "machine/opcodes.hpp"

namespace tessera::rv32im {

std::string_view zk_op_name(ZkOp op) {
  switch (op) {
#define TESSERA_ZK_OP_NAME(name, family) \
  case ZkOp::name:                       \
    return #name;
    TESSERA_ZK_OPS(TESSERA_ZK_OP_NAME)
#undef TESSERA_ZK_OP_NAME
    case ZkOp::Invalid:
      break;
  }
  return "invalid";
}

std::string_view family_name(Family f) {
  switch (f) {
    case Family::None: return "none";
    case Family::Alu: return "alu";
    case Family::Bitwise: return "bitwise";
    case Family::Compare: return "compare";
    case Family::Shift: return "shift";
    case Family::Mul: return "mul";
    case Family::DivRem: return "divrem";
    case Family::Jump: return "jump";
    case Family::Load: return "load";
    case Family::Store: return "store";
    case Family::System: return "system";
  }
  return "?";
}

}  // namespace tessera::rv32im
