#pragma once
// The CPU reference backend: each primitive is the corresponding function of src/poly,
// src/hash and src/merkle (OpenMP-parallel, results independent of the thread count). Every
// other backend is measured against it.

#include <memory>

#include "backend/backend.hpp"

namespace tessera {

class CpuBackend : public Backend {
 public:
  std::string name() const override { return "cpu"; }

 protected:
  void do_ntt_forward(RowMajorMatrix<BabyBear>& m) override;
  void do_ntt_inverse(RowMajorMatrix<BabyBear>& m) override;
  RowMajorMatrix<BabyBear> do_coset_lde(const RowMajorMatrix<BabyBear>& evals, uint32_t log_blowup,
                                        BabyBear shift, RowOrder order) override;
  void do_hash_rows(std::span<const RowMajorMatrix<BabyBear>* const> group,
                    std::span<Digest> out) override;
  void do_compress_layer(std::span<const Digest> children, std::span<const Digest> injected,
                         std::span<Digest> parents) override;
};

std::unique_ptr<Backend> make_cpu_backend();

}  // namespace tessera
