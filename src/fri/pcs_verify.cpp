// FriPcs::verify: replays the prover's transcript (pcs.hpp) and checks every query.
#include <algorithm>

#include "common/check.hpp"
#include "field/field_ops.hpp"
#include "fri/batch_merkle.hpp"
#include "fri/deep_quotient.hpp"
#include "fri/fri_fold.hpp"
#include "fri/pcs.hpp"
#include "fri/pcs_detail.hpp"
#include "hash/grinding.hpp"
#include "poly/bit_reverse.hpp"

namespace tessera {

PcsProofShape FriPcs::proof_shape(const std::vector<VerifierOpeningRound>& rounds) const {
  PcsProofShape shape{config_, {}};
  for (const auto& round : rounds) {
    auto& dims = shape.rounds.emplace_back();
    for (const auto& m : round.matrices) dims.push_back(MatrixDims{m.width, m.domain.size()});
  }
  return shape;
}

void FriPcs::verify(const std::vector<VerifierOpeningRound>& rounds, const PcsProof& proof,
                    Challenger& challenger) const {
  // ---- the claims must be well formed (InvalidArgument), the proof must fit them (Format) ----
  TESSERA_CHECK(!rounds.empty(), ErrorKind::InvalidArgument, "PCS verify: no rounds");
  const BabyBear g = BabyBear::from_u32(BabyBear::kGenerator);
  const uint32_t log_blowup = config_.log_blowup;
  for (size_t r = 0; r < rounds.size(); ++r) {
    TESSERA_CHECK(!rounds[r].matrices.empty(), ErrorKind::InvalidArgument,
                  "PCS verify: round " << r << " has no matrices");
    for (size_t m = 0; m < rounds[r].matrices.size(); ++m) {
      const auto& mat = rounds[r].matrices[m];
      fri_detail::check_domain(config_, mat.domain, "PCS verify", m);
      TESSERA_CHECK(mat.width > 0 && mat.values.size() == mat.points.size(),
                    ErrorKind::InvalidArgument,
                    "PCS verify: round " << r << " matrix " << m << " has width " << mat.width
                                         << ", " << mat.points.size() << " points and "
                                         << mat.values.size() << " value vectors");
      const TwoAdicDomain lde_coset{mat.domain.log_size + log_blowup, g};
      for (size_t p = 0; p < mat.points.size(); ++p) {
        TESSERA_CHECK(mat.values[p].size() == mat.width, ErrorKind::InvalidArgument,
                      "PCS verify: round " << r << " matrix " << m << " point " << p << " has "
                                           << mat.values[p].size() << " values for width "
                                           << mat.width);
        TESSERA_CHECK(!lde_coset.contains(mat.points[p]), ErrorKind::InvalidArgument,
                      "PCS verify: round " << r << " matrix " << m << " point " << p
                                           << " lies on the LDE coset");
      }
    }
  }
  const PcsProofShape shape = proof_shape(rounds);
  check_pcs_proof_shape(proof, shape);
  const uint32_t log_max_height = shape.log_max_lde_height();
  const uint32_t num_rounds = shape.num_fri_rounds();

  // ---- transcript ------------------------------------------------------------------------------
  for (const auto& round : rounds) {
    for (const auto& mat : round.matrices) {
      for (const auto& point_values : mat.values) {
        for (const BabyBear4& v : point_values) challenger.observe(v);
      }
    }
  }
  const BabyBear4 alpha = challenger.sample_ext();
  std::vector<BabyBear4> betas;
  for (const Digest& commit : proof.commit_phase_commits) {
    challenger.observe(commit);
    betas.push_back(challenger.sample_ext());
  }
  for (const BabyBear4& c : proof.final_poly) challenger.observe(c);
  TESSERA_CHECK(
      check_witness(challenger, config_.pow_bits, proof.pow_witness), ErrorKind::VerifyFailed,
      "PCS verify: the proof-of-work witness does not give " << config_.pow_bits << " zero bits");

  // ---- per matrix and point: alpha offset and sum_c alpha^c p_c(z), as the prover ------------
  size_t max_width = 0;
  for (const auto& round : rounds) {
    for (const auto& mat : round.matrices) max_width = std::max(max_width, mat.width);
  }
  const std::vector<BabyBear4> alpha_powers = powers(alpha, max_width + 1);
  struct PointTerm {
    BabyBear4 z, coeff, reduced_value;
  };
  std::vector<std::vector<std::vector<PointTerm>>> terms(rounds.size());
  std::vector<BabyBear4> alpha_offset(log_max_height + 1, BabyBear4::one());
  std::vector<bool> height_has_input(log_max_height + 1, false);
  for (size_t r = 0; r < rounds.size(); ++r) {
    terms[r].resize(rounds[r].matrices.size());
    for (size_t m = 0; m < rounds[r].matrices.size(); ++m) {
      const auto& mat = rounds[r].matrices[m];
      const uint32_t h = mat.domain.log_size + log_blowup;
      for (size_t p = 0; p < mat.points.size(); ++p) {
        BabyBear4 reduced_value = BabyBear4::zero();
        for (size_t c = 0; c < mat.width; ++c) reduced_value += alpha_powers[c] * mat.values[p][c];
        terms[r][m].push_back(PointTerm{mat.points[p], alpha_offset[h], reduced_value});
        alpha_offset[h] *= alpha_powers[mat.width];
        height_has_input[h] = true;
      }
    }
  }
  std::vector<std::vector<MatrixDims>> lde_dims(rounds.size());
  std::vector<uint32_t> round_log_height(rounds.size(), 0);
  for (size_t r = 0; r < rounds.size(); ++r) {
    for (const auto& mat : rounds[r].matrices) {
      lde_dims[r].push_back(MatrixDims{mat.width, mat.domain.size() << log_blowup});
      round_log_height[r] = std::max(round_log_height[r], mat.domain.log_size + log_blowup);
    }
  }

  // ---- queries ---------------------------------------------------------------------------------
  // The indices first (they depend only on the transcript), then every Merkle check of one tree
  // for all queries at once (batch_merkle.hpp), the algebra per query.
  const size_t num_queries = config_.num_queries;
  std::vector<size_t> indices(num_queries);
  for (size_t& index : indices) index = challenger.sample_bits(log_max_height);

  std::vector<MerkleOpeningRef> refs(num_queries);
  auto check_openings = [&](const Digest& root, const MerkleShape& tree_shape, const char* what,
                            size_t which) {
    const size_t failed = first_failing_opening(root, tree_shape, refs);
    TESSERA_CHECK(failed == num_queries, ErrorKind::VerifyFailed,
                  "PCS verify: query "
                      << failed << " (index " << indices[failed] << "), " << what << ' ' << which
                      << ": the Merkle opening does not lead to the committed root");
  };
  for (size_t r = 0; r < rounds.size(); ++r) {
    const MerkleShape tree_shape(lde_dims[r]);
    for (size_t q = 0; q < num_queries; ++q) {
      const MerkleOpening& opening = proof.query_proofs[q].input_openings[r];
      refs[q] = MerkleOpeningRef{indices[q] >> (log_max_height - round_log_height[r]), opening.rows,
                                 &opening.proof};
    }
    check_openings(rounds[r].commitment, tree_shape, "round", r);
  }

  // Reduced quotient at each query's point, per height.
  std::vector<std::vector<BabyBear4>> reduced(num_queries,
                                              std::vector<BabyBear4>(log_max_height + 1));
  std::vector<BabyBear4> denominators;
  for (size_t q = 0; q < num_queries; ++q) {
    const FriQueryProof& query = proof.query_proofs[q];
    denominators.clear();
    for (size_t r = 0; r < rounds.size(); ++r) {
      for (size_t m = 0; m < rounds[r].matrices.size(); ++m) {
        if (terms[r][m].empty()) continue;
        const uint32_t h = rounds[r].matrices[m].domain.log_size + log_blowup;
        const size_t row = indices[q] >> (log_max_height - h);
        const BabyBear x = g * BabyBear::two_adic_generator(h).pow(reverse_bits(row, h));
        for (const PointTerm& t : terms[r][m]) denominators.push_back(BabyBear4(x) - t.z);
      }
    }
    // Non-zero: every point was checked to lie off the LDE cosets.
    batch_inverse(std::span<const BabyBear4>(denominators), std::span<BabyBear4>(denominators));
    size_t next_denominator = 0;
    for (size_t r = 0; r < rounds.size(); ++r) {
      for (size_t m = 0; m < rounds[r].matrices.size(); ++m) {
        if (terms[r][m].empty()) continue;
        const uint32_t h = rounds[r].matrices[m].domain.log_size + log_blowup;
        const auto& row = query.input_openings[r].rows[m];
        const BabyBear4 row_value =
            dot_ext_powers(std::span<const BabyBear4>(alpha_powers.data(), row.size()), row);
        for (const PointTerm& t : terms[r][m]) {
          reduced[q][h] +=
              t.coeff * (row_value - t.reduced_value) * denominators[next_denominator++];
        }
      }
    }
  }

  // Folding, layer by layer for all queries: the value at the query's position of every layer is
  // known (the reduced quotient for the first, the fold of the previous pair afterwards); the
  // sibling comes from the proof; the pair is the opened row of the layer's tree.
  std::vector<BabyBear4> folded(num_queries);
  std::vector<size_t> layer_index = indices;
  for (size_t q = 0; q < num_queries; ++q) folded[q] = reduced[q][log_max_height];
  std::vector<std::vector<BabyBear>> leaves(num_queries, std::vector<BabyBear>(8));
  for (uint32_t i = 0; i < num_rounds; ++i) {
    const uint32_t log_folded = log_max_height - i - 1;
    const MerkleShape layer_shape({MatrixDims{8, size_t{1} << log_folded}});
    for (size_t q = 0; q < num_queries; ++q) {
      const FriCommitStep& step = proof.query_proofs[q].commit_steps[i];
      const size_t own = layer_index[q] & 1;
      for (uint32_t k = 0; k < 4; ++k) {
        leaves[q][4 * own + k] = folded[q].coeff(k);
        leaves[q][4 * (own ^ 1) + k] = step.sibling.coeff(k);
      }
      refs[q] = MerkleOpeningRef{layer_index[q] >> 1,
                                 std::span<const std::vector<BabyBear>>(&leaves[q], 1), &step.path};
    }
    check_openings(proof.commit_phase_commits[i], layer_shape, "FRI layer", i);
    const BabyBear4 beta_sq = betas[i].square();  // the roll-in factor, as the prover's
    for (size_t q = 0; q < num_queries; ++q) {
      const BabyBear4 own = folded[q];
      const BabyBear4 sibling = proof.query_proofs[q].commit_steps[i].sibling;
      const bool odd = (layer_index[q] & 1) != 0;
      layer_index[q] >>= 1;
      folded[q] = fri_fold_pair(layer_index[q], log_folded, betas[i], odd ? sibling : own,
                                odd ? own : sibling);
      if (height_has_input[log_folded]) folded[q] += beta_sq * reduced[q][log_folded];
    }
  }

  // The final polynomial at x^(2^R), x = w_L^rev(index) (the unshifted variable of the folds).
  for (size_t q = 0; q < num_queries; ++q) {
    BabyBear x =
        BabyBear::two_adic_generator(log_max_height).pow(reverse_bits(indices[q], log_max_height));
    for (uint32_t i = 0; i < num_rounds; ++i) x = x.square();
    BabyBear4 eval = BabyBear4::zero();
    for (size_t j = proof.final_poly.size(); j-- > 0;) eval = eval * x + proof.final_poly[j];
    TESSERA_CHECK(eval == folded[q], ErrorKind::VerifyFailed,
                  "PCS verify: query " << q << " (index " << indices[q]
                                       << "): the folded value differs from the final polynomial");
  }
}

}  // namespace tessera
