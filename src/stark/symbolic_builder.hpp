#pragma once
// The symbolic builder: runs an AIR's eval() once on expressions that carry only their DEGREE in
// the trace columns, to learn (before any trace exists)
//   - every constraint's name and degree (selector included), in emission order,
//   - every interaction's kind, bus, arity, the degrees of its values and multiplicity and its
//     declared multiplicity bound (or that it is the lookup-table side),
//   - that every column and public value read is in range.
// From this the Machine derives the LogUp batching, the quotient degree and the number of
// constraints the prover folds (stark/machine.hpp). Degrees are upper bounds: x - x counts as
// degree 1, which is what the quotient domain must accommodate anyway.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/check.hpp"
#include "field/babybear.hpp"
#include "stark/air.hpp"
#include "stark/logup_folder.hpp"

namespace tessera {

// An expression reduced to its degree: constants 0, columns and selectors 1, a + b the larger,
// a * b the sum.
class SymbolicDegree {
 public:
  constexpr SymbolicDegree() = default;
  constexpr SymbolicDegree(BabyBear) {}  // NOLINT: constants convert implicitly, like any Expr
  static constexpr SymbolicDegree of(uint32_t degree) {
    SymbolicDegree d;
    d.degree_ = degree;
    return d;
  }
  constexpr uint32_t degree() const { return degree_; }

  friend constexpr SymbolicDegree operator+(SymbolicDegree a, SymbolicDegree b) {
    return of(std::max(a.degree_, b.degree_));
  }
  friend constexpr SymbolicDegree operator-(SymbolicDegree a, SymbolicDegree b) { return a + b; }
  friend constexpr SymbolicDegree operator*(SymbolicDegree a, SymbolicDegree b) {
    return of(a.degree_ + b.degree_);
  }
  constexpr SymbolicDegree operator-() const { return *this; }
  constexpr SymbolicDegree& operator+=(SymbolicDegree o) { return *this = *this + o; }
  constexpr SymbolicDegree& operator-=(SymbolicDegree o) { return *this = *this - o; }
  constexpr SymbolicDegree& operator*=(SymbolicDegree o) { return *this = *this * o; }

 private:
  uint32_t degree_ = 0;
};

struct ConstraintInfo {
  std::string name;
  uint32_t degree = 0;
  bool extension = false;  // a LogUp constraint over BabyBear4 (emitted by the framework)
};

struct InteractionInfo {
  InteractionKind kind = InteractionKind::Send;
  uint32_t bus = 0;
  uint32_t arity = 0;         // number of values in the message
  uint32_t value_degree = 0;  // max degree of the values (degree of the fingerprint)
  uint32_t multiplicity_degree = 0;
  // The declaration of air.hpp's MultiplicityBound: the largest multiplicity of a bounded
  // interaction, or the lookup-table side (then max_multiplicity is not used). Read by the bus
  // rules (stark/bus_rules.hpp).
  uint32_t max_multiplicity = 1;
  bool lookup_table = false;
};

// What the symbolic pass learns about one AIR.
struct AirSymbolics {
  std::vector<ConstraintInfo> constraints;  // the AIR's own constraints, in emission order
  std::vector<InteractionInfo> interactions;
  uint32_t max_constraint_degree = 0;
};

class SymbolicBuilder : public AirBuilderOps<SymbolicBuilder, SymbolicDegree> {
 public:
  using F = BabyBear;
  using Expr = SymbolicDegree;
  using Var = SymbolicDegree;
  using ExprExt = SymbolicDegree;

  class Window {
   public:
    Window(size_t width, const SymbolicBuilder* owner, const char* what)
        : width_(width), owner_(owner), what_(what) {}
    SymbolicDegree local(size_t i) const {
      check(i);
      return SymbolicDegree::of(1);
    }
    SymbolicDegree next(size_t i) const {
      check(i);
      return SymbolicDegree::of(1);
    }
    size_t width() const { return width_; }

   private:
    void check(size_t i) const {
      TESSERA_CHECK(i < width_, ErrorKind::InvalidArgument,
                    "table " << owner_->table_ << " reads " << what_ << " column " << i
                             << " but declares only " << width_);
    }
    size_t width_;
    const SymbolicBuilder* owner_;
    const char* what_;
  };

  SymbolicBuilder(std::string table, size_t main_width, size_t preprocessed_width,
                  size_t num_public_values, size_t permutation_width = 0)
      : table_(std::move(table)),
        main_width_(main_width),
        prep_width_(preprocessed_width),
        num_public_values_(num_public_values),
        perm_width_(permutation_width) {}

  Window main() const { return {main_width_, this, "main"}; }
  Window preprocessed() const { return {prep_width_, this, "preprocessed"}; }
  // The LogUp columns (extension field), for the framework's LogUp constraints.
  Window permutation() const { return {perm_width_, this, "permutation"}; }
  SymbolicDegree public_value(size_t i) const {
    TESSERA_CHECK(i < num_public_values_, ErrorKind::InvalidArgument,
                  "table " << table_ << " reads public value " << i << " but declares only "
                           << num_public_values_);
    return {};
  }
  SymbolicDegree is_first_row() const { return SymbolicDegree::of(1); }
  SymbolicDegree is_last_row() const { return SymbolicDegree::of(1); }
  SymbolicDegree is_transition() const { return SymbolicDegree::of(1); }

  void assert_zero(const char* name, SymbolicDegree e) {
    result_.constraints.push_back({name, e.degree(), false});
    result_.max_constraint_degree = std::max(result_.max_constraint_degree, e.degree());
  }
  void assert_zero_ext(const char* name, SymbolicDegree e) {
    result_.constraints.push_back({name, e.degree(), true});
    result_.max_constraint_degree = std::max(result_.max_constraint_degree, e.degree());
  }
  void interact(InteractionKind kind, uint32_t bus, const SymbolicDegree* values, uint32_t count,
                SymbolicDegree mult, MultiplicityBound bound = {}) {
    uint32_t vd = 0;
    for (uint32_t i = 0; i < count; ++i) vd = std::max(vd, values[i].degree());
    result_.interactions.push_back(
        {kind, bus, count, vd, mult.degree(), bound.max, bound.lookup_table});
    if (logup_) logup_->interact(*this, kind, bus, values, count, mult);
  }

  // Also emit the framework's LogUp constraints (batches ending at batch_end[k]; the
  // permutation window must have num_batches + 1 columns), in the order the prover folds them.
  // `batch_end` must outlive the builder. Call finish_logup() after eval().
  void enable_logup(const uint32_t* batch_end, uint32_t num_batches, uint32_t max_arity) {
    gamma_powers_.assign(max_arity + 1, SymbolicDegree());
    logup_.emplace(SymbolicDegree(), gamma_powers_.data(), batch_end, num_batches);
  }
  void finish_logup() {
    if (logup_) logup_->finish(*this, SymbolicDegree());
  }

  const AirSymbolics& result() const { return result_; }
  AirSymbolics take() { return std::move(result_); }

 private:
  std::string table_;
  size_t main_width_, prep_width_, num_public_values_, perm_width_;
  AirSymbolics result_;
  std::vector<SymbolicDegree> gamma_powers_;
  std::optional<LogUpFolder<SymbolicDegree, SymbolicDegree>> logup_;
};

// Runs the symbolic pass over an AIR.
template <class Air>
AirSymbolics symbolic_eval(const Air& air) {
  SymbolicBuilder b(air.name(), air.width(), air.preprocessed_width(), air.num_public_values());
  air.eval(b);
  return b.take();
}

}  // namespace tessera
