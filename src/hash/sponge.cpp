// The padding-free overwrite sponge and the truncated-permutation compression (sponge.hpp).

#include "hash/sponge.hpp"

#include <algorithm>

#include "common/check.hpp"

namespace tessera {

Digest hash_elements(std::span<const BabyBear> values) {
  Poseidon2State state{};
  if (values.empty()) {
    poseidon2_permute(state);
  }
  for (size_t offset = 0; offset < values.size(); offset += kSpongeRate) {
    const size_t len = std::min(kSpongeRate, values.size() - offset);
    std::copy_n(values.data() + offset, len, state.begin());
    poseidon2_permute(state);
  }
  Digest d;
  std::copy_n(state.begin(), kDigestElems, d.begin());
  return d;
}

Digest compress(const Digest& left, const Digest& right) {
  Poseidon2State state;
  std::copy(left.begin(), left.end(), state.begin());
  std::copy(right.begin(), right.end(), state.begin() + kDigestElems);
  poseidon2_permute(state);
  Digest d;
  std::copy_n(state.begin(), kDigestElems, d.begin());
  return d;
}

void hash_rows(const RowMajorMatrix<BabyBear>& m, std::span<Digest> out, Poseidon2Impl impl) {
  TESSERA_CHECK(out.size() == m.height(), ErrorKind::InvalidArgument,
                "hash_rows: output has " << out.size() << " digests for " << m.height() << " rows");
  TESSERA_CHECK(poseidon2_impl_supported(impl), ErrorKind::InvalidArgument,
                "Poseidon2 implementation '" << poseidon2_impl_name(impl) << "' is not supported");
  const auto height = static_cast<std::ptrdiff_t>(m.height());
#pragma omp parallel for schedule(static)
  for (std::ptrdiff_t r = 0; r < height; ++r) out[r] = hash_elements(m.row(r));
}

}  // namespace tessera
