#pragma once
// The two CPU building blocks of a mixed-matrix Merkle tree (see merkle_shape.hpp), parallel
// over rows / nodes with OpenMP. Every node is computed independently, so the result does not
// depend on the thread count. The CUDA backend implements the same two operations on the device
// and must agree bit for bit.

#include <span>

#include "field/babybear.hpp"
#include "hash/digest.hpp"
#include "matrix/row_major_matrix.hpp"

namespace tessera {

// out[i] = Hash(row i of group[0] ‖ row i of group[1] ‖ …) for every row i, with Hash the
// sponge of hash/sponge.hpp. All matrices of the group have the same height == out.size() and
// a non-zero width (InvalidArgument otherwise).
void hash_concatenated_rows(std::span<const RowMajorMatrix<BabyBear>* const> group,
                            std::span<Digest> out);

// One layer up: parents[i] = C(children[2i], children[2i+1]); when `injected` is not empty
// (matrices entering at this layer), parents[i] = C(that, injected[i]). C is the two-to-one
// compression. Sizes: children = 2 * parents, injected = parents or 0 (InvalidArgument
// otherwise).
void compress_layer(std::span<const Digest> children, std::span<const Digest> injected,
                    std::span<Digest> parents);

// The argument checks of the two functions above, for callers that hand the work elsewhere
// (a device): InvalidArgument when the sizes do not fit.
void check_row_group(std::span<const RowMajorMatrix<BabyBear>* const> group, size_t height);
void check_layer_sizes(size_t children, size_t injected, size_t parents);

}  // namespace tessera
