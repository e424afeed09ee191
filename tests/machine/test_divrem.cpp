// The divrem table (machine/divrem_table.hpp): DIV, DIVU, REM, REMU on edge values (division by
// zero, INT_MIN / -1, every sign combination) and random operands prove and match the executor;
// every other choice of quotient and remainder a prover could make is named and rejected.
#include <gtest/gtest.h>

#include "instruction_test_support.hpp"
#include "machine/divrem_table.hpp"

namespace tessera::rv32im::test {
namespace {

const std::vector<uint32_t> kValues = {0,           1,           7,           0xfffffff9u /* -7 */,
                                       0x80000000u, 0x7fffffffu, 0xffffffffu, 2,
                                       0xfffffffeu, 0x12345678u, 0xdeadbeefu, 100};
constexpr uint32_t kFirst = 8;  // x8..x19
// The register holding value v.
uint32_t reg(uint32_t v) {
  for (size_t i = 0; i < kValues.size(); ++i) {
    if (kValues[i] == v) return kFirst + static_cast<uint32_t>(i);
  }
  ADD_FAILURE() << v << " is not loaded";
  return 0;
}

std::vector<uint32_t> edge_program() {
  std::vector<uint32_t> c;
  load_values(c, kFirst, kValues);
  for (uint32_t i = kFirst; i < kFirst + kValues.size(); ++i) {
    for (uint32_t j = kFirst; j < kFirst + kValues.size(); ++j) {
      c.push_back(rv::div(rv::t0, i, j));
      c.push_back(rv::divu(rv::t1, i, j));
      c.push_back(rv::rem(rv::t2, i, j));
      c.push_back(rv::remu(rv::t3, i, j));
    }
  }
  // Results nobody receives (tampered below, where only the row's own checks can object).
  c.push_back(rv::divu(rv::zero, reg(7), reg(2)));
  c.push_back(rv::div(rv::zero, reg(0xfffffff9u), reg(2)));
  c.push_back(rv::div(rv::zero, reg(0x80000000u), reg(0xffffffffu)));
  c.push_back(rv::remu(rv::zero, reg(0x12345678u), reg(0)));
  return c;
}

const ProvenShard& shard() {
  static const ProvenShard s(edge_program());
  return s;
}

const DivRemLayout kL = make_divrem_layout();
// Flag columns (kDivRemOps order).
const uint32_t kDiv = kL.ops.col[0], kDivu = kL.ops.col[1], kRem = kL.ops.col[2],
               kRemu = kL.ops.col[3];

const RowMajorMatrix<BabyBear>& table() {
  return shard().witness.tables[kTableDivRem].trace;
}

const DivRemAir kAir;

// Rewrites a row for the prover's choice (q, r, sq, cz): every other column (carries, r's sign,
// the remainder bound) follows from it as in trace generation, so that only the constraints that
// judge the choice can object.
void set_division(RowMajorMatrix<BabyBear>& t, size_t row, uint32_t q, uint32_t r, bool sq,
                  bool cz) {
  const bool is_signed = t.at(row, kDiv) == BabyBear::one() || t.at(row, kRem) == BabyBear::one();
  const bool quotient = t.at(row, kDiv) == BabyBear::one() || t.at(row, kDivu) == BabyBear::one();
  kAir.fill_division(t.row(row).data(), word_at(t, row, kL.io.b), word_at(t, row, kL.io.c),
                     is_signed, q, r, sq, cz, nullptr);
  set_word_at(t, row, kL.io.a, quotient ? q : r);
}

TEST(DivRemTable, Shape) {
  expect_shape(shard().machine(), kTableDivRem, 60, 30, 3);
}

TEST(DivRemTable, EdgeValuesProveAndVerify) {
  const ProvenShard& s = shard();
  s.debug_check(s.witness);
  EXPECT_EQ(
      expect_results_match_executor(s.guest, 0, s.witness, kTableDivRem, Family::DivRem, kL.io.a),
      4 * kValues.size() * kValues.size());
  // The spec's corner cases, read from the table.
  EXPECT_EQ(word_at(table(), find_row(table(), kDiv, kL.io.b, kL.io.c, 0x80000000u, 0xffffffffu),
                    kL.io.a),
            0x80000000u);
  EXPECT_EQ(word_at(table(), find_row(table(), kDivu, kL.io.b, kL.io.c, 7, 0), kL.io.a),
            0xffffffffu);
  EXPECT_EQ(word_at(table(), find_row(table(), kRemu, kL.io.b, kL.io.c, 0xdeadbeefu, 0), kL.io.a),
            0xdeadbeefu);
  s.prove_and_verify();
}

TEST(DivRemTable, RandomOperandsMatchExecutor) {
  const std::vector<uint32_t> c = random_program(
      14,
      {[](uint32_t d, uint32_t s1, uint32_t s2, uint32_t) { return rv::div(d, s1, s2); },
       [](uint32_t d, uint32_t s1, uint32_t s2, uint32_t) { return rv::divu(d, s1, s2); },
       [](uint32_t d, uint32_t s1, uint32_t s2, uint32_t) { return rv::rem(d, s1, s2); },
       [](uint32_t d, uint32_t s1, uint32_t s2, uint32_t) { return rv::remu(d, s1, s2); }},
      600);
  EXPECT_EQ(check_program_shards(c, 256, kTableDivRem, Family::DivRem, kL.io.a), 600u);
}

TEST(DivRemTable, WrongResultByteIsRejected) {
  const size_t row = find_row(table(), kDiv, kL.io.b, kL.io.c, 0xdeadbeefu, 7);
  expect_rejected(
      shard(), kTableDivRem,
      [&](RowMajorMatrix<BabyBear>& t) { t.at(row, kL.io.a[0]) += BabyBear::one(); },
      "divrem.result", /*forced_proof=*/true);
}

TEST(DivRemTable, RemainderNotBelowDivisorIsRejected) {
  // DIVU 7 / 2 as q = 2, r = 3 (7 = 2 * 2 + 3, the product holds): |r| < |c| fails, DH = -1.
  const size_t row = find_row(table(), kDivu, kL.io.b, kL.io.c, 7, 2, /*last=*/true);
  expect_rejected(
      shard(), kTableDivRem,
      [&](RowMajorMatrix<BabyBear>& t) { set_division(t, row, 2, 3, false, false); },
      "LogUp imbalance", /*forced_proof=*/true);
}

TEST(DivRemTable, FlooredInsteadOfTruncatedIsRejected) {
  // DIV -7 / 2 as q = -4, r = 1 (floor division: product and |r| < |c| hold): r's sign differs
  // from b's.
  const size_t row = find_row(table(), kDiv, kL.io.b, kL.io.c, 0xfffffff9u, 2, /*last=*/true);
  expect_rejected(
      shard(), kTableDivRem,
      [&](RowMajorMatrix<BabyBear>& t) { set_division(t, row, 0xfffffffcu, 1, true, false); },
      "divrem.r_sign",
      /*forced_proof=*/false);
}

TEST(DivRemTable, NegativeRemainderOfSmallerSizeIsRejected) {
  // DIV -7 / 2 as q = -2, r = -3: product holds, r has b's sign, but |r| = 3 >= 2.
  const size_t row = find_row(table(), kDiv, kL.io.b, kL.io.c, 0xfffffff9u, 2, /*last=*/true);
  expect_rejected(
      shard(), kTableDivRem,
      [&](RowMajorMatrix<BabyBear>& t) {
        set_division(t, row, 0xfffffffeu, 0xfffffffdu, true, false);
      },
      "LogUp imbalance", /*forced_proof=*/false);
}

TEST(DivRemTable, OverflowQuotientWithNegativeSignIsRejected) {
  // INT_MIN / -1: q = INT_MIN is right only as Q = +2^31 (sq = 0); Q = -2^31 breaks the product.
  const size_t row =
      find_row(table(), kDiv, kL.io.b, kL.io.c, 0x80000000u, 0xffffffffu, /*last=*/true);
  expect_rejected(
      shard(), kTableDivRem,
      [&](RowMajorMatrix<BabyBear>& t) { set_division(t, row, 0x80000000u, 0, true, false); },
      "divrem.product",
      /*forced_proof=*/false);
}

TEST(DivRemTable, DivisionByZeroIsPinned) {
  const size_t row = find_row(table(), kRemu, kL.io.b, kL.io.c, 0x12345678u, 0, /*last=*/true);
  // Claiming c != 0 (cz = 0) with q = 0, r = b: the product holds, |r| < |c| = 0 cannot.
  expect_rejected(
      shard(), kTableDivRem,
      [&](RowMajorMatrix<BabyBear>& t) { set_division(t, row, 0, 0x12345678u, false, false); },
      "LogUp imbalance", /*forced_proof=*/false);
  // Keeping cz = 1 but another quotient.
  expect_rejected(
      shard(), kTableDivRem,
      [&](RowMajorMatrix<BabyBear>& t) { set_division(t, row, 0, 0x12345678u, false, true); },
      "divrem.zero_q",
      /*forced_proof=*/false);
  // cz = 1 for a non-zero divisor.
  const size_t other = find_row(table(), kDivu, kL.io.b, kL.io.c, 7, 2, /*last=*/true);
  expect_rejected(
      shard(), kTableDivRem,
      [&](RowMajorMatrix<BabyBear>& t) { set_division(t, other, 0xffffffffu, 7, false, true); },
      "divrem.product", /*forced_proof=*/false);
}

}  // namespace
}  // namespace tessera::rv32im::test
