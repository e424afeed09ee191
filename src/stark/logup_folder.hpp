#pragma once
// The LogUp constraints (see stark/logup.hpp for the argument), written once for every
// constraint-evaluating builder: symbolic (degrees), prover quotient (CPU and CUDA), verifier.

#include <cstdint>

#include "common/hd.hpp"
#include "field/babybear.hpp"
#include "stark/air.hpp"

namespace tessera {

// The LogUp constraint folder used by every constraint-evaluating builder (prover quotient,
// verifier, CUDA): the builder forwards each interact() here, and calls finish() after the AIR's
// eval(). `Ext` is the builder's extension expression type, `Expr` its base expression type
// (Ext * Expr, Ext(Expr), Ext(BabyBear) must exist). The builder provides permutation() (a window
// of Ext columns), is_first_row()/is_transition()/is_last_row() and assert_zero_ext(name, Ext).
template <class Ext, class Expr>
class LogUpFolder {
 public:
  TESSERA_NO_EXEC_CHECK
  TESSERA_HD LogUpFolder(const Ext& beta, const Ext* gamma_powers, const uint32_t* batch_end,
                         uint32_t num_batches)
      : beta_(beta),
        gamma_powers_(gamma_powers),
        batch_end_(batch_end),
        num_batches_(num_batches) {}

  TESSERA_NO_EXEC_CHECK
  template <class B>
  TESSERA_HD void interact(B& b, InteractionKind kind, uint32_t bus, const Expr* values,
                           uint32_t count, const Expr& mult) {
    Ext f(BabyBear::from_u32(bus));
    for (uint32_t i = 0; i < count; ++i) f += gamma_powers_[i + 1] * values[i];
    const Ext d = beta_ - f;
    const Expr m = kind == InteractionKind::Send ? mult : -mult;
    if (in_batch_ == 0) {
      num_ = Ext(m);
      den_ = d;
    } else {
      // m_a/d_a + m/d = (m_a d + m d_a) / (d_a d)
      num_ = num_ * d + den_ * m;
      den_ = den_ * d;
    }
    ++in_batch_;
    ++index_;
    if (batch_ < num_batches_ && index_ == batch_end_[batch_]) {
      b.assert_zero_ext("logup.batch", b.permutation().local(batch_) * den_ - num_);
      ++batch_;
      in_batch_ = 0;
    }
  }

  // The running-sum constraints; `cumulative_sum` is the table's claimed S.
  TESSERA_NO_EXEC_CHECK
  template <class B>
  TESSERA_HD void finish(B& b, const Ext& cumulative_sum) const {
    if (num_batches_ == 0) return;
    const auto p = b.permutation();
    Ext sum_local = p.local(0), sum_next = p.next(0);
    for (uint32_t k = 1; k < num_batches_; ++k) {
      sum_local += p.local(k);
      sum_next += p.next(k);
    }
    const Ext z = p.local(num_batches_), z_next = p.next(num_batches_);
    b.assert_zero_ext("logup.first_row", (z - sum_local) * b.is_first_row());
    b.assert_zero_ext("logup.transition", (z_next - z - sum_next) * b.is_transition());
    b.assert_zero_ext("logup.last_row", (z - cumulative_sum) * b.is_last_row());
  }

 private:
  Ext beta_;
  const Ext* gamma_powers_;
  const uint32_t* batch_end_;
  uint32_t num_batches_;
  uint32_t batch_ = 0, index_ = 0, in_batch_ = 0;
  Ext num_{}, den_{};
};

}  // namespace tessera
