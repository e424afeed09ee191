// The bitwise table (machine/bitwise_table.hpp): AND, OR, XOR, ANDI, ORI, XORI on edge values and
// random operands prove and match the executor; tampered results are named and rejected.
#include <gtest/gtest.h>

#include "instruction_test_support.hpp"
#include "machine/bitwise_table.hpp"

namespace tessera::rv32im::test {
namespace {

const std::vector<uint32_t> kValues = {0,    1,    0xffffffffu, 0x80000000u, 0x7fffffffu,
                                       0x80, 0xff, 0x12345678u, 0xdeadbeefu, 0x00ff00ffu};
const int32_t kImmediates[] = {0, 1, -1, 0x7ff, -0x800, 0x80, 0xff, 0x555};
constexpr uint32_t kFirst = 8;  // values in x8..x17

std::vector<uint32_t> edge_program() {
  std::vector<uint32_t> c;
  load_values(c, kFirst, kValues);
  const uint32_t n = static_cast<uint32_t>(kValues.size());
  for (uint32_t i = kFirst; i < kFirst + n; ++i) {
    for (uint32_t j = kFirst; j < kFirst + n; ++j) {
      c.push_back(rv::and_(rv::t0, i, j));
      c.push_back(rv::or_(rv::t1, i, j));
      c.push_back(rv::xor_(rv::t2, i, j));
    }
    for (int32_t imm : kImmediates) {
      c.push_back(rv::andi(rv::t0, i, imm));
      c.push_back(rv::ori(rv::t1, i, imm));
      c.push_back(rv::xori(rv::t2, i, imm));
    }
  }
  c.push_back(rv::and_(rv::zero, kFirst + 7, kFirst + 8));  // a result nobody receives
  return c;
}

const ProvenShard& shard() {
  static const ProvenShard s(edge_program());
  return s;
}

const BitwiseLayout kL = make_bitwise_layout();

TEST(BitwiseTable, Shape) {
  expect_shape(shard().machine(), kTableBitwise, 41, 18, 2);
}

TEST(BitwiseTable, EdgeValuesProveAndVerify) {
  const ProvenShard& s = shard();
  s.debug_check(s.witness);
  EXPECT_EQ(
      expect_results_match_executor(s.guest, 0, s.witness, kTableBitwise, Family::Bitwise, kL.io.a),
      kValues.size() * (3 * kValues.size() + 3 * std::size(kImmediates)));
  s.prove_and_verify();
}

TEST(BitwiseTable, RandomOperandsMatchExecutor) {
  const std::vector<uint32_t> c = random_program(
      11,
      {[](uint32_t d, uint32_t s1, uint32_t s2, uint32_t) { return rv::and_(d, s1, s2); },
       [](uint32_t d, uint32_t s1, uint32_t s2, uint32_t) { return rv::or_(d, s1, s2); },
       [](uint32_t d, uint32_t s1, uint32_t s2, uint32_t) { return rv::xor_(d, s1, s2); },
       [](uint32_t d, uint32_t s1, uint32_t, uint32_t w) {
         return rv::andi(d, s1, static_cast<int32_t>(w % 4096) - 2048);
       },
       [](uint32_t d, uint32_t s1, uint32_t, uint32_t w) {
         return rv::ori(d, s1, static_cast<int32_t>(w % 4096) - 2048);
       },
       [](uint32_t d, uint32_t s1, uint32_t, uint32_t w) {
         return rv::xori(d, s1, static_cast<int32_t>(w % 4096) - 2048);
       }},
      600);
  EXPECT_EQ(check_program_shards(c, 256, kTableBitwise, Family::Bitwise, kL.io.a), 600u);
}

TEST(BitwiseTable, WrongResultByteIsRejected) {
  const ProvenShard& s = shard();
  const size_t row = find_row(s.witness.tables[kTableBitwise].trace, kL.ops.col[0], kL.io.b,
                              kL.io.c, 0x12345678u, 0xdeadbeefu);  // AND
  expect_rejected(
      s, kTableBitwise,
      [&](RowMajorMatrix<BabyBear>& t) { t.at(row, kL.io.a[1]) += BabyBear::one(); },
      "LogUp imbalance", /*forced_proof=*/true);
}

TEST(BitwiseTable, AnotherOperationIsRejected) {
  // An XOR row claiming to be an OR of the same operands with the OR's result (a consistent row
  // of the wrong opcode): the program table says XOR.
  const ProvenShard& s = shard();
  const size_t row = find_row(s.witness.tables[kTableBitwise].trace, kL.ops.col[2], kL.io.b,
                              kL.io.c, 0xdeadbeefu, 0x00ff00ffu);
  expect_rejected(
      s, kTableBitwise,
      [&](RowMajorMatrix<BabyBear>& t) {
        t.at(row, kL.ops.col[2]) = BabyBear::zero();
        t.at(row, kL.ops.col[1]) = BabyBear::one();
        set_word_at(t, row, kL.io.a, 0xdeadbeefu | 0x00ff00ffu);
      },
      "LogUp imbalance", /*forced_proof=*/false);
}

}  // namespace
}  // namespace tessera::rv32im::test
