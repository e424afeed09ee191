#pragma once
// A PCS scenario for the tests: several rounds of random polynomials (mixed heights, shifts and
// widths), opened at chosen points; builds the prover's and the verifier's inputs and replays
// both transcripts from the same prefix (the commitments).

#include <memory>
#include <random>
#include <vector>

#include "backend/cpu_backend.hpp"
#include "fri/pcs.hpp"
#include "fri_test_util.hpp"

namespace tessera::fri_test {

struct MatrixSpec {
  uint32_t log_n;
  size_t width;
  BabyBear shift = BabyBear::one();
  // Indices into the scenario's points where this matrix is opened (may be empty).
  std::vector<size_t> point_ids;
};

struct Scenario {
  std::vector<std::vector<MatrixSpec>> specs;  // [round][matrix]
  std::vector<std::vector<RowMajorMatrix<BabyBear>>> coeffs;
  std::vector<BabyBear4> points;
  std::vector<FriPcs::CommittedData> data;
  std::vector<Digest> roots;

  std::vector<BabyBear4> points_of(size_t r, size_t m) const {
    std::vector<BabyBear4> out;
    for (size_t id : specs[r][m].point_ids) out.push_back(points[id]);
    return out;
  }
};

// Commits random polynomials of the given shapes (or, with `high_degree`, random evaluations
// whose interpolant has full degree n - 1 on the domain; those are what a cheating prover would
// commit if it had no low-degree polynomial).
inline Scenario make_scenario(const FriPcs& pcs, std::vector<std::vector<MatrixSpec>> specs,
                              size_t num_points, uint64_t seed) {
  std::mt19937_64 rng(seed);
  Scenario s;
  s.specs = std::move(specs);
  for (size_t i = 0; i < num_points; ++i) s.points.push_back(random_ext(rng));
  s.data.resize(s.specs.size());
  for (size_t r = 0; r < s.specs.size(); ++r) {
    std::vector<std::pair<TwoAdicDomain, RowMajorMatrix<BabyBear>>> evals;
    auto& round_coeffs = s.coeffs.emplace_back();
    for (const MatrixSpec& spec : s.specs[r]) {
      const TwoAdicDomain domain{spec.log_n, spec.shift};
      round_coeffs.push_back(random_coefficients(rng, spec.log_n, spec.width));
      evals.emplace_back(domain, evaluate_on(round_coeffs.back(), domain));
    }
    s.roots.push_back(pcs.commit(std::move(evals), s.data[r]));
  }
  return s;
}

inline Challenger transcript_with_roots(const Scenario& s) {
  Challenger ch;
  for (const Digest& root : s.roots) ch.observe(root);
  return ch;
}

inline std::vector<ProverOpeningRound> prover_rounds(const Scenario& s) {
  std::vector<ProverOpeningRound> rounds;
  for (size_t r = 0; r < s.specs.size(); ++r) {
    ProverOpeningRound round{&s.data[r], {}};
    for (size_t m = 0; m < s.specs[r].size(); ++m) round.points.push_back(s.points_of(r, m));
    rounds.push_back(std::move(round));
  }
  return rounds;
}

inline std::vector<VerifierOpeningRound> verifier_rounds(const Scenario& s,
                                                         const OpenedValues& values) {
  std::vector<VerifierOpeningRound> rounds;
  for (size_t r = 0; r < s.specs.size(); ++r) {
    VerifierOpeningRound round;
    round.commitment = s.roots[r];
    for (size_t m = 0; m < s.specs[r].size(); ++m) {
      const MatrixSpec& spec = s.specs[r][m];
      round.matrices.push_back(VerifierOpeningRound::Matrix{
          TwoAdicDomain{spec.log_n, spec.shift}, spec.width, s.points_of(r, m), values[r][m]});
    }
    rounds.push_back(std::move(round));
  }
  return rounds;
}

struct Opened {
  OpenedValues values;
  PcsProof proof;
  Challenger prover_after;  // the prover's transcript after open()
};

inline Opened open_scenario(const FriPcs& pcs, const Scenario& s) {
  Opened o;
  o.prover_after = transcript_with_roots(s);
  o.values = pcs.open(prover_rounds(s), o.prover_after, o.proof);
  return o;
}

// Verifies and checks that the verifier's transcript ends where the prover's did.
inline void verify_scenario(const FriPcs& pcs, const Scenario& s, const OpenedValues& values,
                            const PcsProof& proof, const Challenger* prover_after = nullptr) {
  Challenger ch = transcript_with_roots(s);
  pcs.verify(verifier_rounds(s, values), proof, ch);
  if (prover_after != nullptr) {
    EXPECT_TRUE(ch == *prover_after);
  }
}

// A mixed scenario: two rounds, heights 2^3..2^6, shifted and natural domains, matrices with
// two, one or no points, the second round opened at one point only.
inline std::vector<std::vector<MatrixSpec>> mixed_specs() {
  const BabyBear g = BabyBear::from_u32(BabyBear::kGenerator);
  return {
      {{6, 3, BabyBear::one(), {0, 1}},
       {4, 2, BabyBear::one(), {0, 1}},
       {6, 1, BabyBear::one(), {}},
       {3, 5, BabyBear::one(), {0}}},
      {{5, 4, g, {0}},
       {5, 4, g * BabyBear::two_adic_generator(5), {0}},
       {2, 1, BabyBear::from_u32(17), {2}}},
  };
}

}  // namespace tessera::fri_test
