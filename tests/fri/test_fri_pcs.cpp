// FriPcs completeness: mixed heights, shifts and widths in one commit, several rounds, several
// points per matrix (some matrices with none), every configuration; the opened values are the
// polynomials' values; evaluations_on_domain; argument errors; determinism across thread counts.
#include <gtest/gtest.h>
#include <omp.h>

#include "fri/pcs.hpp"
#include "fri/pcs_detail.hpp"
#include "pcs_test_util.hpp"

namespace tessera {
namespace {

using fri_test::expect_error;
using fri_test::MatrixSpec;

const BabyBear kG = BabyBear::from_u32(BabyBear::kGenerator);

TEST(FriConfig, NamedConfigurationsAndSecurity) {
  EXPECT_EQ(FriConfig::core().name(), "core");
  EXPECT_EQ(FriConfig::recursion().name(), "recursion");
  EXPECT_EQ(FriConfig::test().name(), "test");
  EXPECT_EQ(FriConfig::by_name("core"), FriConfig::core());
  EXPECT_FALSE(FriConfig::by_name("fast").has_value());
  EXPECT_FALSE((FriConfig{2, 50, 10, 0}).name().has_value());
  // The cap 123 - 27 = 96: the margin is log2 of the largest LDE domain (2^27 points).
  EXPECT_EQ(FriConfig::core().conjectured_security_bits(), 96u);       // min(116, 96)
  EXPECT_EQ(FriConfig::recursion().conjectured_security_bits(), 96u);  // min(115, 96)
  EXPECT_EQ(FriConfig::test().conjectured_security_bits(), 3u);
  EXPECT_EQ((FriConfig{1, 40, 8, 0}).conjectured_security_bits(), 48u);
  EXPECT_EQ(FriConfig::core().security_formula(), "min(1*100 + 16, 123 - 27) = 96 bits");
  expect_error(ErrorKind::InvalidArgument, [] { FriConfig{0, 10, 0, 0}.validate(); });
  expect_error(ErrorKind::InvalidArgument, [] { FriConfig{1, 0, 0, 0}.validate(); });
  expect_error(ErrorKind::InvalidArgument, [] { FriConfig{1, 10, 28, 0}.validate(); });
  CpuBackend backend;
  expect_error(ErrorKind::InvalidArgument, [&] { FriPcs(FriConfig{1, 10, 28, 0}, backend); });
}

// The security margin is derived from the largest LDE domain the PCS admits for the
// configuration, so the printed figure holds for every trace a proof may carry (zkVM shards of
// 2^22 rows included), not just for 2^20-point domains.
TEST(FriConfig, SecurityMarginCoversTheLargestAdmittedDomain) {
  for (const FriConfig& c :
       {FriConfig::core(), FriConfig::recursion(), FriConfig::test(), FriConfig{2, 50, 10, 0}}) {
    const uint32_t max_h = c.max_log_height();
    EXPECT_GE(max_h, 22u) << c.log_blowup;
    EXPECT_EQ(c.max_log_lde_height(), max_h + c.log_blowup);
    EXPECT_EQ(c.field_margin_bits(), c.max_log_lde_height());
    // The PCS takes a trace of 2^max_h rows and refuses one row-doubling more.
    EXPECT_NO_THROW(fri_detail::check_domain(c, TwoAdicDomain::natural(max_h), "test", 0));
    expect_error(ErrorKind::InvalidArgument, [&] {
      fri_detail::check_domain(c, TwoAdicDomain::natural(max_h + 1), "test", 0);
    });
    EXPECT_LE(c.conjectured_security_bits(), FriConfig::kExtFieldBits - c.max_log_lde_height());
  }
  EXPECT_EQ(FriConfig::core().margin_derivation(),
            "margin 27 = log2 of the largest LDE domain: 2^26 rows x blowup 2^1");
  EXPECT_EQ(FriConfig::recursion().margin_derivation(),
            "margin 27 = log2 of the largest LDE domain: 2^24 rows x blowup 2^3");
}

void expect_values_are_evaluations(const fri_test::Scenario& s, const OpenedValues& values) {
  ASSERT_EQ(values.size(), s.specs.size());
  for (size_t r = 0; r < s.specs.size(); ++r) {
    ASSERT_EQ(values[r].size(), s.specs[r].size());
    for (size_t m = 0; m < s.specs[r].size(); ++m) {
      const auto pts = s.points_of(r, m);
      ASSERT_EQ(values[r][m].size(), pts.size());
      for (size_t p = 0; p < pts.size(); ++p) {
        ASSERT_EQ(values[r][m][p].size(), s.specs[r][m].width);
        for (size_t c = 0; c < s.specs[r][m].width; ++c) {
          EXPECT_EQ(values[r][m][p][c], fri_test::horner(s.coeffs[r][m], c, pts[p]))
              << "round " << r << " matrix " << m << " point " << p << " column " << c;
        }
      }
    }
  }
}

TEST(FriPcs, MixedRoundsOpenAndVerify) {
  CpuBackend backend;
  for (const FriConfig& config :
       {FriConfig::test(), FriConfig{2, 3, 2, 0}, FriConfig{1, 4, 0, 2}, FriConfig{3, 2, 1, 1}}) {
    const FriPcs pcs(config, backend);
    const auto s = fri_test::make_scenario(pcs, fri_test::mixed_specs(), 3, 10);
    auto opened = fri_test::open_scenario(pcs, s);
    expect_values_are_evaluations(s, opened.values);
    EXPECT_EQ(opened.proof.query_proofs.size(), config.num_queries);
    EXPECT_EQ(opened.proof.final_poly.size(), size_t{1} << config.log_final_poly_len);
    // Tallest domain 2^6: 6 - log_final_poly_len folding rounds.
    EXPECT_EQ(opened.proof.commit_phase_commits.size(), 6u - config.log_final_poly_len);
    fri_test::verify_scenario(pcs, s, opened.values, opened.proof, &opened.prover_after);
  }
}

TEST(FriPcs, SingleMatrixShapes) {
  CpuBackend backend;
  const FriPcs pcs(FriConfig::test(), backend);
  // A one-point domain (no folding round at all), a two-point one, a wide one.
  for (const auto& spec : {MatrixSpec{0, 2, BabyBear::one(), {0}}, MatrixSpec{1, 1, kG, {0, 1}},
                           MatrixSpec{7, 40, BabyBear::one(), {1}}}) {
    const auto s = fri_test::make_scenario(pcs, {{spec}}, 2, 11);
    auto opened = fri_test::open_scenario(pcs, s);
    expect_values_are_evaluations(s, opened.values);
    fri_test::verify_scenario(pcs, s, opened.values, opened.proof, &opened.prover_after);
  }
}

TEST(FriPcs, CoreAndRecursionConfigurationsOnSmallSizes) {
  CpuBackend backend;
  for (const FriConfig& config : {FriConfig::core(), FriConfig::recursion()}) {
    const FriPcs pcs(config, backend);
    const auto s = fri_test::make_scenario(
        pcs,
        {{{8, 6, BabyBear::one(), {0, 1}}, {6, 3, BabyBear::one(), {0, 1}}}, {{9, 4, kG, {0}}}}, 2,
        12);
    auto opened = fri_test::open_scenario(pcs, s);
    expect_values_are_evaluations(s, opened.values);
    fri_test::verify_scenario(pcs, s, opened.values, opened.proof, &opened.prover_after);
  }
}

TEST(FriPcs, PointsForNoMatrixOfTheTallestHeight) {
  // The tallest matrix is only committed, never opened: the first FRI layer starts from zeros.
  CpuBackend backend;
  const FriPcs pcs(FriConfig{1, 3, 1, 0}, backend);
  const auto s = fri_test::make_scenario(
      pcs, {{{7, 2, BabyBear::one(), {}}, {4, 3, BabyBear::one(), {0}}}}, 1, 13);
  auto opened = fri_test::open_scenario(pcs, s);
  fri_test::verify_scenario(pcs, s, opened.values, opened.proof, &opened.prover_after);
}

TEST(FriPcs, EvaluationsOnDomain) {
  CpuBackend backend;
  const FriPcs pcs(FriConfig{2, 2, 0, 0}, backend);
  const auto s =
      fri_test::make_scenario(pcs, {{{5, 3, BabyBear::one(), {}}, {3, 2, kG, {}}}}, 0, 14);
  for (size_t m = 0; m < 2; ++m) {
    const uint32_t log_n = s.specs[0][m].log_n;
    for (uint32_t extra : {0u, 1u, 2u}) {
      const TwoAdicDomain quotient{log_n + extra, kG};
      const auto evals = pcs.evaluations_on_domain(s.data[0], m, quotient);
      ASSERT_EQ(evals.height(), quotient.size());
      for (size_t i = 0; i < quotient.size(); ++i) {
        for (size_t c = 0; c < evals.width(); ++c) {
          EXPECT_EQ(BabyBear4(evals.at(i, c)),
                    fri_test::horner(s.coeffs[0][m], c, BabyBear4(quotient.point(i))));
          EXPECT_EQ(evals.at(i, c),
                    s.data[0].ldes[m].at(FriPcs::lde_row_of_coset_point(i, quotient.log_size), c));
        }
      }
    }
    // Larger than the LDE, or another coset: refused.
    expect_error(ErrorKind::InvalidArgument, [&] {
      pcs.evaluations_on_domain(s.data[0], m, {log_n + 3, kG});
    });
    expect_error(ErrorKind::InvalidArgument,
                 [&] { pcs.evaluations_on_domain(s.data[0], m, TwoAdicDomain::natural(log_n)); });
  }
  expect_error(ErrorKind::InvalidArgument, [&] {
    pcs.evaluations_on_domain(s.data[0], 2, {3, kG});
  });
}

TEST(FriPcs, CommitAndOpenRejectBadArguments) {
  CpuBackend backend;
  const FriPcs pcs(FriConfig{1, 2, 0, 2}, backend);
  FriPcs::CommittedData data;
  expect_error(ErrorKind::InvalidArgument, [&] { pcs.commit({}, data); });
  // Height differs from the domain size.
  expect_error(ErrorKind::InvalidArgument, [&] {
    pcs.commit({{TwoAdicDomain::natural(3), RowMajorMatrix<BabyBear>(2, 4)}}, data);
  });
  // Smaller than the final polynomial.
  expect_error(ErrorKind::InvalidArgument, [&] {
    pcs.commit({{TwoAdicDomain::natural(1), RowMajorMatrix<BabyBear>(2, 2)}}, data);
  });
  // Width 0.
  expect_error(ErrorKind::InvalidArgument, [&] {
    pcs.commit({{TwoAdicDomain::natural(3), RowMajorMatrix<BabyBear>(0, 8)}}, data);
  });
  // Too large for the two-adicity once blown up.
  expect_error(ErrorKind::InvalidArgument, [&] {
    pcs.commit({{TwoAdicDomain{27, BabyBear::one()}, RowMajorMatrix<BabyBear>()}}, data);
  });

  const auto s = fri_test::make_scenario(pcs, {{{4, 2, BabyBear::one(), {0}}}}, 1, 15);
  Challenger ch;
  PcsProof proof;
  expect_error(ErrorKind::InvalidArgument, [&] { pcs.open({}, ch, proof); });
  expect_error(ErrorKind::InvalidArgument, [&] {
    pcs.open({ProverOpeningRound{nullptr, {{}}}}, ch, proof);
  });
  expect_error(ErrorKind::InvalidArgument, [&] {
    pcs.open({ProverOpeningRound{&s.data[0], {}}}, ch, proof);
  });
  // A point on the LDE coset 31 * H_32.
  const BabyBear4 on_coset(kG * BabyBear::two_adic_generator(5).pow(3));
  const std::string msg = expect_error(ErrorKind::InvalidArgument, [&] {
    pcs.open({ProverOpeningRound{&s.data[0], {{on_coset}}}}, ch, proof);
  });
  EXPECT_NE(msg.find("LDE coset"), std::string::npos) << msg;
}

std::vector<uint8_t> proof_bytes(const PcsProof& proof) {
  ByteWriter w;
  write_pcs_proof(w, proof);
  return w.take();
}

TEST(FriPcs, ProofDoesNotDependOnTheThreadCount) {
  CpuBackend backend;
  const FriPcs pcs(FriConfig{1, 8, 4, 0}, backend);
  // Large enough to cross every parallel threshold (2^14 LDE rows and more).
  const std::vector<std::vector<MatrixSpec>> specs = {
      {{14, 6, BabyBear::one(), {0, 1}}, {12, 3, BabyBear::one(), {0, 1}}}, {{14, 4, kG, {0}}}};
  const int saved = omp_get_max_threads();
  std::vector<std::vector<uint8_t>> bytes;
  std::vector<OpenedValues> values;
  for (int threads : {1, 2, 3}) {
    omp_set_num_threads(threads);
    const auto s = fri_test::make_scenario(pcs, specs, 2, 16);
    auto opened = fri_test::open_scenario(pcs, s);
    bytes.push_back(proof_bytes(opened.proof));
    values.push_back(opened.values);
    if (threads == 1) {
      fri_test::verify_scenario(pcs, s, opened.values, opened.proof, &opened.prover_after);
    }
  }
  omp_set_num_threads(saved);
  EXPECT_EQ(bytes[0], bytes[1]);
  EXPECT_EQ(bytes[0], bytes[2]);
  EXPECT_EQ(values[0], values[1]);
  EXPECT_EQ(values[0], values[2]);
}

}  // namespace
}  // namespace tessera
