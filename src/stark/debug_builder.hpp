#pragma once
// The debug checker: evaluates an AIR row by row on the concrete trace values (BabyBear), before
// anything is committed, and reports the first constraint that does not vanish as
//
//     constraint <name> of table <t> fails at row <r>
//
// It also collects every LogUp interaction (bus, values, signed multiplicity) into a
// LogUpLedger, so that a whole shard can be checked for balance: for every message, the total
// multiplicity sent equals the total multiplicity received (mod p). This is exactly what the
// LogUp argument proves, so a witness that passes the debug check yields an accepting proof and
// one that fails it yields a rejected one — but the messages here name the culprit.
//
// Rows are read cyclically (the next row of the last row is row 0), as the prover's quotient
// and the verifier do; is_transition() is zero on the last row.

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "common/check.hpp"
#include "field/babybear.hpp"
#include "matrix/row_major_matrix.hpp"
#include "stark/air.hpp"

namespace tessera {

// Net multiplicity (sends - receives, mod p) of every message of a shard, per bus.
class LogUpLedger {
 public:
  // Adds +mult (send) or -mult (receive) for the message (bus, values) emitted by `table` at
  // `row`; remembers the first place each message was seen for the imbalance report.
  void add(InteractionKind kind, uint32_t bus, std::span<const BabyBear> values, BabyBear mult,
           const std::string& table, size_t row);
  // Throws ErrorKind::InvalidArgument naming the first unbalanced message (bus, values, net
  // multiplicity and where it was first sent or received), or a bus used with two arities.
  void check_balanced() const;
  size_t num_messages() const { return entries_.size(); }

 private:
  struct Entry {
    BabyBear net = BabyBear::zero();
    std::string first_table;
    size_t first_row = 0;
  };
  std::map<std::pair<uint32_t, std::vector<uint32_t>>, Entry> entries_;
  std::map<uint32_t, std::pair<size_t, std::string>> arity_;  // bus -> (arity, first table)
};

class DebugBuilder : public AirBuilderOps<DebugBuilder, BabyBear> {
 public:
  using F = BabyBear;
  using Expr = BabyBear;
  using Var = BabyBear;

  // Two consecutive rows of one trace; column indices are checked (an AIR reading past its
  // declared width is a bug in the AIR, reported with the table's name).
  class Window {
   public:
    Window(const BabyBear* local, const BabyBear* next, size_t width, const DebugBuilder* owner,
           const char* what)
        : local_(local), next_(next), width_(width), owner_(owner), what_(what) {}
    BabyBear local(size_t i) const {
      check(i);
      return local_[i];
    }
    BabyBear next(size_t i) const {
      check(i);
      return next_[i];
    }
    size_t width() const { return width_; }

   private:
    void check(size_t i) const;
    const BabyBear* local_;
    const BabyBear* next_;
    size_t width_;
    const DebugBuilder* owner_;
    const char* what_;
  };

  DebugBuilder(std::string table, const RowMajorMatrix<BabyBear>& main,
               const RowMajorMatrix<BabyBear>* preprocessed,
               std::span<const BabyBear> public_values, LogUpLedger* ledger);

  // Positions the builder on `row` (0 <= row < height).
  void set_row(size_t row);

  Window main() const { return {main_local_, main_next_, main_.width(), this, "main"}; }
  Window preprocessed() const {
    return {prep_local_, prep_next_, prep_ ? prep_->width() : 0, this, "preprocessed"};
  }
  BabyBear public_value(size_t i) const;

  BabyBear is_first_row() const { return row_ == 0 ? F::one() : F::zero(); }
  BabyBear is_last_row() const { return row_ + 1 == height_ ? F::one() : F::zero(); }
  BabyBear is_transition() const { return row_ + 1 != height_ ? F::one() : F::zero(); }

  void assert_zero(const char* name, BabyBear e) {
    if (!e.is_zero() && failed_constraint_.empty()) failed_constraint_ = name;
  }
  // The declared bound is the symbolic builder's business (stark/bus_rules.hpp); here the
  // concrete message and multiplicity go to the ledger.
  void interact(InteractionKind kind, uint32_t bus, const BabyBear* values, uint32_t count,
                BabyBear mult, MultiplicityBound = {});

  // Name of the first constraint that failed on the current row ("" if none).
  const std::string& failed_constraint() const { return failed_constraint_; }
  const std::string& table() const { return table_; }

 private:
  std::string table_;
  const RowMajorMatrix<BabyBear>& main_;
  const RowMajorMatrix<BabyBear>* prep_;
  std::span<const BabyBear> public_values_;
  LogUpLedger* ledger_;
  size_t height_ = 0;
  size_t row_ = 0;
  const BabyBear* main_local_ = nullptr;
  const BabyBear* main_next_ = nullptr;
  const BabyBear* prep_local_ = nullptr;
  const BabyBear* prep_next_ = nullptr;
  std::string failed_constraint_;
};

// Checks one table's trace against its AIR, row by row; adds its interactions to `ledger` when
// given. Throws ErrorKind::InvalidArgument "constraint <name> of table <t> fails at row <r>" at
// the first failing row, or a shape error (width, height, public values) naming the table.
template <class Air>
void debug_check_table(const Air& air, const RowMajorMatrix<BabyBear>& main,
                       std::span<const BabyBear> public_values, LogUpLedger* ledger,
                       const RowMajorMatrix<BabyBear>* preprocessed = nullptr) {
  const std::string name = air.name();
  TESSERA_CHECK(main.width() == air.width(), ErrorKind::InvalidArgument,
                "table " << name << ": trace has " << main.width() << " columns, the AIR declares "
                         << air.width());
  TESSERA_CHECK(main.height() > 0 && (main.height() & (main.height() - 1)) == 0,
                ErrorKind::InvalidArgument,
                "table " << name << ": trace height " << main.height() << " is not a power of two");
  TESSERA_CHECK(public_values.size() == air.num_public_values(), ErrorKind::InvalidArgument,
                "table " << name << ": " << public_values.size()
                         << " public values given, the AIR declares " << air.num_public_values());
  RowMajorMatrix<BabyBear> own_prep;
  if (air.preprocessed_width() > 0 && preprocessed == nullptr) {
    own_prep = air.preprocessed_trace();
    preprocessed = &own_prep;
  }
  if (air.preprocessed_width() > 0) {
    TESSERA_CHECK(preprocessed->width() == air.preprocessed_width() &&
                      preprocessed->height() == main.height(),
                  ErrorKind::InvalidArgument,
                  "table " << name << ": preprocessed trace is " << preprocessed->height() << " x "
                           << preprocessed->width() << ", expected " << main.height() << " x "
                           << air.preprocessed_width());
  } else {
    preprocessed = nullptr;
  }
  DebugBuilder b(name, main, preprocessed, public_values, ledger);
  for (size_t row = 0; row < main.height(); ++row) {
    b.set_row(row);
    air.eval(b);
    if (!b.failed_constraint().empty()) {
      TESSERA_FAIL(ErrorKind::InvalidArgument, "constraint " << b.failed_constraint()
                                                             << " of table " << name
                                                             << " fails at row " << row);
    }
  }
}

}  // namespace tessera
