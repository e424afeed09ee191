// The shift table (machine/shift_table.hpp): SLL, SRL, SRA and the immediate forms on edge values
// (shifts by 0, 1, 7, 8, 31, amounts above 31 in rs2) and random operands prove and match the
// executor; tampered results, signs and byte splits are named and rejected.
#include <gtest/gtest.h>

#include "instruction_test_support.hpp"
#include "machine/shift_table.hpp"

namespace tessera::rv32im::test {
namespace {

const std::vector<uint32_t> kValues = {0,    1,    0xffffffffu, 0x80000000u, 0x7fffffffu,
                                       0x80, 0xff, 0x12345678u, 0x80000001u, 0xdeadbeefu};
// Shift amounts in registers: only the low 5 bits count.
const std::vector<uint32_t> kAmounts = {0,  1,  7,  8,  9,  15,          16,
                                        24, 31, 32, 33, 63, 0xffffffe1u, 0x80000007u};
const uint32_t kShamts[] = {0, 1, 7, 8, 9, 15, 16, 23, 24, 25, 30, 31};
constexpr uint32_t kFirstValue = 8;    // x8..x17
constexpr uint32_t kFirstAmount = 18;  // x18..x31

std::vector<uint32_t> edge_program() {
  std::vector<uint32_t> c;
  load_values(c, kFirstValue, kValues);
  load_values(c, kFirstAmount, kAmounts);
  for (uint32_t i = kFirstValue; i < kFirstValue + kValues.size(); ++i) {
    for (uint32_t j = kFirstAmount; j < kFirstAmount + kAmounts.size(); ++j) {
      c.push_back(rv::sll(rv::t0, i, j));
      c.push_back(rv::srl(rv::t1, i, j));
      c.push_back(rv::sra(rv::t2, i, j));
    }
    for (uint32_t sh : kShamts) {
      c.push_back(rv::slli(rv::t0, i, sh));
      c.push_back(rv::srli(rv::t1, i, sh));
      c.push_back(rv::srai(rv::t2, i, sh));
    }
  }
  c.push_back(rv::sra(rv::zero, kFirstValue + 3, kFirstAmount + 1));  // a result nobody receives
  return c;
}

const ProvenShard& shard() {
  static const ProvenShard s(edge_program());
  return s;
}

const ShiftLayout kL = make_shift_layout();
// Flag columns (kShiftOps order).
const uint32_t kSll = kL.ops.col[0], kSrl = kL.ops.col[1], kSra = kL.ops.col[2];

const RowMajorMatrix<BabyBear>& table() {
  return shard().witness.tables[kTableShift].trace;
}

TEST(ShiftTable, Shape) {
  expect_shape(shard().machine(), kTableShift, 63, 20, 3);
}

TEST(ShiftTable, EdgeValuesProveAndVerify) {
  const ProvenShard& s = shard();
  s.debug_check(s.witness);
  EXPECT_EQ(
      expect_results_match_executor(s.guest, 0, s.witness, kTableShift, Family::Shift, kL.io.a),
      kValues.size() * 3 * (kAmounts.size() + std::size(kShamts)));
  s.prove_and_verify();
}

TEST(ShiftTable, RandomOperandsMatchExecutor) {
  const std::vector<uint32_t> c = random_program(
      12,
      {[](uint32_t d, uint32_t s1, uint32_t s2, uint32_t) { return rv::sll(d, s1, s2); },
       [](uint32_t d, uint32_t s1, uint32_t s2, uint32_t) { return rv::srl(d, s1, s2); },
       [](uint32_t d, uint32_t s1, uint32_t s2, uint32_t) { return rv::sra(d, s1, s2); },
       [](uint32_t d, uint32_t s1, uint32_t, uint32_t w) { return rv::slli(d, s1, w % 32); },
       [](uint32_t d, uint32_t s1, uint32_t, uint32_t w) { return rv::srli(d, s1, w % 32); },
       [](uint32_t d, uint32_t s1, uint32_t, uint32_t w) { return rv::srai(d, s1, w % 32); }},
      600);
  EXPECT_EQ(check_program_shards(c, 256, kTableShift, Family::Shift, kL.io.a), 600u);
}

TEST(ShiftTable, WrongResultByteIsRejected) {
  const size_t row = find_row(table(), kSra, kL.io.b, kL.io.c, 0x80000001u, 9);
  expect_rejected(
      shard(), kTableShift,
      [&](RowMajorMatrix<BabyBear>& t) { t.at(row, kL.io.a[3]) += BabyBear::one(); },
      "shift.result", /*forced_proof=*/true);
}

TEST(ShiftTable, SignFillOnLogicalShiftIsRejected) {
  // SRL of a negative word claiming SRA's sign fill, with the result to match.
  const size_t row = find_row(table(), kSrl, kL.io.b, kL.io.c, 0x80000000u, 31);
  expect_rejected(
      shard(), kTableShift,
      [&](RowMajorMatrix<BabyBear>& t) {
        t.at(row, kL.sign) = BabyBear::one();
        set_word_at(t, row, kL.io.a, 0xffffffffu);
      },
      "shift.sign", /*forced_proof=*/false);
}

TEST(ShiftTable, NonCanonicalByteSplitIsRejected) {
  // SRA 0x80000000 by 1 (t = 7, d = 1) on the row writing x0: b_0 2^7 = low_0 + 256 high_0 also
  // holds with low_0 = 256, high_0 = -1, and then a_0 = v_1 = low_1 + high_0 = -1 satisfies the
  // result constraint. Only the pair lookup of (high_0, low_0) stops it.
  const size_t row = find_row(table(), kSra, kL.io.b, kL.io.c, 0x80000000u, 1, /*last=*/true);
  expect_rejected(
      shard(), kTableShift,
      [&](RowMajorMatrix<BabyBear>& t) {
        t.at(row, kL.low[0]) += BabyBear::from_u32(256);
        t.at(row, kL.high[0]) -= BabyBear::one();
        t.at(row, kL.io.a[0]) -= BabyBear::one();
      },
      "LogUp imbalance", /*forced_proof=*/true);
}

TEST(ShiftTable, UnreducedShiftAmountIsRejected) {
  // SLL by 33 is a shift by 33 & 31 = 1. Claiming s = 33 fails the split (a left shift's
  // s = t - 8 d is at most 7 + 24) besides the and-lookup (33, 31, 33), which is no table row.
  const size_t row = find_row(table(), kSll, kL.io.b, kL.io.c, 1, 33);
  expect_rejected(
      shard(), kTableShift,
      [&](RowMajorMatrix<BabyBear>& t) { t.at(row, kL.s) = BabyBear::from_u32(33); }, "shift.split",
      /*forced_proof=*/false);
}

}  // namespace
}  // namespace tessera::rv32im::test
