#pragma once
// The shape of a mixed-matrix Merkle tree (Plonky3's MMCS): which matrices are committed and at
// which layer each one enters the tree.
//
// Matrices m_0 … m_{k-1} (in commit order) have power-of-two heights h_j and widths w_j > 0. Let
// H = max h_j and L = log2 H. The tree has L + 1 digest layers; layer l has H >> l nodes
// (layer 0 = leaves, layer L = the root). The matrices of height H >> l — kept in commit order —
// "enter" at layer l:
//   - at layer 0 they form the leaves: leaf i = Hash(row i of each, concatenated);
//   - at layer l > 0 they are injected: node i = C(C(child 2i, child 2i+1), Hash(row i of each)).
// Layers where no matrix enters are plain compressions C(child 2i, child 2i+1).
//
// The verifier rebuilds this same shape from the dimensions alone, so every function that takes
// dimensions from outside (a proof, a caller) validates them here and throws InvalidArgument.

#include <cstddef>
#include <span>
#include <vector>

#include "field/babybear.hpp"
#include "matrix/row_major_matrix.hpp"

namespace tessera {

struct MatrixDims {
  size_t width = 0;
  size_t height = 0;
  friend bool operator==(const MatrixDims&, const MatrixDims&) = default;
};

class MerkleShape {
 public:
  // Heights up to 2^kMaxLogHeight: far above any trace (two-adicity 27 plus blowup), low enough
  // that every shift and size computation stays well inside 64 bits.
  static constexpr unsigned kMaxLogHeight = 40;

  // Throws InvalidArgument for no matrices, a zero width, or a height that is zero, not a power
  // of two, or above 2^kMaxLogHeight.
  explicit MerkleShape(std::vector<MatrixDims> dims);

  // The dimensions of these matrices (same checks as above).
  static MerkleShape of(std::span<const RowMajorMatrix<BabyBear>* const> matrices);

  const std::vector<MatrixDims>& dims() const { return dims_; }
  size_t num_matrices() const { return dims_.size(); }
  size_t max_height() const { return size_t{1} << log_max_height_; }
  unsigned log_max_height() const { return log_max_height_; }
  // Number of digest layers, leaves and root included: log_max_height() + 1.
  unsigned num_layers() const { return log_max_height_ + 1; }
  size_t layer_size(unsigned layer) const { return max_height() >> layer; }

  // Indices (commit order) of the matrices entering at `layer`; empty when none do.
  const std::vector<size_t>& entering_at(unsigned layer) const { return entering_[layer]; }
  // Sum of the widths of the matrices entering at `layer` (the length of the hashed input).
  size_t entering_width(unsigned layer) const;

  // Row of matrix `m` that belongs to leaf `leaf_index`: leaf_index >> (L - log2 h_m).
  size_t row_of(size_t m, size_t leaf_index) const;

  friend bool operator==(const MerkleShape& a, const MerkleShape& b) { return a.dims_ == b.dims_; }

 private:
  std::vector<MatrixDims> dims_;
  unsigned log_max_height_ = 0;
  std::vector<std::vector<size_t>> entering_;  // one entry per layer
};

// log2 of a power of two (caller guarantees it is one).
unsigned log2_exact(size_t power_of_two);

}  // namespace tessera
