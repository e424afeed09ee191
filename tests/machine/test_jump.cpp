// The jump table (JAL, JALR): forward and backward jumps, calls and returns, x0 as rd, JALR with
// an odd target (bit 0 cleared), negative offsets (the sum wraps mod 2^32) and rd = rs1; then a
// wrong link, a wrong target and a misaligned JALR target.
#include <gtest/gtest.h>

#include "family_test_support.hpp"
#include "machine/byte_table.hpp"
#include "machine/jump_table.hpp"
#include "machine/shard_table.hpp"

namespace tessera::rv32im::test {
namespace {

constexpr uint32_t kPc = make_jump_layout().io.pc;  // the pc column

struct JumpProgram {
  std::vector<uint32_t> code;
  std::vector<SegmentSpec> segments;
  size_t call = 0;       // JAL ra, func (forward, with a link)
  size_t last_jalr = 0;  // the shard's last instruction: JALR x0, t3, 0 with t3 odd
};

// Offset in bytes from instruction `from` to instruction `to`.
int32_t offset(size_t from, size_t to) {
  return 4 * (static_cast<int32_t>(to) - static_cast<int32_t>(from));
}

JumpProgram jump_program() {
  JumpProgram p;
  auto& c = p.code;
  // JAL forward over one instruction, with and without a link.
  c.push_back(rv::jal(rv::t0, 8));
  c.push_back(rv::addi(rv::t4, rv::t4, 1));
  c.push_back(rv::jal(rv::zero, 8));
  c.push_back(rv::addi(rv::t4, rv::t4, 1));
  // JAL backward: jump over `back`, then back to it, then forward past the jump.
  const size_t j1 = c.size();
  c.push_back(0);  // jal x0, fwd
  const size_t back = c.size();
  c.push_back(rv::addi(rv::t4, rv::t4, 2));
  const size_t j2 = c.size();
  c.push_back(0);  // jal x0, done
  const size_t fwd = c.size();
  c.push_back(rv::jal(rv::s2, offset(fwd, back)));
  const size_t done = c.size();
  c[j1] = rv::jal(rv::zero, offset(j1, fwd));
  c[j2] = rv::jal(rv::zero, offset(j2, done));
  // A call and a return (JALR backward through ra, x0 as rd).
  p.call = c.size();
  c.push_back(0);                            // jal ra, func
  c.push_back(rv::addi(rv::t4, rv::t4, 3));  // the return lands here
  const size_t j3 = c.size();
  c.push_back(0);  // jal x0, rest
  const size_t func = c.size();
  c.push_back(rv::addi(rv::t4, rv::t4, 4));
  c.push_back(rv::jalr(rv::zero, rv::ra, 0));
  const size_t rest = c.size();
  c[p.call] = rv::jal(rv::ra, offset(p.call, func));
  c[j3] = rv::jal(rv::zero, offset(j3, rest));
  // JALR forward from auipc: a positive offset, an odd offset (bit 0 cleared), an odd base, a
  // negative offset (b + imm wraps around 2^32), rd = rs1.
  c.push_back(rv::auipc(rv::t1, 0));
  c.push_back(rv::jalr(rv::t2, rv::t1, 12));  // -> auipc + 12
  c.push_back(rv::addi(rv::t4, rv::t4, 1));
  c.push_back(rv::auipc(rv::t1, 0));
  c.push_back(rv::jalr(rv::t2, rv::t1, 13));  // odd: -> auipc + 12
  c.push_back(rv::addi(rv::t4, rv::t4, 1));
  c.push_back(rv::auipc(rv::t1, 0));
  c.push_back(rv::addi(rv::t1, rv::t1, 2047));
  c.push_back(rv::addi(rv::t1, rv::t1, 17));
  c.push_back(rv::jalr(rv::t2, rv::t1, -2047));  // odd sum auipc + 17: -> auipc + 16
  c.push_back(rv::addi(rv::t4, rv::t4, 1));
  c.push_back(rv::auipc(rv::t1, 0));
  c.push_back(rv::jalr(rv::t1, rv::t1, 12));  // rd = rs1
  c.push_back(rv::addi(rv::t4, rv::t4, 1));
  // The shard's last instruction: JALR to an odd address (the next instruction + 1).
  c.push_back(rv::auipc(rv::t3, 0));
  c.push_back(rv::addi(rv::t3, rv::t3, 13));
  p.last_jalr = c.size();
  c.push_back(rv::jalr(rv::zero, rv::t3, 0));
  exit_call(c);
  return p;
}

class JumpTest : public FamilySuite<JumpProgram, jump_program> {};

TEST_F(JumpTest, JumpsProve) {
  // The shard ends right after the JALR with the odd target.
  EXPECT_EQ(fixture_->witness().replay.end.state.pc, pc_at(program_->last_jalr + 1));
  fixture_->expect_proves(fixture_->tables());
}

TEST_F(JumpTest, WrongLinkIsNamedAndRejected) {
  auto tables = fixture_->tables();
  const JumpLayout L = JumpAir{}.L;
  tables[kTableJump].trace.at(row_of(kTableJump, kPc, program_->call), L.io.a[0]) +=
      BabyBear::from_u32(4);
  fixture_->expect_rejected(tables, "constraint jump.jal_link of table jump");
}

TEST_F(JumpTest, WrongJalTargetIsNamed) {
  auto tables = fixture_->tables();
  const JumpLayout L = JumpAir{}.L;
  tables[kTableJump].trace.at(row_of(kTableJump, kPc, program_->call), L.next_pc) +=
      BabyBear::from_u32(4);
  fixture_->expect_named(tables, "constraint jump.jal_target of table jump");
}

TEST_F(JumpTest, MisalignedJalrTargetIsNamedAndRejected) {
  // The last JALR goes to t3 = (next pc) + 1 without clearing bit 0. Everything else is made
  // consistent: the target column, the shard's public end pc, and the byte table's count of
  // the honest alignment lookup. Only the lookup (t_0 & 3 = 0) of the odd target is left.
  auto tables = fixture_->tables();
  const JumpLayout L = JumpAir{}.L;
  const size_t r = row_of(kTableJump, kPc, program_->last_jalr);
  auto& t = tables[kTableJump].trace;
  ASSERT_EQ(t.at(r, L.bit0), BabyBear::one());
  const uint32_t s0 = t.at(r, L.s[0]).as_u32();
  t.at(r, L.bit0) = BabyBear::zero();
  t.at(r, L.next_pc) += BabyBear::one();
  tables[kTableShard].public_values[shard_pv::kEndPc] += BabyBear::one();
  tables[kTableBytes].trace.at((s0 - 1) + 256 * 3, kByteAnd - 1) -= BabyBear::one();
  fixture_->expect_rejected(
      tables, "bus 4 message (3, " + std::to_string(s0) + ", 3, 0) has net multiplicity +1");
}

}  // namespace
}  // namespace tessera::rv32im::test
