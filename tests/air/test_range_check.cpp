// The two-table range check: witness generation, and a proof with tables of different heights
// (an 8-bit table of 256 rows against 2^6 or 2^10 decomposed values).
#include <gtest/gtest.h>

#include <numeric>

#include "air/range_check.hpp"
#include "backend/cpu_backend.hpp"
#include "stark/keys.hpp"
#include "stark/prover.hpp"
#include "stark/verifier.hpp"

namespace tessera {
namespace {

LimbDecompositionAir byte_limbs() {
  LimbDecompositionAir a;
  a.bits = 8;
  a.limbs = 3;
  a.bus = 2;
  return a;
}

TEST(RangeCheckAir, WitnessDecomposesAndCounts) {
  const auto air = byte_limbs();
  const auto w = range_check_witness(air, {0x123456, 0xff, 0x10000}, 2);
  EXPECT_EQ(w.limbs_trace.at(0, 1).as_u32(), 0x56u);
  EXPECT_EQ(w.limbs_trace.at(0, 2).as_u32(), 0x34u);
  EXPECT_EQ(w.limbs_trace.at(0, 3).as_u32(), 0x12u);
  EXPECT_EQ(w.range_trace.height(), 256u);
  uint64_t total = 0;
  for (size_t i = 0; i < 256; ++i) total += w.range_trace.at(i, 0).as_u32();
  EXPECT_EQ(total, 4u * 3u);  // 4 rows (one padding row) x 3 limbs
  // Zero limbs: none in 0x123456, two in 0xff, two in 0x10000, three in the padding row.
  EXPECT_EQ(w.range_trace.at(0, 0).as_u32(), 7u);
  EXPECT_THROW(range_check_witness(air, {1u << 24}, 2), Error);
  EXPECT_THROW(range_check_witness(air, {1, 2, 3, 4, 5}, 2), Error);
}

TEST(RangeCheckAir, ProvesWithDifferentHeights) {
  RangeTableAir table;
  table.bits = 8;
  table.bus = 2;
  Machine m("bytes");
  m.add(byte_limbs());
  m.add(table);
  CpuBackend backend;
  const ProvingKey pk = setup(m, "test", backend);
  VerifyOptions o;
  o.allow_insecure = true;
  for (uint32_t log_n : {6u, 10u}) {
    std::vector<uint32_t> values(size_t{1} << log_n);
    std::iota(values.begin(), values.end(), 0xfff00u);
    auto w = range_check_witness(byte_limbs(), values, log_n);
    const ShardProof p =
        prove(m, pk, {{std::move(w.limbs_trace), {}}, {std::move(w.range_trace), {}}}, backend);
    EXPECT_EQ(p.log_heights, (std::vector<uint32_t>{log_n, 8}));
    EXPECT_NO_THROW(verify_bytes(m, pk.vk, serialize_shard_proof(p), o));
  }
}

}  // namespace
}  // namespace tessera
