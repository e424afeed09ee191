#pragma once
// Mixed-matrix Merkle commitment (Plonky3 MMCS semantics): several row-major matrices of
// different power-of-two heights committed in ONE tree. The exact construction (which matrices
// form the leaves, where the shorter ones are injected) is described in merkle_shape.hpp.
//
// A MerkleTree holds every digest layer (leaves to root) and the shape; it does not own the
// committed matrices — the prover keeps them (e.g. its LDEs) and passes them back to open rows.
//
// An opening at a leaf index i < H (H the tallest height) reveals, for every matrix m in commit
// order, its row i >> (log2 H - log2 h_m), together with the L = log2 H sibling digests from
// the leaf layer up. merkle_verify.hpp checks it against the root.

#include <cstddef>
#include <span>
#include <vector>

#include "field/babybear.hpp"
#include "hash/digest.hpp"
#include "matrix/row_major_matrix.hpp"
#include "merkle/merkle_shape.hpp"

namespace tessera {

// The authentication path of one leaf: siblings[l] is the sibling at layer l (0 = leaves) of
// the node on the path, so there are log2(max height) of them.
struct MerkleProof {
  std::vector<Digest> siblings;
  friend bool operator==(const MerkleProof&, const MerkleProof&) = default;
};

// What the prover sends for one query: the opened rows (one per matrix, commit order) and the
// path.
struct MerkleOpening {
  std::vector<std::vector<BabyBear>> rows;
  MerkleProof proof;
  friend bool operator==(const MerkleOpening&, const MerkleOpening&) = default;
};

class MerkleTree {
 public:
  // Takes layers computed elsewhere (a backend); checks that their number and sizes fit the
  // shape (InvalidArgument otherwise). It cannot check the digests themselves.
  MerkleTree(MerkleShape shape, std::vector<std::vector<Digest>> layers);

  const MerkleShape& shape() const { return shape_; }
  const std::vector<MatrixDims>& dims() const { return shape_.dims(); }
  const Digest& root() const { return layers_.back().front(); }
  // layers()[0] are the leaves (max height many), layers().back() is {root}.
  const std::vector<std::vector<Digest>>& layers() const { return layers_; }

  // The sibling path of leaf `index` (InvalidArgument when index >= max height).
  MerkleProof prove(size_t index) const;

  // Rows of `matrices` at leaf `index` plus the path. `matrices` must be the committed ones, in
  // commit order (their dimensions are checked against the shape; their values are not).
  MerkleOpening open(size_t index, std::span<const RowMajorMatrix<BabyBear>* const> matrices) const;

  friend bool operator==(const MerkleTree&, const MerkleTree&) = default;

 private:
  MerkleShape shape_;
  std::vector<std::vector<Digest>> layers_;
};

// The layer-by-layer construction, written once for every backend: `hash_rows(group, out)`
// hashes the concatenated rows of the matrices entering at a layer, `compress_layer(children,
// injected, parents)` builds one layer up (signatures as in merkle_layers.hpp). `matrices` must
// match `shape` (the caller built the shape from them).
template <typename HashRows, typename CompressLayer>
MerkleTree build_merkle_tree(MerkleShape shape,
                             std::span<const RowMajorMatrix<BabyBear>* const> matrices,
                             HashRows&& hash_rows, CompressLayer&& compress_layer) {
  std::vector<std::vector<Digest>> layers(shape.num_layers());
  std::vector<const RowMajorMatrix<BabyBear>*> group;
  auto entering = [&](unsigned layer) {
    group.clear();
    for (size_t m : shape.entering_at(layer)) group.push_back(matrices[m]);
    return std::span<const RowMajorMatrix<BabyBear>* const>(group);
  };
  layers[0].resize(shape.layer_size(0));
  hash_rows(entering(0), std::span<Digest>(layers[0]));
  std::vector<Digest> injected;
  for (unsigned l = 1; l < shape.num_layers(); ++l) {
    layers[l].resize(shape.layer_size(l));
    injected.clear();
    if (!shape.entering_at(l).empty()) {
      injected.resize(shape.layer_size(l));
      hash_rows(entering(l), std::span<Digest>(injected));
    }
    compress_layer(std::span<const Digest>(layers[l - 1]), std::span<const Digest>(injected),
                   std::span<Digest>(layers[l]));
  }
  return MerkleTree(std::move(shape), std::move(layers));
}

// The CPU reference commitment (OpenMP-parallel, thread-count independent). Throws
// InvalidArgument for no matrices, a null or zero-width matrix, or a height that is not a power
// of two.
MerkleTree merkle_commit(std::span<const RowMajorMatrix<BabyBear>* const> matrices);

}  // namespace tessera
