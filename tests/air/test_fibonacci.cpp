// The Fibonacci AIR: witness values, debug check, and proofs for several starts and heights.
#include <gtest/gtest.h>

#include "air/fibonacci.hpp"
#include "backend/cpu_backend.hpp"
#include "stark/keys.hpp"
#include "stark/prover.hpp"
#include "stark/verifier.hpp"

namespace tessera {
namespace {

TEST(FibonacciAir, WitnessFollowsTheRecurrence) {
  const auto w = fibonacci_witness(5);  // from (0, 1)
  // Row r holds (F_r, F_{r+1}); the result is F_32 = 2178309.
  EXPECT_EQ(w.trace.at(10, 0).as_u32(), 55u);
  EXPECT_EQ(w.trace.at(10, 1).as_u32(), 89u);
  EXPECT_EQ(w.public_values[2].as_u32(), 2178309u);
  // F_64 mod p, by a direct 64-bit loop.
  uint64_t a = 0, b = 1;
  for (int i = 0; i < 64; ++i) {
    const uint64_t c = (a + b) % BabyBear::kModulus;
    a = b;
    b = c;
  }
  EXPECT_EQ(fibonacci_witness(6).public_values[2].as_u32(), a);
}

TEST(FibonacciAir, DebugCheckAcceptsAndRejects) {
  auto w = fibonacci_witness(4, BabyBear::from_u32(7), BabyBear::from_u32(3));
  EXPECT_NO_THROW(debug_check_table(FibonacciAir{}, w.trace, w.public_values, nullptr));
  w.trace.at(15, 0) += BabyBear::one();  // a at the last row: row 14's a' = b fails
  EXPECT_THROW(debug_check_table(FibonacciAir{}, w.trace, w.public_values, nullptr), Error);
}

TEST(FibonacciAir, ProvesFromAnyStart) {
  Machine m("fibonacci");
  m.add(FibonacciAir{});
  CpuBackend backend;
  const ProvingKey pk = setup(m, "test", backend);
  VerifyOptions o;
  o.allow_insecure = true;
  for (uint32_t log_n : {2u, 7u}) {
    auto w = fibonacci_witness(log_n, BabyBear::from_u32(123456), BabyBear::from_u32(2));
    const ShardProof p = prove(m, pk, {{w.trace, w.public_values}}, backend);
    EXPECT_NO_THROW(verify(m, pk.vk, p, o));
    // The same trace cannot prove another result.
    ShardProof q = p;
    q.public_values[0][2] = BabyBear::from_u32(5);
    EXPECT_THROW(verify(m, pk.vk, q, o), Error);
  }
}

}  // namespace
}  // namespace tessera
