#include "backend/cpu_backend.hpp"

#include "merkle/merkle_layers.hpp"
#include "poly/ntt.hpp"

namespace tessera {

void CpuBackend::do_ntt_forward(RowMajorMatrix<BabyBear>& m) {
  ::tessera::ntt_forward(m);
}

void CpuBackend::do_ntt_inverse(RowMajorMatrix<BabyBear>& m) {
  ::tessera::ntt_inverse(m);
}

RowMajorMatrix<BabyBear> CpuBackend::do_coset_lde(const RowMajorMatrix<BabyBear>& evals,
                                                  uint32_t log_blowup, BabyBear shift,
                                                  RowOrder order) {
  return ::tessera::coset_lde(evals, log_blowup, shift, order);
}

void CpuBackend::do_hash_rows(std::span<const RowMajorMatrix<BabyBear>* const> group,
                              std::span<Digest> out) {
  hash_concatenated_rows(group, out);
}

void CpuBackend::do_compress_layer(std::span<const Digest> children,
                                   std::span<const Digest> injected, std::span<Digest> parents) {
  ::tessera::compress_layer(children, injected, parents);
}

std::unique_ptr<Backend> make_cpu_backend() {
  return std::make_unique<CpuBackend>();
}

}  // namespace tessera
