#pragma once
// The zkVM's instruction set: every RV32IM instruction the executor runs maps to one zkVM opcode,
// proven by one instruction table (its "family"). The program table (program_table.hpp) stores
// the opcode and the decoded fields of every text word; an instruction row sends
// (pc, opcode, fields...) to it, so a row can only execute what the program says is at pc.
//
// Opcode 0 is "not an instruction": illegal encodings, EBREAK, CSR accesses and padding rows of
// the program table carry it, and no instruction table ever sends it (every real row's opcode is
// one of its family's non-zero opcodes), so a trap can never be proven.
//
// A few RISC-V instructions are proven as another with the same semantics:
//   LUI rd, u       = ADDI rd, x0, u << 12           (the immediate is the whole 32-bit value)
//   AUIPC rd, u     = ADDI rd, x0, pc + (u << 12)    (known when the program is loaded)
//   FENCE           = ADDI x0, x0, 0                 (a no-op on one hart without devices)

#include <cstdint>
#include <string_view>

namespace tessera::rv32im {

#define TESSERA_ZK_OPS(X)                                                                  \
  X(Add, Alu) X(Sub, Alu) X(AddImm, Alu)                                                   \
  X(And, Bitwise) X(Or, Bitwise) X(Xor, Bitwise) X(AndImm, Bitwise) X(OrImm, Bitwise)      \
  X(XorImm, Bitwise)                                                                       \
  X(Slt, Compare) X(Sltu, Compare) X(SltImm, Compare) X(SltuImm, Compare) X(Beq, Compare)  \
  X(Bne, Compare) X(Blt, Compare) X(Bge, Compare) X(Bltu, Compare) X(Bgeu, Compare)        \
  X(Sll, Shift) X(Srl, Shift) X(Sra, Shift) X(SllImm, Shift) X(SrlImm, Shift)              \
  X(SraImm, Shift)                                                                         \
  X(Mul, Mul) X(Mulh, Mul) X(Mulhsu, Mul) X(Mulhu, Mul)                                    \
  X(Div, DivRem) X(Divu, DivRem) X(Rem, DivRem) X(Remu, DivRem)                            \
  X(Jal, Jump) X(Jalr, Jump)                                                               \
  X(Lb, Load) X(Lh, Load) X(Lw, Load) X(Lbu, Load) X(Lhu, Load)                            \
  X(Sb, Store) X(Sh, Store) X(Sw, Store)                                                   \
  X(Ecall, System)

// The instruction tables.
enum class Family : uint8_t {
  None,
  Alu,
  Bitwise,
  Compare,
  Shift,
  Mul,
  DivRem,
  Jump,
  Load,
  Store,
  System,
};
inline constexpr uint32_t kFamilyCount = 11;

enum class ZkOp : uint32_t {
  Invalid = 0,
#define TESSERA_ZK_OP_ENUM(name, family) name,
  TESSERA_ZK_OPS(TESSERA_ZK_OP_ENUM)
#undef TESSERA_ZK_OP_ENUM
};

#define TESSERA_ZK_OP_COUNT(name, family) +1
inline constexpr uint32_t kZkOpCount = 1 TESSERA_ZK_OPS(TESSERA_ZK_OP_COUNT);
#undef TESSERA_ZK_OP_COUNT

inline constexpr uint32_t op_id(ZkOp op) {
  return static_cast<uint32_t>(op);
}

constexpr Family family_of(ZkOp op) {
  switch (op) {
#define TESSERA_ZK_OP_FAMILY(name, family) \
  case ZkOp::name:                         \
    return Family::family;
    TESSERA_ZK_OPS(TESSERA_ZK_OP_FAMILY)
#undef TESSERA_ZK_OP_FAMILY
    case ZkOp::Invalid:
      break;
  }
  return Family::None;
}

std::string_view zk_op_name(ZkOp op);
std::string_view family_name(Family f);

}  // namespace tessera::rv32im
