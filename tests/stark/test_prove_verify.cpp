// Completeness and determinism of the shard prover.
#include <gtest/gtest.h>
#include <omp.h>

#include "stark_test_util.hpp"

namespace tessera {
namespace {

using test::insecure_ok;
using test::prove_with;

class FibonacciHeights : public ::testing::TestWithParam<uint32_t> {};

TEST_P(FibonacciHeights, ProvesAndVerifies) {
  const Machine m = test::fibonacci_machine();
  const auto p = prove_with(m, test::fibonacci_tables(GetParam()));
  EXPECT_NO_THROW(verify_bytes(m, p.pk.vk, p.bytes, insecure_ok()));
  EXPECT_EQ(p.proof.log_heights, std::vector<uint32_t>{GetParam()});
}
INSTANTIATE_TEST_SUITE_P(Stark, FibonacciHeights, ::testing::Values(0u, 1u, 2u, 3u, 5u, 8u, 11u));

TEST(Stark, MultiTableRangeCheckWithDifferentHeights) {
  const Machine m = test::range_machine();
  for (const auto& [fib, values] : {std::pair{3u, 7u}, std::pair{9u, 2u}, std::pair{4u, 4u}}) {
    const auto p = prove_with(m, test::range_tables(fib, values, fib * 31 + values));
    EXPECT_NO_THROW(verify_bytes(m, p.pk.vk, p.bytes, insecure_ok()))
        << "fib 2^" << fib << ", values 2^" << values;
    EXPECT_EQ(p.proof.log_heights, (std::vector<uint32_t>{fib, values, 4, 4}));
    BabyBear4 total = BabyBear4::zero();
    for (const auto& s : p.proof.cumulative_sums) total += s;
    EXPECT_TRUE(total.is_zero());
    EXPECT_FALSE(p.proof.cumulative_sums[1].is_zero());
    EXPECT_TRUE(p.proof.cumulative_sums[0].is_zero());  // no interactions
  }
}

TEST(Stark, PreprocessedTableAlone) {
  Machine m("squares");
  m.add(test::SquaresAir{});
  const auto p = prove_with(m, {test::squares_witness(4)});
  EXPECT_NO_THROW(verify_bytes(m, p.pk.vk, p.bytes, insecure_ok()));
  EXPECT_NE(p.pk.vk.preprocessed_commitment, Digest{});
  // The trace height must be the preprocessed one.
  CpuBackend backend;
  EXPECT_THROW(prove(m, p.pk, {test::squares_witness(5)}, backend), Error);
}

TEST(Stark, CoreConfiguration) {
  const Machine m = test::range_machine();
  const auto p = prove_with(m, test::range_tables(6, 5), "core");
  EXPECT_NO_THROW(verify_bytes(m, p.pk.vk, p.bytes));  // core needs no permission
  EXPECT_EQ(p.proof.config, "core");
  EXPECT_EQ(p.proof.pcs.query_proofs.size(), 100u);
}

TEST(Stark, RecursionConfiguration) {
  const Machine m = test::fibonacci_machine();
  const auto p = prove_with(m, test::fibonacci_tables(5), "recursion");
  EXPECT_NO_THROW(verify_bytes(m, p.pk.vk, p.bytes));
}

TEST(Stark, SameProofBytesOnEveryRun) {
  const Machine m = test::range_machine();
  const auto a = prove_with(m, test::range_tables(7, 6));
  const auto b = prove_with(m, test::range_tables(7, 6));
  EXPECT_EQ(a.bytes, b.bytes);
  // A different witness (same statement shape) gives a different proof.
  const auto c = prove_with(m, test::range_tables(7, 6, 99));
  EXPECT_NE(a.bytes, c.bytes);
}

TEST(Stark, SameProofBytesForOneAndTwoThreads) {
  const Machine m = test::range_machine();
  const int saved = omp_get_max_threads();
  omp_set_num_threads(1);
  const auto one = prove_with(m, test::range_tables(10, 9));
  omp_set_num_threads(2);
  const auto two = prove_with(m, test::range_tables(10, 9));
  omp_set_num_threads(saved);
  EXPECT_EQ(one.bytes, two.bytes);
}

TEST(Stark, WitnessShapeErrors) {
  const Machine m = test::fibonacci_machine();
  CpuBackend backend;
  const ProvingKey pk = setup(m, "test", backend);
  auto w = test::fibonacci_tables(4);
  w[0].trace = RowMajorMatrix<BabyBear>(2, 12);  // not a power of two
  EXPECT_THROW(prove(m, pk, w, backend), Error);
  EXPECT_THROW(prove(m, pk, {}, backend), Error);
  w = test::fibonacci_tables(4);
  w[0].public_values.push_back(BabyBear::one());
  EXPECT_THROW(prove(m, pk, w, backend), Error);
}

TEST(Stark, DebugCheckRunsBeforeProving) {
  const Machine m = test::fibonacci_machine();
  auto w = test::fibonacci_tables(4);
  w[0].trace.at(6, 0) += BabyBear::one();
  try {
    prove_with(m, w);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
    EXPECT_STREQ(e.what(), "constraint fib.next_a of table fibonacci fails at row 5");
  }
}

}  // namespace
}  // namespace tessera
