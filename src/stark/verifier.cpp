#include "stark/verifier.hpp"

#include "backend/cpu_backend.hpp"
#include "common/check.hpp"
#include "common/nvtx.hpp"
#include "fri/pcs.hpp"
#include "hash/challenger.hpp"
#include "stark/config.hpp"
#include "stark/logup.hpp"
#include "stark/transcript.hpp"
#include "stark/verifier_builder.hpp"

namespace tessera {

namespace {

// Extension column c of a flattened opening: sum_i X^i v[4c + i] (each v is p_{4c+i}(point)).
std::vector<BabyBear4> reassemble(const std::vector<BabyBear4>& flat) {
  std::vector<BabyBear4> out(flat.size() / 4);
  for (size_t c = 0; c < out.size(); ++c) {
    BabyBear4 x_pow = BabyBear4::one();
    for (size_t i = 0; i < 4; ++i) {
      out[c] += flat[4 * c + i] * x_pow;
      x_pow *= BabyBear4::x();
    }
  }
  return out;
}

void check_shapes(const Machine& machine, const VerifyingKey& vk, const ShardProof& p) {
  const size_t T = machine.num_tables();
  TESSERA_CHECK(p.log_heights.size() == T && p.public_values.size() == T &&
                    p.cumulative_sums.size() == T && p.opened.size() == T,
                ErrorKind::Format, "malformed proof: table count does not match the machine");
  TESSERA_CHECK(vk.preprocessed_log_heights.size() == T, ErrorKind::ConfigMismatch,
                "verifying key does not belong to machine " << machine.name());
  for (size_t t = 0; t < T; ++t) {
    const TableLayout& l = machine.layout(t);
    const OpenedTableValues& o = p.opened[t];
    TESSERA_CHECK(
        p.log_heights[t] <= max_log_height(p.fri) && p.log_heights[t] >= p.fri.log_final_poly_len,
        ErrorKind::Format, "malformed proof: table " << l.name << " height out of range");
    TESSERA_CHECK(p.public_values[t].size() == l.num_public_values &&
                      o.preprocessed_local.size() == l.preprocessed_width &&
                      o.preprocessed_next.size() == l.preprocessed_width &&
                      o.main_local.size() == l.width && o.main_next.size() == l.width &&
                      o.permutation_local.size() == l.permutation_width() &&
                      o.permutation_next.size() == l.permutation_width() &&
                      o.quotient_chunks.size() == l.num_quotient_chunks(),
                  ErrorKind::Format,
                  "malformed proof: opened values of table " << l.name << " have the wrong shape");
    for (const auto& c : o.quotient_chunks) {
      TESSERA_CHECK(c.size() == 4, ErrorKind::Format,
                    "malformed proof: quotient chunk of table " << l.name << " is not 4 columns");
    }
    TESSERA_CHECK(
        l.has_interactions() || p.cumulative_sums[t].is_zero(), ErrorKind::Format,
        "malformed proof: table " << l.name << " has no interactions but a non-zero LogUp sum");
    const int32_t prep_h = vk.preprocessed_log_heights[t];
    TESSERA_CHECK((prep_h < 0) == (l.preprocessed_width == 0), ErrorKind::ConfigMismatch,
                  "verifying key does not match table " << l.name);
    TESSERA_CHECK(prep_h < 0 || static_cast<uint32_t>(prep_h) == p.log_heights[t],
                  ErrorKind::VerifyFailed,
                  "table " << l.name << " claims 2^" << p.log_heights[t]
                           << " rows, its preprocessed columns have 2^" << prep_h);
  }
}

}  // namespace

void verify(const Machine& machine, const VerifyingKey& vk, const ShardProof& p,
            const VerifyOptions& options) {
  TESSERA_RANGE("stark.verify");
  // Configuration: a known name with exactly its parameters, allowed, and the key's.
  const StarkConfig config = stark_config(p.config);
  TESSERA_CHECK(
      p.fri == config.fri, ErrorKind::ConfigMismatch,
      "proof claims configuration '" << p.config << "' with parameters that are not its own");
  TESSERA_CHECK(!config.insecure() || options.allow_insecure, ErrorKind::ConfigMismatch,
                "proof uses the INSECURE configuration '"
                    << p.config << "' (for tests only); refusing it unless explicitly allowed");
  TESSERA_CHECK(vk.config == p.config, ErrorKind::ConfigMismatch,
                "proof uses configuration '" << p.config << "' but the verifying key is for '"
                                             << vk.config << "'");
  TESSERA_CHECK(p.machine == machine.name() && vk.machine == machine.name(),
                ErrorKind::ConfigMismatch,
                "proof is for machine '" << p.machine << "', the verifier expects '"
                                         << machine.name() << "'");
  check_shapes(machine, vk, p);
  // Heights under which a LogUp bus could wrap around mod p prove nothing (bus_rules.hpp).
  machine.check_bus_capacity(p.log_heights, ErrorKind::VerifyFailed);
  const size_t T = machine.num_tables();

  // Transcript replay.
  Challenger ch;
  observe_shard_header(ch, p.fri, machine.name(), p.log_heights, vk.preprocessed_commitment);
  ch.observe(p.main_commitment);
  for (const auto& pv : p.public_values) ch.observe_many(pv);
  LogUpChallenges lc;
  lc.beta = ch.sample_ext();
  lc.gamma = ch.sample_ext();
  if (machine.has_interactions()) {
    ch.observe(p.permutation_commitment);
    for (size_t t = 0; t < T; ++t) {
      if (machine.layout(t).has_interactions()) ch.observe(p.cumulative_sums[t]);
    }
  }
  const BabyBear4 alpha = ch.sample_ext();
  ch.observe(p.quotient_commitment);
  const BabyBear4 zeta = ch.sample_ext();

  // LogUp: the messages of the shard balance.
  BabyBear4 total = BabyBear4::zero();
  for (const auto& s : p.cumulative_sums) total += s;
  TESSERA_CHECK(total.is_zero(), ErrorKind::VerifyFailed,
                "LogUp cumulative sums of the shard do not add up to zero: the tables' "
                "interactions are unbalanced");

  // Constraints at zeta against the quotient.
  for (size_t t = 0; t < T; ++t) {
    const TableLayout& l = machine.layout(t);
    const OpenedTableValues& o = p.opened[t];
    const uint32_t log_n = p.log_heights[t];
    const TwoAdicDomain trace_domain = TwoAdicDomain::natural(log_n);
    TESSERA_CHECK(!trace_domain.contains(zeta), ErrorKind::VerifyFailed,
                  "out-of-domain point lies in the trace domain of table " << l.name);
    const TwoAdicDomain::Selectors s = trace_domain.selectors_at_point(zeta);
    const BabyBear4 z_h = trace_domain.vanishing_at(zeta);

    const std::vector<BabyBear4> perm_local = reassemble(o.permutation_local);
    const std::vector<BabyBear4> perm_next = reassemble(o.permutation_next);
    const std::vector<BabyBear4> gamma_powers = logup_gamma_powers(lc.gamma, l.logup.max_arity);
    VerifierFoldInputs in;
    in.main = OpenedWindow(o.main_local, o.main_next);
    in.preprocessed = OpenedWindow(o.preprocessed_local, o.preprocessed_next);
    in.permutation = OpenedWindow(perm_local, perm_next);
    in.public_values = p.public_values[t];
    in.selectors = {s.is_first_row, s.is_last_row, s.is_transition, z_h};
    in.alpha = alpha;
    in.challenges = lc;
    in.gamma_powers = gamma_powers;
    in.batch_end = l.logup.batch_end;
    in.cumulative_sum = p.cumulative_sums[t];
    const auto [folded, seen] = machine.table(t).fold_at_point(in);
    TESSERA_CHECK(seen == l.num_constraints(), ErrorKind::Internal,
                  "table " << l.name << " emitted " << seen << " constraints, its layout has "
                           << l.num_constraints() << " (eval() must not depend on the values)");

    // Q(zeta) = sum_i L_i(zeta) q_i(zeta), L_i = prod_{j != i} Z_{D_j}(x) / Z_{D_j}(first(D_i)).
    const size_t num_chunks = l.num_quotient_chunks();
    const TwoAdicDomain qdomain =
        trace_domain.create_disjoint_domain(log_n + l.log_quotient_degree);
    const std::vector<TwoAdicDomain> domains = qdomain.split_domains(num_chunks);
    BabyBear4 quotient = BabyBear4::zero();
    for (size_t i = 0; i < num_chunks; ++i) {
      BabyBear4 weight = BabyBear4::one();
      for (size_t j = 0; j < num_chunks; ++j) {
        if (j == i) continue;
        weight *= domains[j].vanishing_at(zeta) *
                  domains[j].vanishing_at(domains[i].first_point()).inverse();
      }
      quotient += weight * reassemble(o.quotient_chunks[i])[0];
    }
    TESSERA_CHECK(folded == quotient * z_h, ErrorKind::VerifyFailed,
                  "table " << l.name
                           << ": the constraints at the out-of-domain point do not match the "
                              "committed quotient");
  }

  // The openings: every claimed value above is checked against the commitments by one FRI.
  std::vector<VerifierOpeningRound> rounds;
  const auto table_matrix = [&](size_t t, size_t width, const std::vector<BabyBear4>& local,
                                const std::vector<BabyBear4>& next) {
    const TwoAdicDomain d = TwoAdicDomain::natural(p.log_heights[t]);
    return VerifierOpeningRound::Matrix{d, width, {zeta, d.next_point(zeta)}, {local, next}};
  };
  if (machine.has_preprocessed()) {
    VerifierOpeningRound r;
    r.commitment = vk.preprocessed_commitment;
    for (size_t t = 0; t < T; ++t) {
      const TableLayout& l = machine.layout(t);
      if (l.preprocessed_width == 0) continue;
      r.matrices.push_back(table_matrix(t, l.preprocessed_width, p.opened[t].preprocessed_local,
                                        p.opened[t].preprocessed_next));
    }
    rounds.push_back(std::move(r));
  }
  {
    VerifierOpeningRound r;
    r.commitment = p.main_commitment;
    for (size_t t = 0; t < T; ++t) {
      r.matrices.push_back(
          table_matrix(t, machine.layout(t).width, p.opened[t].main_local, p.opened[t].main_next));
    }
    rounds.push_back(std::move(r));
  }
  if (machine.has_interactions()) {
    VerifierOpeningRound r;
    r.commitment = p.permutation_commitment;
    for (size_t t = 0; t < T; ++t) {
      const TableLayout& l = machine.layout(t);
      if (!l.has_interactions()) continue;
      r.matrices.push_back(table_matrix(t, l.permutation_width(), p.opened[t].permutation_local,
                                        p.opened[t].permutation_next));
    }
    rounds.push_back(std::move(r));
  }
  {
    VerifierOpeningRound r;
    r.commitment = p.quotient_commitment;
    for (size_t t = 0; t < T; ++t) {
      const TableLayout& l = machine.layout(t);
      const TwoAdicDomain trace_domain = TwoAdicDomain::natural(p.log_heights[t]);
      const std::vector<TwoAdicDomain> domains =
          trace_domain.create_disjoint_domain(p.log_heights[t] + l.log_quotient_degree)
              .split_domains(l.num_quotient_chunks());
      for (size_t i = 0; i < domains.size(); ++i) {
        r.matrices.push_back({domains[i], 4, {zeta}, {p.opened[t].quotient_chunks[i]}});
      }
    }
    rounds.push_back(std::move(r));
  }
  CpuBackend backend;  // the verifier computes nothing heavy; FriPcs wants a backend
  FriPcs pcs(p.fri, backend);
  pcs.verify(rounds, p.pcs, ch);
}

void verify_bytes(const Machine& machine, const VerifyingKey& vk, std::span<const uint8_t> bytes,
                  const VerifyOptions& options) {
  verify(machine, vk, deserialize_shard_proof(bytes, machine), options);
}

}  // namespace tessera
