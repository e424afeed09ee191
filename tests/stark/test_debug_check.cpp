// The debug checker names the failing constraint, table and row, and reports LogUp imbalances.
#include <gtest/gtest.h>

#include "stark_test_util.hpp"

namespace tessera {
namespace {

std::string debug_error(const Machine& m, const std::vector<TableWitness>& w) {
  std::vector<RowMajorMatrix<BabyBear>> traces;
  std::vector<std::vector<BabyBear>> pvs;
  for (const auto& t : w) {
    traces.push_back(t.trace);
    pvs.push_back(t.public_values);
  }
  try {
    m.debug_check(traces, pvs);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
    return e.what();
  }
  return "";
}

TEST(DebugCheck, ValidWitnessesPass) {
  EXPECT_EQ(debug_error(test::fibonacci_machine(), test::fibonacci_tables(6)), "");
  EXPECT_EQ(debug_error(test::range_machine(), test::range_tables(5, 6)), "");
}

TEST(DebugCheck, OneWrongCellNamesConstraintAndRow) {
  auto w = test::fibonacci_tables(5);
  w[0].trace.at(9, 1) += BabyBear::one();  // b at row 9: row 8's b' = a + b fails first
  EXPECT_EQ(debug_error(test::fibonacci_machine(), w),
            "constraint fib.next_b of table fibonacci fails at row 8");
}

TEST(DebugCheck, BoundaryConstraintsAreNamed) {
  auto w = test::fibonacci_tables(4);
  w[0].public_values[2] += BabyBear::one();
  EXPECT_EQ(debug_error(test::fibonacci_machine(), w),
            "constraint fib.result of table fibonacci fails at row 15");
  w = test::fibonacci_tables(4);
  w[0].trace.at(0, 0) = BabyBear::from_u32(5);
  EXPECT_EQ(debug_error(test::fibonacci_machine(), w),
            "constraint fib.first_a of table fibonacci fails at row 0");
}

TEST(DebugCheck, LimbOutOfRangeIsAnImbalance) {
  auto w = test::range_tables(4, 5);
  // Row 3: x = 16 * 1 + 0 written with limb0 = 16 (out of range), limb1 = 0: recomposes, but 16
  // is not in the 4-bit table.
  auto& t = w[1].trace;
  t.at(3, 0) = BabyBear::from_u32(16);
  const uint32_t old[3] = {t.at(3, 1).as_u32(), t.at(3, 2).as_u32(), t.at(3, 3).as_u32()};
  t.at(3, 1) = BabyBear::from_u32(16);
  t.at(3, 2) = BabyBear::zero();
  t.at(3, 3) = BabyBear::zero();
  // Keep every in-range limb balanced: adjust the range table's multiplicities.
  auto& mult = w[2].trace;
  for (uint32_t v : old) mult.at(v, 0) -= BabyBear::one();
  mult.at(0, 0) += BabyBear::from_u32(2);
  const std::string err = debug_error(test::range_machine(), w);
  EXPECT_NE(err.find("LogUp imbalance: bus 7 message (16) has net multiplicity +1"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("table limbs3x4 at row 3"), std::string::npos) << err;
}

TEST(DebugCheck, MultiplicityOffByOne) {
  auto w = test::range_tables(4, 5);
  w[2].trace.at(5, 0) += BabyBear::one();
  const std::string err = debug_error(test::range_machine(), w);
  EXPECT_NE(err.find("bus 7 message (5) has net multiplicity -1"), std::string::npos) << err;
}

TEST(DebugCheck, ShapeErrorsNameTheTable) {
  auto w = test::fibonacci_tables(4);
  w[0].public_values.pop_back();
  EXPECT_NE(debug_error(test::fibonacci_machine(), w).find("table fibonacci"), std::string::npos);
}

}  // namespace
}  // namespace tessera
