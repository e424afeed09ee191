#pragma once
// Lockstep test mode: every primitive runs on a reference backend (the CPU) and on a candidate
// (CUDA), and the outputs are compared bit for bit. A difference throws ErrorKind::Internal
// naming the primitive and the first differing position — it is a bug in one backend, and the
// proof must not silently depend on where it was computed. On agreement the reference's result
// is returned.
//
// Select it with make_backend("lockstep"), or set TESSERA_BACKEND_LOCKSTEP=1 so that any
// selection resolving to CUDA ("cuda", or "auto" on a GPU node) is wrapped. It costs both
// backends' time; it is for tests and for chasing a suspected kernel bug, not for production.

#include <memory>

#include "backend/backend.hpp"

namespace tessera {

class LockstepBackend final : public Backend {
 public:
  LockstepBackend(std::unique_ptr<Backend> reference, std::unique_ptr<Backend> candidate);
  std::string name() const override;
  QuotientFold quotient_fold() const override { return QuotientFold::Compare; }

 protected:
  void do_ntt_forward(RowMajorMatrix<BabyBear>& m) override;
  void do_ntt_inverse(RowMajorMatrix<BabyBear>& m) override;
  RowMajorMatrix<BabyBear> do_coset_lde(const RowMajorMatrix<BabyBear>& evals, uint32_t log_blowup,
                                        BabyBear shift, RowOrder order) override;
  void do_hash_rows(std::span<const RowMajorMatrix<BabyBear>* const> group,
                    std::span<Digest> out) override;
  void do_compress_layer(std::span<const Digest> children, std::span<const Digest> injected,
                         std::span<Digest> parents) override;
  // The derived operations run as wholes on both sides, so a backend's own fused version (the
  // CUDA commit keeps everything on the device) is compared too.
  MerkleTree do_commit_matrices(std::span<const RowMajorMatrix<BabyBear>* const> matrices,
                                MerkleShape shape) override;
  LdeCommitment do_lde_and_commit(std::span<const RowMajorMatrix<BabyBear>* const> traces,
                                  uint32_t log_blowup, BabyBear shift, RowOrder order) override;
  // FRI primitives (src/fri/backend_fri.cpp, kernels/fri.cu).
  void do_fri_fold(std::span<const BabyBear4> in, BabyBear4 beta, std::span<const BabyBear> inv_x,
                   std::span<BabyBear4> out) override;
  void do_reduce_openings(const RowMajorMatrix<BabyBear>& lde,
                          std::span<const BabyBear4> alpha_powers,
                          std::span<const ReducedOpeningPoint> points,
                          std::span<BabyBear4> acc) override;

 private:
  std::unique_ptr<Backend> reference_;
  std::unique_ptr<Backend> candidate_;
};

}  // namespace tessera
