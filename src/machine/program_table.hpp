#pragma once
// The program table: one preprocessed row per word of the guest's text, holding the decoded
// instruction as the zkVM proves it (opcodes.hpp), and one main column, the number of times the
// shard executes that row. Its commitment is part of the verifying key, so the program digest of
// every shard statement is a commitment to exactly this table (and the fixed byte table).
//
// Row (preprocessed): pc, opcode, rd, rs1, rs2, imm0..imm3, target, writes_rd
//   imm      the 32-bit immediate as bytes, least significant first: sign-extended I/S immediates,
//            shift amounts, the whole value for LUI/AUIPC (proven as ADDI from x0), the link
//            pc + 4 for JAL (its rd value), the offset for JALR, loads and stores
//   target   a field element: pc + offset for branches and JAL (the jump target), pc + 4 for JALR
//            (its link, whose bytes the jump table recomputes)
//   writes_rd 1 when the instruction writes a register other than x0
// Padding rows (to a power-of-two height) and words that are not instructions have opcode 0,
// which no instruction table sends.
//
// Addresses: the zkVM carries pc as a field element, so the text must lie below
// kMaxTextAddress; then pc + offset never aliases another text address modulo p (offsets are
// below 2^21 in magnitude and 0x70000000 + 2^21 < p), and a JALR target (32 bits, 4-aligned) can
// only equal an aligned text pc modulo p if it is that pc (p = 1 mod 4 puts target - p and
// target - 2p off alignment).

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "field/babybear.hpp"
#include "machine/buses.hpp"
#include "machine/opcodes.hpp"
#include "matrix/row_major_matrix.hpp"
#include "stark/air.hpp"
#include "stark/cuda_quotient.hpp"
#include "vm/program.hpp"

namespace tessera::rv32im {

inline constexpr uint32_t kMaxTextAddress = 0x70000000u;

// One decoded instruction as the program table stores it.
struct ProgramRow {
  uint32_t pc = 0;
  ZkOp op = ZkOp::Invalid;
  uint32_t rd = 0, rs1 = 0, rs2 = 0;
  uint32_t imm = 0;     // 32-bit immediate (bytes in the table)
  uint32_t target = 0;  // as a canonical field element value (see above)
  bool writes_rd = false;
};

// The zkVM form of the instruction `d` (decoded from the word at `pc`).
ProgramRow encode_instruction(const vm::Decoded& d, uint32_t pc);

// Preprocessed column indices.
namespace program_cols {
inline constexpr uint32_t kPc = 0, kOpcode = 1, kRd = 2, kRs1 = 3, kRs2 = 4, kImm = 5, kTarget = 9,
                          kWritesRd = 10, kWidth = 11;
}

// The zkVM's view of a loaded program: one ProgramRow per text word (index = (pc - text_begin)/4).
class ProgramImage {
 public:
  // ErrorKind::BadElf when the text reaches kMaxTextAddress.
  explicit ProgramImage(const vm::Program& program);

  uint32_t text_begin() const { return text_begin_; }
  const std::vector<ProgramRow>& rows() const { return rows_; }
  // The row of the instruction at pc (pc must be a text address).
  const ProgramRow& at(uint32_t pc) const { return rows_[(pc - text_begin_) / 4]; }
  size_t index_of(uint32_t pc) const { return (pc - text_begin_) / 4; }
  // The preprocessed trace: rows_ then padding, height a power of two >= 4.
  RowMajorMatrix<BabyBear> preprocessed_trace() const;
  size_t height() const;

 private:
  uint32_t text_begin_ = 0;
  std::vector<ProgramRow> rows_;
};

// The table. Main column 0: multiplicity (how often the shard executed the row).
class ProgramAir : public AirBase {
 public:
  ProgramAir() = default;
  explicit ProgramAir(const ProgramImage* image) : image_(image) {}

  std::string name() const { return "program"; }
  size_t width() const { return 1; }
  size_t preprocessed_width() const { return program_cols::kWidth; }
  RowMajorMatrix<BabyBear> preprocessed_trace() const { return image_->preprocessed_trace(); }

  template <class AB>
  TESSERA_HD void eval(AB& b) const {
    using Expr = typename AB::Expr;
    const auto p = b.preprocessed();
    Expr message[kProgramArity];
    for (uint32_t i = 0; i < kProgramArity; ++i) message[i] = p.local(i);
    b.interact(InteractionKind::Receive, kBusProgram, message, kProgramArity,
               Expr(b.main().local(0)), MultiplicityBound::lookup());
  }

 private:
  const ProgramImage* image_ = nullptr;  // host only: used for the preprocessed trace
};

}  // namespace tessera::rv32im

// The CUDA constraint fold (stark/cuda_quotient.hpp; instantiated in kernels/quotient_rv32im*.cu).
namespace tessera {
TESSERA_CUDA_QUOTIENT_AIR(rv32im::ProgramAir);
}  // namespace tessera
