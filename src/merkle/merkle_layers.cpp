#include "merkle/merkle_layers.hpp"

#include <algorithm>
#include <vector>

#include "hash/sponge.hpp"

namespace tessera {

void check_row_group(std::span<const RowMajorMatrix<BabyBear>* const> group, size_t height) {
  TESSERA_CHECK(!group.empty(), ErrorKind::InvalidArgument, "no matrices to hash");
  for (size_t m = 0; m < group.size(); ++m) {
    TESSERA_CHECK(group[m] != nullptr, ErrorKind::InvalidArgument, "matrix " << m << " is null");
    TESSERA_CHECK(group[m]->width() > 0, ErrorKind::InvalidArgument,
                  "matrix " << m << " has width 0");
    TESSERA_CHECK(group[m]->height() == height, ErrorKind::InvalidArgument,
                  "matrix " << m << " has height " << group[m]->height() << " but " << height
                            << " digests are to be written");
  }
}

void check_layer_sizes(size_t children, size_t injected, size_t parents) {
  TESSERA_CHECK(children == 2 * parents, ErrorKind::InvalidArgument,
                "a Merkle layer of " << parents << " nodes needs " << 2 * parents
                                     << " children, got " << children);
  TESSERA_CHECK(
      injected == 0 || injected == parents, ErrorKind::InvalidArgument,
      "a Merkle layer of " << parents << " nodes cannot inject " << injected << " row digests");
}

void hash_concatenated_rows(std::span<const RowMajorMatrix<BabyBear>* const> group,
                            std::span<Digest> out) {
  check_row_group(group, out.size());
  size_t total_width = 0;
  for (const RowMajorMatrix<BabyBear>* m : group) total_width += m->width();
  // A single matrix is the common case (one trace per height); the sponge module's row hasher
  // may take a vectorised path for it.
  if (group.size() == 1) {
    hash_rows(*group[0], out);
    return;
  }
  // Several matrices of one height: copy a chunk of their rows side by side into one matrix and
  // hash that (the sponge input is exactly the concatenated row), bounding the extra memory to
  // one chunk.
  constexpr size_t kChunkRows = 4096;
  const size_t height = out.size();
  RowMajorMatrix<BabyBear> chunk(total_width, std::min(kChunkRows, height));
  for (size_t begin = 0; begin < height; begin += kChunkRows) {
    const size_t rows = std::min(kChunkRows, height - begin);
    if (rows != chunk.height()) chunk = RowMajorMatrix<BabyBear>(total_width, rows);
    for (size_t i = 0; i < rows; ++i) {
      auto dst = chunk.row(i).begin();
      for (const RowMajorMatrix<BabyBear>* m : group) {
        auto src = m->row(begin + i);
        dst = std::copy(src.begin(), src.end(), dst);
      }
    }
    hash_rows(chunk, out.subspan(begin, rows));
  }
}

void compress_layer(std::span<const Digest> children, std::span<const Digest> injected,
                    std::span<Digest> parents) {
  check_layer_sizes(children.size(), injected.size(), parents.size());
  // compress(l, r) is the first 8 elements of permute(l ‖ r) (sponge.hpp); the nodes are
  // permuted a block at a time so that poseidon2_permute_many can use its vector path. The
  // tests compare every node with hash/sponge.hpp's compress().
  constexpr size_t kBlock = 64;
  const size_t n = parents.size();
  const bool inject = !injected.empty();
  const auto num_blocks = static_cast<std::ptrdiff_t>((n + kBlock - 1) / kBlock);
  auto load = [](Poseidon2State& s, const Digest& left, const Digest& right) {
    std::copy(left.begin(), left.end(), s.begin());
    std::copy(right.begin(), right.end(), s.begin() + kDigestElems);
  };
#pragma omp parallel
  {
    std::vector<Poseidon2State> states(kBlock);
#pragma omp for schedule(static)
    for (std::ptrdiff_t b = 0; b < num_blocks; ++b) {
      const size_t begin = static_cast<size_t>(b) * kBlock;
      const size_t count = std::min(kBlock, n - begin);
      std::span<Poseidon2State> block(states.data(), count);
      for (size_t j = 0; j < count; ++j) {
        load(block[j], children[2 * (begin + j)], children[2 * (begin + j) + 1]);
      }
      poseidon2_permute_many(block);
      if (inject) {
        // The first 8 elements already hold C(left, right); put the row digest beside them.
        for (size_t j = 0; j < count; ++j) {
          std::copy(injected[begin + j].begin(), injected[begin + j].end(),
                    block[j].begin() + kDigestElems);
        }
        poseidon2_permute_many(block);
      }
      for (size_t j = 0; j < count; ++j) {
        std::copy_n(block[j].begin(), kDigestElems, parents[begin + j].begin());
      }
    }
  }
}

}  // namespace tessera
