// Openings verify at every index, and every kind of tampering is rejected with the right kind:
// VerifyFailed for a well-formed opening that does not lead to the root, InvalidArgument for
// malformed shapes.
#include <vector>

#include "merkle/merkle_verify.hpp"
#include "merkle_test_util.hpp"

namespace tessera {
namespace {

using Matrices = std::vector<RowMajorMatrix<BabyBear>>;
using test::expect_error;
using test::pointers;
using test::random_matrix;

class MerkleVerify : public ::testing::Test {
 protected:
  // Heights 16 (two matrices), 4, 2 and 1: leaves, two injections and one at the root.
  MerkleVerify()
      : ms_{random_matrix(3, 16, 1), random_matrix(2, 4, 2), random_matrix(9, 16, 3),
            random_matrix(1, 1, 4), random_matrix(4, 2, 5)},
        tree_(merkle_commit(pointers(ms_))),
        dims_(tree_.dims()) {}

  MerkleOpening open(size_t index) const { return tree_.open(index, pointers(ms_)); }
  void verify(size_t index, const MerkleOpening& o) const {
    merkle_verify(tree_.root(), dims_, index, o);
  }

  Matrices ms_;
  MerkleTree tree_;
  std::vector<MatrixDims> dims_;
};

TEST_F(MerkleVerify, EveryIndexOpensAndVerifies) {
  for (size_t index = 0; index < 16; ++index) {
    EXPECT_NO_THROW(verify(index, open(index))) << "index " << index;
    EXPECT_EQ(merkle_root_from_opening(dims_, index, open(index).rows, open(index).proof),
              tree_.root());
  }
}

TEST_F(MerkleVerify, TallSingleMatrixEveryIndex) {
  Matrices one{random_matrix(5, 256, 9)};
  const MerkleTree tree = merkle_commit(pointers(one));
  for (size_t index = 0; index < 256; ++index) {
    ASSERT_NO_THROW(merkle_verify(tree.root(), tree.dims(), index, tree.open(index, pointers(one))))
        << index;
  }
}

TEST_F(MerkleVerify, WrongLeafValueIsRejected) {
  for (size_t index : {0, 5, 15}) {
    const MerkleOpening good = open(index);
    for (size_t m = 0; m < good.rows.size(); ++m) {
      for (size_t k = 0; k < good.rows[m].size(); ++k) {
        MerkleOpening bad = good;
        bad.rows[m][k] += BabyBear::one();
        expect_error(ErrorKind::VerifyFailed, [&] { verify(index, bad); });
      }
    }
  }
}

TEST_F(MerkleVerify, RowsOfAnotherIndexAreRejected) {
  // The rows of index 3 with the path of index 2 (siblings at index 2 and 3 share layers >= 1).
  MerkleOpening bad = open(2);
  bad.rows = open(3).rows;
  expect_error(ErrorKind::VerifyFailed, [&] { verify(2, bad); });
}

TEST_F(MerkleVerify, WrongSiblingIsRejected) {
  const MerkleOpening good = open(6);
  for (size_t l = 0; l < good.proof.siblings.size(); ++l) {
    for (size_t k = 0; k < kDigestElems; ++k) {
      MerkleOpening bad = good;
      bad.proof.siblings[l][k] += BabyBear::one();
      expect_error(ErrorKind::VerifyFailed, [&] { verify(6, bad); });
    }
  }
  MerkleOpening swapped = good;
  std::swap(swapped.proof.siblings[0], swapped.proof.siblings[1]);
  expect_error(ErrorKind::VerifyFailed, [&] { verify(6, swapped); });
}

TEST_F(MerkleVerify, WrongIndexIsRejected) {
  const MerkleOpening at5 = open(5);
  for (size_t index = 0; index < 16; ++index) {
    if (index == 5) continue;
    expect_error(ErrorKind::VerifyFailed, [&] { verify(index, at5); });
  }
}

TEST_F(MerkleVerify, WrongRootIsRejected) {
  Digest root = tree_.root();
  root[7] += BabyBear::one();
  expect_error(ErrorKind::VerifyFailed, [&] { merkle_verify(root, dims_, 1, open(1)); });
}

TEST_F(MerkleVerify, WrongHeightIsRejected) {
  const MerkleOpening o = open(9);
  // A short matrix claimed shorter or taller: same path length, its row enters at another layer.
  for (size_t height : {1, 8, 16}) {
    auto dims = dims_;
    dims[1].height = height;  // really 4
    expect_error(ErrorKind::VerifyFailed, [&] { merkle_verify(tree_.root(), dims, 9, o); });
  }
  // A tallest matrix claimed shorter: the other tallest one still fixes the tree height.
  auto dims = dims_;
  dims[2].height = 8;
  expect_error(ErrorKind::VerifyFailed, [&] { merkle_verify(tree_.root(), dims, 9, o); });
  // All matrices claimed twice as tall: the path is one sibling short.
  dims = dims_;
  for (auto& d : dims) d.height *= 2;
  expect_error(ErrorKind::InvalidArgument, [&] { merkle_verify(tree_.root(), dims, 9, o); });
  // A height that is not a power of two, or zero.
  for (size_t height : {0, 3, 12}) {
    dims = dims_;
    dims[0].height = height;
    expect_error(ErrorKind::InvalidArgument, [&] { merkle_verify(tree_.root(), dims, 9, o); });
  }
  dims = dims_;
  dims[0].height = size_t{1} << 50;
  expect_error(ErrorKind::InvalidArgument, [&] { merkle_verify(tree_.root(), dims, 9, o); });
}

TEST_F(MerkleVerify, WrongWidthOrRowLengthIsRejected) {
  const MerkleOpening o = open(0);
  auto dims = dims_;
  dims[2].width = 8;  // really 9
  expect_error(ErrorKind::InvalidArgument, [&] { merkle_verify(tree_.root(), dims, 0, o); });
  dims = dims_;
  dims[3].width = 0;
  expect_error(ErrorKind::InvalidArgument, [&] { merkle_verify(tree_.root(), dims, 0, o); });
  MerkleOpening longer = o;
  longer.rows[1].push_back(BabyBear::zero());
  expect_error(ErrorKind::InvalidArgument, [&] { verify(0, longer); });
  MerkleOpening shorter = o;
  shorter.rows[0].pop_back();
  expect_error(ErrorKind::InvalidArgument, [&] { verify(0, shorter); });
}

TEST_F(MerkleVerify, WrongNumberOfRowsOrMatricesIsRejected) {
  const MerkleOpening o = open(3);
  MerkleOpening missing = o;
  missing.rows.pop_back();
  expect_error(ErrorKind::InvalidArgument, [&] { verify(3, missing); });
  MerkleOpening extra = o;
  extra.rows.push_back({BabyBear::one()});
  expect_error(ErrorKind::InvalidArgument, [&] { verify(3, extra); });
  expect_error(ErrorKind::InvalidArgument, [&] {
    merkle_verify(tree_.root(), std::span<const MatrixDims>{}, 3,
                  std::span<const std::vector<BabyBear>>{}, o.proof);
  });
  // Rows exchanged between two matrices of the same width but different heights.
  MerkleOpening exchanged = o;
  std::swap(exchanged.rows[0], exchanged.rows[2]);  // widths 3 and 9: malformed
  expect_error(ErrorKind::InvalidArgument, [&] { verify(3, exchanged); });
}

TEST_F(MerkleVerify, WrongPathLengthIsRejected) {
  MerkleOpening shorter = open(4);
  shorter.proof.siblings.pop_back();
  expect_error(ErrorKind::InvalidArgument, [&] { verify(4, shorter); });
  MerkleOpening longer = open(4);
  longer.proof.siblings.push_back(longer.proof.siblings.back());
  expect_error(ErrorKind::InvalidArgument, [&] { verify(4, longer); });
}

TEST_F(MerkleVerify, IndexOutOfRangeIsRejected) {
  const MerkleOpening o = open(15);
  for (size_t index : {size_t{16}, size_t{17}, size_t{1} << 40, ~size_t{0}}) {
    expect_error(ErrorKind::InvalidArgument, [&] { verify(index, o); });
  }
}

TEST(MerkleVerifySingleLeaf, HeightOneTreeHasEmptyPath) {
  Matrices ms{random_matrix(4, 1, 1), random_matrix(11, 1, 2)};
  const MerkleTree tree = merkle_commit(pointers(ms));
  const MerkleOpening o = tree.open(0, pointers(ms));
  EXPECT_TRUE(o.proof.siblings.empty());
  EXPECT_NO_THROW(merkle_verify(tree.root(), tree.dims(), 0, o));
  MerkleOpening bad = o;
  bad.rows[1][10] += BabyBear::one();
  expect_error(ErrorKind::VerifyFailed, [&] { merkle_verify(tree.root(), tree.dims(), 0, bad); });
  expect_error(ErrorKind::InvalidArgument, [&] { merkle_verify(tree.root(), tree.dims(), 1, o); });
}

}  // namespace
}  // namespace tessera
