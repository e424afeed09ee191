// The CUDA NTT, inverse NTT, coset LDE (both row orders) and row bit-reversal against the CPU
// reference (src/poly/ntt.hpp), byte for byte, on seeded data: one row and a few rows, odd
// widths and widths 2^k - 1, 2^k, 2^k + 1 around the kernels' 32-column segment, and heights
// 2^k for k in {0, 1, 5, 10, 20}. Every test skips without a CUDA device.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>

#include "backend/device.hpp"
#include "common/error.hpp"
#include "poly/ntt.hpp"

#if TESSERA_HAVE_CUDA
#include "kernels/ntt_host.hpp"
#endif

namespace tessera {
namespace {

class NttGpu : public ::testing::Test {
 protected:
  void SetUp() override {
    if (cuda_device_count() == 0) GTEST_SKIP() << "no CUDA device";
#if !TESSERA_HAVE_CUDA
    GTEST_SKIP() << "built without CUDA";
#endif
  }
};

#if TESSERA_HAVE_CUDA

using Matrix = RowMajorMatrix<BabyBear>;

Matrix random_matrix(size_t height, size_t width, uint64_t seed) {
  std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ull + width * 31 + height);
  Matrix m(width, height);
  for (BabyBear& v : m.values()) v = BabyBear::from_u64(rng() % BabyBear::kModulus);
  return m;
}

// Empty when the two matrices are byte-identical, else where they first differ.
std::string difference(const Matrix& a, const Matrix& b) {
  if (a.width() != b.width() || a.height() != b.height()) return "different shapes";
  if (a.values().empty() ||
      std::memcmp(a.data(), b.data(), a.values().size() * sizeof(BabyBear)) == 0) {
    return {};
  }
  for (size_t k = 0; k < a.values().size(); ++k) {
    if (a.values()[k] != b.values()[k]) {
      return "first difference at row " + std::to_string(k / a.width()) + ", column " +
             std::to_string(k % a.width());
    }
  }
  return {};
}

// (log height, width) cases; 2^20 rows only for a few widths to bound the CPU reference's time.
struct Case {
  uint32_t log_height;
  size_t width;
};
std::vector<Case> cases() {
  std::vector<Case> out;
  for (uint32_t k : {0u, 1u, 5u, 10u}) {
    for (size_t w : {1, 2, 3, 7, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100}) out.push_back({k, w});
  }
  for (size_t w : {1, 3, 33, 64}) out.push_back({20, w});
  return out;
}

TEST_F(NttGpu, ForwardAndInverseMatchTheCpu) {
  for (const Case& c : cases()) {
    const Matrix orig = random_matrix(size_t{1} << c.log_height, c.width, c.log_height + 1);
    Matrix cpu = orig, gpu = orig;
    ntt_forward(cpu);
    cuda::ntt_forward_gpu(gpu);
    ASSERT_EQ(difference(gpu, cpu), "") << "forward 2^" << c.log_height << " x " << c.width;
    cpu = orig;
    gpu = orig;
    ntt_inverse(cpu);
    cuda::ntt_inverse_gpu(gpu);
    ASSERT_EQ(difference(gpu, cpu), "") << "inverse 2^" << c.log_height << " x " << c.width;
  }
}

TEST_F(NttGpu, CosetLdeMatchesTheCpuInBothOrders) {
  const BabyBear shift = BabyBear::from_u32(BabyBear::kGenerator);
  for (const Case& c : cases()) {
    if (c.log_height == 20 && c.width > 3) continue;
    const Matrix evals = random_matrix(size_t{1} << c.log_height, c.width, 2 * c.log_height + 7);
    for (uint32_t log_blowup : {0u, 1u, 2u, 3u}) {
      if (c.log_height == 20 && log_blowup > 1) continue;
      for (LdeOrder order : {LdeOrder::Natural, LdeOrder::BitReversed}) {
        const Matrix cpu = coset_lde(evals, log_blowup, shift, order);
        const Matrix gpu = cuda::coset_lde_gpu(evals, log_blowup, shift, order);
        ASSERT_EQ(difference(gpu, cpu), "")
            << "LDE 2^" << c.log_height << " x " << c.width << " blowup 2^" << log_blowup
            << (order == LdeOrder::BitReversed ? " bit-reversed" : " natural");
      }
    }
  }
}

TEST_F(NttGpu, BitReverseRowsMatchesTheCpu) {
  for (const Case& c : cases()) {
    Matrix cpu = random_matrix(size_t{1} << c.log_height, c.width, 99), gpu = cpu;
    bit_reverse_rows(cpu);
    cuda::bit_reverse_rows_gpu(gpu);
    ASSERT_EQ(difference(gpu, cpu), "") << "2^" << c.log_height << " x " << c.width;
  }
}

TEST_F(NttGpu, BadSizesAreInvalidArgumentOnTheDeviceToo) {
  const auto expect_invalid = [](auto&& f) {
    try {
      f();
      ADD_FAILURE() << "no error";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument) << e.what();
    }
  };
  Matrix three(2, 3);
  expect_invalid([&] { cuda::ntt_forward_gpu(three); });
  expect_invalid([&] { cuda::ntt_inverse_gpu(three); });
  expect_invalid([&] { cuda::coset_lde_gpu(three, 1, BabyBear::one()); });
  Matrix tall(0, size_t{1} << 26);
  expect_invalid([&] { cuda::coset_lde_gpu(tall, 2, BabyBear::one()); });
}

#else

TEST_F(NttGpu, RequiresCuda) {}

#endif

}  // namespace
}  // namespace tessera
