#pragma once
// An RV32IM instruction encoder for tests: builds the machine words that the tests run under the
// Tessera executor and under qemu-riscv32. Encodings follow the RISC-V unprivileged spec's
// instruction formats (R, I, S, B, U, J); the functions are named after the mnemonics (with a
// trailing underscore where the mnemonic is a C++ keyword).

#include <cstdint>
#include <vector>

namespace tessera::vm::rv {

// ABI register names.
enum Reg : uint32_t {
  zero = 0,
  ra,
  sp,
  gp,
  tp,
  t0,
  t1,
  t2,
  s0,
  s1,
  a0,
  a1,
  a2,
  a3,
  a4,
  a5,
  a6,
  a7,
  s2,
  s3,
  s4,
  s5,
  s6,
  s7,
  s8,
  s9,
  s10,
  s11,
  t3,
  t4,
  t5,
  t6
};

constexpr uint32_t r_type(uint32_t f7, uint32_t rs2, uint32_t rs1, uint32_t f3, uint32_t rd,
                          uint32_t opcode) {
  return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opcode;
}
constexpr uint32_t i_type(int32_t imm, uint32_t rs1, uint32_t f3, uint32_t rd, uint32_t opcode) {
  return (static_cast<uint32_t>(imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opcode;
}
constexpr uint32_t s_type(int32_t imm, uint32_t rs2, uint32_t rs1, uint32_t f3, uint32_t opcode) {
  const uint32_t u = static_cast<uint32_t>(imm);
  return (((u >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((u & 0x1f) << 7) |
         opcode;
}
constexpr uint32_t b_type(int32_t imm, uint32_t rs2, uint32_t rs1, uint32_t f3) {
  const uint32_t u = static_cast<uint32_t>(imm);
  return (((u >> 12) & 1) << 31) | (((u >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) |
         (f3 << 12) | (((u >> 1) & 0xf) << 8) | (((u >> 11) & 1) << 7) | 0x63;
}
constexpr uint32_t u_type(uint32_t imm20, uint32_t rd, uint32_t opcode) {
  return (imm20 << 12) | (rd << 7) | opcode;
}
constexpr uint32_t j_type(int32_t imm, uint32_t rd) {
  const uint32_t u = static_cast<uint32_t>(imm);
  return (((u >> 20) & 1) << 31) | (((u >> 1) & 0x3ff) << 21) | (((u >> 11) & 1) << 20) |
         (((u >> 12) & 0xff) << 12) | (rd << 7) | 0x6f;
}

constexpr uint32_t lui(uint32_t rd, uint32_t imm20) {
  return u_type(imm20 & 0xfffff, rd, 0x37);
}
constexpr uint32_t auipc(uint32_t rd, uint32_t imm20) {
  return u_type(imm20 & 0xfffff, rd, 0x17);
}
constexpr uint32_t jal(uint32_t rd, int32_t off) {
  return j_type(off, rd);
}
constexpr uint32_t jalr(uint32_t rd, uint32_t rs1, int32_t off) {
  return i_type(off, rs1, 0, rd, 0x67);
}
constexpr uint32_t beq(uint32_t rs1, uint32_t rs2, int32_t off) {
  return b_type(off, rs2, rs1, 0);
}
constexpr uint32_t bne(uint32_t rs1, uint32_t rs2, int32_t off) {
  return b_type(off, rs2, rs1, 1);
}
constexpr uint32_t blt(uint32_t rs1, uint32_t rs2, int32_t off) {
  return b_type(off, rs2, rs1, 4);
}
constexpr uint32_t bge(uint32_t rs1, uint32_t rs2, int32_t off) {
  return b_type(off, rs2, rs1, 5);
}
constexpr uint32_t bltu(uint32_t rs1, uint32_t rs2, int32_t off) {
  return b_type(off, rs2, rs1, 6);
}
constexpr uint32_t bgeu(uint32_t rs1, uint32_t rs2, int32_t off) {
  return b_type(off, rs2, rs1, 7);
}
constexpr uint32_t lb(uint32_t rd, uint32_t rs1, int32_t off) {
  return i_type(off, rs1, 0, rd, 0x03);
}
constexpr uint32_t lh(uint32_t rd, uint32_t rs1, int32_t off) {
  return i_type(off, rs1, 1, rd, 0x03);
}
constexpr uint32_t lw(uint32_t rd, uint32_t rs1, int32_t off) {
  return i_type(off, rs1, 2, rd, 0x03);
}
constexpr uint32_t lbu(uint32_t rd, uint32_t rs1, int32_t off) {
  return i_type(off, rs1, 4, rd, 0x03);
}
constexpr uint32_t lhu(uint32_t rd, uint32_t rs1, int32_t off) {
  return i_type(off, rs1, 5, rd, 0x03);
}
constexpr uint32_t sb(uint32_t rs2, uint32_t rs1, int32_t off) {
  return s_type(off, rs2, rs1, 0, 0x23);
}
constexpr uint32_t sh(uint32_t rs2, uint32_t rs1, int32_t off) {
  return s_type(off, rs2, rs1, 1, 0x23);
}
constexpr uint32_t sw(uint32_t rs2, uint32_t rs1, int32_t off) {
  return s_type(off, rs2, rs1, 2, 0x23);
}
constexpr uint32_t addi(uint32_t rd, uint32_t rs1, int32_t imm) {
  return i_type(imm, rs1, 0, rd, 0x13);
}
constexpr uint32_t slti(uint32_t rd, uint32_t rs1, int32_t imm) {
  return i_type(imm, rs1, 2, rd, 0x13);
}
constexpr uint32_t sltiu(uint32_t rd, uint32_t rs1, int32_t imm) {
  return i_type(imm, rs1, 3, rd, 0x13);
}
constexpr uint32_t xori(uint32_t rd, uint32_t rs1, int32_t imm) {
  return i_type(imm, rs1, 4, rd, 0x13);
}
constexpr uint32_t ori(uint32_t rd, uint32_t rs1, int32_t imm) {
  return i_type(imm, rs1, 6, rd, 0x13);
}
constexpr uint32_t andi(uint32_t rd, uint32_t rs1, int32_t imm) {
  return i_type(imm, rs1, 7, rd, 0x13);
}
constexpr uint32_t slli(uint32_t rd, uint32_t rs1, uint32_t sh) {
  return r_type(0, sh, rs1, 1, rd, 0x13);
}
constexpr uint32_t srli(uint32_t rd, uint32_t rs1, uint32_t sh) {
  return r_type(0, sh, rs1, 5, rd, 0x13);
}
constexpr uint32_t srai(uint32_t rd, uint32_t rs1, uint32_t sh) {
  return r_type(0x20, sh, rs1, 5, rd, 0x13);
}
constexpr uint32_t add(uint32_t rd, uint32_t rs1, uint32_t rs2) {
  return r_type(0, rs2, rs1, 0, rd, 0x33);
}
constexpr uint32_t sub(uint32_t rd, uint32_t rs1, uint32_t rs2) {
  return r_type(0x20, rs2, rs1, 0, rd, 0x33);
}
constexpr uint32_t sll(uint32_t rd, uint32_t rs1, uint32_t rs2) {
  return r_type(0, rs2, rs1, 1, rd, 0x33);
}
constexpr uint32_t slt(uint32_t rd, uint32_t rs1, uint32_t rs2) {
  return r_type(0, rs2, rs1, 2, rd, 0x33);
}
constexpr uint32_t sltu(uint32_t rd, uint32_t rs1, uint32_t rs2) {
  return r_type(0, rs2, rs1, 3, rd, 0x33);
}
constexpr uint32_t xor_(uint32_t rd, uint32_t rs1, uint32_t rs2) {
  return r_type(0, rs2, rs1, 4, rd, 0x33);
}
constexpr uint32_t srl(uint32_t rd, uint32_t rs1, uint32_t rs2) {
  return r_type(0, rs2, rs1, 5, rd, 0x33);
}
constexpr uint32_t sra(uint32_t rd, uint32_t rs1, uint32_t rs2) {
  return r_type(0x20, rs2, rs1, 5, rd, 0x33);
}
constexpr uint32_t or_(uint32_t rd, uint32_t rs1, uint32_t rs2) {
  return r_type(0, rs2, rs1, 6, rd, 0x33);
}
constexpr uint32_t and_(uint32_t rd, uint32_t rs1, uint32_t rs2) {
  return r_type(0, rs2, rs1, 7, rd, 0x33);
}
constexpr uint32_t mul(uint32_t rd, uint32_t rs1, uint32_t rs2) {
  return r_type(1, rs2, rs1, 0, rd, 0x33);
}
constexpr uint32_t mulh(uint32_t rd, uint32_t rs1, uint32_t rs2) {
  return r_type(1, rs2, rs1, 1, rd, 0x33);
}
constexpr uint32_t mulhsu(uint32_t rd, uint32_t rs1, uint32_t rs2) {
  return r_type(1, rs2, rs1, 2, rd, 0x33);
}
constexpr uint32_t mulhu(uint32_t rd, uint32_t rs1, uint32_t rs2) {
  return r_type(1, rs2, rs1, 3, rd, 0x33);
}
constexpr uint32_t div(uint32_t rd, uint32_t rs1, uint32_t rs2) {
  return r_type(1, rs2, rs1, 4, rd, 0x33);
}
constexpr uint32_t divu(uint32_t rd, uint32_t rs1, uint32_t rs2) {
  return r_type(1, rs2, rs1, 5, rd, 0x33);
}
constexpr uint32_t rem(uint32_t rd, uint32_t rs1, uint32_t rs2) {
  return r_type(1, rs2, rs1, 6, rd, 0x33);
}
constexpr uint32_t remu(uint32_t rd, uint32_t rs1, uint32_t rs2) {
  return r_type(1, rs2, rs1, 7, rd, 0x33);
}
constexpr uint32_t fence() {
  return 0x0ff0000f;
}  // fence iorw, iorw
constexpr uint32_t fence_i() {
  return 0x0000100f;
}
constexpr uint32_t ecall() {
  return 0x00000073;
}
constexpr uint32_t ebreak() {
  return 0x00100073;
}
constexpr uint32_t csrrw(uint32_t rd, uint32_t csr, uint32_t rs1) {
  return i_type(static_cast<int32_t>(csr), rs1, 1, rd, 0x73);
}

// rd = value, as lui + addi (the addi's sign extension is compensated in the upper part).
inline std::vector<uint32_t> li(uint32_t rd, uint32_t value) {
  const uint32_t lo = value & 0xfff;
  const int32_t lo_signed =
      lo >= 0x800 ? static_cast<int32_t>(lo) - 0x1000 : static_cast<int32_t>(lo);
  const uint32_t hi = (value - static_cast<uint32_t>(lo_signed)) >> 12;
  return {lui(rd, hi), addi(rd, rd, lo_signed)};
}

}  // namespace tessera::vm::rv
