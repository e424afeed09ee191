// ntt_forward / ntt_inverse against the O(n^2) DFT, round trips up to 2^20, independent spot
// checks by Horner evaluation at large sizes, bad sizes, and thread-count independence.
#include <gtest/gtest.h>
#include <omp.h>

#include <random>

#include "common/error.hpp"
#include "poly/butterflies.hpp"
#include "poly/ntt.hpp"
#include "poly/twiddles.hpp"
#include "poly_test_util.hpp"

namespace tessera {
namespace {

using test::random_matrix;

TEST(Ntt, ForwardAndInverseMatchNaiveDft) {
  // Widths: odd ones, and ones above the 128-column chunk (several chunks and passes).
  for (size_t width : {1, 3, 7, 130}) {
    for (uint32_t k = 0; k <= (width > 7 ? 8u : 9u); ++k) {
      const size_t n = size_t{1} << k;
      const auto coeffs = random_matrix(n, width, 1000 * k + width);
      auto m = coeffs;
      ntt_forward(m);
      ASSERT_EQ(m, test::naive_forward(coeffs)) << "forward n=" << n << " width=" << width;
      ASSERT_EQ(test::naive_inverse(m), coeffs) << "naive inverse n=" << n;
      const auto evals = random_matrix(n, width, 2000 * k + width);
      auto e = evals;
      ntt_inverse(e);
      ASSERT_EQ(e, test::naive_inverse(evals)) << "inverse n=" << n << " width=" << width;
    }
  }
}

TEST(Ntt, KnownSmallTransforms) {
  // [c0, c1] -> [c0 + c1, c0 - c1] (w_2 = -1); a constant column stays constant under forward
  // of [c, 0, 0, 0]; the delta [0, 1, 0, 0] maps to the powers of w_4.
  RowMajorMatrix<BabyBear> two({BabyBear::from_u32(5), BabyBear::from_u32(9)}, 1);
  ntt_forward(two);
  EXPECT_EQ(two.at(0, 0).as_u32(), 14u);
  EXPECT_EQ(two.at(1, 0), BabyBear::from_u32(5) - BabyBear::from_u32(9));
  RowMajorMatrix<BabyBear> delta(1, 4);
  delta.at(1, 0) = BabyBear::one();
  ntt_forward(delta);
  const BabyBear w4 = BabyBear::two_adic_generator(2);
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(delta.at(i, 0), w4.pow(i));
}

TEST(Ntt, RoundTripUpTo2To20) {
  for (uint32_t k = 0; k <= 20; ++k) {
    const size_t n = size_t{1} << k;
    const size_t width = k <= 14 ? 3 : 1;
    const auto orig = random_matrix(n, width, 77 + k);
    auto m = orig;
    ntt_forward(m);
    ntt_inverse(m);
    ASSERT_EQ(m, orig) << "k=" << k;
  }
}

TEST(Ntt, LargeForwardAgreesWithHornerAtSampledRows) {
  std::mt19937_64 rng(5);
  for (uint32_t k : {12u, 16u, 20u}) {
    const size_t n = size_t{1} << k;
    const size_t width = k == 20 ? 1 : 5;
    const auto coeffs = random_matrix(n, width, 31 * k);
    auto evals = coeffs;
    ntt_forward(evals);
    const BabyBear w = BabyBear::two_adic_generator(k);
    for (int s = 0; s < 6; ++s) {
      const size_t i = s == 0 ? 0 : (s == 1 ? n - 1 : rng() % n);
      for (size_t c = 0; c < width; ++c) {
        ASSERT_EQ(evals.at(i, c), test::horner(coeffs, c, w.pow(i))) << "k=" << k << " i=" << i;
      }
    }
  }
}

TEST(Ntt, TwiddleTableHoldsStagewiseRootPowers) {
  const auto tw = ntt_twiddles(10);
  ASSERT_GE(tw->log_size, 10u);
  for (uint32_t s = 0; s < 10; ++s) {
    const size_t m = size_t{1} << s;
    const BabyBear w = BabyBear::two_adic_generator(s + 1);
    for (size_t j = 0; j < m; j += 1 + m / 16) {
      EXPECT_EQ(tw->forward[m + j], w.pow(j)) << "m=" << m << " j=" << j;
      EXPECT_EQ(tw->inverse[m + j] * tw->forward[m + j], BabyBear::one());
    }
  }
}

void expect_invalid(const std::function<void()>& f, const char* what) {
  try {
    f();
    ADD_FAILURE() << what << ": expected InvalidArgument";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument) << what << ": " << e.what();
  }
}

TEST(Ntt, InvalidHeightsThrowInvalidArgument) {
  for (size_t h : {size_t{0}, size_t{3}, size_t{6}, size_t{12}, (size_t{1} << 20) + 1}) {
    RowMajorMatrix<BabyBear> m(0, h);  // width 0: no storage, the height is still checked
    expect_invalid([&] { ntt_forward(m); }, "forward");
    expect_invalid([&] { ntt_inverse(m); }, "inverse");
    expect_invalid([&] { bit_reverse_rows(m); }, "bit reverse");
  }
  RowMajorMatrix<BabyBear> three(2, 3);
  expect_invalid([&] { ntt_forward(three); }, "forward 3 rows");
  RowMajorMatrix<BabyBear> too_big(0, size_t{1} << 28);
  expect_invalid([&] { ntt_forward(too_big); }, "forward 2^28");
  expect_invalid([&] { ntt_inverse(too_big); }, "inverse 2^28");
  // The raw-pointer API validates before touching memory.
  expect_invalid([&] { ntt_forward(nullptr, 5, 1); }, "raw forward 5 rows");
  expect_invalid([&] { ntt_twiddles(28); }, "twiddles 2^28");
}

TEST(Ntt, WidthZeroIsANoOp) {
  RowMajorMatrix<BabyBear> m(0, 8);
  ntt_forward(m);
  ntt_inverse(m);
  EXPECT_EQ(m.height(), 8u);
  EXPECT_EQ(m.width(), 0u);
}

// Every SIMD path this CPU has (AVX-512, AVX2, scalar) gives the same words as the scalar path,
// on widths that exercise full vectors, masked/scalar tails and the one-column row-lane path.
TEST(Ntt, AllSimdLevelsAgree) {
  using ntt_detail::SimdLevel;
  const SimdLevel best = ntt_detail::best_simd_level();
  const BabyBear shift = BabyBear::from_u32(BabyBear::kGenerator);
  struct Results {
    RowMajorMatrix<BabyBear> fwd, inv, lde;
  };
  const auto run = [&](SimdLevel level, size_t n, size_t width) {
    ntt_detail::set_simd_level(level);
    const auto orig = random_matrix(n, width, n * 31 + width);
    Results r{orig, orig, {}};
    ntt_forward(r.fwd);
    ntt_inverse(r.inv);
    r.lde = coset_lde(orig, 1, shift);
    return r;
  };
  for (size_t width : {1, 5, 17, 64, 130}) {
    for (size_t n : {size_t{1} << 6, size_t{1} << 10}) {
      const Results scalar = run(SimdLevel::kScalar, n, width);
      for (int l = 1; l <= static_cast<int>(best); ++l) {
        const auto level = static_cast<SimdLevel>(l);
        const Results got = run(level, n, width);
        EXPECT_EQ(got.fwd, scalar.fwd) << ntt_detail::simd_level_name(level) << " width=" << width;
        EXPECT_EQ(got.inv, scalar.inv) << ntt_detail::simd_level_name(level) << " width=" << width;
        EXPECT_EQ(got.lde, scalar.lde) << ntt_detail::simd_level_name(level) << " width=" << width;
      }
    }
  }
  ntt_detail::set_simd_level(best);
  EXPECT_EQ(run(best, 8, 3).fwd, test::naive_forward(random_matrix(8, 3, 8 * 31 + 3)));
}

TEST(Ntt, ResultsDoNotDependOnTheThreadCount) {
  const auto orig = random_matrix(size_t{1} << 14, 5, 99);
  const int saved = omp_get_max_threads();
  std::vector<RowMajorMatrix<BabyBear>> fwd, inv;
  for (int threads : {1, 2, 3}) {
    omp_set_num_threads(threads);
    auto f = orig;
    ntt_forward(f);
    fwd.push_back(f);
    auto i = orig;
    ntt_inverse(i);
    inv.push_back(i);
  }
  omp_set_num_threads(saved);
  EXPECT_EQ(fwd[0], fwd[1]);
  EXPECT_EQ(fwd[0], fwd[2]);
  EXPECT_EQ(inv[0], inv[1]);
  EXPECT_EQ(inv[0], inv[2]);
}

}  // namespace
}  // namespace tessera
