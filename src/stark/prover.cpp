#include "stark/prover.hpp"

#include <bit>
#include <chrono>
#include <utility>

#include "common/check.hpp"
#include "common/nvtx.hpp"
#include "field/field_ops.hpp"
#include "fri/pcs.hpp"
#include "hash/challenger.hpp"
#include "stark/logup.hpp"
#include "stark/transcript.hpp"

namespace tessera {

namespace {

class PhaseClock {
 public:
  explicit PhaseClock(double* sink) : sink_(sink), start_(std::chrono::steady_clock::now()) {}
  ~PhaseClock() {
    if (sink_ != nullptr) {
      *sink_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    }
  }
  PhaseClock(const PhaseClock&) = delete;
  PhaseClock& operator=(const PhaseClock&) = delete;

 private:
  double* sink_;
  std::chrono::steady_clock::time_point start_;
};

// Validates the witness against the machine and the key; returns the log heights.
std::vector<uint32_t> check_witness_shape(const Machine& machine, const ProvingKey& pk,
                                          const std::vector<TableWitness>& witness) {
  TESSERA_CHECK(pk.vk.machine == machine.name(), ErrorKind::InvalidArgument,
                "proving key is for machine " << pk.vk.machine << ", not " << machine.name());
  TESSERA_CHECK(witness.size() == machine.num_tables() &&
                    pk.vk.preprocessed_log_heights.size() == machine.num_tables(),
                ErrorKind::InvalidArgument,
                "machine " << machine.name() << " has " << machine.num_tables()
                           << " tables but the witness has " << witness.size());
  std::vector<uint32_t> log_heights(witness.size());
  for (size_t t = 0; t < witness.size(); ++t) {
    const TableLayout& l = machine.layout(t);
    const auto& w = witness[t];
    const size_t h = w.trace.height();
    TESSERA_CHECK(w.trace.width() == l.width, ErrorKind::InvalidArgument,
                  "table " << l.name << ": trace has " << w.trace.width() << " columns, expected "
                           << l.width);
    TESSERA_CHECK(h > 0 && std::has_single_bit(h), ErrorKind::InvalidArgument,
                  "table " << l.name << ": trace height " << h << " is not a power of two");
    log_heights[t] = static_cast<uint32_t>(std::countr_zero(h));
    TESSERA_CHECK(log_heights[t] <= max_log_height(pk.config.fri) &&
                      log_heights[t] >= pk.config.fri.log_final_poly_len,
                  ErrorKind::InvalidArgument,
                  "table " << l.name << ": 2^" << log_heights[t]
                           << " rows is outside what configuration " << pk.config.name
                           << " supports (2^" << pk.config.fri.log_final_poly_len << " .. 2^"
                           << max_log_height(pk.config.fri) << ")");
    const int32_t prep_h = pk.vk.preprocessed_log_heights[t];
    TESSERA_CHECK(prep_h < 0 || static_cast<uint32_t>(prep_h) == log_heights[t],
                  ErrorKind::InvalidArgument,
                  "table " << l.name << " has preprocessed columns of 2^" << prep_h
                           << " rows; its trace must have as many, not 2^" << log_heights[t]);
    TESSERA_CHECK(w.public_values.size() == l.num_public_values, ErrorKind::InvalidArgument,
                  "table " << l.name << ": " << w.public_values.size()
                           << " public values given, expected " << l.num_public_values);
  }
  return log_heights;
}

using QuotientFold = Backend::QuotientFold;

// Folds on the device when the backend asks for it and the AIR has a CUDA instantiation; the
// lockstep backend folds on both and requires identical results (DESIGN.md: bit-identical
// backends).
void fold_quotient(const AnyAir& air, const TableLayout& layout, const QuotientFoldInputs& in,
                   std::span<BabyBear4> out, QuotientFold mode) {
  if (mode == QuotientFold::Device && air.fold_on_device(in, out)) return;
  air.fold_on_domain(in, out);
  if (mode != QuotientFold::Compare) return;
  std::vector<BabyBear4> device(out.size());
  if (!air.fold_on_device(in, device)) return;
  for (size_t i = 0; i < out.size(); ++i) {
    TESSERA_CHECK(device[i] == out[i], ErrorKind::Internal,
                  "lockstep: CUDA and CPU constraint folds of table "
                      << layout.name << " differ at quotient point " << i);
  }
}

const RowMajorMatrix<BabyBear>* preprocessed_of(const ProvingKey& pk, size_t t) {
  return pk.preprocessed_matrix[t] >= 0 ? &pk.preprocessed_traces[t] : nullptr;
}

}  // namespace

ShardProof prove(const Machine& machine, const ProvingKey& pk, std::vector<TableWitness> witness,
                 Backend& backend, const ProveOptions& options) {
  TESSERA_RANGE("stark.prove");
  ProverTimings local_timings;
  ProverTimings& tm = options.timings != nullptr ? *options.timings : local_timings;
  tm = ProverTimings{};
  PhaseClock total_clock(&tm.total);

  const size_t T = machine.num_tables();
  const std::vector<uint32_t> log_heights = check_witness_shape(machine, pk, witness);
  machine.check_bus_capacity(log_heights, ErrorKind::InvalidArgument);
  const FriConfig& fri = pk.config.fri;

  if (options.debug_check) {
    PhaseClock c(&tm.debug_check);
    LogUpLedger ledger;
    for (size_t t = 0; t < T; ++t) {
      machine.table(t).debug_check(witness[t].trace, preprocessed_of(pk, t),
                                   witness[t].public_values, &ledger);
    }
    ledger.check_balanced();
  }

  ShardProof proof;
  proof.config = pk.config.name;
  proof.fri = fri;
  proof.machine = machine.name();
  proof.log_heights = log_heights;
  proof.public_values.resize(T);
  for (size_t t = 0; t < T; ++t) proof.public_values[t] = witness[t].public_values;

  FriPcs pcs(fri, backend);
  const QuotientFold fold_mode = backend.quotient_fold();
  Challenger ch;
  observe_shard_header(ch, fri, machine.name(), log_heights, pk.vk.preprocessed_commitment);

  // Round 1: main traces. Tables with interactions keep a copy for the LogUp trace.
  std::vector<RowMajorMatrix<BabyBear>> kept(T);
  PcsCommittedData main_data;
  {
    PhaseClock c(&tm.main_commit);
    std::vector<std::pair<TwoAdicDomain, RowMajorMatrix<BabyBear>>> mats;
    for (size_t t = 0; t < T; ++t) {
      if (machine.layout(t).has_interactions()) kept[t] = witness[t].trace;
      mats.emplace_back(TwoAdicDomain::natural(log_heights[t]), std::move(witness[t].trace));
    }
    proof.main_commitment = pcs.commit(std::move(mats), main_data);
  }
  ch.observe(proof.main_commitment);
  for (const auto& pv : proof.public_values) ch.observe_many(pv);

  // Round 2-3: LogUp.
  LogUpChallenges lc;
  lc.beta = ch.sample_ext();
  lc.gamma = ch.sample_ext();
  std::vector<std::vector<BabyBear4>> gamma_powers(T);
  std::vector<int32_t> perm_index(T, -1);
  PcsCommittedData perm_data;
  proof.cumulative_sums.assign(T, BabyBear4::zero());
  if (machine.has_interactions()) {
    std::vector<std::pair<TwoAdicDomain, RowMajorMatrix<BabyBear>>> mats;
    {
      PhaseClock c(&tm.logup_trace);
      for (size_t t = 0; t < T; ++t) {
        const TableLayout& l = machine.layout(t);
        if (!l.has_interactions()) continue;
        gamma_powers[t] = logup_gamma_powers(lc.gamma, l.logup.max_arity);
        const InteractionEvaluations evals = machine.table(t).evaluate_interactions(
            kept[t], preprocessed_of(pk, t), proof.public_values[t], lc.beta, gamma_powers[t],
            l.logup.num_interactions);
        kept[t] = {};
        LogUpTrace lt = build_logup_trace(l.logup, evals);
        proof.cumulative_sums[t] = lt.cumulative_sum;
        perm_index[t] = static_cast<int32_t>(mats.size());
        mats.emplace_back(TwoAdicDomain::natural(log_heights[t]), std::move(lt.columns));
      }
    }
    PhaseClock c(&tm.permutation_commit);
    proof.permutation_commitment = pcs.commit(std::move(mats), perm_data);
  }
  if (machine.has_interactions()) {
    ch.observe(proof.permutation_commitment);
    for (size_t t = 0; t < T; ++t) {
      if (machine.layout(t).has_interactions()) ch.observe(proof.cumulative_sums[t]);
    }
  }

  // Round 4-5: alpha, quotient.
  const BabyBear4 alpha = ch.sample_ext();
  PcsCommittedData quotient_data;
  {
    std::vector<std::pair<TwoAdicDomain, RowMajorMatrix<BabyBear>>> chunks;
    for (size_t t = 0; t < T; ++t) {
      const TableLayout& l = machine.layout(t);
      const uint32_t log_n = log_heights[t];
      const size_t n = size_t{1} << log_n, num_chunks = l.num_quotient_chunks();
      const TwoAdicDomain trace_domain = TwoAdicDomain::natural(log_n);
      const TwoAdicDomain qdomain =
          trace_domain.create_disjoint_domain(log_n + l.log_quotient_degree);
      std::vector<BabyBear4> q(qdomain.size());
      {
        PhaseClock c(&tm.quotient);
        const RowMajorMatrix<BabyBear> main_q = pcs.evaluations_on_domain(main_data, t, qdomain);
        RowMajorMatrix<BabyBear> prep_q, perm_q;
        if (pk.preprocessed_matrix[t] >= 0) {
          prep_q = pcs.evaluations_on_domain(
              pk.committed, static_cast<size_t>(pk.preprocessed_matrix[t]), qdomain);
        }
        if (perm_index[t] >= 0) {
          perm_q =
              pcs.evaluations_on_domain(perm_data, static_cast<size_t>(perm_index[t]), qdomain);
        }
        const TwoAdicDomain::CosetSelectors sel = trace_domain.selectors_on_coset(qdomain);
        const std::vector<BabyBear4> alpha_powers = powers(alpha, l.num_constraints());
        QuotientFoldInputs in;
        in.log_n = log_n;
        in.log_quotient_size = qdomain.log_size;
        in.main = &main_q;
        in.preprocessed = pk.preprocessed_matrix[t] >= 0 ? &prep_q : nullptr;
        in.permutation = perm_index[t] >= 0 ? &perm_q : nullptr;
        in.is_first_row = sel.is_first_row;
        in.is_last_row = sel.is_last_row;
        in.is_transition = sel.is_transition;
        in.inv_vanishing = sel.inv_vanishing;
        in.public_values = proof.public_values[t];
        in.alpha_powers = alpha_powers;
        in.beta = lc.beta;
        in.gamma_powers = gamma_powers[t];
        in.batch_end = l.logup.batch_end;
        in.cumulative_sum = proof.cumulative_sums[t];
        fold_quotient(machine.table(t), l, in, q, fold_mode);
      }
      PhaseClock c(&tm.quotient_commit);
      // Chunk i holds the points shift * w^(i + num_chunks * j): qdomain.split_domains order.
      const std::vector<TwoAdicDomain> domains = qdomain.split_domains(num_chunks);
      for (size_t i = 0; i < num_chunks; ++i) {
        RowMajorMatrix<BabyBear> m(4, n);
        for (size_t j = 0; j < n; ++j) {
          const BabyBear4& v = q[i + num_chunks * j];
          for (uint32_t c4 = 0; c4 < 4; ++c4) m.at(j, c4) = v.coeff(c4);
        }
        chunks.emplace_back(domains[i], std::move(m));
      }
    }
    PhaseClock c(&tm.quotient_commit);
    proof.quotient_commitment = pcs.commit(std::move(chunks), quotient_data);
  }
  ch.observe(proof.quotient_commitment);

  // Round 6: zeta and the openings.
  const BabyBear4 zeta = ch.sample_ext();
  std::vector<std::vector<BabyBear4>> table_points(T);
  for (size_t t = 0; t < T; ++t) {
    table_points[t] = {zeta, TwoAdicDomain::natural(log_heights[t]).next_point(zeta)};
  }
  std::vector<ProverOpeningRound> rounds;
  size_t prep_round = SIZE_MAX, perm_round = SIZE_MAX;
  if (machine.has_preprocessed()) {
    prep_round = rounds.size();
    ProverOpeningRound r{&pk.committed, {}};
    for (size_t t = 0; t < T; ++t) {
      if (pk.preprocessed_matrix[t] >= 0) r.points.push_back(table_points[t]);
    }
    rounds.push_back(std::move(r));
  }
  const size_t main_round = rounds.size();
  rounds.push_back({&main_data, table_points});
  if (machine.has_interactions()) {
    perm_round = rounds.size();
    ProverOpeningRound r{&perm_data, {}};
    for (size_t t = 0; t < T; ++t) {
      if (perm_index[t] >= 0) r.points.push_back(table_points[t]);
    }
    rounds.push_back(std::move(r));
  }
  const size_t quotient_round = rounds.size();
  {
    ProverOpeningRound r{&quotient_data, {}};
    for (size_t t = 0; t < T; ++t) {
      for (size_t i = 0; i < machine.layout(t).num_quotient_chunks(); ++i) {
        r.points.push_back({zeta});
      }
    }
    rounds.push_back(std::move(r));
  }
  OpenedValues values;
  {
    PhaseClock c(&tm.open);
    values = pcs.open(rounds, ch, proof.pcs);
  }

  proof.opened.resize(T);
  size_t prep_m = 0, perm_m = 0, quotient_m = 0;
  for (size_t t = 0; t < T; ++t) {
    OpenedTableValues& o = proof.opened[t];
    if (pk.preprocessed_matrix[t] >= 0) {
      o.preprocessed_local = values[prep_round][prep_m][0];
      o.preprocessed_next = values[prep_round][prep_m][1];
      ++prep_m;
    }
    o.main_local = values[main_round][t][0];
    o.main_next = values[main_round][t][1];
    if (perm_index[t] >= 0) {
      o.permutation_local = values[perm_round][perm_m][0];
      o.permutation_next = values[perm_round][perm_m][1];
      ++perm_m;
    }
    for (size_t i = 0; i < machine.layout(t).num_quotient_chunks(); ++i) {
      o.quotient_chunks.push_back(values[quotient_round][quotient_m++][0]);
    }
  }
  return proof;
}

}  // namespace tessera
