#include "merkle/merkle_verify.hpp"

#include "hash/sponge.hpp"

namespace tessera {
namespace {

// Hash(row of each matrix entering at `layer`, concatenated in commit order).
Digest hash_entering_rows(const MerkleShape& shape, unsigned layer,
                          std::span<const std::vector<BabyBear>> rows) {
  std::vector<BabyBear> concatenated;
  concatenated.reserve(shape.entering_width(layer));
  for (size_t m : shape.entering_at(layer)) {
    concatenated.insert(concatenated.end(), rows[m].begin(), rows[m].end());
  }
  return hash_elements(concatenated);
}

}  // namespace

Digest merkle_root_from_opening(std::span<const MatrixDims> dims, size_t index,
                                std::span<const std::vector<BabyBear>> rows,
                                const MerkleProof& proof) {
  const MerkleShape shape(std::vector<MatrixDims>(dims.begin(), dims.end()));
  TESSERA_CHECK(
      rows.size() == dims.size(), ErrorKind::InvalidArgument,
      "Merkle opening has " << rows.size() << " rows for " << dims.size() << " committed matrices");
  for (size_t m = 0; m < dims.size(); ++m) {
    TESSERA_CHECK(rows[m].size() == dims[m].width, ErrorKind::InvalidArgument,
                  "opened row of matrix " << m << " has " << rows[m].size()
                                          << " values, its width is " << dims[m].width);
  }
  TESSERA_CHECK(index < shape.max_height(), ErrorKind::InvalidArgument,
                "Merkle leaf index " << index << " out of range for a tree of "
                                     << shape.max_height() << " leaves");
  TESSERA_CHECK(proof.siblings.size() == shape.log_max_height(), ErrorKind::InvalidArgument,
                "Merkle path has " << proof.siblings.size() << " siblings, a tree of "
                                   << shape.max_height() << " leaves needs "
                                   << shape.log_max_height());

  Digest node = hash_entering_rows(shape, 0, rows);
  size_t position = index;  // index of `node` within its layer
  for (unsigned l = 1; l < shape.num_layers(); ++l) {
    const Digest& sibling = proof.siblings[l - 1];
    node = (position & 1) == 0 ? compress(node, sibling) : compress(sibling, node);
    position >>= 1;
    if (!shape.entering_at(l).empty()) node = compress(node, hash_entering_rows(shape, l, rows));
  }
  return node;
}

void merkle_verify(const Digest& root, std::span<const MatrixDims> dims, size_t index,
                   std::span<const std::vector<BabyBear>> rows, const MerkleProof& proof) {
  const Digest computed = merkle_root_from_opening(dims, index, rows, proof);
  TESSERA_CHECK(computed == root, ErrorKind::VerifyFailed,
                "Merkle opening at index " << index << " does not lead to the committed root");
}

}  // namespace tessera
