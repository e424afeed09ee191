#include <gtest/gtest.h>

#include <algorithm>
#include <utility>

#include "common/error.hpp"
#include "poly/bit_reverse.hpp"
#include "poly_test_util.hpp"

namespace tessera {
namespace {

// Bit reversal by the definition: read bits LSB-first, write them MSB-first.
size_t naive_reverse(size_t x, uint32_t bits) {
  size_t r = 0;
  for (uint32_t b = 0; b < bits; ++b) r |= ((x >> b) & 1) << (bits - 1 - b);
  return r;
}

TEST(BitReverse, ReverseBitsMatchesDefinition) {
  for (uint32_t bits = 0; bits <= 12; ++bits) {
    for (size_t x = 0; x < (size_t{1} << bits); ++x) {
      ASSERT_EQ(reverse_bits(x, bits), naive_reverse(x, bits)) << x << " " << bits;
    }
  }
  EXPECT_EQ(reverse_bits(1, 64), size_t{1} << 63);
  EXPECT_EQ(reverse_bits(0x1234567, 27), naive_reverse(0x1234567, 27));
}

TEST(BitReverse, RowsArePermutedAndTheMapIsAnInvolution) {
  for (uint32_t k : {0u, 1u, 2u, 3u, 5u, 12u, 13u, 15u}) {
    for (size_t width : {size_t{1}, size_t{3}, k <= 12 ? size_t{64} : size_t{2}}) {
      const auto orig = test::random_matrix(size_t{1} << k, width, k + width);
      auto m = orig;
      bit_reverse_rows(m);
      for (size_t i = 0; i < m.height(); ++i) {
        const auto got = std::as_const(m).row(i);
        const auto want = orig.row(naive_reverse(i, k));
        ASSERT_TRUE(std::equal(got.begin(), got.end(), want.begin())) << "k=" << k << " i=" << i;
      }
      bit_reverse_rows(m);
      EXPECT_EQ(m, orig);
    }
  }
}

TEST(BitReverse, ScaledVariantPermutesAndScalesEveryRowOnce) {
  const BabyBear k = BabyBear::from_u32(987654321);
  for (uint32_t bits : {0u, 1u, 2u, 7u, 14u}) {
    const auto orig = test::random_matrix(size_t{1} << bits, 5, bits);
    auto m = orig;
    bit_reverse_rows_scaled(m.data(), m.height(), m.width(), k);
    for (size_t i = 0; i < m.height(); ++i) {
      for (size_t c = 0; c < 5; ++c) {
        ASSERT_EQ(m.at(i, c), orig.at(naive_reverse(i, bits), c) * k) << i;
      }
    }
  }
}

TEST(BitReverse, NonPowerOfTwoHeightThrows) {
  RowMajorMatrix<BabyBear> m(2, 6);
  try {
    bit_reverse_rows(m);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
  }
  EXPECT_THROW(log2_strict(0, "x"), Error);
  EXPECT_EQ(log2_strict(1, "x"), 0u);
  EXPECT_EQ(log2_strict(size_t{1} << 40, "x"), 40u);
}

}  // namespace
}  // namespace tessera
