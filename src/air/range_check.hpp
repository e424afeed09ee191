#pragma once
// A two-table range check via LogUp.
//
//   RangeTableAir (bits):   the lookup table. One preprocessed column t with t_i = i on row i
//                           (2^bits rows, committed in the verifying key) and one main column m,
//                           the multiplicity: receive_lookup(bus, {t}, m) on every row (the
//                           lookup-table side: m is a free count, stark/bus_rules.hpp).
//   LimbDecompositionAir:   columns (x, l_0, .., l_{k-1}) with x = sum_i l_i 2^(bits i) on every
//                           row and send(bus, {l_i}, 1) for every limb, so that the shard
//                           balances only if every limb lies in [0, 2^bits): then
//                           x < 2^(bits k) is proven (for bits * k < 31, without wrap-around).
//
// The two tables have independent heights (the range table's is fixed at 2^bits), which is
// what a multi-table shard proof must support.

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/check.hpp"
#include "field/babybear.hpp"
#include "matrix/row_major_matrix.hpp"
#include "stark/air.hpp"
#include "stark/cuda_quotient.hpp"

namespace tessera {

struct RangeTableAir : AirBase {
  uint32_t bits = 8;
  uint32_t bus = 1;

  std::string name() const { return "range" + std::to_string(bits); }
  size_t width() const { return 1; }
  size_t preprocessed_width() const { return 1; }
  RowMajorMatrix<BabyBear> preprocessed_trace() const {
    RowMajorMatrix<BabyBear> t(1, size_t{1} << bits);
    for (size_t i = 0; i < t.height(); ++i)
      t.at(i, 0) = BabyBear::from_u32(static_cast<uint32_t>(i));
    return t;
  }

  template <class AB>
  TESSERA_HD void eval(AB& b) const {
    b.receive_lookup(bus, {b.preprocessed().local(0)}, b.main().local(0));
  }
};

struct LimbDecompositionAir : AirBase {
  uint32_t bits = 8;
  uint32_t limbs = 3;
  uint32_t bus = 1;

  std::string name() const { return "limbs" + std::to_string(limbs) + "x" + std::to_string(bits); }
  size_t width() const { return 1 + limbs; }

  template <class AB>
  TESSERA_HD void eval(AB& b) const {
    using Expr = typename AB::Expr;
    const auto m = b.main();
    Expr sum(BabyBear::zero());
    BabyBear scale = BabyBear::one();
    const BabyBear radix = BabyBear::from_u32(1u << bits);
    for (uint32_t i = 0; i < limbs; ++i) {
      sum = sum + Expr(m.local(1 + i)) * scale;
      scale = scale * radix;
      b.send(bus, {m.local(1 + i)}, BabyBear::one());
    }
    b.assert_eq("limbs.recompose", m.local(0), sum);
  }
};

TESSERA_CUDA_QUOTIENT_AIR(RangeTableAir);
TESSERA_CUDA_QUOTIENT_AIR(LimbDecompositionAir);

// Traces for values x_i (each < 2^(bits * limbs)), padded with zeros to 2^log_height rows: the
// decomposition table and the range table's multiplicity column.
struct RangeCheckWitness {
  RowMajorMatrix<BabyBear> limbs_trace;
  RowMajorMatrix<BabyBear> range_trace;
};
inline RangeCheckWitness range_check_witness(const LimbDecompositionAir& air,
                                             const std::vector<uint32_t>& values,
                                             uint32_t log_height) {
  const size_t n = size_t{1} << log_height;
  TESSERA_CHECK(values.size() <= n, ErrorKind::InvalidArgument,
                values.size() << " values do not fit in 2^" << log_height << " rows");
  RangeCheckWitness w{RowMajorMatrix<BabyBear>(1 + air.limbs, n),
                      RowMajorMatrix<BabyBear>(1, size_t{1} << air.bits)};
  std::vector<uint64_t> counts(size_t{1} << air.bits, 0);
  const uint32_t mask = (1u << air.bits) - 1;
  TESSERA_CHECK(air.bits >= 1 && air.bits <= 20 && air.limbs >= 1 && air.bits * air.limbs <= 30,
                ErrorKind::InvalidArgument,
                "range check of " << air.limbs << " limbs of " << air.bits
                                  << " bits: need 1..20 bits and at most 30 bits in all");
  for (size_t r = 0; r < n; ++r) {
    const uint32_t x = r < values.size() ? values[r] : 0;
    TESSERA_CHECK((x >> (air.bits * air.limbs)) == 0, ErrorKind::InvalidArgument,
                  "value " << x << " at row " << r << " does not fit in " << air.limbs
                           << " limbs of " << air.bits << " bits");
    w.limbs_trace.at(r, 0) = BabyBear::from_u32(x);
    for (uint32_t i = 0; i < air.limbs; ++i) {
      const uint32_t limb = (x >> (air.bits * i)) & mask;
      w.limbs_trace.at(r, 1 + i) = BabyBear::from_u32(limb);
      ++counts[limb];
    }
  }
  for (size_t v = 0; v < counts.size(); ++v) w.range_trace.at(v, 0) = BabyBear::from_u64(counts[v]);
  return w;
}

}  // namespace tessera
