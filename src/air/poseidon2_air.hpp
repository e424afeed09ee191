#pragma once
// The Poseidon2 permutation AIR (BabyBear, width 16, hash/poseidon2.hpp): one permutation per row,
// every constraint of degree <= 3. This is the table behind the hash chain, and the future
// Poseidon2 precompile and recursion chip (it can send or receive (input, output) on a LogUp bus).
//
// The permutation (poseidon2.hpp):  x <- M_E x;  4 full rounds;  13 partial rounds;  4 full rounds,
// full round: x_i <- (x_i + c_{r,i})^7 for all i, then x <- M_E x;
// partial round: x_0 <- (x_0 + c_r)^7, then x <- M_I x.
//
// The S-box x^7 has degree 7, so it cannot be one constraint. With a committed auxiliary column
// y = x^3 per S-box (Plonky3's poseidon2-air with SBOX_REGISTERS = 1):
//     y = x^3              (degree 3, x is affine in the committed columns)
//     x^7 = y^2 * x        (degree 3)
// and the state after each round's linear layer is committed wherever the next S-box reads it,
// so that x stays affine. Columns of one row (298 in all):
//
//   inputs                              16   the permutation's input
//   4 beginning full rounds  x (16 + 16)     sbox_r[i] = (s_i + c_{r,i})^3, post_r = M_E(s^7)
//   13 partial rounds        x (1 + 1)       sbox = (s_0 + c_r)^3, post = (s_0 + c_r)^7;
//                                            the other 15 lanes and M_I stay symbolic (affine)
//   4 ending full rounds     x (16 + 16)     as the beginning ones; the last post is the output
//   [multiplicity]           1               only when the AIR is given a LogUp bus
//
// The state entering the first round is M_E(inputs) (affine), the state entering a round after
// a full round is its committed post, and after a partial round the affine M_I image of the
// committed post plus the untouched lanes. Every constraint therefore has degree 3:
//   "<round>.sbox"  sbox_i - x_i^3          and   "<round>.post"  post_i - (linear layer of x^7)_i
// (partial rounds: "<round>.post" is post - sbox^2 * x, the linear layer stays symbolic).
//
// The linear layers here are written over the builder's expression type (the constraint side),
// with the same addition chain as poseidon2_detail::apply_m4 / external_layer / internal_layer;
// the round constants and the internal diagonal are B's table (poseidon2_detail::constants()).
// Trace generation (poseidon2_air.cpp) runs the permutation with the scalar reference code and
// records the intermediate values; the tests check that every output equals poseidon2_permute.
//
// LogUp: with Poseidon2AirOptions::bus set, every row emits, with multiplicity the last column,
//     send or receive (bus, input_0 .. input_15, output_0 .. output_15)
// so that other tables can look permutations up (receive here, send there, or vice versa).
// Padding rows (to a power-of-two height) are permutations of the zero state with multiplicity 0.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <type_traits>

#include "common/hd.hpp"
#include "field/babybear.hpp"
#include "hash/poseidon2.hpp"
#include "matrix/row_major_matrix.hpp"
#include "stark/air.hpp"
#include "stark/cuda_quotient.hpp"

namespace tessera {

// Column layout of one Poseidon2 row.
namespace poseidon2_cols {

inline constexpr size_t kWidth16 = kPoseidon2Width;
inline constexpr size_t kFullRoundCols = 2 * kWidth16;  // sbox cubes, post state
inline constexpr size_t kPartialRoundCols = 2;          // sbox cube, post (x^7)
inline constexpr size_t kInputs = 0;
inline constexpr size_t kBeginningFull = kInputs + kWidth16;
inline constexpr size_t kPartial = kBeginningFull + kPoseidon2HalfFullRounds * kFullRoundCols;
inline constexpr size_t kEndingFull = kPartial + kPoseidon2PartialRounds * kPartialRoundCols;
// Columns of the permutation proper (without the optional multiplicity).
inline constexpr size_t kPermutationWidth = kEndingFull + kPoseidon2HalfFullRounds * kFullRoundCols;
static_assert(kPermutationWidth == 298);

// First column of full round r (0..7: 0..3 beginning, 4..7 ending); its sbox cube of lane i is at
// +i, its post state of lane i at +16+i.
TESSERA_HD constexpr size_t full_round(size_t r) {
  return r < kPoseidon2HalfFullRounds
             ? kBeginningFull + r * kFullRoundCols
             : kEndingFull + (r - kPoseidon2HalfFullRounds) * kFullRoundCols;
}
// First column of partial round r (0..12): sbox cube at +0, x^7 at +1.
TESSERA_HD constexpr size_t partial_round(size_t r) {
  return kPartial + r * kPartialRoundCols;
}
TESSERA_HD constexpr size_t input(size_t i) {
  return kInputs + i;
}
TESSERA_HD constexpr size_t output(size_t i) {
  return full_round(kPoseidon2FullRounds - 1) + kWidth16 + i;
}

}  // namespace poseidon2_cols

// The linear layers of poseidon2.hpp over any expression type (only + and * by constants), for
// the constraint side. Doublings are written as x + x so that any AIR expression type works.
namespace poseidon2_air_detail {

template <class E>
TESSERA_HD void apply_m4(E* x) {
  const E t0 = x[0] + x[1];
  const E t1 = x[2] + x[3];
  const E t2 = x[1] + x[1] + t1;
  const E t3 = x[3] + x[3] + t0;
  const E t1_2 = t1 + t1;
  const E t0_2 = t0 + t0;
  const E t4 = t1_2 + t1_2 + t3;  // x0 + x1 + 4 x2 + 6 x3
  const E t5 = t0_2 + t0_2 + t2;  // 4 x0 + 6 x1 + x2 + x3
  x[0] = t3 + t5;                 // 5 x0 + 7 x1 + x2 + 3 x3
  x[1] = t5;
  x[2] = t2 + t4;  // x0 + 3 x1 + 5 x2 + 7 x3
  x[3] = t4;
}

// M_E = circ(2 M4, M4, M4, M4).
template <class E>
TESSERA_HD void external_layer(E* s) {
  for (size_t g = 0; g < kPoseidon2Width; g += 4) apply_m4(s + g);
  for (size_t j = 0; j < 4; ++j) {
    const E column = s[j] + s[4 + j] + s[8 + j] + s[12 + j];
    for (size_t g = 0; g < kPoseidon2Width; g += 4) s[g + j] = s[g + j] + column;
  }
}

// M_I = 1 1^T + diag(d).
template <class E>
TESSERA_HD void internal_layer(E* s, const poseidon2_detail::Poseidon2Constants& c) {
  E sum = s[0];
  for (size_t i = 1; i < kPoseidon2Width; ++i) sum = sum + s[i];
  for (size_t i = 0; i < kPoseidon2Width; ++i) {
    s[i] = sum + E(BabyBear::from_raw(c.internal_diag[i])) * s[i];
  }
}

// Constraint names per round (string literals: builders keep the pointer).
TESSERA_HD inline const char* full_sbox_name(size_t r) {
  switch (r) {
    case 0:
      return "poseidon2.full0.sbox";
    case 1:
      return "poseidon2.full1.sbox";
    case 2:
      return "poseidon2.full2.sbox";
    case 3:
      return "poseidon2.full3.sbox";
    case 4:
      return "poseidon2.full4.sbox";
    case 5:
      return "poseidon2.full5.sbox";
    case 6:
      return "poseidon2.full6.sbox";
    default:
      return "poseidon2.full7.sbox";
  }
}
TESSERA_HD inline const char* full_post_name(size_t r) {
  switch (r) {
    case 0:
      return "poseidon2.full0.post";
    case 1:
      return "poseidon2.full1.post";
    case 2:
      return "poseidon2.full2.post";
    case 3:
      return "poseidon2.full3.post";
    case 4:
      return "poseidon2.full4.post";
    case 5:
      return "poseidon2.full5.post";
    case 6:
      return "poseidon2.full6.post";
    default:
      return "poseidon2.full7.post";
  }
}
TESSERA_HD inline const char* partial_sbox_name(size_t r) {
  switch (r) {
    case 0:
      return "poseidon2.partial0.sbox";
    case 1:
      return "poseidon2.partial1.sbox";
    case 2:
      return "poseidon2.partial2.sbox";
    case 3:
      return "poseidon2.partial3.sbox";
    case 4:
      return "poseidon2.partial4.sbox";
    case 5:
      return "poseidon2.partial5.sbox";
    case 6:
      return "poseidon2.partial6.sbox";
    case 7:
      return "poseidon2.partial7.sbox";
    case 8:
      return "poseidon2.partial8.sbox";
    case 9:
      return "poseidon2.partial9.sbox";
    case 10:
      return "poseidon2.partial10.sbox";
    case 11:
      return "poseidon2.partial11.sbox";
    default:
      return "poseidon2.partial12.sbox";
  }
}
TESSERA_HD inline const char* partial_post_name(size_t r) {
  switch (r) {
    case 0:
      return "poseidon2.partial0.post";
    case 1:
      return "poseidon2.partial1.post";
    case 2:
      return "poseidon2.partial2.post";
    case 3:
      return "poseidon2.partial3.post";
    case 4:
      return "poseidon2.partial4.post";
    case 5:
      return "poseidon2.partial5.post";
    case 6:
      return "poseidon2.partial6.post";
    case 7:
      return "poseidon2.partial7.post";
    case 8:
      return "poseidon2.partial8.post";
    case 9:
      return "poseidon2.partial9.post";
    case 10:
      return "poseidon2.partial10.post";
    case 11:
      return "poseidon2.partial11.post";
    default:
      return "poseidon2.partial12.post";
  }
}

}  // namespace poseidon2_air_detail

// A LogUp connection of the permutation table: direction and bus of its (input, output) messages.
struct Poseidon2Bus {
  uint32_t bus = 0;
  InteractionKind kind = InteractionKind::Receive;
};

struct Poseidon2AirOptions {
  std::string name = "poseidon2";   // at most Poseidon2Air::kMaxNameLength characters
  std::optional<Poseidon2Bus> bus;  // none: a plain permutation table without interactions
};

// Trivially copyable (the name is held inline), so that the CUDA constraint fold can take it as
// a kernel argument (stark/cuda_quotient.hpp).
class Poseidon2Air : public AirBase {
 public:
  // Arity of the LogUp message: 16 inputs then 16 outputs.
  static constexpr uint32_t kMessageArity = 2 * kPoseidon2Width;
  static constexpr size_t kMaxNameLength = 31;

  Poseidon2Air() = default;
  // InvalidArgument for an empty name or one longer than kMaxNameLength.
  explicit Poseidon2Air(const Poseidon2AirOptions& options);

  std::string name() const { return name_; }
  size_t width() const { return poseidon2_cols::kPermutationWidth + (has_bus_ ? 1 : 0); }
  bool has_bus() const { return has_bus_; }
  const Poseidon2Bus& bus() const { return bus_; }
  // Column accessors (also usable by AIRs that embed this one, e.g. the hash chain).
  static constexpr size_t input_col(size_t i) { return poseidon2_cols::input(i); }
  static constexpr size_t output_col(size_t i) { return poseidon2_cols::output(i); }
  // The multiplicity column (only with a bus).
  size_t multiplicity_col() const { return poseidon2_cols::kPermutationWidth; }

  // The permutation's constraints on the current row (and the LogUp message when a bus is set).
  template <class AB>
  TESSERA_HD void eval(AB& b) const {
    using Expr = typename AB::Expr;
    eval_permutation(b);
    if (has_bus_) {
      const auto m = b.main();
      Expr message[kMessageArity];
      for (size_t i = 0; i < kPoseidon2Width; ++i) {
        message[i] = m.local(poseidon2_cols::input(i));
        message[kPoseidon2Width + i] = m.local(poseidon2_cols::output(i));
      }
      b.interact(bus_.kind, bus_.bus, message, kMessageArity,
                 Expr(m.local(poseidon2_cols::kPermutationWidth)));
    }
  }

  // The permutation constraints alone, on columns 0 .. kPermutationWidth - 1 of the main trace:
  // for AIRs that embed one permutation per row (the hash chain).
  template <class AB>
  TESSERA_HD static void eval_permutation(AB& b) {
    using Expr = typename AB::Expr;
    namespace cols = poseidon2_cols;
    namespace d = poseidon2_air_detail;
    const auto m = b.main();
    const poseidon2_detail::Poseidon2Constants& c = poseidon2_detail::constants();

    Expr s[kPoseidon2Width];
    for (size_t i = 0; i < kPoseidon2Width; ++i) s[i] = m.local(cols::input(i));
    d::external_layer(s);

    for (size_t r = 0; r < kPoseidon2HalfFullRounds; ++r) eval_full_round(b, m, s, c, r);
    for (size_t r = 0; r < kPoseidon2PartialRounds; ++r) {
      const size_t col = cols::partial_round(r);
      const Expr x = s[0] + Expr(BabyBear::from_raw(c.internal[r]));
      const Expr cube = m.local(col);
      b.assert_eq(d::partial_sbox_name(r), cube, x * x * x);
      const Expr post = m.local(col + 1);
      b.assert_eq(d::partial_post_name(r), post, cube * cube * x);
      s[0] = post;
      d::internal_layer(s, c);
    }
    for (size_t r = kPoseidon2HalfFullRounds; r < kPoseidon2FullRounds; ++r) {
      eval_full_round(b, m, s, c, r);
    }
  }

  // The trace of the permutations of `inputs` (one per row), padded with permutations of the zero
  // state to a power of two >= max(inputs.size(), min_height). With a bus, `multiplicities`
  // (empty: all 1) gives each input row's multiplicity; padding rows get 0. OpenMP over rows.
  RowMajorMatrix<BabyBear> generate_trace(std::span<const Poseidon2State> inputs,
                                          std::span<const BabyBear> multiplicities = {},
                                          size_t min_height = 1) const;

 private:
  template <class AB, class Window, class Expr>
  TESSERA_HD static void eval_full_round(AB& b, const Window& m, Expr* s,
                                         const poseidon2_detail::Poseidon2Constants& c, size_t r) {
    namespace d = poseidon2_air_detail;
    const size_t col = poseidon2_cols::full_round(r);
    for (size_t i = 0; i < kPoseidon2Width; ++i) {
      const Expr x = s[i] + Expr(BabyBear::from_raw(c.external[r][i]));
      const Expr cube = m.local(col + i);
      b.assert_eq(d::full_sbox_name(r), cube, x * x * x);
      s[i] = cube * cube * x;
    }
    d::external_layer(s);
    for (size_t i = 0; i < kPoseidon2Width; ++i) {
      const Expr post = m.local(col + kPoseidon2Width + i);
      b.assert_eq(d::full_post_name(r), post, s[i]);
      s[i] = post;
    }
  }

  char name_[kMaxNameLength + 1] = "poseidon2";
  bool has_bus_ = false;
  Poseidon2Bus bus_{};
};

TESSERA_CUDA_QUOTIENT_AIR(Poseidon2Air);

// Writes the permutation of `input` with all its intermediate values into `row` (at least
// poseidon2_cols::kPermutationWidth entries; columns beyond are left alone) and returns the output.
// Uses the scalar reference permutation's own steps; equal to poseidon2_permute by construction
// and by test.
Poseidon2State poseidon2_fill_row(const Poseidon2State& input, std::span<BabyBear> row);

// Reads the input / output state of a row.
Poseidon2State poseidon2_row_input(std::span<const BabyBear> row);
Poseidon2State poseidon2_row_output(std::span<const BabyBear> row);

static_assert(std::is_trivially_copyable_v<Poseidon2Air>);

}  // namespace tessera
