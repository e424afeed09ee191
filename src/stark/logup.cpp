#include "stark/logup.hpp"

#include <algorithm>

#include "common/check.hpp"
#include "field/field_ops.hpp"

namespace tessera {

namespace {
// Degree of the batch constraint h * prod d_j - sum_j m_j prod_{i != j} d_i.
uint32_t batch_degree(std::span<const InteractionInfo> batch) {
  uint32_t den = 0;
  for (const auto& it : batch) den += it.value_degree;
  uint32_t num = 0;
  for (const auto& it : batch) num = std::max(num, it.multiplicity_degree + den - it.value_degree);
  return std::max(1 + den, num);
}
}  // namespace

LogUpLayout plan_logup(const std::vector<InteractionInfo>& interactions, uint32_t max_degree,
                       const std::string& table) {
  LogUpLayout layout;
  layout.num_interactions = static_cast<uint32_t>(interactions.size());
  uint32_t begin = 0;
  for (uint32_t j = 0; j < interactions.size(); ++j) {
    layout.max_arity = std::max(layout.max_arity, interactions[j].arity);
    const std::span<const InteractionInfo> single(&interactions[j], 1);
    TESSERA_CHECK(batch_degree(single) <= max_degree, ErrorKind::InvalidArgument,
                  "table " << table << ": interaction " << j << " on bus " << interactions[j].bus
                           << " has values of degree " << interactions[j].value_degree
                           << " and multiplicity of degree " << interactions[j].multiplicity_degree
                           << "; its LogUp constraint would exceed degree " << max_degree);
    const std::span<const InteractionInfo> extended(&interactions[begin], j + 1 - begin);
    if (batch_degree(extended) > max_degree) {
      layout.batch_end.push_back(j);
      begin = j;
    }
  }
  if (!interactions.empty()) layout.batch_end.push_back(layout.num_interactions);
  return layout;
}

std::vector<BabyBear4> logup_gamma_powers(const BabyBear4& gamma, uint32_t max_arity) {
  std::vector<BabyBear4> out(max_arity + 1);
  BabyBear4 g = BabyBear4::one();
  for (auto& x : out) {
    x = g;
    g *= gamma;
  }
  return out;
}

LogUpTrace build_logup_trace(const LogUpLayout& layout, const InteractionEvaluations& evals) {
  TESSERA_ASSERT(evals.num_interactions == layout.num_interactions);
  const size_t n = evals.height, J = layout.num_interactions;
  TESSERA_ASSERT(evals.denominators.size() == n * J && evals.multiplicities.size() == n * J);
  const uint32_t K = layout.num_batches(), cols = layout.num_ext_columns();
  LogUpTrace out{RowMajorMatrix<BabyBear>(4 * cols, n), BabyBear4::zero()};
  if (J == 0) return out;

  std::vector<BabyBear4> inv;
  try {
    inv = batch_inverse(evals.denominators);
  } catch (const Error&) {
    TESSERA_FAIL(ErrorKind::InvalidArgument,
                 "LogUp: a message fingerprint equals the challenge beta (probability ~2^-100); "
                 "the denominator has no inverse");
  }

  // h_k(row) and the per-row sum of all batches.
  std::vector<BabyBear4> row_sum(n);
  const auto store = [&](size_t row, uint32_t col, const BabyBear4& v) {
    for (uint32_t c = 0; c < 4; ++c) out.columns.at(row, 4 * col + c) = v.coeff(c);
  };
#pragma omp parallel for schedule(static)
  for (size_t r = 0; r < n; ++r) {
    BabyBear4 total = BabyBear4::zero();
    uint32_t j = 0;
    for (uint32_t k = 0; k < K; ++k) {
      BabyBear4 h = BabyBear4::zero();
      for (; j < layout.batch_end[k]; ++j) h += inv[r * J + j] * evals.multiplicities[r * J + j];
      store(r, k, h);
      total += h;
    }
    row_sum[r] = total;
  }

  // z = prefix sums of row_sum: per-chunk sums first, then each chunk continues from the sum of
  // the chunks before it (exact field arithmetic: identical for any thread count).
  constexpr size_t kChunk = size_t{1} << 12;
  const size_t chunks = (n + kChunk - 1) / kChunk;
  std::vector<BabyBear4> chunk_total(chunks);
#pragma omp parallel for schedule(static)
  for (size_t c = 0; c < chunks; ++c) {
    BabyBear4 s = BabyBear4::zero();
    for (size_t r = c * kChunk; r < std::min(n, (c + 1) * kChunk); ++r) s += row_sum[r];
    chunk_total[c] = s;
  }
  std::vector<BabyBear4> chunk_start(chunks);
  for (size_t c = 1; c < chunks; ++c) chunk_start[c] = chunk_start[c - 1] + chunk_total[c - 1];
#pragma omp parallel for schedule(static)
  for (size_t c = 0; c < chunks; ++c) {
    BabyBear4 z = chunk_start[c];
    for (size_t r = c * kChunk; r < std::min(n, (c + 1) * kChunk); ++r) {
      z += row_sum[r];
      store(r, K, z);
    }
  }
  out.cumulative_sum = chunk_start[chunks - 1] + chunk_total[chunks - 1];
  return out;
}

}  // namespace tessera
