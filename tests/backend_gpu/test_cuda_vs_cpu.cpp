// The CUDA backend against the CPU reference, bit for bit, on seeded data: one row, odd widths,
// sizes 2^k - 1 and 2^k + 1 where a size need not be a power of two, and 2^20 rows. Every test
// skips without a CUDA device (and in builds without CUDA).
#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "backend/backend.hpp"
#include "backend/device.hpp"

namespace tessera {
namespace {

using Matrix = RowMajorMatrix<BabyBear>;
using Ptrs = std::vector<const Matrix*>;

const BabyBear kShift = BabyBear::from_u32(BabyBear::kGenerator);

Matrix random_matrix(size_t width, size_t height, uint64_t seed) {
  std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ull + width * 31 + height);
  Matrix m(width, height);
  for (BabyBear& v : m.values()) v = BabyBear::from_u64(rng() % BabyBear::kModulus);
  return m;
}

std::vector<Digest> random_digests(size_t n, uint64_t seed) {
  const Matrix m = random_matrix(kDigestElems, n, seed);
  std::vector<Digest> ds(n);
  for (size_t i = 0; i < n; ++i) std::copy(m.row(i).begin(), m.row(i).end(), ds[i].begin());
  return ds;
}

// Empty string when equal, else where they first differ (keeps failure output short).
std::string difference(const Matrix& a, const Matrix& b) {
  if (a.width() != b.width() || a.height() != b.height()) return "different shapes";
  for (size_t k = 0; k < a.values().size(); ++k) {
    if (a.values()[k] != b.values()[k]) {
      return "row " + std::to_string(k / a.width()) + " column " + std::to_string(k % a.width());
    }
  }
  return "";
}

std::string difference(std::span<const Digest> a, std::span<const Digest> b) {
  if (a.size() != b.size()) return "different sizes";
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return "digest " + std::to_string(i);
  }
  return "";
}

std::string difference(const MerkleTree& a, const MerkleTree& b) {
  if (!(a.shape() == b.shape())) return "different shapes";
  for (size_t l = 0; l < a.layers().size(); ++l) {
    const std::string d = difference(a.layers()[l], b.layers()[l]);
    if (!d.empty()) return "layer " + std::to_string(l) + " " + d;
  }
  return "";
}

class CudaVsCpu : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!cuda_compiled()) GTEST_SKIP() << "CUDA is not compiled into this build";
    if (cuda_device_count() == 0) GTEST_SKIP() << "no CUDA device visible";
    cpu_ = make_backend("cpu", {});
    cuda_ = make_backend("cuda", {});
  }
  std::unique_ptr<Backend> cpu_;
  std::unique_ptr<Backend> cuda_;
};

TEST_F(CudaVsCpu, NttForwardAndInverse) {
  for (auto [w, h] : {std::pair<size_t, size_t>{1, 1},
                      {7, 1},
                      {1, 2},
                      {3, 4},
                      {9, 32},
                      {64, 1024},
                      {5, 1 << 16},
                      {8, 1 << 20}}) {
    SCOPED_TRACE(std::to_string(w) + " x " + std::to_string(h));
    const Matrix m = random_matrix(w, h, 1);
    Matrix a = m, b = m;
    cpu_->ntt_forward(a);
    cuda_->ntt_forward(b);
    ASSERT_EQ(difference(a, b), "");
    cpu_->ntt_inverse(a);
    cuda_->ntt_inverse(b);
    ASSERT_EQ(difference(a, b), "");
    ASSERT_EQ(difference(b, m), "") << "inverse of forward";
  }
}

TEST_F(CudaVsCpu, CosetLdeBothOrders) {
  for (auto [w, h, blowup] : {std::tuple<size_t, size_t, uint32_t>{1, 1, 1},
                              {3, 1, 3},
                              {7, 2, 1},
                              {17, 64, 2},
                              {64, 1024, 1},
                              {33, 4096, 3},
                              {64, 1 << 20, 1}}) {
    SCOPED_TRACE(std::to_string(w) + " x " + std::to_string(h) + " blowup 2^" +
                 std::to_string(blowup));
    const Matrix m = random_matrix(w, h, 2);
    for (RowOrder order : {RowOrder::Natural, RowOrder::BitReversed}) {
      ASSERT_EQ(difference(cpu_->coset_lde(m, blowup, kShift, order),
                           cuda_->coset_lde(m, blowup, kShift, order)),
                "");
    }
    ASSERT_EQ(difference(cpu_->coset_lde(m, blowup, BabyBear::one()),
                         cuda_->coset_lde(m, blowup, BabyBear::one())),
              "");
  }
}

TEST_F(CudaVsCpu, HashRowsSingleMatrixAndGroups) {
  for (size_t h : {size_t{1}, size_t{2}, size_t{1023}, size_t{1025}, size_t{1} << 20}) {
    for (size_t w : {1, 7, 8, 9, 17, 64}) {
      if (h == (size_t{1} << 20) && w != 64 && w != 9) continue;  // keep the large case short
      SCOPED_TRACE(std::to_string(w) + " x " + std::to_string(h));
      const Matrix m = random_matrix(w, h, 3);
      std::vector<Digest> a(h), b(h);
      cpu_->hash_rows(Ptrs{&m}, a);
      cuda_->hash_rows(Ptrs{&m}, b);
      ASSERT_EQ(difference(a, b), "");
    }
    const Matrix x = random_matrix(3, h, 4), y = random_matrix(8, h, 5), z = random_matrix(9, h, 6);
    std::vector<Digest> a(h), b(h);
    cpu_->hash_rows(Ptrs{&x, &y, &z}, a);
    cuda_->hash_rows(Ptrs{&x, &y, &z}, b);
    ASSERT_EQ(difference(a, b), "") << "group of 3, height " << h;
  }
}

TEST_F(CudaVsCpu, CompressLayerWithAndWithoutInjection) {
  for (size_t n : {size_t{1}, size_t{1023}, size_t{1025}, size_t{1} << 20}) {
    SCOPED_TRACE(n);
    const auto children = random_digests(2 * n, 7);
    const auto injected = random_digests(n, 8);
    std::vector<Digest> a(n), b(n);
    cpu_->compress_layer(children, {}, a);
    cuda_->compress_layer(children, {}, b);
    ASSERT_EQ(difference(a, b), "");
    cpu_->compress_layer(children, injected, a);
    cuda_->compress_layer(children, injected, b);
    ASSERT_EQ(difference(a, b), "");
  }
}

TEST_F(CudaVsCpu, CommitMatrices) {
  const std::vector<std::vector<std::pair<size_t, size_t>>> shapes = {
      {{1, 1}},         {{7, 1}, {3, 1}},
      {{9, 2}, {1, 1}}, {{3, 1024}, {8, 1024}, {5, 256}, {17, 2}, {1, 1}},
      {{64, 1 << 20}},  {{9, 1 << 20}, {5, 1 << 18}, {64, 1 << 10}, {3, 1}},
  };
  uint64_t seed = 10;
  for (const auto& shape : shapes) {
    std::vector<Matrix> ms;
    for (auto [w, h] : shape) ms.push_back(random_matrix(w, h, ++seed));
    Ptrs ptrs;
    for (const auto& m : ms) ptrs.push_back(&m);
    SCOPED_TRACE("shape " + std::to_string(seed));
    ASSERT_EQ(difference(cpu_->commit_matrices(ptrs), cuda_->commit_matrices(ptrs)), "");
  }
}

TEST_F(CudaVsCpu, LdeAndCommit) {
  const Matrix big = random_matrix(64, 1 << 19, 20);
  const Matrix small = random_matrix(7, 1 << 10, 21);
  const Matrix one_row = random_matrix(5, 1, 22);
  for (uint32_t blowup : {1u, 3u}) {
    for (RowOrder order : {RowOrder::Natural, RowOrder::BitReversed}) {
      SCOPED_TRACE("blowup 2^" + std::to_string(blowup) +
                   (order == RowOrder::Natural ? " natural" : " bit-reversed"));
      const Ptrs traces{&big, &small, &one_row};
      const LdeCommitment a = cpu_->lde_and_commit(traces, blowup, kShift, order);
      const LdeCommitment b = cuda_->lde_and_commit(traces, blowup, kShift, order);
      ASSERT_EQ(a.ldes.size(), b.ldes.size());
      for (size_t t = 0; t < a.ldes.size(); ++t) {
        ASSERT_EQ(difference(a.ldes[t], b.ldes[t]), "") << "LDE " << t;
      }
      ASSERT_EQ(difference(a.tree, b.tree), "");
    }
  }
}

TEST_F(CudaVsCpu, LockstepBackendPassesEveryPrimitive) {
  std::unique_ptr<Backend> lockstep = make_backend("lockstep", {});
  EXPECT_EQ(lockstep->name(), "lockstep(cpu,cuda)");
  Matrix m = random_matrix(9, 1 << 12, 30);
  const Matrix original = m;
  lockstep->ntt_forward(m);
  lockstep->ntt_inverse(m);
  EXPECT_EQ(difference(m, original), "");
  EXPECT_NO_THROW(lockstep->coset_lde(m, 2, kShift, RowOrder::BitReversed));
  std::vector<Digest> out(m.height());
  EXPECT_NO_THROW(lockstep->hash_rows(Ptrs{&m, &original}, out));
  const auto children = random_digests(2 * 1000, 31);
  std::vector<Digest> parents(1000);
  EXPECT_NO_THROW(lockstep->compress_layer(children, random_digests(1000, 32), parents));
  const Matrix short_one = random_matrix(3, 64, 33);
  EXPECT_NO_THROW(lockstep->commit_matrices(Ptrs{&m, &short_one}));
  EXPECT_NO_THROW(lockstep->lde_and_commit(Ptrs{&m, &short_one}, 1, kShift));
}

}  // namespace
}  // namespace tessera
