#include "fri/batch_merkle.hpp"

#include <algorithm>

#include "common/check.hpp"
#include "hash/poseidon2.hpp"
#include "hash/sponge.hpp"

namespace tessera {

namespace {

// The batches here are small (one entry per query), so they run on the calling thread through
// the single-threaded vectorised permutation rather than the OpenMP-parallel hash_rows /
// compress_pairs, whose thread start-up would cost more than the work.

// Hash(rows of the matrices entering at `layer`, concatenated) for every opening: the sponge of
// hash/sponge.hpp (overwrite the first len <= 8 elements, permute, per chunk of 8), run on all
// openings together. Every input has the same length, so the chunks line up.
void hash_entering(const MerkleShape& shape, unsigned layer,
                   std::span<const MerkleOpeningRef> openings, std::vector<Poseidon2State>& states,
                   std::span<Digest> out) {
  const size_t n = openings.size();
  const size_t width = shape.entering_width(layer);
  states.assign(n, Poseidon2State{});
  std::vector<std::vector<BabyBear>> concatenated(n);
  for (size_t q = 0; q < n; ++q) {
    concatenated[q].reserve(width);
    for (size_t m : shape.entering_at(layer)) {
      const std::vector<BabyBear>& r = openings[q].rows[m];
      concatenated[q].insert(concatenated[q].end(), r.begin(), r.end());
    }
  }
  if (width == 0) poseidon2_permute_many(states);  // the empty input (never a real layer)
  for (size_t offset = 0; offset < width; offset += kSpongeRate) {
    const size_t len = std::min(kSpongeRate, width - offset);
    for (size_t q = 0; q < n; ++q) {
      std::copy_n(concatenated[q].data() + offset, len, states[q].begin());
    }
    poseidon2_permute_many(states);
  }
  for (size_t q = 0; q < n; ++q) std::copy_n(states[q].begin(), kDigestElems, out[q].begin());
}

// nodes[q] = compress(left[q], right[q]): the first 8 elements of permute(left || right).
void compress_batch(std::span<const Digest> left, std::span<const Digest> right,
                    std::vector<Poseidon2State>& states, std::span<Digest> nodes) {
  const size_t n = nodes.size();
  states.resize(n);
  for (size_t q = 0; q < n; ++q) {
    std::copy(left[q].begin(), left[q].end(), states[q].begin());
    std::copy(right[q].begin(), right[q].end(), states[q].begin() + kDigestElems);
  }
  poseidon2_permute_many(states);
  for (size_t q = 0; q < n; ++q) std::copy_n(states[q].begin(), kDigestElems, nodes[q].begin());
}

}  // namespace

std::vector<Digest> merkle_roots_batch(const MerkleShape& shape,
                                       std::span<const MerkleOpeningRef> openings) {
  const size_t n = openings.size();
  for (size_t q = 0; q < n; ++q) {
    const MerkleOpeningRef& o = openings[q];
    TESSERA_CHECK(
        o.proof != nullptr && o.rows.size() == shape.num_matrices() &&
            o.index < shape.max_height() && o.proof->siblings.size() == shape.log_max_height(),
        ErrorKind::InvalidArgument, "merkle_roots_batch: opening " << q << " is malformed");
    for (size_t m = 0; m < shape.num_matrices(); ++m) {
      TESSERA_CHECK(o.rows[m].size() == shape.dims()[m].width, ErrorKind::InvalidArgument,
                    "merkle_roots_batch: opening " << q << ", row of matrix " << m << " has "
                                                   << o.rows[m].size() << " values");
    }
  }
  std::vector<Digest> nodes(n), left(n), right(n), injected(n);
  if (n == 0) return nodes;
  std::vector<Poseidon2State> states;
  hash_entering(shape, 0, openings, states, nodes);
  for (unsigned l = 1; l < shape.num_layers(); ++l) {
    // The node is the left child when its position (index >> (l - 1)) is even.
    for (size_t q = 0; q < n; ++q) {
      const Digest& sibling = openings[q].proof->siblings[l - 1];
      const bool is_left = ((openings[q].index >> (l - 1)) & 1) == 0;
      left[q] = is_left ? nodes[q] : sibling;
      right[q] = is_left ? sibling : nodes[q];
    }
    compress_batch(left, right, states, nodes);
    if (!shape.entering_at(l).empty()) {
      hash_entering(shape, l, openings, states, injected);
      compress_batch(std::vector<Digest>(nodes), injected, states, nodes);
    }
  }
  return nodes;
}

size_t first_failing_opening(const Digest& root, const MerkleShape& shape,
                             std::span<const MerkleOpeningRef> openings) {
  const std::vector<Digest> roots = merkle_roots_batch(shape, openings);
  for (size_t q = 0; q < roots.size(); ++q) {
    if (roots[q] != root) return q;
  }
  return roots.size();
}

}  // namespace tessera
