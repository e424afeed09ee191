// FriPcs: commit, evaluations on a sub-coset, and the prover's opening (see pcs.hpp).
#include "fri/pcs.hpp"

#include <algorithm>
#include <cstring>

#include "common/check.hpp"
#include "common/nvtx.hpp"
#include "field/field_ops.hpp"
#include "fri/deep_quotient.hpp"
#include "fri/fri_fold.hpp"
#include "fri/pcs_detail.hpp"
#include "hash/grinding.hpp"
#include "poly/bit_reverse.hpp"
#include "poly/ntt.hpp"

namespace tessera {

FriPcs::FriPcs(FriConfig config, Backend& backend) : config_(config), backend_(&backend) {
  config_.validate();
}

Digest FriPcs::commit(std::vector<std::pair<TwoAdicDomain, RowMajorMatrix<BabyBear>>> evaluations,
                      CommittedData& out) const {
  TESSERA_CHECK(!evaluations.empty(), ErrorKind::InvalidArgument, "PCS commit: no matrices");
  for (size_t m = 0; m < evaluations.size(); ++m) {
    const auto& [domain, evals] = evaluations[m];
    fri_detail::check_domain(config_, domain, "PCS commit", m);
    TESSERA_CHECK(evals.height() == domain.size() && evals.width() > 0, ErrorKind::InvalidArgument,
                  "PCS commit: matrix " << m << " is " << evals.height() << " x " << evals.width()
                                        << " but its domain has " << domain.size() << " points");
  }
  TESSERA_RANGE("fri.commit");
  out = CommittedData{};
  out.domains.reserve(evaluations.size());
  out.ldes.reserve(evaluations.size());
  const BabyBear g = BabyBear::from_u32(BabyBear::kGenerator);
  for (auto& [domain, evals] : evaluations) {
    // The evaluations of p on s * H are those of q(X) = p(s X) on H; q on (g / s) * H_N is p on
    // g * H_N.
    out.ldes.push_back(backend_->coset_lde(evals, config_.log_blowup, g * domain.shift.inverse(),
                                           RowOrder::BitReversed));
    out.domains.push_back(domain);
    evals = RowMajorMatrix<BabyBear>();  // release the input early
  }
  std::vector<const RowMajorMatrix<BabyBear>*> pointers;
  for (const auto& lde : out.ldes) pointers.push_back(&lde);
  out.tree.emplace(backend_->commit_matrices(pointers));
  return out.root();
}

RowMajorMatrix<BabyBear> FriPcs::evaluations_on_domain(const CommittedData& data, size_t index,
                                                       const TwoAdicDomain& domain) const {
  TESSERA_CHECK(index < data.ldes.size(), ErrorKind::InvalidArgument,
                "evaluations_on_domain: matrix " << index << " of " << data.ldes.size());
  const RowMajorMatrix<BabyBear>& lde = data.ldes[index];
  TESSERA_CHECK(domain.shift == BabyBear::from_u32(BabyBear::kGenerator) &&
                    domain.log_size <= BabyBear::kTwoAdicity && domain.size() <= lde.height(),
                ErrorKind::InvalidArgument,
                "evaluations_on_domain: only the cosets 31 * H_k with 2^k <= "
                    << lde.height() << " lie at the start of the bit-reversed LDE (got shift "
                    << domain.shift.as_u32() << ", size 2^" << domain.log_size << ")");
  // The first 2^k rows of the bit-reversed LDE on 31 * H_N are the evaluations on 31 * H_{2^k}
  // in bit-reversed order.
  const size_t rows = domain.size(), w = lde.width();
  std::vector<BabyBear> values(lde.data(), lde.data() + rows * w);
  RowMajorMatrix<BabyBear> out(std::move(values), w);
  bit_reverse_rows(out);
  return out;
}

OpenedValues FriPcs::open(const std::vector<ProverOpeningRound>& rounds, Challenger& challenger,
                          PcsProof& proof) const {
  TESSERA_RANGE("fri.open");
  TESSERA_CHECK(!rounds.empty(), ErrorKind::InvalidArgument, "PCS open: no rounds");
  uint32_t log_max_height = 0;
  for (size_t r = 0; r < rounds.size(); ++r) {
    const PcsCommittedData* data = rounds[r].data;
    TESSERA_CHECK(data != nullptr && data->tree.has_value(), ErrorKind::InvalidArgument,
                  "PCS open: round " << r << " has no committed data");
    TESSERA_CHECK(rounds[r].points.size() == data->num_matrices(), ErrorKind::InvalidArgument,
                  "PCS open: round " << r << " gives points for " << rounds[r].points.size()
                                     << " matrices but commits " << data->num_matrices());
    log_max_height = std::max(log_max_height, data->tree->shape().log_max_height());
  }
  const uint32_t log_blowup = config_.log_blowup;

  // ---- 1. opened values by barycentric interpolation ------------------------------------------
  // Distinct points with the tallest LDE they are used on; their inverse denominators
  // 1/(x_i - z) over that LDE serve every shorter one (prefix property, deep_quotient.hpp).
  struct PointTable {
    BabyBear4 z;
    uint32_t log_height = 0;
    std::vector<BabyBear4> inv_denoms;
  };
  std::vector<PointTable> tables;
  auto table_of = [&](const BabyBear4& z) -> PointTable& {
    for (auto& t : tables) {
      if (t.z == z) return t;
    }
    return tables.emplace_back(PointTable{z, 0, {}});
  };
  for (const auto& round : rounds) {
    for (size_t m = 0; m < round.points.size(); ++m) {
      const uint32_t h = round.data->domains[m].log_size + log_blowup;
      for (const BabyBear4& z : round.points[m]) {
        PointTable& t = table_of(z);
        t.log_height = std::max(t.log_height, h);
      }
    }
  }
  const std::vector<BabyBear> points_bitrev = lde_points_bitrev(log_max_height);
  {
    TESSERA_RANGE("fri.inverse_denominators");
    for (auto& t : tables) {
      t.inv_denoms.resize(size_t{1} << t.log_height);
      lde_inverse_denominators(points_bitrev, t.z, t.inv_denoms);
    }
  }
  OpenedValues values(rounds.size());
  {
    TESSERA_RANGE("fri.opened_values");
    for (size_t r = 0; r < rounds.size(); ++r) {
      const auto& round = rounds[r];
      values[r].resize(round.points.size());
      for (size_t m = 0; m < round.points.size(); ++m) {
        for (const BabyBear4& z : round.points[m]) {
          values[r][m].push_back(interpolate_on_lde_coset(round.data->ldes[m],
                                                          round.data->domains[m].log_size, z,
                                                          points_bitrev, table_of(z).inv_denoms));
        }
      }
    }
  }
  for (const auto& round_values : values) {
    for (const auto& matrix_values : round_values) {
      for (const auto& point_values : matrix_values) {
        for (const BabyBear4& v : point_values) challenger.observe(v);
      }
    }
  }
  const BabyBear4 alpha = challenger.sample_ext();

  // ---- 2. reduced DEEP quotients per LDE height -----------------------------------------------
  size_t max_width = 0;
  for (const auto& round : rounds) {
    for (const auto& lde : round.data->ldes) max_width = std::max(max_width, lde.width());
  }
  const std::vector<BabyBear4> alpha_powers = powers(alpha, max_width + 1);
  std::vector<std::vector<BabyBear4>> reduced(log_max_height + 1);
  std::vector<BabyBear4> alpha_offset(log_max_height + 1, BabyBear4::one());
  {
    TESSERA_RANGE("fri.reduce_openings");
    std::vector<ReducedOpeningPoint> matrix_points;
    for (size_t r = 0; r < rounds.size(); ++r) {
      const auto& round = rounds[r];
      for (size_t m = 0; m < round.points.size(); ++m) {
        if (round.points[m].empty()) continue;
        const RowMajorMatrix<BabyBear>& lde = round.data->ldes[m];
        const size_t w = lde.width();
        const uint32_t h = round.data->domains[m].log_size + log_blowup;
        if (reduced[h].empty()) reduced[h].assign(size_t{1} << h, BabyBear4::zero());
        matrix_points.clear();
        const std::span<const BabyBear4> col_powers(alpha_powers.data(), w);
        for (size_t p = 0; p < round.points[m].size(); ++p) {
          BabyBear4 reduced_value = BabyBear4::zero();
          for (size_t c = 0; c < w; ++c) reduced_value += col_powers[c] * values[r][m][p][c];
          matrix_points.push_back(ReducedOpeningPoint{
              alpha_offset[h], reduced_value,
              std::span<const BabyBear4>(table_of(round.points[m][p]).inv_denoms)});
          alpha_offset[h] *= alpha_powers[w];
        }
        fri_detail::reduce_openings(*backend_, lde, col_powers, matrix_points, reduced[h]);
      }
    }
  }
  tables.clear();

  // ---- 3. FRI commit phase --------------------------------------------------------------------
  const uint32_t log_final_height = log_blowup + config_.log_final_poly_len;
  TESSERA_ASSERT(log_max_height >= log_final_height);
  const uint32_t num_rounds = log_max_height - log_final_height;
  std::vector<BabyBear4> folded = std::move(reduced[log_max_height]);
  if (folded.empty()) folded.assign(size_t{1} << log_max_height, BabyBear4::zero());
  std::vector<RowMajorMatrix<BabyBear>> layers;  // layer i: 2^(L-i-1) rows of 2 ext values
  std::vector<MerkleTree> layer_trees;
  proof = PcsProof{};
  {
    TESSERA_RANGE("fri.commit_phase");
    const std::vector<BabyBear> inv_x =
        num_rounds > 0 ? fri_inverse_points_bitrev(size_t{1} << (log_max_height - 1))
                       : std::vector<BabyBear>{};
    for (uint32_t i = 0; i < num_rounds; ++i) {
      const size_t half = folded.size() / 2;
      RowMajorMatrix<BabyBear> layer(8, half);
      static_assert(sizeof(BabyBear4) == 4 * sizeof(BabyBear));
      std::memcpy(static_cast<void*>(layer.data()), folded.data(),
                  folded.size() * sizeof(BabyBear4));
      const RowMajorMatrix<BabyBear>* layer_ptr = &layer;
      MerkleTree tree = backend_->commit_matrices(
          std::span<const RowMajorMatrix<BabyBear>* const>(&layer_ptr, 1));
      challenger.observe(tree.root());
      proof.commit_phase_commits.push_back(tree.root());
      const BabyBear4 beta = challenger.sample_ext();
      std::vector<BabyBear4> next(half);
      fri_detail::fold_layer(*backend_, folded, beta, inv_x, next);
      const uint32_t h = log_max_height - i - 1;
      if (!reduced[h].empty()) {
        // Roll in the reduced openings of height h with the fresh factor beta^2 (pcs.hpp, step 4).
        const std::vector<BabyBear4>& input = reduced[h];
        const BabyBear4 beta_sq = beta.square();
#pragma omp parallel for schedule(static) if (half >= (size_t{1} << 14))
        for (size_t j = 0; j < half; ++j) next[j] += beta_sq * input[j];
        reduced[h] = {};
      }
      folded = std::move(next);
      layers.push_back(std::move(layer));
      layer_trees.push_back(std::move(tree));
    }
  }
  // Final polynomial: the last layer is bit-reversed over the unshifted subgroup H_F; in natural
  // order an inverse NTT (coefficient-wise, the twiddles are base-field) gives its coefficients.
  {
    const size_t final_len = folded.size();
    RowMajorMatrix<BabyBear> coeffs(4, final_len);
    const uint32_t log_final = log2_strict(final_len, "final FRI layer");
    for (size_t j = 0; j < final_len; ++j) {
      const BabyBear4& v = folded[reverse_bits(j, log_final)];
      for (uint32_t k = 0; k < 4; ++k) coeffs.at(j, k) = v.coeff(k);
    }
    ntt_inverse(coeffs);
    const size_t keep = size_t{1} << config_.log_final_poly_len;
    for (size_t j = 0; j < keep; ++j) {
      proof.final_poly.emplace_back(coeffs.at(j, 0), coeffs.at(j, 1), coeffs.at(j, 2),
                                    coeffs.at(j, 3));
      challenger.observe(proof.final_poly.back());
    }
  }

  // ---- 4. proof of work, 5. queries -----------------------------------------------------------
  {
    TESSERA_RANGE("fri.grind");
    proof.pow_witness = grind(challenger, config_.pow_bits);
  }
  TESSERA_RANGE("fri.queries");
  std::vector<std::vector<const RowMajorMatrix<BabyBear>*>> round_matrices(rounds.size());
  for (size_t r = 0; r < rounds.size(); ++r) {
    for (const auto& lde : rounds[r].data->ldes) round_matrices[r].push_back(&lde);
  }
  proof.query_proofs.resize(config_.num_queries);
  for (uint32_t q = 0; q < config_.num_queries; ++q) {
    const size_t index = challenger.sample_bits(log_max_height);
    FriQueryProof& query = proof.query_proofs[q];
    for (size_t r = 0; r < rounds.size(); ++r) {
      const MerkleTree& tree = *rounds[r].data->tree;
      const size_t round_index = index >> (log_max_height - tree.shape().log_max_height());
      query.input_openings.push_back(tree.open(round_index, round_matrices[r]));
    }
    for (uint32_t i = 0; i < num_rounds; ++i) {
      const size_t layer_index = index >> i;
      const size_t row = layer_index >> 1;
      const size_t sibling_slot = (layer_index & 1) ^ 1;
      const BabyBear* v = &layers[i].at(row, 4 * sibling_slot);
      query.commit_steps.push_back(
          FriCommitStep{BabyBear4(v[0], v[1], v[2], v[3]), layer_trees[i].prove(row)});
    }
  }
  return values;
}

}  // namespace tessera
