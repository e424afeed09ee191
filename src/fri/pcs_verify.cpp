// FriPcs::verify: replays the prover's transcript (pcs.hpp) and checks every query.
#include <algorithm>

#include "common/check.hpp"
#include "field/field_ops.hpp"
#include "fri/deep_quotient.hpp"
#include "fri/fri_fold.hpp"
#include "fri/pcs.hpp"
#include "fri/pcs_detail.hpp"
#include "hash/grinding.hpp"
#include "merkle/merkle_verify.hpp"
#include "poly/bit_reverse.hpp"

namespace tessera {

namespace {

// Runs a Merkle verification and re-labels its VerifyFailed with where it happened.
template <typename F>
void verify_path(F&& check, uint32_t query, const char* what, size_t which) {
  try {
    check();
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::VerifyFailed) throw;
    TESSERA_FAIL(ErrorKind::VerifyFailed,
                 "PCS verify: query " << query << ", " << what << ' ' << which << ": " << e.what());
  }
}

}  // namespace

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
  std::vector<BabyBear4> reduced(log_max_height + 1);
  std::vector<BabyBear4> denominators;
  for (uint32_t q = 0; q < config_.num_queries; ++q) {
    const size_t index = challenger.sample_bits(log_max_height);
    const FriQueryProof& query = proof.query_proofs[q];

    // Input openings: Merkle paths, then the reduced quotient at this query's point per height.
    std::fill(reduced.begin(), reduced.end(), BabyBear4::zero());
    denominators.clear();
    for (size_t r = 0; r < rounds.size(); ++r) {
      const MerkleOpening& opening = query.input_openings[r];
      const size_t round_index = index >> (log_max_height - round_log_height[r]);
      verify_path([&] { merkle_verify(rounds[r].commitment, lde_dims[r], round_index, opening); },
                  q, "round", r);
      for (size_t m = 0; m < rounds[r].matrices.size(); ++m) {
        const uint32_t h = rounds[r].matrices[m].domain.log_size + log_blowup;
        const size_t row = index >> (log_max_height - h);
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
          reduced[h] += t.coeff * (row_value - t.reduced_value) * denominators[next_denominator++];
        }
      }
    }

    // Folding: the value at the query's position of every layer is known (the reduced quotient
    // for the first, the fold of the previous pair afterwards); the sibling comes from the proof.
    BabyBear4 folded = reduced[log_max_height];
    size_t layer_index = index;
    for (uint32_t i = 0; i < num_rounds; ++i) {
      const uint32_t log_folded = log_max_height - i - 1;
      const FriCommitStep& step = query.commit_steps[i];
      BabyBear4 pair[2];
      pair[layer_index & 1] = folded;
      pair[(layer_index & 1) ^ 1] = step.sibling;
      std::vector<std::vector<BabyBear>> leaf(1);
      for (const BabyBear4& v : pair) {
        for (uint32_t k = 0; k < 4; ++k) leaf[0].push_back(v.coeff(k));
      }
      const MatrixDims layer_dims{8, size_t{1} << log_folded};
      verify_path(
          [&] {
            merkle_verify(proof.commit_phase_commits[i],
                          std::span<const MatrixDims>(&layer_dims, 1), layer_index >> 1, leaf,
                          step.path);
          },
          q, "FRI layer", i);
      layer_index >>= 1;
      folded = fri_fold_pair(layer_index, log_folded, betas[i], pair[0], pair[1]);
      if (height_has_input[log_folded]) folded += reduced[log_folded];
    }

    // The final polynomial at x^(2^R), x = w_L^rev(index) (the unshifted variable of the folds).
    BabyBear x =
        BabyBear::two_adic_generator(log_max_height).pow(reverse_bits(index, log_max_height));
    for (uint32_t i = 0; i < num_rounds; ++i) x = x.square();
    BabyBear4 eval = BabyBear4::zero();
    for (size_t j = proof.final_poly.size(); j-- > 0;) eval = eval * x + proof.final_poly[j];
    TESSERA_CHECK(eval == folded, ErrorKind::VerifyFailed,
                  "PCS verify: query " << q << " (index " << index
                                       << "): the folded value differs from the final polynomial");
  }
}

}  // namespace tessera
