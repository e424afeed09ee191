// merkle_roots_batch against the per-opening reference merkle_root_from_opening on a
// mixed-height tree (leaves and injections at several layers), with valid and tampered openings.
#include <gtest/gtest.h>

#include "fri/batch_merkle.hpp"
#include "fri_test_util.hpp"
#include "merkle/merkle_verify.hpp"

namespace tessera {
namespace {

TEST(BatchMerkle, MatchesTheReferenceOnMixedTrees) {
  std::mt19937_64 rng(40);
  // Heights 32, 32, 8, 2 (injections at layers 2 and 4), widths 3, 9, 16, 1.
  std::vector<RowMajorMatrix<BabyBear>> matrices;
  for (auto [w, h] : std::vector<std::pair<size_t, size_t>>{{3, 32}, {9, 32}, {16, 8}, {1, 2}}) {
    RowMajorMatrix<BabyBear> m(w, h);
    for (auto& v : m.values()) v = fri_test::random_felt(rng);
    matrices.push_back(std::move(m));
  }
  std::vector<const RowMajorMatrix<BabyBear>*> ptrs;
  for (const auto& m : matrices) ptrs.push_back(&m);
  const MerkleTree tree = merkle_commit(ptrs);

  std::vector<MerkleOpening> openings;
  std::vector<size_t> indices;
  for (size_t q = 0; q < 37; ++q) {
    indices.push_back(rng() % 32);
    openings.push_back(tree.open(indices.back(), ptrs));
  }
  // Tamper some: a row value, a sibling, and an index.
  openings[3].rows[2][5] += BabyBear::one();
  openings[8].proof.siblings[4][0] += BabyBear::one();
  indices[11] ^= 1;
  std::vector<MerkleOpeningRef> refs;
  for (size_t q = 0; q < openings.size(); ++q) {
    refs.push_back({indices[q], openings[q].rows, &openings[q].proof});
  }
  const auto roots = merkle_roots_batch(tree.shape(), refs);
  for (size_t q = 0; q < openings.size(); ++q) {
    EXPECT_EQ(roots[q], merkle_root_from_opening(tree.dims(), indices[q], openings[q].rows,
                                                 openings[q].proof))
        << q;
    EXPECT_EQ(roots[q] == tree.root(), q != 3 && q != 8 && q != 11) << q;
  }
  EXPECT_EQ(first_failing_opening(tree.root(), tree.shape(), refs), 3u);
  refs[3].rows = {};
  fri_test::expect_error(ErrorKind::InvalidArgument,
                         [&] { merkle_roots_batch(tree.shape(), refs); });
}

}  // namespace
}  // namespace tessera
