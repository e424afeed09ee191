#pragma once
// A Machine: the list of tables (AIRs) proved together in one shard proof.
//
//   Machine m("hashchain");
//   m.add(Poseidon2Air{...});          // table 0
//   m.add(RangeTableAir{8});           // table 1
//
// add() type-erases the AIR into an AirTable<Air>, which instantiates the AIR's one eval()
// template for every builder (debug, symbolic, prover fold, verifier fold, interaction
// evaluation), and computes the table's TableLayout with the symbolic builder: all constraints in
// fold order with their degrees (the AIR's and the LogUp ones), the LogUp batching, the quotient
// degree. A constraint above degree 3 is rejected here, naming the table and the constraint, and
// so is a table whose interactions break the LogUp bus rules (stark/bus_rules.hpp: bus ids below
// p, one arity per bus, declared bounds below p, one direction for a bus's lookup-table side).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "common/check.hpp"
#include "field/babybear.hpp"
#include "field/extension.hpp"
#include "matrix/row_major_matrix.hpp"
#include "stark/air.hpp"
#include "stark/cuda_quotient.hpp"
#include "stark/debug_builder.hpp"
#include "stark/logup.hpp"
#include "stark/packed_babybear.hpp"
#include "stark/quotient_builder.hpp"
#include "stark/symbolic_builder.hpp"
#include "stark/verifier_builder.hpp"

// OpenMP over rows / points, spelled so that translation units compiled without OpenMP (nvcc's
// host pass over kernels/quotient.cuh) do not warn about an unknown pragma.
#if defined(_OPENMP)
#define TESSERA_OMP_PARALLEL_FOR _Pragma("omp parallel for schedule(static)")
#else
#define TESSERA_OMP_PARALLEL_FOR
#endif

namespace tessera {

struct TableLayout {
  std::string name;
  size_t width = 0;
  size_t preprocessed_width = 0;
  size_t num_public_values = 0;
  std::vector<ConstraintInfo> constraints;  // every constraint in fold order (AIR + LogUp)
  std::vector<InteractionInfo> interactions;
  LogUpLayout logup;
  uint32_t max_constraint_degree = 0;
  // log2 of the number of quotient chunks: the quotient has degree < (d - 1) n for constraints
  // of degree d, so 2^ceil(log2(max(d - 1, 1))) chunks of degree < n.
  uint32_t log_quotient_degree = 0;

  size_t num_constraints() const { return constraints.size(); }
  size_t permutation_width() const { return logup.num_base_columns(); }
  bool has_interactions() const { return !logup.empty(); }
  size_t num_quotient_chunks() const { return size_t{1} << log_quotient_degree; }
};

// Inputs of the prover's fold on a quotient domain of size N_q = n * 2^log_quotient_degree: every
// matrix holds the evaluations of the committed columns on that domain, natural order. The next
// row of point i is point (i + N_q / n) mod N_q.
struct QuotientFoldInputs {
  uint32_t log_n = 0;
  uint32_t log_quotient_size = 0;
  const RowMajorMatrix<BabyBear>* main = nullptr;
  const RowMajorMatrix<BabyBear>* preprocessed = nullptr;  // null without preprocessed columns
  const RowMajorMatrix<BabyBear>* permutation = nullptr;   // null without interactions
  std::span<const BabyBear> is_first_row, is_last_row, is_transition, inv_vanishing;
  std::span<const BabyBear> public_values;
  std::span<const BabyBear4> alpha_powers;  // alpha^k for every constraint of the table
  BabyBear4 beta;
  std::span<const BabyBear4> gamma_powers;  // empty without interactions
  std::span<const uint32_t> batch_end;      // the LogUp layout's batches
  BabyBear4 cumulative_sum;

  FolderConstants constants() const {
    return {public_values.data(), alpha_powers.data(), beta,
            gamma_powers.data(),  batch_end.data(),    static_cast<uint32_t>(batch_end.size()),
            cumulative_sum};
  }
};

// The type-erased table. Implemented by AirTable<Air> below.
class AnyAir {
 public:
  virtual ~AnyAir() = default;
  virtual std::string name() const = 0;
  virtual size_t width() const = 0;
  virtual size_t preprocessed_width() const = 0;
  virtual RowMajorMatrix<BabyBear> preprocessed_trace() const = 0;
  virtual size_t num_public_values() const = 0;

  // The symbolic pass; with `logup` also the LogUp constraints (full fold order).
  virtual AirSymbolics symbolic(const LogUpLayout* logup) const = 0;
  // The debug check (debug_builder.hpp).
  virtual void debug_check(const RowMajorMatrix<BabyBear>& main,
                           const RowMajorMatrix<BabyBear>* preprocessed,
                           std::span<const BabyBear> public_values, LogUpLedger* ledger) const = 0;
  // beta - fingerprint and signed multiplicity of every interaction on every row.
  virtual InteractionEvaluations evaluate_interactions(const RowMajorMatrix<BabyBear>& main,
                                                       const RowMajorMatrix<BabyBear>* preprocessed,
                                                       std::span<const BabyBear> public_values,
                                                       const BabyBear4& beta,
                                                       std::span<const BabyBear4> gamma_powers,
                                                       uint32_t num_interactions) const = 0;
  // out[i] = folded constraints at point i of the quotient domain times inv_vanishing[i]
  // (OpenMP over points; bit-identical for any thread count).
  virtual void fold_on_domain(const QuotientFoldInputs& in, std::span<BabyBear4> out) const = 0;
  // The one-point-at-a-time reference of fold_on_domain (which uses 8-point AVX2 packing when
  // the CPU has it); both give identical values.
  virtual void fold_on_domain_reference(const QuotientFoldInputs& in,
                                        std::span<BabyBear4> out) const = 0;
  // The same on the current CUDA device (stark/cuda_quotient.hpp); false (and nothing done) when
  // the AIR has no CUDA instantiation or the build has no CUDA.
  virtual bool fold_on_device(const QuotientFoldInputs& in, std::span<BabyBear4> out) const = 0;
  // The verifier's fold at zeta; returns the folded value and the number of constraints seen.
  virtual std::pair<BabyBear4, uint32_t> fold_at_point(const VerifierFoldInputs& in) const = 0;
};

// Evaluates interactions on one concrete row (for the LogUp trace); constraints are ignored.
class InteractionRowBuilder : public AirBuilderOps<InteractionRowBuilder, BabyBear> {
 public:
  using F = BabyBear;
  using Expr = BabyBear;
  using Var = BabyBear;

  InteractionRowBuilder(RowMajorWindow main, RowMajorWindow prep, const BabyBear* public_values,
                        BabyBear is_first, BabyBear is_last, const BabyBear4& beta,
                        const BabyBear4* gamma_powers, BabyBear4* denominators,
                        BabyBear* multiplicities, uint32_t capacity)
      : main_(main),
        prep_(prep),
        public_values_(public_values),
        is_first_(is_first),
        is_last_(is_last),
        beta_(beta),
        gamma_powers_(gamma_powers),
        den_(denominators),
        mult_(multiplicities),
        capacity_(capacity) {}

  RowMajorWindow main() const { return main_; }
  RowMajorWindow preprocessed() const { return prep_; }
  BabyBear public_value(size_t i) const { return public_values_[i]; }
  BabyBear is_first_row() const { return is_first_; }
  BabyBear is_last_row() const { return is_last_; }
  BabyBear is_transition() const { return BabyBear::one() - is_last_; }
  void assert_zero(const char*, BabyBear) {}
  void interact(InteractionKind kind, uint32_t bus, const BabyBear* values, uint32_t count,
                BabyBear mult, MultiplicityBound = {}) {
    TESSERA_ASSERT(count_ < capacity_);
    BabyBear4 f(BabyBear::from_u32(bus));
    for (uint32_t i = 0; i < count; ++i) f += gamma_powers_[i + 1] * values[i];
    den_[count_] = beta_ - f;
    mult_[count_] = kind == InteractionKind::Send ? mult : -mult;
    ++count_;
  }
  uint32_t count() const { return count_; }

 private:
  RowMajorWindow main_, prep_;
  const BabyBear* public_values_;
  BabyBear is_first_, is_last_;
  BabyBear4 beta_;
  const BabyBear4* gamma_powers_;
  BabyBear4* den_;
  BabyBear* mult_;
  uint32_t capacity_;
  uint32_t count_ = 0;
};

template <class Air>
class AirTable final : public AnyAir {
 public:
  explicit AirTable(Air air) : air_(std::move(air)) {}
  const Air& air() const { return air_; }

  std::string name() const override { return air_.name(); }
  size_t width() const override { return air_.width(); }
  size_t preprocessed_width() const override { return air_.preprocessed_width(); }
  RowMajorMatrix<BabyBear> preprocessed_trace() const override { return air_.preprocessed_trace(); }
  size_t num_public_values() const override { return air_.num_public_values(); }

  AirSymbolics symbolic(const LogUpLayout* logup) const override {
    SymbolicBuilder b(air_.name(), air_.width(), air_.preprocessed_width(),
                      air_.num_public_values(), logup ? logup->num_ext_columns() : 0);
    if (logup != nullptr && !logup->empty()) {
      b.enable_logup(logup->batch_end.data(), logup->num_batches(), logup->max_arity);
    }
    air_.eval(b);
    b.finish_logup();
    return b.take();
  }

  void debug_check(const RowMajorMatrix<BabyBear>& main,
                   const RowMajorMatrix<BabyBear>* preprocessed,
                   std::span<const BabyBear> public_values, LogUpLedger* ledger) const override {
    debug_check_table(air_, main, public_values, ledger, preprocessed);
  }

  InteractionEvaluations evaluate_interactions(const RowMajorMatrix<BabyBear>& main,
                                               const RowMajorMatrix<BabyBear>* preprocessed,
                                               std::span<const BabyBear> public_values,
                                               const BabyBear4& beta,
                                               std::span<const BabyBear4> gamma_powers,
                                               uint32_t num_interactions) const override {
    const size_t n = main.height();
    InteractionEvaluations out;
    out.height = n;
    out.num_interactions = num_interactions;
    out.denominators.resize(n * num_interactions);
    out.multiplicities.resize(n * num_interactions);
    TESSERA_OMP_PARALLEL_FOR
    for (size_t r = 0; r < n; ++r) {
      const size_t next = (r + 1) & (n - 1);
      RowMajorWindow mw{main.data() + r * main.width(), main.data() + next * main.width()};
      RowMajorWindow pw{};
      if (preprocessed != nullptr) {
        pw = {preprocessed->data() + r * preprocessed->width(),
              preprocessed->data() + next * preprocessed->width()};
      }
      InteractionRowBuilder b(mw, pw, public_values.data(), r == 0 ? F1() : F0(),
                              r + 1 == n ? F1() : F0(), beta, gamma_powers.data(),
                              out.denominators.data() + r * num_interactions,
                              out.multiplicities.data() + r * num_interactions, num_interactions);
      air_.eval(b);
      TESSERA_ASSERT(b.count() == num_interactions);
    }
    return out;
  }

  void fold_on_domain(const QuotientFoldInputs& in, std::span<BabyBear4> out) const override {
#if TESSERA_HAVE_PACKED_FOLD
    if (in.log_quotient_size >= 3 && cpu_supports_avx2_fold()) {
      fold_packed(in, out);
      return;
    }
#endif
    fold_scalar(in, out);
  }
  void fold_on_domain_reference(const QuotientFoldInputs& in,
                                std::span<BabyBear4> out) const override {
    fold_scalar(in, out);
  }

  void fold_scalar(const QuotientFoldInputs& in, std::span<BabyBear4> out) const {
    const size_t nq = size_t{1} << in.log_quotient_size;
    const size_t stride = nq >> in.log_n;
    TESSERA_ASSERT(out.size() == nq && in.main != nullptr && in.main->height() == nq);
    const FolderConstants constants = in.constants();
    const auto rows = [nq](const RowMajorMatrix<BabyBear>* m, size_t i, size_t j) {
      if (m == nullptr) return RowMajorWindow{};
      TESSERA_ASSERT(m->height() == nq);
      return RowMajorWindow{m->data() + i * m->width(), m->data() + j * m->width()};
    };
    TESSERA_OMP_PARALLEL_FOR
    for (size_t i = 0; i < nq; ++i) {
      const size_t j = (i + stride) & (nq - 1);
      const RowMajorWindow perm = rows(in.permutation, i, j);
      ConstraintFolder<RowMajorWindow, RowMajorExtWindow> b(
          constants, rows(in.main, i, j), rows(in.preprocessed, i, j),
          RowMajorExtWindow{perm.local_row, perm.next_row}, in.is_first_row[i], in.is_last_row[i],
          in.is_transition[i]);
      air_.eval(b);
      out[i] = b.finish() * in.inv_vanishing[i];
    }
  }

#if TESSERA_HAVE_PACKED_FOLD
  // 8 points per step with AVX2 (packed_babybear.hpp); blocks of kBlock points per OpenMP item.
  void fold_packed(const QuotientFoldInputs& in, std::span<BabyBear4> out) const {
    const size_t nq = size_t{1} << in.log_quotient_size;
    TESSERA_ASSERT(out.size() == nq && in.main != nullptr && in.main->height() == nq);
    std::vector<PackedBabyBear4> gamma(in.gamma_powers.size());
    FolderConstantsT<PackedBabyBear4> k;
    broadcast_constants(in, gamma, k);
    constexpr size_t kBlock = 64;
    const size_t blocks = (nq + kBlock - 1) / kBlock;
    TESSERA_OMP_PARALLEL_FOR
    for (size_t blk = 0; blk < blocks; ++blk) {
      fold_packed_points(in, k, blk * kBlock, std::min(nq, (blk + 1) * kBlock), out);
    }
  }
  [[gnu::target("avx2")]] static void broadcast_constants(const QuotientFoldInputs& in,
                                                          std::vector<PackedBabyBear4>& gamma,
                                                          FolderConstantsT<PackedBabyBear4>& k) {
    for (size_t i = 0; i < gamma.size(); ++i) gamma[i] = PackedBabyBear4(in.gamma_powers[i]);
    k.public_values = in.public_values.data();
    k.alpha_powers = in.alpha_powers.data();
    k.beta = PackedBabyBear4(in.beta);
    k.gamma_powers = gamma.data();
    k.batch_end = in.batch_end.data();
    k.num_batches = static_cast<uint32_t>(in.batch_end.size());
    k.cumulative_sum = PackedBabyBear4(in.cumulative_sum);
  }
  // Points [begin, end), a multiple of 8 apart. flatten inlines the AIR's eval and every packed
  // operation into this AVX2 function.
  [[gnu::target("avx2"), gnu::flatten]] void fold_packed_points(
      const QuotientFoldInputs& in, const FolderConstantsT<PackedBabyBear4>& k, size_t begin,
      size_t end, std::span<BabyBear4> out) const {
    constexpr size_t L = PackedBabyBear::kLanes;
    const size_t nq = size_t{1} << in.log_quotient_size;
    const size_t step = nq >> in.log_n;
    const auto rows = [&](const RowMajorMatrix<BabyBear>* m, size_t i) {
      PackedRowWindow w;
      if (m == nullptr) return w;
      for (size_t l = 0; l < L; ++l) {
        w.local_rows[l] = m->data() + (i + l) * m->width();
        w.next_rows[l] = m->data() + ((i + l + step) & (nq - 1)) * m->width();
      }
      return w;
    };
    for (size_t i = begin; i < end; i += L) {
      ConstraintFolderT<PackedBabyBear, PackedBabyBear4, PackedRowWindow, PackedRowExtWindow> b(
          k, rows(in.main, i), rows(in.preprocessed, i),
          PackedRowExtWindow{rows(in.permutation, i)},
          PackedBabyBear::load(in.is_first_row.data() + i),
          PackedBabyBear::load(in.is_last_row.data() + i),
          PackedBabyBear::load(in.is_transition.data() + i));
      air_.eval(b);
      const PackedBabyBear4 q = b.finish() * PackedBabyBear::load(in.inv_vanishing.data() + i);
      for (size_t l = 0; l < L; ++l) out[i + l] = q.lane(l);
    }
  }
#endif

  bool fold_on_device(const QuotientFoldInputs& in, std::span<BabyBear4> out) const override {
    if constexpr (kHasCudaQuotient<Air>) {
      cuda_fold_on_domain(air_, in, out);
      return true;
    } else {
      (void)in;
      (void)out;
      return false;
    }
  }

  std::pair<BabyBear4, uint32_t> fold_at_point(const VerifierFoldInputs& in) const override {
    VerifierBuilder b(in);
    air_.eval(b);
    const BabyBear4 folded = b.finish();
    return {folded, b.num_constraints_seen()};
  }

 private:
  static BabyBear F0() {
    return BabyBear::zero();
  }
  static BabyBear F1() {
    return BabyBear::one();
  }
  Air air_;
};

class Machine {
 public:
  explicit Machine(std::string name) : name_(std::move(name)) {}

  // Adds a table; returns its index. InvalidArgument (naming table and constraint) when a
  // constraint exceeds kMaxConstraintDegree, an interaction cannot be batched, a column index
  // is out of range, the AIR declares zero main columns, or its interactions break a bus rule
  // together with the tables added before (naming the bus and the tables).
  template <class Air>
  size_t add(Air air) {
    auto table = std::make_shared<AirTable<Air>>(std::move(air));
    TableLayout layout = compute_layout(*table);
    check_bus_rules_with(layout);
    layouts_.push_back(std::move(layout));
    tables_.push_back(std::move(table));
    return tables_.size() - 1;
  }

  const std::string& name() const { return name_; }
  size_t num_tables() const { return tables_.size(); }
  const AnyAir& table(size_t t) const { return *tables_.at(t); }
  const TableLayout& layout(size_t t) const { return layouts_.at(t); }
  bool has_interactions() const;
  bool has_preprocessed() const;

  // Debug-checks a whole shard: every table's constraints row by row, then the LogUp balance of
  // all interactions. InvalidArgument naming the constraint and row, or the unbalanced message.
  void debug_check(std::span<const RowMajorMatrix<BabyBear>> traces,
                   std::span<const std::vector<BabyBear>> public_values) const;

  // The wrap-around rule of stark/bus_rules.hpp for a shard whose table t has 2^log_heights[t]
  // rows: throws `kind` (InvalidArgument in the prover, VerifyFailed in the verifier) naming the
  // bus whose bounded multiplicities could add up to p or more.
  void check_bus_capacity(std::span<const uint32_t> log_heights, ErrorKind kind) const;

 private:
  static TableLayout compute_layout(const AnyAir& air);
  void check_bus_rules_with(const TableLayout& added) const;
  std::string name_;
  std::vector<std::shared_ptr<const AnyAir>> tables_;
  std::vector<TableLayout> layouts_;
};

}  // namespace tessera
