#pragma once
// LogUp: the lookup / multiset argument that connects the tables of one shard.
//
// Each interaction j of a table emits, on every row, a message (bus, v_0 .. v_{a-1}) with a signed
// multiplicity m_j (+m for a send, -m for a receive). With challenges beta, gamma in BabyBear4
// (drawn after the main traces are committed), the message's fingerprint and denominator are
//
//     f_j = bus + gamma v_0 + gamma^2 v_1 + ... + gamma^a v_{a-1},      d_j = beta - f_j,
//
// and the claim is   sum over all tables, rows and interactions of m_j / d_j  =  0.
// If the multisets of sent and received messages differ, the left side is a non-zero rational
// function of beta (and gamma) and vanishes only with probability ~ (total rows * interactions)
// / |BabyBear4| (Schwartz–Zippel), ~2^-100 for any realistic shard.
//
// Per table, the prover adds extension-field columns (the "permutation trace"):
//   h_k   one helper column per BATCH of interactions: h_k = sum_{j in batch k} m_j / d_j,
//   z     the running sum: z_0 = sum_k h_k(0), z_{i+1} = z_i + sum_k h_k(i+1);
// and the table's cumulative sum S = z_{n-1} is a public output of the shard. The verifier checks
// that the cumulative sums of all tables add up to zero. The constraints are
//   batch k:     h_k * prod_{j in k} d_j - sum_{j in k} m_j prod_{i in k, i != j} d_i = 0
//   first row:   z - sum_k h_k = 0
//   transition:  z' - z - sum_k h_k' = 0
//   last row:    z - S = 0
// Batching (as SP1 does) keeps every constraint within kMaxConstraintDegree: a batch's constraint
// has degree max(1 + sum deg f_j, max_j (deg m_j + sum_{i != j} deg f_i)); interactions are
// grouped greedily, in emission order, while that stays <= 3. With degree-1 values and
// multiplicities, two interactions share one helper column.
//
// Extension columns are committed flattened: ext column c occupies base columns 4c .. 4c+3
// (its coefficients), so the value of the committed polynomial at a point x is
// sum_i X^i p_{4c+i}(x) — which is also how the verifier reassembles opened values.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/hd.hpp"
#include "field/babybear.hpp"
#include "field/extension.hpp"
#include "matrix/row_major_matrix.hpp"
#include "stark/air.hpp"
#include "stark/logup_folder.hpp"
#include "stark/symbolic_builder.hpp"

namespace tessera {

struct LogUpChallenges {
  BabyBear4 beta;
  BabyBear4 gamma;
};

// How a table's interactions are grouped into helper columns.
struct LogUpLayout {
  uint32_t num_interactions = 0;
  uint32_t max_arity = 0;
  std::vector<uint32_t> batch_end;  // batch k holds interactions [batch_end[k-1], batch_end[k])

  uint32_t num_batches() const { return static_cast<uint32_t>(batch_end.size()); }
  bool empty() const { return num_interactions == 0; }
  // Extension columns h_0 .. h_{K-1}, z (none without interactions).
  uint32_t num_ext_columns() const { return empty() ? 0 : num_batches() + 1; }
  uint32_t num_base_columns() const { return 4 * num_ext_columns(); }
  uint32_t z_column() const { return num_batches(); }
  // The framework's extension constraints: one per batch, then first row, transition, last row.
  uint32_t num_constraints() const { return empty() ? 0 : num_batches() + 3; }
};

// Greedy batching of `interactions` (in emission order) so that every batch constraint has
// degree <= max_degree. InvalidArgument (naming the table and the interaction) when a single
// interaction is already too large.
LogUpLayout plan_logup(const std::vector<InteractionInfo>& interactions, uint32_t max_degree,
                       const std::string& table);

// gamma^0 .. gamma^(max_arity): the fingerprint weights.
std::vector<BabyBear4> logup_gamma_powers(const BabyBear4& gamma, uint32_t max_arity);

// The concrete interaction values of one table, row-major: for row r and interaction j,
// denominators[r * J + j] = beta - f_j(row r) and multiplicities[r * J + j] = +-m_j(row r).
struct InteractionEvaluations {
  size_t height = 0;
  uint32_t num_interactions = 0;
  std::vector<BabyBear4> denominators;
  std::vector<BabyBear> multiplicities;
};

// The permutation trace (height x 4 * num_ext_columns, flattened) and the cumulative sum.
struct LogUpTrace {
  RowMajorMatrix<BabyBear> columns;
  BabyBear4 cumulative_sum;
};
// Builds h_k and z from the interaction evaluations (one batch inversion of all denominators).
// InvalidArgument if a denominator is zero (beta hit a fingerprint: probability ~2^-100).
LogUpTrace build_logup_trace(const LogUpLayout& layout, const InteractionEvaluations& evals);

}  // namespace tessera
