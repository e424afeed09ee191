// The padding-free overwrite sponge and the truncated-permutation compression (sponge.hpp).

#include "hash/sponge.hpp"

#include <algorithm>

#include "common/check.hpp"
#include "hash/poseidon2_simd.hpp"

namespace tessera {

Digest hash_elements(std::span<const BabyBear> values) {
  Poseidon2State state{};
  if (values.empty()) {
    poseidon2_permute_one(state);
  }
  for (size_t offset = 0; offset < values.size(); offset += kSpongeRate) {
    const size_t len = std::min(kSpongeRate, values.size() - offset);
    std::copy_n(values.data() + offset, len, state.begin());
    poseidon2_permute_one(state);
  }
  Digest d;
  std::copy_n(state.begin(), kDigestElems, d.begin());
  return d;
}

Digest compress(const Digest& left, const Digest& right) {
  Poseidon2State state;
  std::copy(left.begin(), left.end(), state.begin());
  std::copy(right.begin(), right.end(), state.begin() + kDigestElems);
  poseidon2_permute_one(state);
  Digest d;
  std::copy_n(state.begin(), kDigestElems, d.begin());
  return d;
}

void compress_pairs(std::span<const Digest> children, std::span<Digest> parents,
                    Poseidon2Impl impl) {
  TESSERA_CHECK(
      children.size() == 2 * parents.size(), ErrorKind::InvalidArgument,
      "compress_pairs: " << children.size() << " children for " << parents.size() << " parents");
  TESSERA_CHECK(poseidon2_impl_supported(impl), ErrorKind::InvalidArgument,
                "Poseidon2 implementation '" << poseidon2_impl_name(impl) << "' is not supported");
  constexpr size_t kBlock = 128;
  const size_t n = parents.size();
  const auto n_blocks = static_cast<std::ptrdiff_t>((n + kBlock - 1) / kBlock);
#pragma omp parallel for schedule(static)
  for (std::ptrdiff_t b = 0; b < n_blocks; ++b) {
    const size_t first = static_cast<size_t>(b) * kBlock;
    const size_t count = std::min(kBlock, n - first);
    std::array<Poseidon2State, kBlock> states;
    for (size_t i = 0; i < count; ++i) {
      const Digest& l = children[2 * (first + i)];
      const Digest& r = children[2 * (first + i) + 1];
      std::copy(l.begin(), l.end(), states[i].begin());
      std::copy(r.begin(), r.end(), states[i].begin() + kDigestElems);
    }
    poseidon2_permute_many(std::span(states.data(), count), impl);
    for (size_t i = 0; i < count; ++i) {
      std::copy_n(states[i].begin(), kDigestElems, parents[first + i].begin());
    }
  }
}

void hash_rows(const RowMajorMatrix<BabyBear>& m, std::span<Digest> out, Poseidon2Impl impl) {
  TESSERA_CHECK(out.size() == m.height(), ErrorKind::InvalidArgument,
                "hash_rows: output has " << out.size() << " digests for " << m.height() << " rows");
  TESSERA_CHECK(poseidon2_impl_supported(impl), ErrorKind::InvalidArgument,
                "Poseidon2 implementation '" << poseidon2_impl_name(impl) << "' is not supported");
  if (impl == Poseidon2Impl::Auto) impl = poseidon2_best_impl();
  // Blocks of rows are independent, so any split over threads gives the same digests.
  constexpr size_t kBlockRows = 64;  // a multiple of every path's lane count
  const size_t height = m.height();
  const size_t width = m.width();
  const auto n_blocks = static_cast<std::ptrdiff_t>((height + kBlockRows - 1) / kBlockRows);
#pragma omp parallel for schedule(static)
  for (std::ptrdiff_t b = 0; b < n_blocks; ++b) {
    const size_t first = static_cast<size_t>(b) * kBlockRows;
    const size_t n = std::min(kBlockRows, height - first);
    const BabyBear* rows = m.data() + first * width;
    Digest* dst = out.data() + first;
    switch (impl) {
      case Poseidon2Impl::Avx512:
        poseidon2_detail::hash_rows_avx512(rows, width, n, dst);
        break;
      case Poseidon2Impl::Avx2:
        poseidon2_detail::hash_rows_avx2(rows, width, n, dst);
        break;
      default:
        for (size_t r = 0; r < n; ++r) dst[r] = hash_elements(std::span(rows + r * width, width));
        break;
    }
  }
}

}  // namespace tessera
