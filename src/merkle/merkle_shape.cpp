#include "merkle/merkle_shape.hpp"

#include <bit>

namespace tessera {

unsigned log2_exact(size_t power_of_two) {
  TESSERA_ASSERT(std::has_single_bit(power_of_two));
  return static_cast<unsigned>(std::countr_zero(power_of_two));
}

MerkleShape::MerkleShape(std::vector<MatrixDims> dims) : dims_(std::move(dims)) {
  TESSERA_CHECK(!dims_.empty(), ErrorKind::InvalidArgument,
                "a Merkle commitment needs at least one matrix");
  size_t max_height = 0;
  for (size_t m = 0; m < dims_.size(); ++m) {
    const MatrixDims& d = dims_[m];
    TESSERA_CHECK(d.width > 0, ErrorKind::InvalidArgument,
                  "matrix " << m << " of a Merkle commitment has width 0");
    TESSERA_CHECK(std::has_single_bit(d.height), ErrorKind::InvalidArgument,
                  "matrix " << m << " of a Merkle commitment has height " << d.height
                            << ", which is not a power of two");
    TESSERA_CHECK(
        d.height <= (size_t{1} << kMaxLogHeight), ErrorKind::InvalidArgument,
        "matrix " << m << " has height " << d.height << ", above the maximum 2^" << kMaxLogHeight);
    if (d.height > max_height) max_height = d.height;
  }
  log_max_height_ = log2_exact(max_height);
  entering_.resize(num_layers());
  for (size_t m = 0; m < dims_.size(); ++m) {
    entering_[log_max_height_ - log2_exact(dims_[m].height)].push_back(m);
  }
}

MerkleShape MerkleShape::of(std::span<const RowMajorMatrix<BabyBear>* const> matrices) {
  std::vector<MatrixDims> dims;
  dims.reserve(matrices.size());
  for (size_t m = 0; m < matrices.size(); ++m) {
    TESSERA_CHECK(matrices[m] != nullptr, ErrorKind::InvalidArgument,
                  "matrix " << m << " of a Merkle commitment is null");
    dims.push_back({matrices[m]->width(), matrices[m]->height()});
  }
  return MerkleShape(std::move(dims));
}

size_t MerkleShape::entering_width(unsigned layer) const {
  size_t w = 0;
  for (size_t m : entering_[layer]) w += dims_[m].width;
  return w;
}

size_t MerkleShape::row_of(size_t m, size_t leaf_index) const {
  return leaf_index >> (log_max_height_ - log2_exact(dims_[m].height));
}

}  // namespace tessera
