// The CPU backend is exactly the modules it wraps, and the Backend's public methods reject bad
// arguments before any backend sees them.
#include <vector>

#include "backend/cpu_backend.hpp"
#include "backend_test_util.hpp"
#include "hash/sponge.hpp"
#include "merkle/merkle_layers.hpp"
#include "merkle/merkle_tree.hpp"
#include "poly/bit_reverse.hpp"
#include "poly/ntt.hpp"

namespace tessera {
namespace {

using Matrices = std::vector<RowMajorMatrix<BabyBear>>;
using test::expect_error;
using test::pointers;
using test::random_matrix;

const BabyBear kShift = BabyBear::from_u32(BabyBear::kGenerator);

TEST(CpuBackend, NttEqualsModule) {
  CpuBackend backend;
  for (auto [w, h] : {std::pair<size_t, size_t>{1, 1}, {3, 2}, {7, 64}, {16, 1024}}) {
    const auto m = random_matrix(w, h, w * h);
    auto expected = m;
    ntt_forward(expected);
    auto got = m;
    backend.ntt_forward(got);
    EXPECT_EQ(got, expected) << w << "x" << h;
    ntt_inverse(expected);
    backend.ntt_inverse(got);
    EXPECT_EQ(got, expected);
    EXPECT_EQ(got, m) << "inverse of forward";
  }
}

TEST(CpuBackend, CosetLdeEqualsModuleInBothOrders) {
  CpuBackend backend;
  for (auto [w, h, b] : {std::tuple<size_t, size_t, uint32_t>{1, 1, 1},
                         {5, 8, 1},
                         {4, 32, 2},
                         {9, 256, 3},
                         {2, 16, 0}}) {
    const auto evals = random_matrix(w, h, 100 + w + h);
    const auto expected = coset_lde(evals, b, kShift);
    const auto natural = backend.coset_lde(evals, b, kShift);
    EXPECT_EQ(natural, expected);
    const auto reversed = backend.coset_lde(evals, b, kShift, RowOrder::BitReversed);
    const uint32_t bits = static_cast<uint32_t>(std::countr_zero(expected.height()));
    ASSERT_EQ(reversed.height(), expected.height());
    for (size_t i = 0; i < expected.height(); ++i) {
      ASSERT_TRUE(std::ranges::equal(reversed.row(reverse_bits(i, bits)), expected.row(i)))
          << "row " << i;
    }
  }
}

TEST(CpuBackend, HashRowsAndLayersEqualModule) {
  CpuBackend backend;
  Matrices group{random_matrix(3, 33, 1), random_matrix(8, 33, 2)};
  std::vector<Digest> got(33), expected(33);
  backend.hash_rows(pointers(group), got);
  hash_concatenated_rows(pointers(group), expected);
  EXPECT_EQ(got, expected);
  std::vector<const RowMajorMatrix<BabyBear>*> single{&group[1]};
  backend.hash_rows(single, got);
  for (size_t i = 0; i < 33; ++i) EXPECT_EQ(got[i], hash_elements(group[1].row(i)));

  std::vector<Digest> children(64);
  for (size_t i = 0; i < 64; ++i) children[i] = expected[i % 33];
  std::vector<Digest> parents(32), reference(32);
  backend.compress_layer(children, std::span<const Digest>(expected).first(32), parents);
  compress_layer(children, std::span<const Digest>(expected).first(32), reference);
  EXPECT_EQ(parents, reference);
}

TEST(CpuBackend, CommitEqualsMerkleCommit) {
  CpuBackend backend;
  Matrices ms{random_matrix(3, 64, 1), random_matrix(10, 16, 2), random_matrix(1, 64, 3),
              random_matrix(4, 1, 4)};
  EXPECT_TRUE(backend.commit_matrices(pointers(ms)) == merkle_commit(pointers(ms)));
}

TEST(CpuBackend, LdeAndCommitEqualsModules) {
  CpuBackend backend;
  Matrices traces{random_matrix(6, 32, 1), random_matrix(3, 8, 2), random_matrix(6, 32, 3)};
  for (RowOrder order : {RowOrder::Natural, RowOrder::BitReversed}) {
    const LdeCommitment got = backend.lde_and_commit(pointers(traces), 1, kShift, order);
    Matrices ldes;
    for (const auto& t : traces) {
      ldes.push_back(coset_lde(t, 1, kShift));
      if (order == RowOrder::BitReversed) bit_reverse_rows(ldes.back());
    }
    ASSERT_EQ(got.ldes.size(), 3u);
    for (size_t t = 0; t < 3; ++t) EXPECT_EQ(got.ldes[t], ldes[t]);
    EXPECT_TRUE(got.tree == merkle_commit(pointers(ldes)));
    EXPECT_EQ(got.tree.shape().max_height(), 64u);
  }
}

TEST(CpuBackend, RejectsBadArguments) {
  CpuBackend backend;
  auto three_rows = random_matrix(2, 3, 1);
  expect_error(ErrorKind::InvalidArgument, [&] { backend.ntt_forward(three_rows); });
  expect_error(ErrorKind::InvalidArgument, [&] { backend.ntt_inverse(three_rows); });
  expect_error(ErrorKind::InvalidArgument, [&] { backend.coset_lde(three_rows, 1, kShift); });
  RowMajorMatrix<BabyBear> empty(2, 0);
  expect_error(ErrorKind::InvalidArgument, [&] { backend.ntt_forward(empty); });
  const auto m = random_matrix(2, 1024, 2);
  expect_error(ErrorKind::InvalidArgument, [&] { backend.coset_lde(m, 18, kShift); });
  expect_error(ErrorKind::InvalidArgument, [&] { backend.coset_lde(m, 1000, kShift); });

  std::vector<Digest> out(5);
  std::vector<const RowMajorMatrix<BabyBear>*> group{&m};
  expect_error(ErrorKind::InvalidArgument, [&] { backend.hash_rows(group, out); });
  std::vector<Digest> children(6), parents(2);
  expect_error(ErrorKind::InvalidArgument, [&] { backend.compress_layer(children, {}, parents); });

  using Ptrs = std::vector<const RowMajorMatrix<BabyBear>*>;
  expect_error(ErrorKind::InvalidArgument, [&] { backend.commit_matrices(Ptrs{}); });
  expect_error(ErrorKind::InvalidArgument, [&] { backend.commit_matrices(Ptrs{&three_rows}); });
  expect_error(ErrorKind::InvalidArgument, [&] { backend.lde_and_commit(Ptrs{}, 1, kShift); });
  expect_error(ErrorKind::InvalidArgument, [&] {
    backend.lde_and_commit(Ptrs{&m, nullptr}, 1, kShift);
  });
  const RowMajorMatrix<BabyBear> no_columns(0, 8);
  expect_error(ErrorKind::InvalidArgument,
               [&] { backend.lde_and_commit(Ptrs{&no_columns}, 1, kShift); });
}

}  // namespace
}  // namespace tessera
