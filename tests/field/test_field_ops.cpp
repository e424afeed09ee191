// batch_inverse, powers / shifted_powers for both fields, on small (sequential) and large
// (chunked, multithreaded) inputs.
#include <gtest/gtest.h>
#include <omp.h>

#include <vector>

#include "common/error.hpp"
#include "field/field_ops.hpp"
#include "field_test_util.hpp"

namespace tessera {
namespace {

template <typename F>
class FieldOps : public ::testing::Test {
 protected:
  std::mt19937_64 rng{0xba7c41u};
  std::vector<F> random_nonzero_vector(size_t n) {
    std::vector<F> v(n);
    for (auto& x : v) x = test::random_nonzero<F>(rng);
    return v;
  }
};
using FieldTypes = ::testing::Types<BabyBear, BabyBear4>;
TYPED_TEST_SUITE(FieldOps, FieldTypes);

// Sizes around the sequential/parallel threshold and the chunk size.
const std::vector<size_t> kSizes = {0, 1, 2, 3, 17, 4095, 4096, 4097, 16384, 40000};

TYPED_TEST(FieldOps, BatchInverseMatchesElementwiseInverse) {
  using F = TypeParam;
  for (size_t n : kSizes) {
    const auto in = this->random_nonzero_vector(n);
    const auto out = batch_inverse(in);
    ASSERT_EQ(out.size(), n);
    for (size_t i = 0; i < n; ++i) ASSERT_EQ(out[i], in[i].inverse()) << "n=" << n << " i=" << i;
    // In place.
    auto inplace = in;
    batch_inverse(std::span<const F>(inplace), std::span<F>(inplace));
    EXPECT_EQ(inplace, out) << "n=" << n;
  }
}

TYPED_TEST(FieldOps, BatchInverseRejectsZeroAndNamesIt) {
  using F = TypeParam;
  for (size_t n : {size_t{5}, size_t{40000}}) {
    auto in = this->random_nonzero_vector(n);
    const size_t where = n - 3;
    in[where] = F::zero();
    try {
      batch_inverse(in);
      FAIL() << "expected InvalidArgument for a zero at " << where;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
      EXPECT_NE(std::string(e.what()).find(std::to_string(where)), std::string::npos) << e.what();
    }
    // The explicit opt-in maps zero to zero and inverts the rest.
    const auto out = batch_inverse_or_zero(in);
    for (size_t i = 0; i < n; ++i) {
      ASSERT_EQ(out[i], i == where ? F::zero() : in[i].inverse()) << "i=" << i;
    }
  }
  std::vector<F> a(3), b(4);
  EXPECT_THROW(batch_inverse(std::span<const F>(a), std::span<F>(b)), Error);
}

TYPED_TEST(FieldOps, PowersAndShiftedPowers) {
  using F = TypeParam;
  const F base = test::random_nonzero<F>(this->rng), start = test::random_nonzero<F>(this->rng);
  for (size_t n : kSizes) {
    const auto p = powers(base, n);
    const auto sp = shifted_powers(base, start, n);
    ASSERT_EQ(p.size(), n);
    ASSERT_EQ(sp.size(), n);
    F x = F::one();
    for (size_t i = 0; i < n; ++i, x *= base) {
      ASSERT_EQ(p[i], x) << "n=" << n << " i=" << i;
      ASSERT_EQ(sp[i], start * x) << "n=" << n << " i=" << i;
    }
  }
}

TYPED_TEST(FieldOps, ResultsDoNotDependOnTheThreadCount) {
  using F = TypeParam;
  const auto in = this->random_nonzero_vector(50000);
  const F base = test::random_nonzero<F>(this->rng);
  const int saved = omp_get_max_threads();
  omp_set_num_threads(1);
  const auto inv1 = batch_inverse(in);
  const auto pow1 = powers(base, 50000);
  omp_set_num_threads(2);
  const auto inv2 = batch_inverse(in);
  const auto pow2 = powers(base, 50000);
  omp_set_num_threads(saved);
  EXPECT_EQ(inv1, inv2);
  EXPECT_EQ(pow1, pow2);
}

}  // namespace
}  // namespace tessera
