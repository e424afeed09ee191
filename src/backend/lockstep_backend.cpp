#include "backend/lockstep_backend.hpp"

#include <string>
#include <vector>

namespace tessera {
namespace {

class Comparison {
 public:
  Comparison(const Backend& reference, const Backend& candidate, std::string_view primitive)
      : reference_(reference), candidate_(candidate), primitive_(primitive) {}

  [[noreturn]] void fail(const std::string& where) const {
    TESSERA_FAIL(ErrorKind::Internal, "lockstep: backend '"
                                          << candidate_.name() << "' disagrees with '"
                                          << reference_.name() << "' in " << primitive_ << ": "
                                          << where);
  }

  void matrices(const RowMajorMatrix<BabyBear>& ref, const RowMajorMatrix<BabyBear>& cand,
                const std::string& what) const {
    if (ref.width() != cand.width() || ref.height() != cand.height()) {
      fail(what + "shape " + std::to_string(ref.width()) + "x" + std::to_string(ref.height()) +
           " vs " + std::to_string(cand.width()) + "x" + std::to_string(cand.height()));
    }
    const auto a = ref.values();
    const auto b = cand.values();
    for (size_t k = 0; k < a.size(); ++k) {
      if (a[k] != b[k]) {
        fail(what + "first difference at row " + std::to_string(k / ref.width()) + ", column " +
             std::to_string(k % ref.width()) + " (" + std::to_string(a[k].as_u32()) + " vs " +
             std::to_string(b[k].as_u32()) + ")");
      }
    }
  }

  void digests(std::span<const Digest> ref, std::span<const Digest> cand,
               const std::string& what) const {
    if (ref.size() != cand.size()) {
      fail(what + std::to_string(ref.size()) + " vs " + std::to_string(cand.size()) + " digests");
    }
    for (size_t i = 0; i < ref.size(); ++i) {
      if (ref[i] != cand[i]) fail(what + "first difference at digest " + std::to_string(i));
    }
  }

  void trees(const MerkleTree& ref, const MerkleTree& cand) const {
    if (!(ref.shape() == cand.shape())) fail("trees of different shapes");
    for (size_t l = 0; l < ref.layers().size(); ++l) {
      digests(ref.layers()[l], cand.layers()[l], "layer " + std::to_string(l) + ": ");
    }
  }

 private:
  const Backend& reference_;
  const Backend& candidate_;
  std::string_view primitive_;
};

}  // namespace

LockstepBackend::LockstepBackend(std::unique_ptr<Backend> reference,
                                 std::unique_ptr<Backend> candidate)
    : reference_(std::move(reference)), candidate_(std::move(candidate)) {
  TESSERA_CHECK(reference_ && candidate_, ErrorKind::InvalidArgument,
                "lockstep needs two backends");
}

std::string LockstepBackend::name() const {
  return "lockstep(" + reference_->name() + "," + candidate_->name() + ")";
}

void LockstepBackend::do_ntt_forward(RowMajorMatrix<BabyBear>& m) {
  RowMajorMatrix<BabyBear> ref = m;
  reference_->ntt_forward(ref);
  candidate_->ntt_forward(m);
  Comparison(*reference_, *candidate_, "ntt_forward").matrices(ref, m, "");
}

void LockstepBackend::do_ntt_inverse(RowMajorMatrix<BabyBear>& m) {
  RowMajorMatrix<BabyBear> ref = m;
  reference_->ntt_inverse(ref);
  candidate_->ntt_inverse(m);
  Comparison(*reference_, *candidate_, "ntt_inverse").matrices(ref, m, "");
}

RowMajorMatrix<BabyBear> LockstepBackend::do_coset_lde(const RowMajorMatrix<BabyBear>& evals,
                                                       uint32_t log_blowup, BabyBear shift,
                                                       RowOrder order) {
  RowMajorMatrix<BabyBear> ref = reference_->coset_lde(evals, log_blowup, shift, order);
  const RowMajorMatrix<BabyBear> cand = candidate_->coset_lde(evals, log_blowup, shift, order);
  Comparison(*reference_, *candidate_, "coset_lde").matrices(ref, cand, "");
  return ref;
}

void LockstepBackend::do_hash_rows(std::span<const RowMajorMatrix<BabyBear>* const> group,
                                   std::span<Digest> out) {
  std::vector<Digest> ref(out.size());
  reference_->hash_rows(group, ref);
  candidate_->hash_rows(group, out);
  Comparison(*reference_, *candidate_, "hash_rows").digests(ref, out, "");
}

void LockstepBackend::do_compress_layer(std::span<const Digest> children,
                                        std::span<const Digest> injected,
                                        std::span<Digest> parents) {
  std::vector<Digest> ref(parents.size());
  reference_->compress_layer(children, injected, ref);
  candidate_->compress_layer(children, injected, parents);
  Comparison(*reference_, *candidate_, "compress_layer").digests(ref, parents, "");
}

MerkleTree LockstepBackend::do_commit_matrices(
    std::span<const RowMajorMatrix<BabyBear>* const> matrices, MerkleShape /*shape*/) {
  MerkleTree ref = reference_->commit_matrices(matrices);
  const MerkleTree cand = candidate_->commit_matrices(matrices);
  Comparison(*reference_, *candidate_, "commit_matrices").trees(ref, cand);
  return ref;
}

LdeCommitment LockstepBackend::do_lde_and_commit(
    std::span<const RowMajorMatrix<BabyBear>* const> traces, uint32_t log_blowup, BabyBear shift,
    RowOrder order) {
  LdeCommitment ref = reference_->lde_and_commit(traces, log_blowup, shift, order);
  const LdeCommitment cand = candidate_->lde_and_commit(traces, log_blowup, shift, order);
  const Comparison compare(*reference_, *candidate_, "lde_and_commit");
  if (ref.ldes.size() != cand.ldes.size()) compare.fail("different numbers of LDEs");
  for (size_t t = 0; t < ref.ldes.size(); ++t) {
    compare.matrices(ref.ldes[t], cand.ldes[t], "LDE " + std::to_string(t) + ": ");
  }
  compare.trees(ref.tree, cand.tree);
  return ref;
}

// ---- FRI primitives -------------------------------------------------------------------------

namespace {
void compare_ext(const Comparison& compare, std::span<const BabyBear4> ref,
                 std::span<const BabyBear4> cand) {
  for (size_t i = 0; i < ref.size(); ++i) {
    if (ref[i] != cand[i]) compare.fail("first difference at value " + std::to_string(i));
  }
}
}  // namespace

void LockstepBackend::do_fri_fold(std::span<const BabyBear4> in, BabyBear4 beta,
                                  std::span<const BabyBear> inv_x, std::span<BabyBear4> out) {
  std::vector<BabyBear4> ref(out.size());
  reference_->fri_fold(in, beta, inv_x, ref);
  candidate_->fri_fold(in, beta, inv_x, out);
  compare_ext(Comparison(*reference_, *candidate_, "fri_fold"), ref, out);
}

void LockstepBackend::do_reduce_openings(const RowMajorMatrix<BabyBear>& lde,
                                         std::span<const BabyBear4> alpha_powers,
                                         std::span<const ReducedOpeningPoint> points,
                                         std::span<BabyBear4> acc) {
  std::vector<BabyBear4> ref(acc.begin(), acc.end());
  reference_->reduce_openings(lde, alpha_powers, points, ref);
  candidate_->reduce_openings(lde, alpha_powers, points, acc);
  compare_ext(Comparison(*reference_, *candidate_, "reduce_openings"), ref, acc);
}

}  // namespace tessera
