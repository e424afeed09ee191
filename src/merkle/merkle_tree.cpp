#include "merkle/merkle_tree.hpp"

#include "merkle/merkle_layers.hpp"

namespace tessera {

MerkleTree::MerkleTree(MerkleShape shape, std::vector<std::vector<Digest>> layers)
    : shape_(std::move(shape)), layers_(std::move(layers)) {
  TESSERA_CHECK(layers_.size() == shape_.num_layers(), ErrorKind::InvalidArgument,
                "a Merkle tree of max height " << shape_.max_height() << " has "
                                               << shape_.num_layers() << " layers, got "
                                               << layers_.size());
  for (unsigned l = 0; l < layers_.size(); ++l) {
    TESSERA_CHECK(layers_[l].size() == shape_.layer_size(l), ErrorKind::InvalidArgument,
                  "Merkle layer " << l << " has " << layers_[l].size() << " nodes, expected "
                                  << shape_.layer_size(l));
  }
}

MerkleProof MerkleTree::prove(size_t index) const {
  TESSERA_CHECK(index < shape_.max_height(), ErrorKind::InvalidArgument,
                "Merkle leaf index " << index << " out of range for a tree of "
                                     << shape_.max_height() << " leaves");
  MerkleProof proof;
  proof.siblings.reserve(shape_.log_max_height());
  size_t node = index;
  for (unsigned l = 0; l < shape_.log_max_height(); ++l) {
    proof.siblings.push_back(layers_[l][node ^ 1]);
    node >>= 1;
  }
  return proof;
}

MerkleOpening MerkleTree::open(size_t index,
                               std::span<const RowMajorMatrix<BabyBear>* const> matrices) const {
  TESSERA_CHECK(MerkleShape::of(matrices) == shape_, ErrorKind::InvalidArgument,
                "the matrices to open do not have the committed dimensions");
  MerkleOpening opening;
  opening.proof = prove(index);
  opening.rows.reserve(matrices.size());
  for (size_t m = 0; m < matrices.size(); ++m) {
    auto row = matrices[m]->row(shape_.row_of(m, index));
    opening.rows.emplace_back(row.begin(), row.end());
  }
  return opening;
}

MerkleTree merkle_commit(std::span<const RowMajorMatrix<BabyBear>* const> matrices) {
  return build_merkle_tree(MerkleShape::of(matrices), matrices, hash_concatenated_rows,
                           compress_layer);
}

}  // namespace tessera
