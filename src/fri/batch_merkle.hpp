#pragma once
// Verification of many openings of ONE mixed-matrix Merkle tree at once (the PCS verifier checks
// num_queries openings per tree). The result for each opening is exactly
// merkle_root_from_opening (merkle/merkle_verify.hpp); the work is reorganised layer by layer
// across the openings so that the leaf hashes and the compressions of a layer run through the
// vectorised batch permutation (poseidon2_permute_many: 8 or 16 permutations per instruction
// stream) instead of one scalar permutation at a time.
//
// A local helper of the FRI verifier; a candidate for merkle/ (helper D's module).

#include <cstddef>
#include <span>
#include <vector>

#include "hash/digest.hpp"
#include "merkle/merkle_shape.hpp"
#include "merkle/merkle_tree.hpp"

namespace tessera {

// One opening: the leaf index, the opened rows (one per matrix, commit order) and the path.
struct MerkleOpeningRef {
  size_t index = 0;
  std::span<const std::vector<BabyBear>> rows;
  const MerkleProof* proof = nullptr;
};

// roots[q] = merkle_root_from_opening(shape.dims(), openings[q]...). The caller guarantees the
// shapes (rows.size() == number of matrices, row lengths == widths, index < max height, path
// length == log2 max height); violations are InvalidArgument.
std::vector<Digest> merkle_roots_batch(const MerkleShape& shape,
                                       std::span<const MerkleOpeningRef> openings);

// The index of the first opening whose root is not `root`, or openings.size() if all lead to it.
size_t first_failing_opening(const Digest& root, const MerkleShape& shape,
                             std::span<const MerkleOpeningRef> openings);

}  // namespace tessera
