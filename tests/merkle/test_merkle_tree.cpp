// The mixed-matrix commitment against naive trees written here from the definition, independent
// of MerkleShape and of the layer code.
#include <omp.h>

#include <vector>

#include "hash/sponge.hpp"
#include "merkle/merkle_tree.hpp"
#include "merkle_test_util.hpp"

namespace tessera {
namespace {

using Matrices = std::vector<RowMajorMatrix<BabyBear>>;
using test::expect_error;
using test::pointers;
using test::random_matrix;

// The node at position i of the layer that has `size` nodes, by recursion from the definition:
// a layer of the tallest height hashes the rows of all tallest matrices; any other layer
// compresses its two children and, when matrices have exactly `size` rows, compresses the result
// with the hash of their rows i (concatenated in commit order).
Digest naive_node(const Matrices& ms, size_t max_height, size_t size, size_t i) {
  std::vector<BabyBear> rows;
  for (const auto& m : ms) {
    if (m.height() == size) rows.insert(rows.end(), m.row(i).begin(), m.row(i).end());
  }
  if (size == max_height) return hash_elements(rows);
  Digest node = compress(naive_node(ms, max_height, 2 * size, 2 * i),
                         naive_node(ms, max_height, 2 * size, 2 * i + 1));
  return rows.empty() ? node : compress(node, hash_elements(rows));
}

size_t max_height_of(const Matrices& ms) {
  size_t h = 0;
  for (const auto& m : ms) h = std::max(h, m.height());
  return h;
}

void expect_matches_naive(const Matrices& ms) {
  const MerkleTree tree = merkle_commit(pointers(ms));
  const size_t max_height = max_height_of(ms);
  ASSERT_EQ(tree.layers().size(), static_cast<size_t>(std::countr_zero(max_height)) + 1);
  size_t size = max_height;
  for (const auto& layer : tree.layers()) {
    ASSERT_EQ(layer.size(), size);
    for (size_t i = 0; i < size; ++i) {
      ASSERT_EQ(layer[i], naive_node(ms, max_height, size, i))
          << "layer size " << size << " i " << i;
    }
    size /= 2;
  }
  EXPECT_EQ(tree.root(), naive_node(ms, max_height, 1, 0));
}

TEST(MerkleTree, SingleMatrixIsPlainBinaryTree) {
  // A plain tree written bottom-up: leaves hash rows, parents compress pairs.
  for (size_t height : {1, 2, 8, 64, 256}) {
    const auto m = random_matrix(13, height, height);
    std::vector<Digest> layer(height);
    for (size_t i = 0; i < height; ++i) layer[i] = hash_elements(m.row(i));
    while (layer.size() > 1) {
      std::vector<Digest> up(layer.size() / 2);
      for (size_t i = 0; i < up.size(); ++i) up[i] = compress(layer[2 * i], layer[2 * i + 1]);
      layer = up;
    }
    std::vector<const RowMajorMatrix<BabyBear>*> one{&m};
    const MerkleTree tree = merkle_commit(one);
    EXPECT_EQ(tree.root(), layer[0]) << "height " << height;
    EXPECT_EQ(tree.shape().max_height(), height);
  }
}

TEST(MerkleTree, MixedHeightsMatchNaiveConstruction) {
  Matrices ms;
  ms.push_back(random_matrix(3, 4, 1));   // injected at layer 2 (size 4)
  ms.push_back(random_matrix(8, 16, 2));  // leaves
  ms.push_back(random_matrix(1, 1, 3));   // injected at the root
  ms.push_back(random_matrix(9, 16, 4));  // leaves, after matrix 1
  ms.push_back(random_matrix(5, 4, 5));   // injected at layer 2, after matrix 0
  ms.push_back(random_matrix(2, 2, 6));   // injected at layer 3
  expect_matches_naive(ms);
}

TEST(MerkleTree, ManyShapesMatchNaiveConstruction) {
  uint64_t seed = 100;
  const std::vector<std::vector<std::pair<size_t, size_t>>> shapes = {
      {{1, 1}},
      {{7, 1}, {3, 1}},
      {{16, 2}},
      {{5, 32}, {5, 8}},
      {{1, 8}, {20, 32}, {1, 2}},
      {{33, 64}, {31, 64}, {65, 16}, {2, 4}, {17, 1}},
      {{4, 2}, {4, 128}},  // a gap: nothing enters at most layers
  };
  for (const auto& shape : shapes) {
    Matrices ms;
    for (auto [w, h] : shape) ms.push_back(random_matrix(w, h, ++seed));
    SCOPED_TRACE(::testing::Message() << "shape #" << seed);
    expect_matches_naive(ms);
  }
}

TEST(MerkleTree, CommitOrderWithinAHeightMatters) {
  Matrices ms{random_matrix(4, 8, 1), random_matrix(4, 8, 2), random_matrix(4, 2, 3)};
  Matrices swapped{ms[1], ms[0], ms[2]};
  EXPECT_NE(merkle_commit(pointers(ms)).root(), merkle_commit(pointers(swapped)).root());
  // Matrices of different heights can be listed in any order: only the order within one height
  // enters the hashes (the dims in the tree keep the commit order).
  Matrices reordered{ms[2], ms[0], ms[1]};
  EXPECT_EQ(merkle_commit(pointers(ms)).root(), merkle_commit(pointers(reordered)).root());
}

TEST(MerkleTree, EveryValueAffectsTheRoot) {
  Matrices ms{random_matrix(3, 4, 1), random_matrix(2, 1, 2)};
  const Digest root = merkle_commit(pointers(ms)).root();
  for (size_t m = 0; m < ms.size(); ++m) {
    for (size_t k = 0; k < ms[m].values().size(); ++k) {
      Matrices changed = ms;
      changed[m].values()[k] += BabyBear::one();
      EXPECT_NE(merkle_commit(pointers(changed)).root(), root) << "matrix " << m << " value " << k;
    }
  }
}

TEST(MerkleTree, RejectsBadMatrices) {
  const auto good = random_matrix(3, 8, 1);
  const auto three_rows = random_matrix(3, 3, 2);
  const auto six_rows = random_matrix(2, 6, 3);
  const RowMajorMatrix<BabyBear> zero_width(0, 8);
  const RowMajorMatrix<BabyBear> zero_height(3, 0);
  using Ptrs = std::vector<const RowMajorMatrix<BabyBear>*>;
  expect_error(ErrorKind::InvalidArgument, [&] { merkle_commit(Ptrs{}); });
  expect_error(ErrorKind::InvalidArgument, [&] { merkle_commit(Ptrs{&three_rows}); });
  expect_error(ErrorKind::InvalidArgument, [&] { merkle_commit(Ptrs{&good, &six_rows}); });
  expect_error(ErrorKind::InvalidArgument, [&] { merkle_commit(Ptrs{&good, &zero_width}); });
  expect_error(ErrorKind::InvalidArgument, [&] { merkle_commit(Ptrs{&zero_height}); });
  expect_error(ErrorKind::InvalidArgument, [&] { merkle_commit(Ptrs{&good, nullptr}); });
}

TEST(MerkleTree, ConstructorChecksLayerSizes) {
  MerkleShape shape({{2, 4}});
  std::vector<std::vector<Digest>> layers{std::vector<Digest>(4), std::vector<Digest>(2),
                                          std::vector<Digest>(1)};
  EXPECT_NO_THROW(MerkleTree(shape, layers));
  auto too_few = layers;
  too_few.pop_back();
  expect_error(ErrorKind::InvalidArgument, [&] { MerkleTree(shape, too_few); });
  auto wrong_size = layers;
  wrong_size[1].resize(3);
  expect_error(ErrorKind::InvalidArgument, [&] { MerkleTree(shape, wrong_size); });
}

TEST(MerkleTree, OpenReturnsTheRightRowsAndChecksItsInput) {
  Matrices ms{random_matrix(3, 8, 1), random_matrix(5, 2, 2)};
  const MerkleTree tree = merkle_commit(pointers(ms));
  for (size_t index = 0; index < 8; ++index) {
    const MerkleOpening opening = tree.open(index, pointers(ms));
    ASSERT_EQ(opening.rows.size(), 2u);
    EXPECT_TRUE(std::ranges::equal(opening.rows[0], ms[0].row(index)));
    EXPECT_TRUE(std::ranges::equal(opening.rows[1], ms[1].row(index / 4)));
    ASSERT_EQ(opening.proof.siblings.size(), 3u);
    EXPECT_EQ(opening.proof.siblings[0], tree.layers()[0][index ^ 1]);
    EXPECT_EQ(opening.proof.siblings[2], tree.layers()[2][(index >> 2) ^ 1]);
  }
  expect_error(ErrorKind::InvalidArgument, [&] { tree.prove(8); });
  expect_error(ErrorKind::InvalidArgument, [&] { tree.open(8, pointers(ms)); });
  Matrices other{random_matrix(3, 8, 1), random_matrix(5, 4, 2)};
  expect_error(ErrorKind::InvalidArgument, [&] { tree.open(0, pointers(other)); });
  Matrices fewer{ms[0]};
  expect_error(ErrorKind::InvalidArgument, [&] { tree.open(0, pointers(fewer)); });
}

TEST(MerkleTree, SameTreeForAnyThreadCount) {
  Matrices ms{random_matrix(17, 2048, 1), random_matrix(17, 2048, 2), random_matrix(7, 512, 3)};
  const int saved = omp_get_max_threads();
  omp_set_num_threads(1);
  const MerkleTree one = merkle_commit(pointers(ms));
  omp_set_num_threads(3);
  const MerkleTree three = merkle_commit(pointers(ms));
  omp_set_num_threads(saved);
  EXPECT_TRUE(one == three);
}

}  // namespace
}  // namespace tessera
