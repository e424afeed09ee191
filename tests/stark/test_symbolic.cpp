// The symbolic pass: constraint degrees, LogUp batching, quotient degree, and the rejections
// (degree above 3, columns out of range) that a Machine performs when a table is added.
#include <gtest/gtest.h>

#include "stark_test_util.hpp"

namespace tessera {
namespace {

using test::SquaresAir;

struct CubeAir : AirBase {  // x' = x^3 on transitions: degree 3 + selector = 4 (too high)
  std::string name() const { return "cube"; }
  size_t width() const { return 1; }
  template <class AB>
  void eval(AB& b) const {
    using Expr = typename AB::Expr;
    const Expr x = b.main().local(0);
    b.when_transition().assert_eq("cube.step", b.main().next(0), x * x * x);
  }
};

struct OutOfRangeAir : AirBase {
  std::string name() const { return "oob"; }
  size_t width() const { return 2; }
  template <class AB>
  void eval(AB& b) const {
    b.assert_zero("oob.read", b.main().local(2));
  }
};

struct WideMessageAir : AirBase {  // a degree-3 fingerprint: 1 + 3 > 3
  std::string name() const { return "wide"; }
  size_t width() const { return 1; }
  template <class AB>
  void eval(AB& b) const {
    using Expr = typename AB::Expr;
    const Expr x = b.main().local(0);
    b.send(1, {x * x * x}, BabyBear::one());
  }
};

TEST(Symbolic, FibonacciDegreesAndNames) {
  Machine m = test::fibonacci_machine();
  const TableLayout& l = m.layout(0);
  ASSERT_EQ(l.num_constraints(), 5u);
  EXPECT_EQ(l.constraints[0].name, "fib.first_a");
  EXPECT_EQ(l.constraints[3].name, "fib.next_b");
  for (const auto& c : l.constraints) EXPECT_EQ(c.degree, 2u) << c.name;  // selector * linear
  EXPECT_EQ(l.max_constraint_degree, 2u);
  EXPECT_EQ(l.log_quotient_degree, 0u);
  EXPECT_FALSE(l.has_interactions());
  EXPECT_EQ(l.permutation_width(), 0u);
}

TEST(Symbolic, RangeCheckBatchingAndQuotientDegree) {
  Machine m = test::range_machine();
  const TableLayout& limbs = m.layout(1);
  // Three degree-1 messages with constant multiplicity: batches {0,1} (degree 3) and {2}.
  ASSERT_EQ(limbs.logup.num_batches(), 2u);
  EXPECT_EQ(limbs.logup.batch_end, (std::vector<uint32_t>{2, 3}));
  EXPECT_EQ(limbs.permutation_width(), 12u);  // h0, h1, z flattened
  EXPECT_EQ(limbs.max_constraint_degree, 3u);
  EXPECT_EQ(limbs.log_quotient_degree, 1u);
  EXPECT_EQ(limbs.num_quotient_chunks(), 2u);
  // AIR constraint + 2 batch constraints + first/transition/last.
  EXPECT_EQ(limbs.num_constraints(), 6u);
  // Fold order: the batch constraints are emitted when their batch completes, inside eval().
  EXPECT_EQ(limbs.constraints[0].name, "logup.batch");
  EXPECT_EQ(limbs.constraints[0].degree, 3u);
  EXPECT_TRUE(limbs.constraints[0].extension);
  EXPECT_EQ(limbs.constraints[2].name, "limbs.recompose");
  EXPECT_EQ(limbs.constraints[5].name, "logup.last_row");

  const TableLayout& range = m.layout(2);
  ASSERT_EQ(range.logup.num_batches(), 1u);  // multiplicity (deg 1) / (beta - t) (deg 1)
  EXPECT_EQ(range.max_constraint_degree, 2u);
  EXPECT_EQ(range.preprocessed_width, 1u);
  EXPECT_EQ(range.log_quotient_degree, 0u);
  EXPECT_TRUE(m.has_interactions());
  EXPECT_TRUE(m.has_preprocessed());
}

TEST(Symbolic, DegreeAboveThreeIsRejectedNamingTheConstraint) {
  Machine m("cube");
  try {
    m.add(CubeAir{});
    FAIL() << "a degree-4 constraint was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
    EXPECT_NE(std::string(e.what()).find("cube.step"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("degree 4"), std::string::npos) << e.what();
  }
  EXPECT_EQ(m.num_tables(), 0u);
}

TEST(Symbolic, ColumnOutOfRangeIsRejected) {
  Machine m("oob");
  try {
    m.add(OutOfRangeAir{});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
    EXPECT_NE(std::string(e.what()).find("main column 2"), std::string::npos) << e.what();
  }
}

TEST(Symbolic, InteractionTooWideForOneBatchIsRejected) {
  Machine m("wide");
  EXPECT_THROW(m.add(WideMessageAir{}), Error);
}

TEST(Symbolic, PreprocessedTableLayout) {
  Machine m("squares");
  m.add(SquaresAir{});
  EXPECT_EQ(m.layout(0).preprocessed_width, 1u);
  EXPECT_EQ(m.layout(0).num_public_values, 1u);
  EXPECT_EQ(m.layout(0).constraints[0].degree, 2u);
  EXPECT_EQ(m.layout(0).constraints[1].degree, 2u);
}

}  // namespace
}  // namespace tessera
