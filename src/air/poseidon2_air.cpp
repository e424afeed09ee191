// Trace generation of the Poseidon2 AIR: the permutation of hash/poseidon2.hpp, step by step, with
// every committed intermediate value (S-box cubes, x^7 of partial rounds, post-round states)
// written into the row. The linear layers are B's own (poseidon2_detail::external_layer,
// internal_layer), so the row's output is poseidon2_permute(input) by construction.

#include "air/poseidon2_air.hpp"

#include <algorithm>
#include <bit>
#include <iterator>

#include "common/check.hpp"

namespace tessera {

namespace {

namespace cols = poseidon2_cols;

// x + c, its cube and its seventh power (x^7 = (x^3)^2 * x, the form the constraints use).
struct SboxValues {
  BabyBear cube, seventh;
};
inline SboxValues sbox_with_cube(BabyBear x) {
  const BabyBear cube = x * x * x;
  return {cube, cube * cube * x};
}

void fill_full_round(Poseidon2State& s, const uint32_t* rc, BabyBear* round_cols) {
  for (size_t i = 0; i < kPoseidon2Width; ++i) {
    const SboxValues v = sbox_with_cube(s[i] + BabyBear::from_raw(rc[i]));
    round_cols[i] = v.cube;
    s[i] = v.seventh;
  }
  poseidon2_detail::external_layer(s);
  for (size_t i = 0; i < kPoseidon2Width; ++i) round_cols[kPoseidon2Width + i] = s[i];
}

}  // namespace

Poseidon2Air::Poseidon2Air(const Poseidon2AirOptions& options)
    : has_bus_(options.bus.has_value()), bus_(options.bus.value_or(Poseidon2Bus{})) {
  TESSERA_CHECK(!options.name.empty() && options.name.size() <= kMaxNameLength,
                ErrorKind::InvalidArgument,
                "Poseidon2 AIR: table name '" << options.name << "' must have 1 to "
                                              << kMaxNameLength << " characters");
  std::fill(std::begin(name_), std::end(name_), '\0');
  std::copy(options.name.begin(), options.name.end(), name_);
}

Poseidon2State poseidon2_fill_row(const Poseidon2State& input, std::span<BabyBear> row) {
  TESSERA_CHECK(
      row.size() >= cols::kPermutationWidth, ErrorKind::InvalidArgument,
      "poseidon2 row has " << row.size() << " columns, needs " << cols::kPermutationWidth);
  const poseidon2_detail::Poseidon2Constants& c = poseidon2_detail::constants();
  BabyBear* out = row.data();
  Poseidon2State s = input;
  for (size_t i = 0; i < kPoseidon2Width; ++i) out[cols::input(i)] = s[i];
  poseidon2_detail::external_layer(s);
  for (size_t r = 0; r < kPoseidon2HalfFullRounds; ++r) {
    fill_full_round(s, c.external[r], out + cols::full_round(r));
  }
  for (size_t r = 0; r < kPoseidon2PartialRounds; ++r) {
    const SboxValues v = sbox_with_cube(s[0] + BabyBear::from_raw(c.internal[r]));
    out[cols::partial_round(r)] = v.cube;
    out[cols::partial_round(r) + 1] = v.seventh;
    s[0] = v.seventh;
    poseidon2_detail::internal_layer(s, c);
  }
  for (size_t r = kPoseidon2HalfFullRounds; r < kPoseidon2FullRounds; ++r) {
    fill_full_round(s, c.external[r], out + cols::full_round(r));
  }
  return s;
}

Poseidon2State poseidon2_row_input(std::span<const BabyBear> row) {
  TESSERA_CHECK(row.size() >= cols::kPermutationWidth, ErrorKind::InvalidArgument,
                "poseidon2 row has " << row.size() << " columns");
  Poseidon2State s;
  for (size_t i = 0; i < kPoseidon2Width; ++i) s[i] = row[cols::input(i)];
  return s;
}

Poseidon2State poseidon2_row_output(std::span<const BabyBear> row) {
  TESSERA_CHECK(row.size() >= cols::kPermutationWidth, ErrorKind::InvalidArgument,
                "poseidon2 row has " << row.size() << " columns");
  Poseidon2State s;
  for (size_t i = 0; i < kPoseidon2Width; ++i) s[i] = row[cols::output(i)];
  return s;
}

RowMajorMatrix<BabyBear> Poseidon2Air::generate_trace(std::span<const Poseidon2State> inputs,
                                                      std::span<const BabyBear> multiplicities,
                                                      size_t min_height) const {
  TESSERA_CHECK(multiplicities.empty() || has_bus_, ErrorKind::InvalidArgument,
                "table " << name() << ": multiplicities given but the AIR has no LogUp bus");
  TESSERA_CHECK(multiplicities.empty() || multiplicities.size() == inputs.size(),
                ErrorKind::InvalidArgument,
                "table " << name_ << ": " << multiplicities.size() << " multiplicities for "
                         << inputs.size() << " inputs");
  TESSERA_CHECK(min_height <= (size_t{1} << 30) && inputs.size() <= (size_t{1} << 30),
                ErrorKind::InvalidArgument, "table " << name_ << ": more than 2^30 rows requested");
  const size_t height = std::bit_ceil(std::max({inputs.size(), min_height, size_t{1}}));
  const size_t w = width();
  RowMajorMatrix<BabyBear> trace(w, height);
  const Poseidon2State zero{};
  const auto n_inputs = static_cast<int64_t>(inputs.size());
#pragma omp parallel for schedule(static)
  for (int64_t r = 0; r < static_cast<int64_t>(height); ++r) {
    const bool real = r < n_inputs;
    BabyBear* row = trace.data() + static_cast<size_t>(r) * w;
    poseidon2_fill_row(real ? inputs[static_cast<size_t>(r)] : zero, std::span<BabyBear>(row, w));
    if (has_bus_) {
      BabyBear mult = BabyBear::zero();
      if (real) mult = multiplicities.empty() ? BabyBear::one() : multiplicities[size_t(r)];
      row[multiplicity_col()] = mult;
    }
  }
  return trace;
}

}  // namespace tessera
