#pragma once
// Shared fixtures of the STARK tests: small machines (Fibonacci; the two-table range check; a
// table with preprocessed columns), their witnesses, and prove/verify helpers at the `test`
// configuration.

#include <cstdint>
#include <string>
#include <vector>

#include "air/fibonacci.hpp"
#include "air/range_check.hpp"
#include "backend/cpu_backend.hpp"
#include "stark/keys.hpp"
#include "stark/machine.hpp"
#include "stark/prover.hpp"
#include "stark/verifier.hpp"

namespace tessera::test {

// A table with one preprocessed column t_i = i and one main column s with s = t^2 on every row
// (degree 2), plus the public value s at the last row.
struct SquaresAir : AirBase {
  uint32_t log_height = 4;
  std::string name() const { return "squares"; }
  size_t width() const { return 1; }
  size_t preprocessed_width() const { return 1; }
  size_t num_public_values() const { return 1; }
  RowMajorMatrix<BabyBear> preprocessed_trace() const {
    RowMajorMatrix<BabyBear> t(1, size_t{1} << log_height);
    for (size_t i = 0; i < t.height(); ++i)
      t.at(i, 0) = BabyBear::from_u32(static_cast<uint32_t>(i));
    return t;
  }
  template <class AB>
  void eval(AB& b) const {
    using Expr = typename AB::Expr;
    const Expr t = b.preprocessed().local(0);
    b.assert_eq("squares.square", b.main().local(0), t * t);
    b.when_last_row().assert_eq("squares.last", b.main().local(0), b.public_value(0));
  }
};
inline TableWitness squares_witness(uint32_t log_height) {
  const size_t n = size_t{1} << log_height;
  RowMajorMatrix<BabyBear> m(1, n);
  for (size_t i = 0; i < n; ++i) m.at(i, 0) = BabyBear::from_u64(uint64_t{i} * i);
  return {m, {BabyBear::from_u64(uint64_t{n - 1} * (n - 1))}};
}

inline Machine fibonacci_machine() {
  Machine m("fibonacci");
  m.add(FibonacciAir{});
  return m;
}
inline std::vector<TableWitness> fibonacci_tables(uint32_t log_height) {
  auto w = fibonacci_witness(log_height, BabyBear::from_u32(1), BabyBear::from_u32(1));
  return {{std::move(w.trace), std::move(w.public_values)}};
}

// Fibonacci (2^fib_log rows) + limb decomposition (2^values_log rows, 3 limbs of 4 bits) + the
// 16-row range table (preprocessed): three heights, interactions, preprocessed columns.
inline LimbDecompositionAir range_limbs_air() {
  LimbDecompositionAir a;
  a.bits = 4;
  a.limbs = 3;
  a.bus = 7;
  return a;
}
inline Machine range_machine() {
  Machine m("range-check");
  m.add(FibonacciAir{});
  m.add(range_limbs_air());
  RangeTableAir r;
  r.bits = 4;
  r.bus = 7;
  m.add(r);
  m.add(SquaresAir{});
  return m;
}
inline std::vector<TableWitness> range_tables(uint32_t fib_log, uint32_t values_log,
                                              uint64_t seed = 1) {
  std::vector<uint32_t> values;
  uint64_t x = seed;
  for (size_t i = 0; i < (size_t{1} << values_log) - 1; ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    values.push_back(static_cast<uint32_t>(x >> 52));  // 12 bits
  }
  auto rw = range_check_witness(range_limbs_air(), values, values_log);
  std::vector<TableWitness> out = fibonacci_tables(fib_log);
  out.push_back({std::move(rw.limbs_trace), {}});
  out.push_back({std::move(rw.range_trace), {}});
  out.push_back(squares_witness(4));
  return out;
}

struct Proved {
  ProvingKey pk;
  ShardProof proof;
  std::vector<uint8_t> bytes;
};
inline Proved prove_with(const Machine& m, std::vector<TableWitness> w,
                         const std::string& config = "test", bool debug_check = true) {
  CpuBackend backend;
  Proved p{setup(m, config, backend), {}, {}};
  ProveOptions o;
  o.debug_check = debug_check;
  p.proof = prove(m, p.pk, std::move(w), backend, o);
  p.bytes = serialize_shard_proof(p.proof);
  return p;
}
inline VerifyOptions insecure_ok() {
  VerifyOptions o;
  o.allow_insecure = true;
  return o;
}

}  // namespace tessera::test
