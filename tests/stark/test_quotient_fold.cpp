// The packed (AVX2, 8 points at a time) CPU constraint fold against the one-point reference, on
// seeded random inputs, for every AIR of the test machines and quotient domains of 1 to 2^11
// points (below 8 points the packed path falls back to the reference).
#include <gtest/gtest.h>

#include <random>

#include "field/field_ops.hpp"
#include "stark_test_util.hpp"

namespace tessera {
namespace {

BabyBear random_felt(std::mt19937_64& rng) {
  return BabyBear::from_u64(rng() % BabyBear::kModulus);
}
BabyBear4 random_ext(std::mt19937_64& rng) {
  return {random_felt(rng), random_felt(rng), random_felt(rng), random_felt(rng)};
}

TEST(QuotientFold, PackedEqualsReference) {
  const Machine m = test::range_machine();
  for (size_t t = 0; t < m.num_tables(); ++t) {
    const TableLayout& l = m.layout(t);
    for (uint32_t log_n : {0u, 1u, 2u, 3u, 6u, 10u}) {
      std::mt19937_64 rng(1000 * t + log_n);
      const uint32_t log_q = log_n + l.log_quotient_degree;
      const size_t nq = size_t{1} << log_q;
      const auto matrix = [&](size_t width) {
        RowMajorMatrix<BabyBear> mat(width, nq);
        for (auto& x : mat.values()) x = random_felt(rng);
        return mat;
      };
      const auto vec = [&](size_t n) {
        std::vector<BabyBear> v(n);
        for (auto& x : v) x = random_felt(rng);
        return v;
      };
      const auto main = matrix(l.width), prep = matrix(l.preprocessed_width),
                 perm = matrix(l.permutation_width());
      const auto first = vec(nq), last = vec(nq), transition = vec(nq), inv = vec(nq);
      const auto pv = vec(l.num_public_values);
      const auto alpha = powers(random_ext(rng), l.num_constraints());
      const auto gamma = logup_gamma_powers(random_ext(rng), l.logup.max_arity);
      QuotientFoldInputs in;
      in.log_n = log_n;
      in.log_quotient_size = log_q;
      in.main = &main;
      in.preprocessed = l.preprocessed_width > 0 ? &prep : nullptr;
      in.permutation = l.has_interactions() ? &perm : nullptr;
      in.is_first_row = first;
      in.is_last_row = last;
      in.is_transition = transition;
      in.inv_vanishing = inv;
      in.public_values = pv;
      in.alpha_powers = alpha;
      in.beta = random_ext(rng);
      in.gamma_powers = gamma;
      in.batch_end = l.logup.batch_end;
      in.cumulative_sum = random_ext(rng);
      std::vector<BabyBear4> fast(nq), reference(nq);
      m.table(t).fold_on_domain(in, fast);
      m.table(t).fold_on_domain_reference(in, reference);
      for (size_t i = 0; i < nq; ++i) {
        ASSERT_EQ(fast[i], reference[i]) << l.name << " 2^" << log_n << " point " << i;
      }
    }
  }
}

}  // namespace
}  // namespace tessera
