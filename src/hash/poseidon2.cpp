// Run-time choice of the CPU Poseidon2 implementation.

#include "hash/poseidon2.hpp"

#include "common/check.hpp"
#include "hash/poseidon2_simd.hpp"

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
  switch (impl) {
    case Poseidon2Impl::Auto:
    case Poseidon2Impl::Scalar:
      return true;
    case Poseidon2Impl::Avx2:
      return poseidon2_detail::cpu_supports_avx2();
    case Poseidon2Impl::Avx512:
      return poseidon2_detail::cpu_supports_avx512();
  }
  return false;
}

Poseidon2Impl poseidon2_best_impl() {
  // The CPU cannot change under a running process: decide once.
  static const Poseidon2Impl best =
      poseidon2_impl_supported(Poseidon2Impl::Avx512) ? Poseidon2Impl::Avx512
      : poseidon2_impl_supported(Poseidon2Impl::Avx2) ? Poseidon2Impl::Avx2
                                                      : Poseidon2Impl::Scalar;
  return best;
}

void poseidon2_permute_many(std::span<Poseidon2State> states, Poseidon2Impl impl) {
  if (impl == Poseidon2Impl::Auto) impl = poseidon2_best_impl();
  TESSERA_CHECK(poseidon2_impl_supported(impl), ErrorKind::InvalidArgument,
                "Poseidon2 implementation '" << poseidon2_impl_name(impl)
                                             << "' is not supported by this CPU or build");
  switch (impl) {
    case Poseidon2Impl::Avx512:
      poseidon2_detail::permute_many_avx512(states);
      return;
    case Poseidon2Impl::Avx2:
      poseidon2_detail::permute_many_avx2(states);
      return;
    default:
      for (auto& s : states) poseidon2_permute(s);
      return;
  }
}

void poseidon2_permute_one(Poseidon2State& state, Poseidon2Impl impl) {
  if (impl == Poseidon2Impl::Auto) impl = poseidon2_best_impl();
  TESSERA_CHECK(poseidon2_impl_supported(impl), ErrorKind::InvalidArgument,
                "Poseidon2 implementation '" << poseidon2_impl_name(impl)
                                             << "' is not supported by this CPU or build");
  if (impl == Poseidon2Impl::Avx512) {
    poseidon2_detail::permute_one_avx512(state);
  } else {
    poseidon2_permute(state);  // AVX2 has no single-state path: 8 lanes hold half a state
  }
}

}  // namespace tessera
