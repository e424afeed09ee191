// The mul table (machine/mul_table.hpp): MUL, MULH, MULHSU, MULHU on edge values (INT_MIN *
// INT_MIN, -1 * -1, mixed signs) and random operands prove and match the executor; tampered
// results, carries and signs are named and rejected.
#include <gtest/gtest.h>

#include "instruction_test_support.hpp"
#include "machine/mul_table.hpp"

namespace tessera::rv32im::test {
namespace {

const std::vector<uint32_t> kValues = {0,           1,           2,           0xffffffffu,
                                       0xfffffffeu, 0x80000000u, 0x7fffffffu, 0x80000001u,
                                       0xff,        0x10000u,    0x12345678u, 0xdeadbeefu};
constexpr uint32_t kFirst = 8;  // x8..x19

std::vector<uint32_t> edge_program() {
  std::vector<uint32_t> c;
  load_values(c, kFirst, kValues);
  for (uint32_t i = kFirst; i < kFirst + kValues.size(); ++i) {
    for (uint32_t j = kFirst; j < kFirst + kValues.size(); ++j) {
      c.push_back(rv::mul(rv::t0, i, j));
      c.push_back(rv::mulh(rv::t1, i, j));
      c.push_back(rv::mulhsu(rv::t2, i, j));
      c.push_back(rv::mulhu(rv::t3, i, j));
    }
  }
  c.push_back(rv::mulh(rv::zero, kFirst + 5, kFirst + 5));  // a result nobody receives
  return c;
}

const ProvenShard& shard() {
  static const ProvenShard s(edge_program());
  return s;
}

const MulLayout kL = make_mul_layout();
const uint32_t kMul = kL.ops.col[0], kMulh = kL.ops.col[1];  // kMulOps order

const RowMajorMatrix<BabyBear>& table() {
  return shard().witness.tables[kTableMul].trace;
}

TEST(MulTable, Shape) {
  expect_shape(shard().machine(), kTableMul, 49, 28, 2);
}

TEST(MulTable, EdgeValuesProveAndVerify) {
  const ProvenShard& s = shard();
  s.debug_check(s.witness);
  EXPECT_EQ(expect_results_match_executor(s.guest, 0, s.witness, kTableMul, Family::Mul, kL.io.a),
            4 * kValues.size() * kValues.size());
  // MULH INT_MIN * INT_MIN = 2^62: high word 0x40000000.
  EXPECT_EQ(word_at(table(), find_row(table(), kMulh, kL.io.b, kL.io.c, 0x80000000u, 0x80000000u),
                    kL.io.a),
            0x40000000u);
  s.prove_and_verify();
}

TEST(MulTable, RandomOperandsMatchExecutor) {
  const std::vector<uint32_t> c = random_program(
      13,
      {[](uint32_t d, uint32_t s1, uint32_t s2, uint32_t) { return rv::mul(d, s1, s2); },
       [](uint32_t d, uint32_t s1, uint32_t s2, uint32_t) { return rv::mulh(d, s1, s2); },
       [](uint32_t d, uint32_t s1, uint32_t s2, uint32_t) { return rv::mulhsu(d, s1, s2); },
       [](uint32_t d, uint32_t s1, uint32_t s2, uint32_t) { return rv::mulhu(d, s1, s2); }},
      600);
  EXPECT_EQ(check_program_shards(c, 256, kTableMul, Family::Mul, kL.io.a), 600u);
}

TEST(MulTable, WrongResultByteIsRejected) {
  const size_t row = find_row(table(), kMulh, kL.io.b, kL.io.c, 0xdeadbeefu, 0x12345678u);
  expect_rejected(
      shard(), kTableMul,
      [&](RowMajorMatrix<BabyBear>& t) { t.at(row, kL.io.a[2]) += BabyBear::one(); }, "mul.product",
      /*forced_proof=*/true);
}

TEST(MulTable, WrongCarryIsRejected) {
  const size_t row = find_row(table(), kMul, kL.io.b, kL.io.c, 0xffffffffu, 0xffffffffu);
  expect_rejected(
      shard(), kTableMul,
      [&](RowMajorMatrix<BabyBear>& t) { t.at(row, kL.carry[3]) += BabyBear::one(); },
      "mul.product", /*forced_proof=*/false);
}

TEST(MulTable, CarryOutsideItsRangeIsRejected) {
  // The top equation col_7 + carry_6 = P_7 + 256 carry_7 still holds with P_7 + 1 (a byte) and
  // carry_7 - 1/256 (a field element far outside 16 bits): only carry_7's range check stops a
  // wrong high byte. On the row writing x0 (MULH INT_MIN * INT_MIN = 0x40000000 << 32), so no
  // memory token sees the result.
  const size_t row =
      find_row(table(), kMulh, kL.io.b, kL.io.c, 0x80000000u, 0x80000000u, /*last=*/true);
  expect_rejected(
      shard(), kTableMul,
      [&](RowMajorMatrix<BabyBear>& t) {
        t.at(row, kL.io.a[3]) += BabyBear::one();
        t.at(row, kL.carry[7]) -= BabyBear::from_u32(256).inverse();
      },
      "LogUp imbalance", /*forced_proof=*/true);
}

TEST(MulTable, UnsignedReadingOfSignedOperandIsRejected) {
  // MULH of a negative b computed as if b were unsigned (sb = 0), every column consistent with
  // that reading: the and-lookup (b_3, 128, 0) is no table row. (The x0 row: INT_MIN * INT_MIN.)
  const uint32_t b = 0x80000000u, c = 0x80000000u;
  const size_t row = find_row(table(), kMulh, kL.io.b, kL.io.c, b, c, /*last=*/true);
  expect_rejected(
      shard(), kTableMul,
      [&](RowMajorMatrix<BabyBear>& t) {
        uint32_t x[kMul64Bytes], y[kMul64Bytes], z[kMul64Bytes] = {};
        extended_bytes(b, false, x);
        extended_bytes(c, true, y);
        const Mul64Witness w = mul64_witness(x, y, z);
        for (uint32_t k = 0; k < 4; ++k) {
          t.at(row, kL.other[k]) = BabyBear::from_u32(w.p[k]);
          t.at(row, kL.io.a[k]) = BabyBear::from_u32(w.p[k + 4]);
        }
        for (uint32_t k = 0; k < kMul64Bytes; ++k)
          t.at(row, kL.carry[k]) = BabyBear::from_u32(w.carry[k]);
        t.at(row, kL.sb) = BabyBear::zero();
      },
      "LogUp imbalance", /*forced_proof=*/false);
}

}  // namespace
}  // namespace tessera::rv32im::test
