#pragma once
// The AIR interface: a table's constraints are written ONCE, as a member template
//
//     template <class AB> void eval(AB& b) const;
//
// over an evaluation builder `AB`, and that one definition is instantiated by every consumer:
//
//   DebugBuilder        (stark/debug_builder.hpp)    row by row on concrete BabyBear values; names
//                                                     the failing constraint and row, collects the
//                                                     LogUp messages for the balance check;
//   SymbolicBuilder     (stark/symbolic_builder.hpp) degrees of every constraint and interaction
//                                                     (-> quotient degree, max degree 3 enforced),
//                                                     constraint / interaction counts and names;
//   QuotientBuilder     (stark/quotient_builder.hpp) the prover: the alpha-folded constraints at
//                                                     each point of the quotient domain (CPU);
//   VerifierBuilder     (stark/verifier_builder.hpp) the verifier: the same fold at the
//                                                     out-of-domain point zeta, in BabyBear4;
//   CUDA quotient       (kernels/quotient.cuh)        the prover's fold compiled by nvcc, one
//                                                     thread per point of the quotient domain.
//
// This mirrors Plonky3's p3-air (BaseAir / Air<AB: AirBuilder>), with SP1-style interactions.
//
// ---- What an AIR class provides -------------------------------------------------------------
//
//   struct MyAir : AirBase {
//     std::string name() const;                 // table name, used in every message
//     size_t width() const;                     // number of main (witness) columns
//     // optional (AirBase defaults: none):
//     size_t preprocessed_width() const;        // fixed columns, committed in the verifying key
//     RowMajorMatrix<BabyBear> preprocessed_trace() const;  // their values (height = table height)
//     size_t num_public_values() const;         // this table's public inputs/outputs
//     template <class AB> void eval(AB& b) const;
//   };
//
// ---- What eval() may use on a builder `b` (every builder provides exactly this) --------------
//
//   types      AB::F     = BabyBear (constants)
//              AB::Var   what a column read returns; converts implicitly to AB::Expr
//              AB::Expr  expressions: +, -, * with Expr, with Var and with F (F converts
//                        implicitly to Expr); unary minus. Build a constant as AB::Expr(F::...).
//   columns    b.main().local(i), b.main().next(i)                 main trace, this row / next row
//              b.preprocessed().local(i), b.preprocessed().next(i) preprocessed trace
//              b.public_value(i)                                   this table's public values
//              (the next row of the last row is row 0: the trace is read cyclically, but the
//              transition selector is zero there.)
//   selectors  b.is_first_row(), b.is_last_row(), b.is_transition()  (each has degree 1)
//   constraints (every one carries a name, a string literal, used by the debug checker):
//              b.assert_zero("t.c", e)        e == 0 on every row
//              b.assert_eq("t.c", x, y)       x == y
//              b.assert_bool("t.c", x)        x * (x - 1) == 0
//              b.when_first_row().assert_...  only on row 0 (the constraint is multiplied by
//              b.when_last_row().assert_...   the selector, which adds 1 to its degree)
//              b.when_transition().assert_... on every row but the last
//              b.when(cond).assert_...        multiplied by an arbitrary expression
//   interactions (LogUp, across the tables of one shard):
//              b.send(bus, {v0, v1, ...}, multiplicity)             multiplicity in {0, 1}
//              b.receive(bus, {v0, v1, ...}, multiplicity)
//              b.send(bus, {v0, v1, ...}, multiplicity, max_mult)   multiplicity in [0, max_mult]
//              b.receive(bus, {v0, v1, ...}, multiplicity, max_mult)
//              b.receive_lookup(bus, {v0, v1, ...}, multiplicity)   the lookup-table side: the
//              b.send_lookup(bus, {v0, v1, ...}, multiplicity)      multiplicity is a free column
//              On every row, the message (bus, v0, v1, ...) is sent / received `multiplicity`
//              times. Over one shard, for every message the total multiplicity sent must equal
//              the total multiplicity received (mod p). Values and multiplicities are expressions,
//              ideally of degree 1 (the LogUp constraints multiply them; see stark/logup.hpp).
//              Bus rules (stark/bus_rules.hpp; Machine::add, prove and verify enforce them):
//               - a bus id is < p and carries messages of ONE arity in every table;
//               - a bounded interaction (send / receive) DECLARES the largest value its
//                 multiplicity takes, as an integer in [0, p): 1 unless max_mult is given. The
//                 AIR's constraints must enforce it (a boolean column, a product of flags, ...):
//                 the declaration is what the soundness argument relies on;
//               - the lookup-table side (receive_lookup / send_lookup: a table listing every
//                 allowed message once with a witness count of its uses) is not bounded; on one
//                 bus all lookup-table-side interactions have the same direction;
//               - per bus, sum over tables of 2^log_height * (sum of the declared bounds of the
//                 table's bounded interactions on the bus) < p, so that no message's count can
//                 wrap around mod p (checked with the actual heights when proving and verifying).
//
// Degree rule: every constraint, after multiplication by its selector, must have degree <= 3
// in the trace columns (kMaxConstraintDegree). The SymbolicBuilder enforces it when a Machine is
// built, naming the offending constraint.
//
// Order matters: eval() must emit the same constraints and interactions in the same order on
// every call, whatever the row (no data-dependent branches) — the prover and the verifier fold
// the constraints with powers of one challenge in emission order.

#include <cstddef>
#include <cstdint>
#include <string>

#include "common/hd.hpp"
#include "field/babybear.hpp"
#include "matrix/row_major_matrix.hpp"

// Placed before a __host__ __device__ template that is also instantiated with host-only builders
// (debug, symbolic, verifier): nvcc's execution-space check is disabled for it, as Thrust does;
// only its device instantiations (ConstraintFolder) must be device-callable.
#if defined(__CUDACC__)
#define TESSERA_NO_EXEC_CHECK _Pragma("nv_exec_check_disable")
#else
#define TESSERA_NO_EXEC_CHECK
#endif

namespace tessera {

// Every constraint (selector included) must have at most this degree: with log_blowup >= 1 the
// quotient (degree < (d - 1) n) fits in a domain of size 2n inside the LDE.
inline constexpr uint32_t kMaxConstraintDegree = 3;

// Direction of a LogUp interaction: a send adds +m / (beta - fingerprint) to the running sum,
// a receive adds -m / (beta - fingerprint).
enum class InteractionKind : uint8_t { Send = 0, Receive = 1 };

// What an interaction declares about its multiplicity m (stark/bus_rules.hpp): either a bound,
// m read as an integer in [0, p) is at most `max` on every row (the AIR's constraints enforce
// it), or the lookup-table side, whose m is a free witness column (the count of lookups of the
// row's message). Only the symbolic builder records it; values and multiplicities are the same
// for every builder whatever the declaration.
struct MultiplicityBound {
  uint32_t max = 1;
  bool lookup_table = false;

  TESSERA_HD static constexpr MultiplicityBound at_most(uint32_t max_mult) {
    return {max_mult, false};
  }
  TESSERA_HD static constexpr MultiplicityBound lookup() { return {0, true}; }
};

// Defaults for the optional parts of an AIR (no preprocessed columns, no public values).
struct AirBase {
  size_t preprocessed_width() const { return 0; }
  RowMajorMatrix<BabyBear> preprocessed_trace() const { return {}; }
  size_t num_public_values() const { return 0; }
};

// A builder restricted by a selector: every constraint is multiplied by `cond` before it reaches
// the builder (so its degree grows by deg(cond)). Returned by when(), when_first_row(), ...
template <class AB>
class FilteredBuilder {
 public:
  using F = BabyBear;
  using Expr = typename AB::Expr;

  TESSERA_NO_EXEC_CHECK
  TESSERA_HD FilteredBuilder(AB& inner, Expr cond) : inner_(inner), cond_(cond) {}

  TESSERA_NO_EXEC_CHECK
  template <class E>
  TESSERA_HD void assert_zero(const char* name, const E& e) {
    inner_.assert_zero(name, cond_ * Expr(e));
  }
  TESSERA_NO_EXEC_CHECK
  template <class X, class Y>
  TESSERA_HD void assert_eq(const char* name, const X& x, const Y& y) {
    inner_.assert_zero(name, cond_ * (Expr(x) - Expr(y)));
  }
  TESSERA_NO_EXEC_CHECK
  template <class X>
  TESSERA_HD void assert_bool(const char* name, const X& x) {
    const Expr e(x);
    inner_.assert_zero(name, cond_ * (e * (e - Expr(F::one()))));
  }
  // Nested filters multiply their conditions.
  TESSERA_NO_EXEC_CHECK
  TESSERA_HD FilteredBuilder when(const Expr& more) const {
    return FilteredBuilder(inner_, cond_ * more);
  }

 private:
  AB& inner_;
  Expr cond_;
};

// The convenience layer every builder inherits (CRTP): assert_eq / assert_bool / when* / send /
// receive, written once on top of the builder's primitives
//   assert_zero(const char* name, const Expr&)
//   is_first_row(), is_last_row(), is_transition()
//   interact(InteractionKind, uint32_t bus, const Expr* values, uint32_t count, const Expr& mult,
//            MultiplicityBound bound = {})
// `ExprT` is the derived builder's Expr type (it cannot be read from the incomplete Derived).
template <class Derived, class ExprT>
class AirBuilderOps {
 public:
  TESSERA_NO_EXEC_CHECK
  template <class X, class Y>
  TESSERA_HD void assert_eq(const char* name, const X& x, const Y& y) {
    self().assert_zero(name, ExprT(x) - ExprT(y));
  }
  TESSERA_NO_EXEC_CHECK
  template <class X>
  TESSERA_HD void assert_bool(const char* name, const X& x) {
    const ExprT e(x);
    self().assert_zero(name, e * (e - ExprT(BabyBear::one())));
  }

  TESSERA_NO_EXEC_CHECK
  template <class C>
  TESSERA_HD FilteredBuilder<Derived> when(const C& cond) {
    return FilteredBuilder<Derived>(self(), ExprT(cond));
  }
  TESSERA_NO_EXEC_CHECK
  TESSERA_HD FilteredBuilder<Derived> when_first_row() {
    return FilteredBuilder<Derived>(self(), self().is_first_row());
  }
  TESSERA_NO_EXEC_CHECK
  TESSERA_HD FilteredBuilder<Derived> when_last_row() {
    return FilteredBuilder<Derived>(self(), self().is_last_row());
  }
  TESSERA_NO_EXEC_CHECK
  TESSERA_HD FilteredBuilder<Derived> when_transition() {
    return FilteredBuilder<Derived>(self(), self().is_transition());
  }

  // The array-reference parameter lets callers write b.send(bus, {x, y, z}, m): N is deduced
  // from the braced list and each element converts to Expr. Without max_mult the multiplicity
  // is declared to be 0 or 1.
  TESSERA_NO_EXEC_CHECK
  template <size_t N, class M>
  TESSERA_HD void send(uint32_t bus, const ExprT (&values)[N], const M& mult,
                       uint32_t max_mult = 1) {
    emit(InteractionKind::Send, bus, values, mult, MultiplicityBound::at_most(max_mult));
  }
  TESSERA_NO_EXEC_CHECK
  template <size_t N, class M>
  TESSERA_HD void receive(uint32_t bus, const ExprT (&values)[N], const M& mult,
                          uint32_t max_mult = 1) {
    emit(InteractionKind::Receive, bus, values, mult, MultiplicityBound::at_most(max_mult));
  }
  // The lookup-table side: `mult` is a witness column counting the lookups of the row's message
  // (unbounded; excluded from the bus's wrap-around bound, see stark/bus_rules.hpp).
  TESSERA_NO_EXEC_CHECK
  template <size_t N, class M>
  TESSERA_HD void receive_lookup(uint32_t bus, const ExprT (&values)[N], const M& mult) {
    emit(InteractionKind::Receive, bus, values, mult, MultiplicityBound::lookup());
  }
  TESSERA_NO_EXEC_CHECK
  template <size_t N, class M>
  TESSERA_HD void send_lookup(uint32_t bus, const ExprT (&values)[N], const M& mult) {
    emit(InteractionKind::Send, bus, values, mult, MultiplicityBound::lookup());
  }

 private:
  TESSERA_NO_EXEC_CHECK
  template <size_t N, class M>
  TESSERA_HD void emit(InteractionKind kind, uint32_t bus, const ExprT (&values)[N], const M& mult,
                       MultiplicityBound bound) {
    self().interact(kind, bus, values, static_cast<uint32_t>(N), ExprT(mult), bound);
  }
  TESSERA_NO_EXEC_CHECK
  TESSERA_HD Derived& self() { return static_cast<Derived&>(*this); }
};

}  // namespace tessera
