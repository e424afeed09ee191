#include "machine/program_table.hpp"

#include <algorithm>
#include <bit>

#include "common/check.hpp"
#include "vm/decoder.hpp"

namespace tessera::rv32im {

namespace {

// A signed 32-bit quantity as a canonical field element (negative values wrap to p - |v|).
uint32_t field_of(int64_t v) {
  const int64_t p = BabyBear::kModulus;
  int64_t r = v % p;
  if (r < 0) r += p;
  return static_cast<uint32_t>(r);
}

ZkOp zk_op(vm::Op op) {
  using vm::Op;
  switch (op) {
    case Op::ADD: return ZkOp::Add;
    case Op::SUB: return ZkOp::Sub;
    case Op::ADDI:
    case Op::LUI:
    case Op::AUIPC:
    case Op::FENCE: return ZkOp::AddImm;
    case Op::AND: return ZkOp::And;
    case Op::OR: return ZkOp::Or;
    case Op::XOR: return ZkOp::Xor;
    case Op::ANDI: return ZkOp::AndImm;
    case Op::ORI: return ZkOp::OrImm;
    case Op::XORI: return ZkOp::XorImm;
    case Op::SLT: return ZkOp::Slt;
    case Op::SLTU: return ZkOp::Sltu;
    case Op::SLTI: return ZkOp::SltImm;
    case Op::SLTIU: return ZkOp::SltuImm;
    case Op::BEQ: return ZkOp::Beq;
    case Op::BNE: return ZkOp::Bne;
    case Op::BLT: return ZkOp::Blt;
    case Op::BGE: return ZkOp::Bge;
    case Op::BLTU: return ZkOp::Bltu;
    case Op::BGEU: return ZkOp::Bgeu;
    case Op::SLL: return ZkOp::Sll;
    case Op::SRL: return ZkOp::Srl;
    case Op::SRA: return ZkOp::Sra;
    case Op::SLLI: return ZkOp::SllImm;
    case Op::SRLI: return ZkOp::SrlImm;
    case Op::SRAI: return ZkOp::SraImm;
    case Op::MUL: return ZkOp::Mul;
    case Op::MULH: return ZkOp::Mulh;
    case Op::MULHSU: return ZkOp::Mulhsu;
    case Op::MULHU: return ZkOp::Mulhu;
    case Op::DIV: return ZkOp::Div;
    case Op::DIVU: return ZkOp::Divu;
    case Op::REM: return ZkOp::Rem;
    case Op::REMU: return ZkOp::Remu;
    case Op::JAL: return ZkOp::Jal;
    case Op::JALR: return ZkOp::Jalr;
    case Op::LB: return ZkOp::Lb;
    case Op::LH: return ZkOp::Lh;
    case Op::LW: return ZkOp::Lw;
    case Op::LBU: return ZkOp::Lbu;
    case Op::LHU: return ZkOp::Lhu;
    case Op::SB: return ZkOp::Sb;
    case Op::SH: return ZkOp::Sh;
    case Op::SW: return ZkOp::Sw;
    case Op::ECALL: return ZkOp::Ecall;
    case Op::EBREAK:
    case Op::CSR:
    case Op::ILLEGAL:
    case Op::NOT_TEXT: return ZkOp::Invalid;
  }
  return ZkOp::Invalid;
}

}  // namespace

ProgramRow encode_instruction(const vm::Decoded& d, uint32_t pc) {
  ProgramRow r;
  r.pc = pc;
  r.op = zk_op(d.op);
  if (r.op == ZkOp::Invalid) return r;
  const uint32_t rd = d.rd == vm::kSinkRegister ? 0 : d.rd;
  r.rd = rd;
  r.writes_rd = rd != 0;
  r.rs1 = d.rs1;
  r.rs2 = d.rs2;
  const uint32_t imm = static_cast<uint32_t>(d.imm);
  switch (d.op) {
    case vm::Op::LUI:
    case vm::Op::AUIPC:  // the decoder already holds pc + (u << 12)
      r.rs1 = 0;
      r.imm = imm;
      break;
    case vm::Op::FENCE:
      r = ProgramRow{pc, ZkOp::AddImm, 0, 0, 0, 0, 0, false};
      break;
    case vm::Op::JAL:
      r.imm = pc + 4;  // the link: rd's value
      r.target = field_of(int64_t{pc} + d.imm);
      break;
    case vm::Op::JALR:
      r.imm = imm;
      r.target = pc + 4;  // the link as a field element (pc < kMaxTextAddress < p)
      break;
    case vm::Op::BEQ:
    case vm::Op::BNE:
    case vm::Op::BLT:
    case vm::Op::BGE:
    case vm::Op::BLTU:
    case vm::Op::BGEU:
      r.target = field_of(int64_t{pc} + d.imm);
      r.writes_rd = false;
      r.rd = 0;
      break;
    case vm::Op::SB:
    case vm::Op::SH:
    case vm::Op::SW:
      r.imm = imm;
      r.writes_rd = false;
      r.rd = 0;
      break;
    case vm::Op::ECALL:
      r = ProgramRow{pc, ZkOp::Ecall, 0, 0, 0, 0, 0, false};
      break;
    default:
      r.imm = imm;  // I-type immediates and shift amounts; 0 for R-type
      break;
  }
  return r;
}

ProgramImage::ProgramImage(const vm::Program& program) : text_begin_(program.text_begin()) {
  TESSERA_CHECK(program.text_end() <= kMaxTextAddress, ErrorKind::BadElf,
                "the program's text ends at 0x" << std::hex << program.text_end()
                                                << "; the zkVM proves programs whose text lies "
                                                   "below 0x70000000");
  const auto& words = program.words();
  rows_.reserve(words.size());
  for (size_t i = 0; i < words.size(); ++i) {
    const uint32_t pc = text_begin_ + static_cast<uint32_t>(i) * 4;
    rows_.push_back(encode_instruction(program.code()[i], pc));
  }
}

size_t ProgramImage::height() const {
  return std::bit_ceil(std::max<size_t>(rows_.size(), 4));
}

RowMajorMatrix<BabyBear> ProgramImage::preprocessed_trace() const {
  namespace pc = program_cols;
  RowMajorMatrix<BabyBear> t(pc::kWidth, height());
  for (size_t i = 0; i < rows_.size(); ++i) {
    const ProgramRow& r = rows_[i];
    if (r.op == ZkOp::Invalid) continue;  // not an instruction: a zero row (opcode 0, pc 0)
    BabyBear* row = t.row(i).data();
    row[pc::kPc] = BabyBear::from_u32(r.pc);
    row[pc::kOpcode] = BabyBear::from_u32(op_id(r.op));
    row[pc::kRd] = BabyBear::from_u32(r.rd);
    row[pc::kRs1] = BabyBear::from_u32(r.rs1);
    row[pc::kRs2] = BabyBear::from_u32(r.rs2);
    for (uint32_t k = 0; k < 4; ++k) row[pc::kImm + k] = BabyBear::from_u32((r.imm >> (8 * k)) & 0xff);
    row[pc::kTarget] = BabyBear::from_u32(r.target);
    row[pc::kWritesRd] = r.writes_rd ? BabyBear::one() : BabyBear::zero();
  }
  return t;
}

}  // namespace tessera::rv32im
