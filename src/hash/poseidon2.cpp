// Run-time choice of the CPU Poseidon2 implementation.

#include "hash/poseidon2.hpp"

#include "common/check.hpp"

namespace tessera {

std::string_view poseidon2_impl_name(Poseidon2Impl impl) {
  switch (impl) {
    case Poseidon2Impl::Auto:
      return "auto";
    case Poseidon2Impl::Scalar:
      return "scalar";
    case Poseidon2Impl::Avx2:
      return "avx2";
    case Poseidon2Impl::Avx512:
      return "avx512";
  }
  return "unknown";
}

bool poseidon2_impl_supported(Poseidon2Impl impl) {
  return impl == Poseidon2Impl::Auto || impl == Poseidon2Impl::Scalar;
}

Poseidon2Impl poseidon2_best_impl() {
  return Poseidon2Impl::Scalar;
}

void poseidon2_permute_many(std::span<Poseidon2State> states, Poseidon2Impl impl) {
  TESSERA_CHECK(poseidon2_impl_supported(impl), ErrorKind::InvalidArgument,
                "Poseidon2 implementation '" << poseidon2_impl_name(impl)
                                             << "' is not supported by this CPU or build");
  for (auto& s : states) poseidon2_permute(s);
}

}  // namespace tessera
