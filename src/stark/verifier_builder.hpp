#pragma once
// The verifier's constraint folder: the same alpha-fold as the prover's (quotient_builder.hpp),
// evaluated once per table at the out-of-domain point zeta from the opened values (trace
// polynomials at zeta and zeta * g, in BabyBear4). The verifier then checks
//     folded(zeta) == Q(zeta) * Z_H(zeta).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/check.hpp"
#include "field/babybear.hpp"
#include "field/extension.hpp"
#include "stark/air.hpp"
#include "stark/logup.hpp"

namespace tessera {

// A BabyBear4 value usable as an AIR expression: base constants convert implicitly, and every
// operator accepts mixed operands (BabyBear4 alone lacks BabyBear + BabyBear4 and friends).
class ExtExpr {
 public:
  constexpr ExtExpr() = default;
  constexpr ExtExpr(BabyBear b) : v_(b) {}          // NOLINT(google-explicit-constructor)
  constexpr ExtExpr(const BabyBear4& v) : v_(v) {}  // NOLINT(google-explicit-constructor)
  constexpr const BabyBear4& value() const { return v_; }

  friend constexpr ExtExpr operator+(const ExtExpr& a, const ExtExpr& b) { return a.v_ + b.v_; }
  friend constexpr ExtExpr operator-(const ExtExpr& a, const ExtExpr& b) { return a.v_ - b.v_; }
  friend constexpr ExtExpr operator*(const ExtExpr& a, const ExtExpr& b) { return a.v_ * b.v_; }
  constexpr ExtExpr operator-() const { return -v_; }
  constexpr ExtExpr& operator+=(const ExtExpr& o) { return *this = *this + o; }
  constexpr ExtExpr& operator-=(const ExtExpr& o) { return *this = *this - o; }
  constexpr ExtExpr& operator*=(const ExtExpr& o) { return *this = *this * o; }

 private:
  BabyBear4 v_{};
};

// Opened values of `width` columns at zeta (local) and zeta * g (next).
class OpenedWindow {
 public:
  OpenedWindow() = default;
  OpenedWindow(std::span<const BabyBear4> local, std::span<const BabyBear4> next)
      : local_(local), next_(next) {}
  ExtExpr local(size_t i) const {
    TESSERA_ASSERT(i < local_.size());
    return local_[i];
  }
  ExtExpr next(size_t i) const {
    TESSERA_ASSERT(i < next_.size());
    return next_[i];
  }

 private:
  std::span<const BabyBear4> local_, next_;
};

// Selectors of the trace domain H (size n, generator g) at a point x outside H (Plonky3's
// unnormalised form): Z_H(x) = x^n - 1, is_first_row = Z_H(x) / (x - 1),
// is_last_row = Z_H(x) / (x - g^-1), is_transition = x - g^-1.
struct PointSelectors {
  BabyBear4 is_first_row, is_last_row, is_transition, vanishing;
};
PointSelectors selectors_at_point(uint32_t log_n, const BabyBear4& x);

struct VerifierFoldInputs {
  OpenedWindow main, preprocessed;
  OpenedWindow permutation;  // extension columns, already reassembled from the flattened ones
  std::span<const BabyBear> public_values;
  PointSelectors selectors;
  BabyBear4 alpha;
  LogUpChallenges challenges;
  std::span<const BabyBear4> gamma_powers;
  std::span<const uint32_t> batch_end;
  BabyBear4 cumulative_sum;
};

class VerifierBuilder : public AirBuilderOps<VerifierBuilder, ExtExpr> {
 public:
  using F = BabyBear;
  using Expr = ExtExpr;
  using Var = ExtExpr;
  using ExprExt = ExtExpr;

  explicit VerifierBuilder(const VerifierFoldInputs& in)
      : in_(in),
        gamma_(in.gamma_powers.begin(), in.gamma_powers.end()),
        logup_(ExtExpr(in.challenges.beta), gamma_.data(), in.batch_end.data(),
               static_cast<uint32_t>(in.batch_end.size())) {}

  const OpenedWindow& main() const { return in_.main; }
  const OpenedWindow& preprocessed() const { return in_.preprocessed; }
  const OpenedWindow& permutation() const { return in_.permutation; }
  ExtExpr public_value(size_t i) const {
    TESSERA_ASSERT(i < in_.public_values.size());
    return in_.public_values[i];
  }
  ExtExpr is_first_row() const { return in_.selectors.is_first_row; }
  ExtExpr is_last_row() const { return in_.selectors.is_last_row; }
  ExtExpr is_transition() const { return in_.selectors.is_transition; }

  void assert_zero(const char*, const ExtExpr& e) { add(e.value()); }
  void assert_zero_ext(const char*, const ExtExpr& e) { add(e.value()); }
  void interact(InteractionKind kind, uint32_t bus, const ExtExpr* values, uint32_t count,
                const ExtExpr& mult, MultiplicityBound = {}) {
    logup_.interact(*this, kind, bus, values, count, mult);
  }
  // After the AIR's eval(): the LogUp running-sum constraints, then the folded value.
  BabyBear4 finish() {
    logup_.finish(*this, ExtExpr(in_.cumulative_sum));
    return acc_;
  }
  uint32_t num_constraints_seen() const { return count_; }

 private:
  void add(const BabyBear4& c) {
    acc_ += power_ * c;
    power_ *= in_.alpha;
    ++count_;
  }
  const VerifierFoldInputs& in_;
  std::vector<ExtExpr> gamma_;
  LogUpFolder<ExtExpr, ExtExpr> logup_;
  BabyBear4 acc_{}, power_ = BabyBear4::one();
  uint32_t count_ = 0;
};

}  // namespace tessera
