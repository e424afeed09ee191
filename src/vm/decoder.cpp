#include "vm/decoder.hpp"

namespace tessera::vm {
namespace {

constexpr int32_t sext(uint32_t v, unsigned bits) {
  const uint32_t m = 1u << (bits - 1);
  return static_cast<int32_t>((v ^ m) - m);
}

constexpr int32_t imm_i(uint32_t w) {
  return static_cast<int32_t>(w) >> 20;
}
constexpr int32_t imm_s(uint32_t w) {
  return sext(((w >> 25) << 5) | ((w >> 7) & 0x1f), 12);
}
constexpr int32_t imm_b(uint32_t w) {
  const uint32_t v = ((w >> 31) << 12) | (((w >> 7) & 1) << 11) | (((w >> 25) & 0x3f) << 5) |
                     (((w >> 8) & 0xf) << 1);
  return sext(v, 13);
}
constexpr int32_t imm_u(uint32_t w) {
  return static_cast<int32_t>(w & 0xfffff000u);
}
constexpr int32_t imm_j(uint32_t w) {
  const uint32_t v = ((w >> 31) << 20) | (((w >> 12) & 0xff) << 12) | (((w >> 20) & 1) << 11) |
                     (((w >> 21) & 0x3ff) << 1);
  return sext(v, 21);
}

constexpr std::array<std::string_view, kOpCount> kNames = {
#define TESSERA_OP_NAME(name) #name,
    TESSERA_RV32IM_OPS(TESSERA_OP_NAME)
#undef TESSERA_OP_NAME
};

}  // namespace

std::string_view op_name(Op op) {
  static const auto lower = [] {
    std::array<std::array<char, 8>, kOpCount> names{};
    for (size_t i = 0; i < kOpCount; ++i) {
      for (size_t j = 0; j < kNames[i].size() && j + 1 < names[i].size(); ++j) {
        const char c = kNames[i][j];
        names[i][j] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
      }
    }
    return names;
  }();
  return std::string_view(lower[static_cast<size_t>(op)].data());
}

Decoded decode(uint32_t w, uint32_t pc) {
  Decoded d;
  d.op = Op::ILLEGAL;
  const uint32_t opcode = w & 0x7f;
  const uint32_t rd = (w >> 7) & 0x1f;
  const uint32_t funct3 = (w >> 12) & 7;
  const uint32_t rs1 = (w >> 15) & 0x1f;
  const uint32_t rs2 = (w >> 20) & 0x1f;
  const uint32_t funct7 = w >> 25;
  const auto set = [&](Op op, bool has_rd, bool has_rs1, bool has_rs2, int32_t imm) {
    d.op = op;
    d.rd = (has_rd && rd != 0) ? static_cast<uint8_t>(rd) : kSinkRegister;
    d.rs1 = has_rs1 ? static_cast<uint8_t>(rs1) : 0;
    d.rs2 = has_rs2 ? static_cast<uint8_t>(rs2) : 0;
    d.imm = imm;
    return d;
  };

  switch (opcode) {
    case 0x37:
      return set(Op::LUI, true, false, false, imm_u(w));
    case 0x17:
      return set(Op::AUIPC, true, false, false,
                 static_cast<int32_t>(pc + static_cast<uint32_t>(imm_u(w))));
    case 0x6f:
      return set(Op::JAL, true, false, false, imm_j(w));
    case 0x67:
      if (funct3 == 0) return set(Op::JALR, true, true, false, imm_i(w));
      return d;
    case 0x63: {
      static constexpr Op kBranch[8] = {Op::BEQ, Op::BNE, Op::ILLEGAL, Op::ILLEGAL,
                                        Op::BLT, Op::BGE, Op::BLTU,    Op::BGEU};
      if (kBranch[funct3] == Op::ILLEGAL) return d;
      return set(kBranch[funct3], false, true, true, imm_b(w));
    }
    case 0x03: {
      static constexpr Op kLoad[8] = {Op::LB,  Op::LH,  Op::LW,      Op::ILLEGAL,
                                      Op::LBU, Op::LHU, Op::ILLEGAL, Op::ILLEGAL};
      if (kLoad[funct3] == Op::ILLEGAL) return d;
      return set(kLoad[funct3], true, true, false, imm_i(w));
    }
    case 0x23: {
      static constexpr Op kStore[8] = {Op::SB,      Op::SH,      Op::SW,      Op::ILLEGAL,
                                       Op::ILLEGAL, Op::ILLEGAL, Op::ILLEGAL, Op::ILLEGAL};
      if (kStore[funct3] == Op::ILLEGAL) return d;
      return set(kStore[funct3], false, true, true, imm_s(w));
    }
    case 0x13: {
      const int32_t imm = imm_i(w);
      switch (funct3) {
        case 0:
          return set(Op::ADDI, true, true, false, imm);
        case 2:
          return set(Op::SLTI, true, true, false, imm);
        case 3:
          return set(Op::SLTIU, true, true, false, imm);
        case 4:
          return set(Op::XORI, true, true, false, imm);
        case 6:
          return set(Op::ORI, true, true, false, imm);
        case 7:
          return set(Op::ANDI, true, true, false, imm);
        case 1:  // on RV32 shamt[5] (bit 25) must be 0
          if (funct7 == 0) return set(Op::SLLI, true, true, false, static_cast<int32_t>(rs2));
          return d;
        case 5:
          if (funct7 == 0) return set(Op::SRLI, true, true, false, static_cast<int32_t>(rs2));
          if (funct7 == 0x20) return set(Op::SRAI, true, true, false, static_cast<int32_t>(rs2));
          return d;
      }
      return d;
    }
    case 0x33: {
      if (funct7 == 0x00) {
        static constexpr Op kOp[8] = {Op::ADD, Op::SLL, Op::SLT, Op::SLTU,
                                      Op::XOR, Op::SRL, Op::OR,  Op::AND};
        return set(kOp[funct3], true, true, true, 0);
      }
      if (funct7 == 0x01) {
        static constexpr Op kM[8] = {Op::MUL, Op::MULH, Op::MULHSU, Op::MULHU,
                                     Op::DIV, Op::DIVU, Op::REM,    Op::REMU};
        return set(kM[funct3], true, true, true, 0);
      }
      if (funct7 == 0x20 && funct3 == 0) return set(Op::SUB, true, true, true, 0);
      if (funct7 == 0x20 && funct3 == 5) return set(Op::SRA, true, true, true, 0);
      return d;
    }
    case 0x0f:
      // FENCE orders memory for other harts and devices; a single-hart machine without devices
      // has nothing to order, so it is a no-op. FENCE.I (funct3 1) is Zifencei, not RV32IM.
      if (funct3 == 0) return set(Op::FENCE, false, false, false, 0);
      return d;
    case 0x73:
      if (funct3 == 0) {
        if (rd == 0 && rs1 == 0 && (w >> 20) == 0) return set(Op::ECALL, false, false, false, 0);
        if (rd == 0 && rs1 == 0 && (w >> 20) == 1) return set(Op::EBREAK, false, false, false, 0);
        return d;  // MRET, WFI, SFENCE.VMA ...: privileged, illegal in this machine
      }
      if (funct3 != 4) return set(Op::CSR, false, false, false, 0);
      return d;
    default:
      return d;
  }
}

}  // namespace tessera::vm
