// The Backend's public methods (argument checks) and its derived operations.
#include "backend/backend.hpp"

#include <bit>

#include "merkle/merkle_layers.hpp"
#include "poly/ntt.hpp"

namespace tessera {

void Backend::check_ntt_matrix(const RowMajorMatrix<BabyBear>& m, const char* op) {
  TESSERA_CHECK(std::has_single_bit(m.height()), ErrorKind::InvalidArgument,
                op << ": height " << m.height() << " is not a power of two");
  TESSERA_CHECK(m.height() <= (size_t{1} << kMaxLogNttSize), ErrorKind::InvalidArgument,
                op << ": height " << m.height() << " exceeds 2^" << kMaxLogNttSize);
}

void Backend::check_lde_arguments(const RowMajorMatrix<BabyBear>& evals, uint32_t log_blowup,
                                  const char* op) {
  check_ntt_matrix(evals, op);
  TESSERA_CHECK(log_blowup <= kMaxLogNttSize &&
                    std::countr_zero(evals.height()) + log_blowup <= kMaxLogNttSize,
                ErrorKind::InvalidArgument,
                op << ": height " << evals.height() << " with log blowup " << log_blowup
                   << " exceeds 2^" << kMaxLogNttSize);
}

void Backend::ntt_forward(RowMajorMatrix<BabyBear>& m) {
  check_ntt_matrix(m, "ntt_forward");
  do_ntt_forward(m);
}

void Backend::ntt_inverse(RowMajorMatrix<BabyBear>& m) {
  check_ntt_matrix(m, "ntt_inverse");
  do_ntt_inverse(m);
}

RowMajorMatrix<BabyBear> Backend::coset_lde(const RowMajorMatrix<BabyBear>& evals,
                                            uint32_t log_blowup, BabyBear shift, RowOrder order) {
  check_lde_arguments(evals, log_blowup, "coset_lde");
  return do_coset_lde(evals, log_blowup, shift, order);
}

void Backend::hash_rows(std::span<const RowMajorMatrix<BabyBear>* const> group,
                        std::span<Digest> out) {
  check_row_group(group, out.size());
  do_hash_rows(group, out);
}

void Backend::compress_layer(std::span<const Digest> children, std::span<const Digest> injected,
                             std::span<Digest> parents) {
  check_layer_sizes(children.size(), injected.size(), parents.size());
  do_compress_layer(children, injected, parents);
}

MerkleTree Backend::commit_matrices(std::span<const RowMajorMatrix<BabyBear>* const> matrices) {
  MerkleShape shape = MerkleShape::of(matrices);  // InvalidArgument for bad dims
  return do_commit_matrices(matrices, std::move(shape));
}

LdeCommitment Backend::lde_and_commit(std::span<const RowMajorMatrix<BabyBear>* const> traces,
                                      uint32_t log_blowup, BabyBear shift, RowOrder order) {
  TESSERA_CHECK(!traces.empty(), ErrorKind::InvalidArgument, "lde_and_commit: no traces");
  for (size_t t = 0; t < traces.size(); ++t) {
    TESSERA_CHECK(traces[t] != nullptr, ErrorKind::InvalidArgument,
                  "lde_and_commit: trace " << t << " is null");
    TESSERA_CHECK(traces[t]->width() > 0, ErrorKind::InvalidArgument,
                  "lde_and_commit: trace " << t << " has width 0");
    check_lde_arguments(*traces[t], log_blowup, "lde_and_commit");
  }
  return do_lde_and_commit(traces, log_blowup, shift, order);
}

MerkleTree Backend::do_commit_matrices(std::span<const RowMajorMatrix<BabyBear>* const> matrices,
                                       MerkleShape shape) {
  return build_merkle_tree(
      std::move(shape), matrices,
      [this](std::span<const RowMajorMatrix<BabyBear>* const> group, std::span<Digest> out) {
        do_hash_rows(group, out);
      },
      [this](std::span<const Digest> children, std::span<const Digest> injected,
             std::span<Digest> parents) { do_compress_layer(children, injected, parents); });
}

LdeCommitment Backend::do_lde_and_commit(std::span<const RowMajorMatrix<BabyBear>* const> traces,
                                         uint32_t log_blowup, BabyBear shift, RowOrder order) {
  std::vector<RowMajorMatrix<BabyBear>> ldes;
  ldes.reserve(traces.size());
  for (const RowMajorMatrix<BabyBear>* trace : traces) {
    ldes.push_back(do_coset_lde(*trace, log_blowup, shift, order));
  }
  std::vector<const RowMajorMatrix<BabyBear>*> pointers;
  for (const auto& lde : ldes) pointers.push_back(&lde);
  MerkleTree tree = do_commit_matrices(pointers, MerkleShape::of(pointers));
  return LdeCommitment{std::move(ldes), std::move(tree)};
}

}  // namespace tessera
