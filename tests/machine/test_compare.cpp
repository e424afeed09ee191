// The compare table (SLT, SLTU, SLTI, SLTIU and the six branches): every opcode on the edge values
// 0, 1, -1, INT_MIN, INT_MAX (both operand orders, equal operands), branches taken and untaken,
// forward and in backward loops; then tampered decisions and a skipped instruction.
#include <gtest/gtest.h>

#include "family_test_support.hpp"
#include "machine/compare_table.hpp"

namespace tessera::rv32im::test {
namespace {

constexpr uint32_t kPc = make_compare_layout().io.pc;  // the pc column
constexpr uint32_t kEdges[] = {0, 1, 0xffffffffu, 0x80000000u, 0x7fffffffu, 0x12345678u};
constexpr int32_t kImmEdges[] = {0, 1, -1, -2048, 2047};

struct CompareProgram {
  std::vector<uint32_t> code;
  std::vector<SegmentSpec> segments;
  size_t taken_beq = 0;    // BEQ t0, t0 (always taken)
  size_t untaken_bne = 0;  // BNE t0, t0 (never taken)
  size_t slt = 0;          // an SLT
};

CompareProgram compare_program() {
  CompareProgram p;
  auto& c = p.code;
  for (uint32_t x : kEdges) {
    for (uint32_t y : kEdges) {
      li(c, rv::t0, x);
      li(c, rv::t1, y);
      p.slt = c.size();
      c.push_back(rv::slt(rv::t2, rv::t0, rv::t1));
      c.push_back(rv::sltu(rv::t3, rv::t0, rv::t1));
      // Each branch skips the next instruction when taken.
      for (uint32_t (*branch)(uint32_t, uint32_t, int32_t) :
           {rv::beq, rv::bne, rv::blt, rv::bge, rv::bltu, rv::bgeu}) {
        c.push_back(branch(rv::t0, rv::t1, 8));
        c.push_back(rv::addi(rv::t4, rv::t4, 1));
      }
    }
    for (int32_t imm : kImmEdges) {
      c.push_back(rv::slti(rv::t2, rv::t0, imm));
      c.push_back(rv::sltiu(rv::t3, rv::t0, imm));
    }
  }
  // Equal operands, the same register, x0 as rd.
  li(c, rv::t0, 0x80000000u);
  p.taken_beq = c.size();
  c.push_back(rv::beq(rv::t0, rv::t0, 8));
  c.push_back(rv::addi(rv::t4, rv::t4, 1));
  p.untaken_bne = c.size();
  c.push_back(rv::bne(rv::t0, rv::t0, 8));
  c.push_back(rv::slt(rv::zero, rv::zero, rv::t0));
  c.push_back(rv::sltiu(rv::zero, rv::t0, -1));
  // Backward loops: bne counting down, blt / bltu counting up (signed from negative), bge and
  // bgeu counting down across zero.
  li(c, rv::t5, 3);
  c.push_back(rv::addi(rv::t5, rv::t5, -1));
  c.push_back(rv::bne(rv::t5, rv::zero, -4));
  li(c, rv::t5, 0xfffffffdu);
  c.push_back(rv::addi(rv::t5, rv::t5, 1));
  c.push_back(rv::blt(rv::t5, rv::zero, -4));
  li(c, rv::t6, 3);
  c.push_back(rv::addi(rv::t5, rv::t5, 1));
  c.push_back(rv::bltu(rv::t5, rv::t6, -4));
  c.push_back(rv::addi(rv::t5, rv::t5, -1));
  c.push_back(rv::bge(rv::t5, rv::zero, -4));  // exits at -1
  li(c, rv::t5, 2);
  c.push_back(rv::addi(rv::t5, rv::t5, -1));
  c.push_back(rv::bgeu(rv::t6, rv::t5, -4));  // exits when t5 wraps to 0xffffffff
  exit_call(c);
  return p;
}

class CompareTest : public FamilySuite<CompareProgram, compare_program> {};

TEST_F(CompareTest, EveryOpcodeOnEdgeValuesProves) {
  const auto& trace = fixture_->witness().tables[kTableCompare].trace;
  const CompareLayout L = CompareAir{}.L;
  // Every opcode occurs, branches both taken and untaken.
  for (uint32_t col : L.ops.col) {
    size_t taken = 0, untaken = 0;
    for (size_t r = 0; r < trace.height(); ++r) {
      if (trace.at(r, col) != BabyBear::one()) continue;
      ++(trace.at(r, L.io.a[0]) == BabyBear::one() ? taken : untaken);
    }
    EXPECT_GT(taken, 0u) << "column " << col;
    EXPECT_GT(untaken, 0u) << "column " << col;
  }
  fixture_->expect_proves(fixture_->tables());
}

// The shard's tables with the decision of the branch at `index` flipped and its pc change made
// consistent (both branches tampered with here jump by 8), and the message the debug check gives.
std::pair<std::vector<TableWitness>, std::string> flipped_decision(const ShardFixture& f,
                                                                   size_t row) {
  auto tables = f.tables();
  const CompareLayout L = CompareAir{}.L;
  auto& t = tables[kTableCompare].trace;
  const bool taken = t.at(row, L.io.a[0]) == BabyBear::one();
  t.at(row, L.io.a[0]) = taken ? BabyBear::zero() : BabyBear::one();
  t.at(row, L.delta) = taken ? BabyBear::zero() : BabyBear::from_u32(4);
  return {tables, "constraint compare.result of table compare fails at row " + std::to_string(row)};
}

TEST_F(CompareTest, WrongBranchDecisionIsNamedAndRejected) {
  // The always-taken BEQ falls through.
  const auto [tables, named] =
      flipped_decision(*fixture_, row_of(kTableCompare, kPc, program_->taken_beq));
  fixture_->expect_rejected(tables, named);
}

TEST_F(CompareTest, UntakenBranchThatJumpsIsNamed) {
  const auto [tables, named] =
      flipped_decision(*fixture_, row_of(kTableCompare, kPc, program_->untaken_bne));
  fixture_->expect_named(tables, named);
}

TEST_F(CompareTest, SkippedInstructionIsNamedAndRejected) {
  // The SLT claims next_pc = pc + 8, skipping the SLTU after it.
  auto tables = fixture_->tables();
  const CompareLayout L = CompareAir{}.L;
  const size_t r = row_of(kTableCompare, kPc, program_->slt);
  tables[kTableCompare].trace.at(r, L.delta) = BabyBear::from_u32(4);
  fixture_->expect_rejected(
      tables, "constraint compare.branch of table compare fails at row " + std::to_string(r));
}

}  // namespace
}  // namespace tessera::rv32im::test
