// Shard proofs of the rv32im zkVM: completeness on small programs, and rejection of tampered
// witnesses.
#include <gtest/gtest.h>

#include "machine/alu_table.hpp"
#include "machine_test_support.hpp"

namespace tessera::rv32im::test {
namespace {

std::vector<uint32_t> alu_program() {
  std::vector<uint32_t> c;
  li(c, rv::t0, 0x12345678);
  li(c, rv::t1, 0xfffffff0);
  c.push_back(rv::add(rv::t2, rv::t0, rv::t1));
  c.push_back(rv::sub(rv::t3, rv::t1, rv::t0));
  c.push_back(rv::sub(rv::t4, rv::t0, rv::t0));
  c.push_back(rv::addi(rv::zero, rv::t0, 5));  // a write to x0: nothing happens
  c.push_back(rv::add(rv::t5, rv::zero, rv::t2));
  c.push_back(rv::auipc(rv::t6, 0x12));
  c.push_back(rv::fence());
  for (int i = 0; i < 20; ++i) c.push_back(rv::addi(rv::t0, rv::t0, -7 * i));
  c.push_back(rv::addi(rv::a7, rv::zero, 93));
  c.push_back(rv::ecall());
  return c;
}

TEST(Rv32imShard, AluShardBalancesAndProves) {
  Guest g(alu_program(), 16);
  ASSERT_GE(g.run.checkpoints.size(), 2u);
  const ShardWitness w = g.witness(0);
  const Machine& m = g.stark->machine();
  m.debug_check(traces_of(w), public_values_of(w));
  CpuBackend backend;
  const ProvingKey pk = setup(m, "test", backend);
  const ShardProof proof = prove(m, pk, w.tables, backend);
  verify(m, pk.vk, proof, VerifyOptions{.allow_insecure = true});
}

TEST(Rv32imShard, WrongAluResultIsNamedAndRejected) {
  Guest g(alu_program(), 16);
  ShardWitness w = g.witness(0);
  // Row 2 of the ALU table is the ADD: bump the low result byte.
  const auto& L = AluAir{}.L;
  auto& t = w.tables[kTableAlu].trace;
  t.at(2, L.io.a[0]) += BabyBear::one();
  const Machine& m = g.stark->machine();
  EXPECT_THROW(m.debug_check(traces_of(w), public_values_of(w)), Error);
  CpuBackend backend;
  const ProvingKey pk = setup(m, "test", backend);
  ProveOptions o;
  o.debug_check = false;
  const ShardProof proof = prove(m, pk, w.tables, backend, o);
  EXPECT_THROW(verify(m, pk.vk, proof, VerifyOptions{.allow_insecure = true}), Error);
}

}  // namespace
}  // namespace tessera::rv32im::test
