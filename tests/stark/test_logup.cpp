// LogUp: batching, the permutation trace against a direct computation, balanced shards summing
// to zero, and the LogUp constraints vanishing on the trace domain exactly for honest traces.
#include <gtest/gtest.h>

#include <random>

#include "field/field_ops.hpp"
#include "stark_test_util.hpp"

namespace tessera {
namespace {

BabyBear4 random_ext(std::mt19937_64& rng) {
  const auto f = [&] {
    return BabyBear::from_u32(static_cast<uint32_t>(rng() % BabyBear::kModulus));
  };
  return {f(), f(), f(), f()};
}

TEST(LogUp, GreedyBatchingKeepsDegreeThree) {
  const auto info = [](uint32_t vd, uint32_t md) {
    return InteractionInfo{InteractionKind::Send, 1, 1, vd, md};
  };
  // Degree-1 values with degree-1 multiplicities: pairs.
  EXPECT_EQ(plan_logup({info(1, 1), info(1, 1), info(1, 1)}, 3, "t").batch_end,
            (std::vector<uint32_t>{2, 3}));
  // Constant fingerprints (degree 0) batch without limit on degree: all in one.
  EXPECT_EQ(plan_logup({info(0, 1), info(0, 1), info(0, 1), info(0, 0)}, 3, "t").batch_end,
            (std::vector<uint32_t>{4}));
  // A degree-2 fingerprint needs its own batch.
  EXPECT_EQ(plan_logup({info(1, 0), info(2, 0), info(1, 0)}, 3, "t").batch_end,
            (std::vector<uint32_t>{1, 2, 3}));
  // Degree-2 multiplicity with a degree-1 partner: 2 + 1 = 3 fits.
  EXPECT_EQ(plan_logup({info(1, 2), info(1, 0)}, 3, "t").batch_end, (std::vector<uint32_t>{2}));
  EXPECT_TRUE(plan_logup({}, 3, "t").empty());
  EXPECT_EQ(plan_logup({}, 3, "t").num_ext_columns(), 0u);
  EXPECT_THROW(plan_logup({info(3, 0)}, 3, "t"), Error);
}

TEST(LogUp, TraceMatchesDirectComputation) {
  std::mt19937_64 rng(5);
  LogUpLayout layout;
  layout.num_interactions = 5;
  layout.batch_end = {2, 3, 5};
  const size_t n = 1 << 13;  // more than one prefix-sum chunk
  InteractionEvaluations ev;
  ev.height = n;
  ev.num_interactions = 5;
  for (size_t i = 0; i < n * 5; ++i) {
    ev.denominators.push_back(random_ext(rng));
    ev.multiplicities.push_back(BabyBear::from_u32(static_cast<uint32_t>(rng() % 1000)));
  }
  const LogUpTrace lt = build_logup_trace(layout, ev);
  ASSERT_EQ(lt.columns.width(), 16u);
  ASSERT_EQ(lt.columns.height(), n);
  BabyBear4 z = BabyBear4::zero();
  for (size_t r = 0; r < n; ++r) {
    const auto col = [&](uint32_t c) {
      return BabyBear4(lt.columns.at(r, 4 * c), lt.columns.at(r, 4 * c + 1),
                       lt.columns.at(r, 4 * c + 2), lt.columns.at(r, 4 * c + 3));
    };
    uint32_t j = 0;
    for (uint32_t k = 0; k < 3; ++k) {
      BabyBear4 h = BabyBear4::zero();
      for (; j < layout.batch_end[k]; ++j) {
        h += ev.multiplicities[r * 5 + j] * ev.denominators[r * 5 + j].inverse();
      }
      if (r % 251 == 0) {
        ASSERT_EQ(col(k), h) << "row " << r << " batch " << k;
      }
      z += h;
    }
    ASSERT_EQ(col(3), z) << "row " << r;
  }
  EXPECT_EQ(lt.cumulative_sum, z);
}

TEST(LogUp, ZeroDenominatorIsATypedError) {
  LogUpLayout layout;
  layout.num_interactions = 1;
  layout.batch_end = {1};
  InteractionEvaluations ev{
      2, 1, {BabyBear4::one(), BabyBear4::zero()}, {BabyBear::one(), BabyBear::one()}};
  EXPECT_THROW(build_logup_trace(layout, ev), Error);
}

// Per-table LogUp traces of a witness for random challenges; returns the cumulative sums.
std::vector<LogUpTrace> logup_traces(const Machine& m, const std::vector<TableWitness>& w,
                                     const LogUpChallenges& lc) {
  std::vector<LogUpTrace> out;
  for (size_t t = 0; t < m.num_tables(); ++t) {
    const TableLayout& l = m.layout(t);
    if (!l.has_interactions()) {
      out.push_back({});
      continue;
    }
    const auto prep = m.table(t).preprocessed_trace();
    const auto gp = logup_gamma_powers(lc.gamma, l.logup.max_arity);
    const auto ev =
        m.table(t).evaluate_interactions(w[t].trace, prep.empty() ? nullptr : &prep,
                                         w[t].public_values, lc.beta, gp, l.logup.num_interactions);
    out.push_back(build_logup_trace(l.logup, ev));
  }
  return out;
}

TEST(LogUp, BalancedShardSumsToZeroAndImbalanceDoesNot) {
  std::mt19937_64 rng(9);
  const LogUpChallenges lc{random_ext(rng), random_ext(rng)};
  const Machine m = test::range_machine();
  auto w = test::range_tables(3, 6);
  auto traces = logup_traces(m, w, lc);
  BabyBear4 total = BabyBear4::zero();
  for (const auto& t : traces) total += t.cumulative_sum;
  EXPECT_TRUE(total.is_zero());
  EXPECT_FALSE(traces[1].cumulative_sum.is_zero());

  w[2].trace.at(3, 0) += BabyBear::one();
  traces = logup_traces(m, w, lc);
  total = BabyBear4::zero();
  for (const auto& t : traces) total += t.cumulative_sum;
  EXPECT_FALSE(total.is_zero());
}

// Folds all constraints at every point of the trace domain itself (selectors as 0/1, no
// division): every folded value must vanish for an honest trace.
size_t nonzero_rows_on_trace_domain(const Machine& m, size_t t, const TableWitness& w,
                                    const LogUpTrace& lt, const LogUpChallenges& lc,
                                    const BabyBear4& alpha) {
  const TableLayout& l = m.layout(t);
  const size_t n = w.trace.height();
  const uint32_t log_n = static_cast<uint32_t>(std::countr_zero(n));
  std::vector<BabyBear> first(n), last(n), transition(n), one(n, BabyBear::one());
  for (size_t i = 0; i < n; ++i) {
    first[i] = i == 0 ? BabyBear::one() : BabyBear::zero();
    last[i] = i + 1 == n ? BabyBear::one() : BabyBear::zero();
    transition[i] = BabyBear::one() - last[i];
  }
  const auto prep = m.table(t).preprocessed_trace();
  const auto alpha_powers = powers(alpha, l.num_constraints());
  const auto gp = logup_gamma_powers(lc.gamma, l.logup.max_arity);
  QuotientFoldInputs in;
  in.log_n = log_n;
  in.log_quotient_size = log_n;
  in.main = &w.trace;
  in.preprocessed = prep.empty() ? nullptr : &prep;
  in.permutation = l.has_interactions() ? &lt.columns : nullptr;
  in.is_first_row = first;
  in.is_last_row = last;
  in.is_transition = transition;
  in.inv_vanishing = one;
  in.public_values = w.public_values;
  in.alpha_powers = alpha_powers;
  in.beta = lc.beta;
  in.gamma_powers = gp;
  in.batch_end = l.logup.batch_end;
  in.cumulative_sum = lt.cumulative_sum;
  std::vector<BabyBear4> out(n);
  m.table(t).fold_on_domain(in, out);
  size_t bad = 0;
  for (const auto& v : out) bad += v.is_zero() ? 0 : 1;
  return bad;
}

TEST(LogUp, ConstraintsVanishOnHonestTracesOnly) {
  std::mt19937_64 rng(11);
  const LogUpChallenges lc{random_ext(rng), random_ext(rng)};
  const BabyBear4 alpha = random_ext(rng);
  const Machine m = test::range_machine();
  const auto w = test::range_tables(3, 5);
  auto traces = logup_traces(m, w, lc);
  for (size_t t = 0; t < m.num_tables(); ++t) {
    EXPECT_EQ(nonzero_rows_on_trace_domain(m, t, w[t], traces[t], lc, alpha), 0u)
        << m.layout(t).name;
  }
  // A helper column changed at one row breaks that row's batch constraint and the running sum
  // at that row; a wrong claimed cumulative sum breaks the last row.
  traces[1].columns.at(4, 1) += BabyBear::one();
  EXPECT_EQ(nonzero_rows_on_trace_domain(m, 1, w[1], traces[1], lc, alpha), 2u);
  traces = logup_traces(m, w, lc);
  traces[2].cumulative_sum += BabyBear4::one();
  EXPECT_EQ(nonzero_rows_on_trace_domain(m, 2, w[2], traces[2], lc, alpha), 1u);
  // A running sum shifted by a constant c (z_i + c on every row, claimed sum S + c) keeps every
  // batch, transition and the last row: only the first row z_0 = sum_k h_k(0) catches it (without
  // that constraint a prover could claim any cumulative sum).
  traces = logup_traces(m, w, lc);
  const uint32_t z = m.layout(1).logup.z_column();
  const BabyBear4 c = random_ext(rng);
  for (size_t r = 0; r < traces[1].columns.height(); ++r) {
    for (uint32_t k = 0; k < 4; ++k) traces[1].columns.at(r, 4 * z + k) += c.coeff(k);
  }
  traces[1].cumulative_sum += c;
  EXPECT_EQ(nonzero_rows_on_trace_domain(m, 1, w[1], traces[1], lc, alpha), 1u);
}

}  // namespace
}  // namespace tessera
