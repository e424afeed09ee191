#pragma once
// The prover's constraint folder: at one point x of the quotient domain it evaluates every
// constraint C_k of a table (the AIR's, then the LogUp ones in emission order) on the trace
// polynomials' values at x and x*g and accumulates
//
//     folded(x) = sum_k alpha^k C_k(x)          (alpha^k precomputed, BabyBear4)
//
// The quotient is then Q(x) = folded(x) / Z_H(x). Base-field constraints cost one BabyBear4 x
// BabyBear product each (4 multiplications); LogUp constraints are extension-valued.
//
// The builder is generic in how the two rows are read (`BaseWindow`, `ExtWindow`), so that the
// CPU backend (row-major matrices, one point per loop iteration, OpenMP over points) and the CUDA
// kernel (column-major device buffers, one thread per point; kernels/quotient.cuh) instantiate
// the same code. Every member is TESSERA_HD.

#include <cstddef>
#include <cstdint>

#include "common/hd.hpp"
#include "field/babybear.hpp"
#include "field/extension.hpp"
#include "stark/air.hpp"
#include "stark/logup.hpp"

namespace tessera {

// Two rows of a row-major base-field matrix.
struct RowMajorWindow {
  const BabyBear* local_row = nullptr;
  const BabyBear* next_row = nullptr;
  TESSERA_HD BabyBear local(size_t i) const { return local_row[i]; }
  TESSERA_HD BabyBear next(size_t i) const { return next_row[i]; }
};
// Two rows of a row-major matrix of flattened extension columns (column c = base columns 4c..4c+3).
struct RowMajorExtWindow {
  const BabyBear* local_row = nullptr;
  const BabyBear* next_row = nullptr;
  TESSERA_HD BabyBear4 local(size_t c) const {
    return {local_row[4 * c], local_row[4 * c + 1], local_row[4 * c + 2], local_row[4 * c + 3]};
  }
  TESSERA_HD BabyBear4 next(size_t c) const {
    return {next_row[4 * c], next_row[4 * c + 1], next_row[4 * c + 2], next_row[4 * c + 3]};
  }
};

// Everything the folder needs besides the rows, shared by all points of a table. `Ext` is the
// extension value type of the folder (BabyBear4, or PackedBabyBear4 for the packed CPU fold).
template <class Ext>
struct FolderConstantsT {
  const BabyBear* public_values = nullptr;
  const BabyBear4* alpha_powers = nullptr;  // alpha^k for every constraint k
  Ext beta;
  const Ext* gamma_powers = nullptr;
  const uint32_t* batch_end = nullptr;
  uint32_t num_batches = 0;
  Ext cumulative_sum;
};
using FolderConstants = FolderConstantsT<BabyBear4>;

// `Val` / `ExtVal`: the value types (BabyBear / BabyBear4 for one point, PackedBabyBear /
// PackedBabyBear4 for 8 points). BabyBear4 * Val -> ExtVal and BabyBear4 * ExtVal must exist.
template <class Val, class ExtVal, class BaseWindow, class ExtWindow>
class ConstraintFolderT
    : public AirBuilderOps<ConstraintFolderT<Val, ExtVal, BaseWindow, ExtWindow>, Val> {
 public:
  using F = BabyBear;
  using Expr = Val;
  using Var = Val;
  using ExprExt = ExtVal;

  TESSERA_HD ConstraintFolderT(const FolderConstantsT<ExtVal>& k, BaseWindow main, BaseWindow prep,
                               ExtWindow perm, Val is_first, Val is_last, Val is_transition)
      : k_(k),
        main_(main),
        prep_(prep),
        perm_(perm),
        is_first_(is_first),
        is_last_(is_last),
        is_transition_(is_transition),
        logup_(k.beta, k.gamma_powers, k.batch_end, k.num_batches) {}

  TESSERA_HD BaseWindow main() const { return main_; }
  TESSERA_HD BaseWindow preprocessed() const { return prep_; }
  TESSERA_HD ExtWindow permutation() const { return perm_; }
  TESSERA_HD Val public_value(size_t i) const { return Val(k_.public_values[i]); }
  TESSERA_HD Val is_first_row() const { return is_first_; }
  TESSERA_HD Val is_last_row() const { return is_last_; }
  TESSERA_HD Val is_transition() const { return is_transition_; }

  TESSERA_HD void assert_zero(const char*, const Val& e) { acc_ += k_.alpha_powers[index_++] * e; }
  TESSERA_HD void assert_zero_ext(const char*, const ExtVal& e) {
    acc_ += k_.alpha_powers[index_++] * e;
  }
  TESSERA_HD void interact(InteractionKind kind, uint32_t bus, const Val* values, uint32_t count,
                           const Val& mult, MultiplicityBound = {}) {
    logup_.interact(*this, kind, bus, values, count, mult);
  }
  // Call after the AIR's eval(): emits the running-sum constraints, returns the folded value.
  TESSERA_HD ExtVal finish() {
    logup_.finish(*this, k_.cumulative_sum);
    return acc_;
  }
  TESSERA_HD uint32_t num_constraints_seen() const { return index_; }

 private:
  const FolderConstantsT<ExtVal>& k_;
  BaseWindow main_, prep_;
  ExtWindow perm_;
  Val is_first_, is_last_, is_transition_;
  LogUpFolder<ExtVal, Val> logup_;
  ExtVal acc_{};
  uint32_t index_ = 0;
};

// The one-point folder (CPU scalar path and the CUDA kernel).
template <class BaseWindow, class ExtWindow>
using ConstraintFolder = ConstraintFolderT<BabyBear, BabyBear4, BaseWindow, ExtWindow>;

}  // namespace tessera
