// coset_lde checked by interpolating naively and evaluating at shift * w_N^i.
#include <gtest/gtest.h>
#include <omp.h>

#include <algorithm>

#include "common/error.hpp"
#include "poly/ntt.hpp"
#include "poly_test_util.hpp"

namespace tessera {
namespace {

using test::random_matrix;

TEST(CosetLde, MatchesNaiveInterpolationAndEvaluation) {
  const BabyBear shifts[] = {BabyBear::one(), BabyBear::from_u32(BabyBear::kGenerator),
                             BabyBear::from_u32(123456789)};
  for (size_t width : {1, 3, 7}) {
    for (uint32_t k = 0; k <= 6; ++k) {
      const size_t n = size_t{1} << k;
      const auto evals = random_matrix(n, width, 100 * k + width);
      const auto coeffs = test::naive_inverse(evals);
      for (uint32_t log_blowup = 0; log_blowup <= 3; ++log_blowup) {
        for (const BabyBear shift : shifts) {
          const auto lde = coset_lde(evals, log_blowup, shift);
          const size_t big = n << log_blowup;
          ASSERT_EQ(lde.height(), big);
          ASSERT_EQ(lde.width(), width);
          const BabyBear w = BabyBear::two_adic_generator(k + log_blowup);
          BabyBear x = shift;
          for (size_t i = 0; i < big; ++i, x *= w) {
            for (size_t c = 0; c < width; ++c) {
              ASSERT_EQ(lde.at(i, c), test::horner(coeffs, c, x))
                  << "n=" << n << " width=" << width << " log_blowup=" << log_blowup
                  << " shift=" << shift.as_u32() << " row=" << i << " col=" << c;
            }
          }
        }
      }
    }
  }
}

TEST(CosetLde, BitReversedOrderIsTheNaturalOrderPermuted) {
  const BabyBear shift = BabyBear::from_u32(BabyBear::kGenerator);
  for (size_t width : {1, 3, 64}) {
    for (uint32_t k : {0u, 1u, 3u, 6u, 12u}) {
      if (width == 64 && k > 6) continue;
      const auto evals = random_matrix(size_t{1} << k, width, 7 * k + width);
      for (uint32_t log_blowup = 0; log_blowup <= 3; ++log_blowup) {
        auto natural = coset_lde(evals, log_blowup, shift);
        const auto reversed = coset_lde(evals, log_blowup, shift, LdeOrder::BitReversed);
        bit_reverse_rows(natural);
        ASSERT_EQ(reversed, natural)
            << "k=" << k << " width=" << width << " blowup=2^" << log_blowup;
      }
    }
  }
}

TEST(CosetLde, UnshiftedLdeContainsTheOriginalEvaluations) {
  // With shift 1, w_N^(i B) = w_n^i: every B-th row of the LDE is the input row i.
  for (uint32_t k : {10u, 16u}) {
    const auto evals = random_matrix(size_t{1} << k, k == 10 ? 130 : 3, k);
    for (uint32_t log_blowup : {1u, 2u}) {
      const auto lde = coset_lde(evals, log_blowup, BabyBear::one());
      for (size_t i = 0; i < evals.height(); ++i) {
        const auto got = lde.row(i << log_blowup);
        const auto want = evals.row(i);
        ASSERT_TRUE(std::equal(got.begin(), got.end(), want.begin())) << "k=" << k << " i=" << i;
      }
    }
  }
}

TEST(CosetLde, LargeLdeAgreesWithHornerAtSampledRows) {
  const uint32_t k = 15, log_blowup = 1;
  auto coeffs = random_matrix(size_t{1} << k, 2, 4242);
  auto evals = coeffs;
  ntt_forward(evals);
  const BabyBear shift = BabyBear::from_u32(BabyBear::kGenerator);
  const auto lde = coset_lde(evals, log_blowup, shift);
  const BabyBear w = BabyBear::two_adic_generator(k + log_blowup);
  for (size_t i : {size_t{0}, size_t{1}, size_t{777}, size_t{40000}, lde.height() - 1}) {
    for (size_t c = 0; c < 2; ++c) {
      ASSERT_EQ(lde.at(i, c), test::horner(coeffs, c, shift * w.pow(i))) << "row " << i;
    }
  }
}

TEST(CosetLde, InvalidSizesThrowInvalidArgument) {
  const auto check = [](size_t height, uint32_t log_blowup) {
    RowMajorMatrix<BabyBear> m(0, height);
    try {
      coset_lde(m, log_blowup, BabyBear::one());
      ADD_FAILURE() << "height " << height << " log_blowup " << log_blowup << ": no error";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument) << e.what();
    }
  };
  check(0, 1);
  check(3, 1);
  check(24, 0);
  check(size_t{1} << 26, 2);  // 2^28 rows after blowup
  check(size_t{1} << 27, 1);
  check(1, 28);
  check(1, 64);
}

TEST(CosetLde, WidthZeroGivesAnEmptyMatrixOfTheRightHeight) {
  RowMajorMatrix<BabyBear> m(0, 16);
  const auto lde = coset_lde(m, 2, BabyBear::from_u32(7));
  EXPECT_EQ(lde.height(), 64u);
  EXPECT_EQ(lde.width(), 0u);
}

TEST(CosetLde, ResultsDoNotDependOnTheThreadCount) {
  const auto evals = random_matrix(size_t{1} << 13, 7, 5);
  const BabyBear shift = BabyBear::from_u32(BabyBear::kGenerator);
  const int saved = omp_get_max_threads();
  omp_set_num_threads(1);
  const auto one = coset_lde(evals, 2, shift);
  omp_set_num_threads(2);
  const auto two = coset_lde(evals, 2, shift);
  omp_set_num_threads(saved);
  EXPECT_EQ(one, two);
}

}  // namespace
}  // namespace tessera
