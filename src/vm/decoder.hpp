#pragma once
// RV32IM decoding into a compact form the interpreter dispatches on. Every text word is decoded
// once when the program is loaded (program.hpp), so the hot loop never looks at encodings.

#include <array>
#include <cstdint>
#include <string_view>

namespace tessera::vm {

// X-macro list of decoded operations: the RV32I and M instructions, then the pseudo-operations
// that trap when executed (the decoder never fails; a bad word traps only if it is reached).
#define TESSERA_RV32IM_OPS(X)                                                                      \
  X(LUI)                                                                                           \
  X(AUIPC)                                                                                         \
  X(JAL)                                                                                           \
  X(JALR) X(BEQ) X(BNE) X(BLT) X(BGE) X(BLTU) X(BGEU) X(LB) X(LH) X(LW) X(LBU) X(LHU) X(SB) X(SH)  \
      X(SW) X(ADDI) X(SLTI) X(SLTIU) X(XORI) X(ORI) X(ANDI) X(SLLI) X(SRLI) X(SRAI) X(ADD) X(SUB)  \
          X(SLL) X(SLT) X(SLTU) X(XOR) X(SRL) X(SRA) X(OR) X(AND) X(FENCE) X(ECALL) X(MUL) X(MULH) \
              X(MULHSU) X(MULHU) X(DIV) X(DIVU) X(REM) X(REMU) X(EBREAK) X(CSR) X(ILLEGAL)         \
                  X(NOT_TEXT)

enum class Op : uint8_t {
#define TESSERA_OP_ENUM(name) name,
  TESSERA_RV32IM_OPS(TESSERA_OP_ENUM)
#undef TESSERA_OP_ENUM
};

#define TESSERA_OP_COUNT(name) +1
inline constexpr size_t kOpCount = 0 TESSERA_RV32IM_OPS(TESSERA_OP_COUNT);
#undef TESSERA_OP_COUNT
// Ops from EBREAK on are traps, not instructions.
inline constexpr size_t kInstructionOpCount = static_cast<size_t>(Op::EBREAK);

std::string_view op_name(Op op);  // lower-case mnemonic ("add", "mulhsu", "illegal" ...)

// Destination register 0 is rewritten to kSinkRegister so that handlers write x[rd]
// unconditionally while x0 stays zero; the register file has 33 slots.
inline constexpr uint8_t kSinkRegister = 32;

struct Decoded {
  Op op = Op::NOT_TEXT;
  uint8_t rd = kSinkRegister;
  uint8_t rs1 = 0;
  uint8_t rs2 = 0;
  // The immediate, sign-extended: I/S/B/U/J immediates, shift amounts for SLLI/SRLI/SRAI.
  // AUIPC holds pc + imm (the address is known when the word is decoded at its address).
  int32_t imm = 0;
};
static_assert(sizeof(Decoded) == 8);

// Decodes the word at address `pc`.
Decoded decode(uint32_t word, uint32_t pc);

}  // namespace tessera::vm
