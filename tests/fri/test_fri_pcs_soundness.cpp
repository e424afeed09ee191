// FriPcs soundness: wrong claimed values, a committed codeword that is not low-degree, wrong
// domains and widths, a different transcript, and a systematic sweep that changes every element
// of the proof one at a time. Each must be rejected (VerifyFailed, or Format for a proof whose
// shape no longer fits).
#include <gtest/gtest.h>

#include <functional>

#include "fri/pcs.hpp"
#include "pcs_test_util.hpp"

namespace tessera {
namespace {

using fri_test::expect_error;
using fri_test::MatrixSpec;

const BabyBear kG = BabyBear::from_u32(BabyBear::kGenerator);

void expect_rejected(const FriPcs& pcs, const fri_test::Scenario& s,
                     const std::vector<VerifierOpeningRound>& rounds, const PcsProof& proof,
                     const std::string& what) {
  Challenger ch = fri_test::transcript_with_roots(s);
  try {
    pcs.verify(rounds, proof, ch);
  } catch (const Error& e) {
    EXPECT_TRUE(e.kind() == ErrorKind::VerifyFailed || e.kind() == ErrorKind::Format)
        << what << ": " << e.what();
    return;
  }
  ADD_FAILURE() << what << ": accepted";
}

TEST(FriPcsSoundness, EveryWrongClaimedValueIsRejected) {
  CpuBackend backend;
  const FriPcs pcs(FriConfig{1, 3, 1, 0}, backend);
  const auto s = fri_test::make_scenario(pcs, fri_test::mixed_specs(), 3, 20);
  const auto opened = fri_test::open_scenario(pcs, s);
  size_t checked = 0;
  for (size_t r = 0; r < opened.values.size(); ++r) {
    for (size_t m = 0; m < opened.values[r].size(); ++m) {
      for (size_t p = 0; p < opened.values[r][m].size(); ++p) {
        for (size_t c = 0; c < opened.values[r][m][p].size(); ++c) {
          OpenedValues wrong = opened.values;
          wrong[r][m][p][c] += BabyBear4::one();
          expect_rejected(pcs, s, fri_test::verifier_rounds(s, wrong), opened.proof,
                          "value " + std::to_string(r) + "/" + std::to_string(m) + "/" +
                              std::to_string(p) + "/" + std::to_string(c));
          ++checked;
        }
      }
    }
  }
  EXPECT_EQ(checked, 24u);  // every value of mixed_specs()
}

// A committed "matrix" whose LDE rows are random: far from every low-degree codeword. The PCS
// prover opens it honestly (values by interpolation of the first rows) and runs FRI on the
// resulting high-degree quotient; the verifier must reject.
TEST(FriPcsSoundness, NonLowDegreeCodewordIsRejected) {
  CpuBackend backend;
  const FriConfig config{1, 40, 1, 0};  // ~40 bits against a codeword this far from the code
  const FriPcs pcs(config, backend);
  size_t rejected = 0;
  for (uint64_t seed = 0; seed < 4; ++seed) {
    std::mt19937_64 rng(100 + seed);
    fri_test::Scenario s;
    s.specs = {{{6, 3, BabyBear::one(), {0, 1}}}};
    s.points = {fri_test::random_ext(rng), fri_test::random_ext(rng)};
    s.coeffs = {{fri_test::random_coefficients(rng, 6, 3)}};
    s.data.resize(1);
    s.data[0].domains = {TwoAdicDomain::natural(6)};
    RowMajorMatrix<BabyBear> lde(3, size_t{1} << 7);
    for (auto& v : lde.values()) v = fri_test::random_felt(rng);
    s.data[0].ldes.push_back(std::move(lde));
    const RowMajorMatrix<BabyBear>* ptr = &s.data[0].ldes[0];
    s.data[0].tree.emplace(
        backend.commit_matrices(std::span<const RowMajorMatrix<BabyBear>* const>(&ptr, 1)));
    s.roots = {s.data[0].root()};
    const auto opened = fri_test::open_scenario(pcs, s);
    Challenger ch = fri_test::transcript_with_roots(s);
    try {
      pcs.verify(fri_test::verifier_rounds(s, opened.values), opened.proof, ch);
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::VerifyFailed) << e.what();
      ++rejected;
    }
  }
  EXPECT_EQ(rejected, 4u);
}

TEST(FriPcsSoundness, WrongDomainWidthOrTranscriptIsRejected) {
  CpuBackend backend;
  const FriPcs pcs(FriConfig{1, 3, 1, 0}, backend);
  const auto s = fri_test::make_scenario(pcs, fri_test::mixed_specs(), 3, 22);
  const auto opened = fri_test::open_scenario(pcs, s);
  const auto good = fri_test::verifier_rounds(s, opened.values);
  {  // A shorter matrix claimed one size smaller.
    auto rounds = good;
    rounds[0].matrices[1].domain.log_size -= 1;
    expect_rejected(pcs, s, rounds, opened.proof, "smaller domain");
  }
  {  // The tallest matrix claimed smaller: the Merkle paths no longer fit (Format).
    auto rounds = good;
    rounds[0].matrices[0].domain.log_size -= 1;
    rounds[0].matrices[2].domain.log_size -= 1;
    expect_rejected(pcs, s, rounds, opened.proof, "smaller tallest domain");
  }
  {  // A larger domain (degree bound) than committed.
    auto rounds = good;
    rounds[1].matrices[2].domain.log_size += 1;
    expect_rejected(pcs, s, rounds, opened.proof, "larger domain");
  }
  {  // Another width: values and rows disagree.
    auto rounds = good;
    rounds[0].matrices[2].width = 2;
    expect_rejected(pcs, s, rounds, opened.proof, "wider");
  }
  {  // Another commitment.
    auto rounds = good;
    rounds[1].commitment[3] += BabyBear::one();
    expect_rejected(pcs, s, rounds, opened.proof, "commitment");
  }
  {  // Rounds swapped.
    auto rounds = good;
    std::swap(rounds[0], rounds[1]);
    expect_rejected(pcs, s, rounds, opened.proof, "rounds swapped");
  }
  {  // A transcript that did not observe the commitments.
    Challenger ch;
    expect_error(ErrorKind::VerifyFailed, [&] { pcs.verify(good, opened.proof, ch); });
  }
  // Malformed claims: InvalidArgument.
  {
    auto rounds = good;
    rounds[0].matrices[0].values[0].pop_back();
    Challenger ch = fri_test::transcript_with_roots(s);
    expect_error(ErrorKind::InvalidArgument, [&] { pcs.verify(rounds, opened.proof, ch); });
  }
  {
    auto rounds = good;
    rounds[0].matrices[0].points.pop_back();
    Challenger ch = fri_test::transcript_with_roots(s);
    expect_error(ErrorKind::InvalidArgument, [&] { pcs.verify(rounds, opened.proof, ch); });
  }
  {
    Challenger ch = fri_test::transcript_with_roots(s);
    expect_error(ErrorKind::InvalidArgument, [&] { pcs.verify({}, opened.proof, ch); });
  }
  {  // A claim at a point of the LDE coset 31 * H_128, where the DEEP quotient is undefined.
    auto rounds = good;
    rounds[0].matrices[0].points[0] = BabyBear4(kG * BabyBear::two_adic_generator(7).pow(5));
    Challenger ch = fri_test::transcript_with_roots(s);
    const std::string msg =
        expect_error(ErrorKind::InvalidArgument, [&] { pcs.verify(rounds, opened.proof, ch); });
    EXPECT_NE(msg.find("lies on the LDE coset"), std::string::npos) << msg;
  }
}

// Every element of the proof, one at a time.
TEST(FriPcsSoundness, SystematicMutationSweep) {
  CpuBackend backend;
  const FriPcs pcs(FriConfig{1, 2, 2, 1}, backend);
  const auto s = fri_test::make_scenario(pcs, fri_test::mixed_specs(), 3, 23);
  const auto opened = fri_test::open_scenario(pcs, s);
  const auto rounds = fri_test::verifier_rounds(s, opened.values);
  fri_test::verify_scenario(pcs, s, opened.values, opened.proof);

  size_t mutations = 0;
  auto mutate = [&](const std::string& what, const std::function<void(PcsProof&)>& change) {
    PcsProof bad = opened.proof;
    change(bad);
    ASSERT_FALSE(bad == opened.proof) << what;
    expect_rejected(pcs, s, rounds, bad, what);
    ++mutations;
  };
  const BabyBear one = BabyBear::one();
  const BabyBear4 ext_one = BabyBear4::one(), ext_x = BabyBear4::x();
  const PcsProof& p = opened.proof;
  for (size_t i = 0; i < p.commit_phase_commits.size(); ++i) {
    for (size_t k = 0; k < kDigestElems; ++k) {
      mutate("commit " + std::to_string(i) + "." + std::to_string(k),
             [&](PcsProof& b) { b.commit_phase_commits[i][k] += one; });
    }
  }
  for (size_t j = 0; j < p.final_poly.size(); ++j) {
    mutate("final poly " + std::to_string(j), [&](PcsProof& b) { b.final_poly[j] += ext_one; });
    mutate("final poly x " + std::to_string(j), [&](PcsProof& b) { b.final_poly[j] += ext_x; });
  }
  mutate("pow witness", [&](PcsProof& b) { b.pow_witness += one; });
  for (size_t q = 0; q < p.query_proofs.size(); ++q) {
    const auto& query = p.query_proofs[q];
    const std::string qs = "query " + std::to_string(q) + " ";
    for (size_t r = 0; r < query.input_openings.size(); ++r) {
      const auto& o = query.input_openings[r];
      for (size_t m = 0; m < o.rows.size(); ++m) {
        for (size_t c = 0; c < o.rows[m].size(); ++c) {
          mutate(
              qs + "row " + std::to_string(r) + "/" + std::to_string(m) + "/" + std::to_string(c),
              [&](PcsProof& b) { b.query_proofs[q].input_openings[r].rows[m][c] += one; });
        }
      }
      for (size_t l = 0; l < o.proof.siblings.size(); ++l) {
        for (size_t k : {size_t{0}, size_t{7}}) {
          mutate(qs + "input path " + std::to_string(r) + "/" + std::to_string(l),
                 [&](PcsProof& b) {
                   b.query_proofs[q].input_openings[r].proof.siblings[l][k] += one;
                 });
        }
      }
    }
    for (size_t i = 0; i < query.commit_steps.size(); ++i) {
      mutate(qs + "sibling " + std::to_string(i),
             [&](PcsProof& b) { b.query_proofs[q].commit_steps[i].sibling += ext_one; });
      mutate(qs + "sibling x^3 " + std::to_string(i), [&](PcsProof& b) {
        b.query_proofs[q].commit_steps[i].sibling += ext_x * ext_x * ext_x;
      });
      for (size_t l = 0; l < query.commit_steps[i].path.siblings.size(); ++l) {
        for (size_t k : {size_t{0}, size_t{5}}) {
          mutate(
              qs + "layer path " + std::to_string(i) + "/" + std::to_string(l),
              [&](PcsProof& b) { b.query_proofs[q].commit_steps[i].path.siblings[l][k] += one; });
        }
      }
    }
  }
  // Shape changes: Format.
  for (auto change : std::vector<std::function<void(PcsProof&)>>{
           [](PcsProof& b) { b.query_proofs.pop_back(); },
           [](PcsProof& b) { b.commit_phase_commits.pop_back(); },
           [](PcsProof& b) { b.final_poly.push_back(BabyBear4::one()); },
           [](PcsProof& b) { b.query_proofs[0].commit_steps.pop_back(); },
           [](PcsProof& b) {
             b.query_proofs[1].input_openings[0].rows[1].push_back(BabyBear::one());
           },
           [](PcsProof& b) { b.query_proofs[0].input_openings[1].proof.siblings.pop_back(); },
           [](PcsProof& b) { b.query_proofs[1].commit_steps[2].path.siblings.emplace_back(); }}) {
    PcsProof bad = opened.proof;
    change(bad);
    Challenger ch = fri_test::transcript_with_roots(s);
    expect_error(ErrorKind::Format, [&] { pcs.verify(rounds, bad, ch); });
  }
  EXPECT_GT(mutations, 150u);
}

}  // namespace
}  // namespace tessera
