#pragma once
// Verification of a mixed-matrix Merkle opening (see merkle_shape.hpp for the tree).
//
// The verifier knows the root, the dimensions of the committed matrices (widths and heights, in
// commit order) and the leaf index it asked for; the prover supplies the opened rows and the
// sibling path. Everything is recomputed from these: the leaf from the rows of the tallest
// matrices, then one compression per layer with the sibling on the side given by the index bit,
// injecting the rows of the matrices of each smaller height where the layer has that size.
//
// Errors (thrown as tessera::Error):
//   InvalidArgument — malformed input: bad dimensions (see MerkleShape), a number of opened rows
//     different from the number of matrices, a row whose length is not its matrix's width, an
//     index >= max height, a path whose length is not log2(max height);
//   VerifyFailed — well-formed input whose recomputed root differs from the committed one (a
//     wrong value, sibling, index or height).

#include <span>
#include <vector>

#include "field/babybear.hpp"
#include "hash/digest.hpp"
#include "merkle/merkle_shape.hpp"
#include "merkle/merkle_tree.hpp"

namespace tessera {

// The root that these rows and this path lead to (all InvalidArgument checks above apply).
Digest merkle_root_from_opening(std::span<const MatrixDims> dims, size_t index,
                                std::span<const std::vector<BabyBear>> rows,
                                const MerkleProof& proof);

// Throws VerifyFailed unless the opening leads to `root`.
void merkle_verify(const Digest& root, std::span<const MatrixDims> dims, size_t index,
                   std::span<const std::vector<BabyBear>> rows, const MerkleProof& proof);

inline void merkle_verify(const Digest& root, std::span<const MatrixDims> dims, size_t index,
                          const MerkleOpening& opening) {
  merkle_verify(root, dims, index, opening.rows, opening.proof);
}

}  // namespace tessera
