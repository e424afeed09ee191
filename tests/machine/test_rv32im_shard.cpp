// Shard proofs of the rv32im zkVM: completeness on small programs, and rejection of tampered
// witnesses.
#include <gtest/gtest.h>

#include "machine/alu_table.hpp"
#include "machine/rv32im_machine.hpp"
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

namespace tessera::rv32im::test {
namespace {

constexpr uint32_t kBuf = 0x20000;

// System calls in straight-line code: reads (aligned, unaligned, short, at end of file), writes
// to fd 1 and fd 2, the Poseidon2 call, exit.
std::vector<uint32_t> syscall_program() {
  std::vector<uint32_t> c;
  const auto call = [&](uint32_t number, uint32_t a0, uint32_t a1, uint32_t a2) {
    li(c, rv::a0, a0);
    li(c, rv::a1, a1);
    li(c, rv::a2, a2);
    li(c, rv::a7, number);
    c.push_back(rv::ecall());
  };
  call(63, 0, kBuf + 1, 6);        // read 6 bytes at an unaligned address
  call(64, 1, kBuf + 2, 3);        // write 3 of them
  call(64, 2, kBuf, 4);            // debug log
  li(c, rv::a0, kBuf + 0x100);     // poseidon2 on 16 zero words
  li(c, rv::a7, 0x5032);
  c.push_back(rv::ecall());
  call(64, 1, kBuf + 0x100, 64);   // write the permutation
  call(63, 0, kBuf + 0x200, 100);  // short read: the rest of the input, end of file
  call(63, 0, kBuf + 0x300, 8);    // at end of file: 0 bytes
  call(64, 1, kBuf, 0);            // empty write
  li(c, rv::a0, 42);
  li(c, rv::a7, 93);
  c.push_back(rv::ecall());
  return c;
}

std::vector<vm::test::SegmentSpec> data_segment() {
  return {{kBuf, std::vector<uint8_t>(0x400, 0), 0, vm::test::kPfR | vm::test::kPfW}};
}

std::vector<uint8_t> input_bytes() {
  std::vector<uint8_t> in;
  for (int i = 0; i < 11; ++i) in.push_back(static_cast<uint8_t>(0xa0 + 7 * i));
  return in;
}

TEST(Rv32imShard, SystemCallsProveInOneShard) {
  Guest g(syscall_program(), 1u << 12, data_segment(), input_bytes());
  ASSERT_EQ(g.run.checkpoints.size(), 1u);
  ASSERT_TRUE(g.run.final_state.halted);
  const ShardWitness w = g.witness(0);
  const Machine& m = g.stark->machine();
  m.debug_check(traces_of(w), public_values_of(w));
  CpuBackend backend;
  const ProvingKey pk = setup(m, "test", backend);
  const ShardProof proof = prove(m, pk, w.tables, backend);
  verify(m, pk.vk, proof, VerifyOptions{.allow_insecure = true});
}

TEST(Rv32imShard, SystemCallsBalanceAcrossShardBoundaries) {
  for (const uint64_t shard_cycles : {3u, 7u, 16u}) {
    Guest g(syscall_program(), shard_cycles, data_segment(), input_bytes());
    const auto siblings = g.siblings_per_shard();
    for (size_t k = 0; k < g.run.checkpoints.size(); ++k) {
      const ShardWitness w = build_shard_witness(*g.ctx, *g.stark, g.run.checkpoints[k], siblings[k]);
      SCOPED_TRACE(testing::Message() << "shard cycles " << shard_cycles << ", shard " << k);
      g.stark->machine().debug_check(traces_of(w), public_values_of(w));
    }
  }
}

// A verifier's machine comes from the artifact's recorded request, shard count included: a prover
// that records one shard for a run of several proves only the first. Its statement covers every
// shard the request names and starts from the initial state, but the guest has not halted.
// Protection: a root ends halted (check_end_state); the shard count alone cannot tell (found by
// scripts/mutation/rv32im.txt: Rv32imMachine.TruncatedRunIsNotARoot stops at the shard count).
TEST(Rv32imShard, TruncatedRunRecordedAsTheWholeRunIsNotARoot) {
  Rv32imRequest r;
  r.elf = vm::test::build_elf_from_code(syscall_program(), data_segment());
  r.shard_cycles = 16;
  r.config = "test";
  const auto prover = Rv32imMachine::for_proving(r, input_bytes());
  const auto checkpoints = prover->execute();
  ASSERT_GE(checkpoints.size(), 2u);
  auto parameters = prover->parameters();
  parameters["shards"] = "1";
  const auto verifier = Rv32imMachine::from_request(parameters, prover->blobs());
  CpuBackend backend;
  const ShardStatement s0 = verifier->verify_shard(0, prover->prove_shard(0, checkpoints[0], backend));
  try {
    verifier->check_root(s0);
    ADD_FAILURE() << "a run cut after its first shard was accepted as the whole run";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::VerifyFailed) << e.what();
    EXPECT_NE(std::string(e.what()).find("halted"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace tessera::rv32im::test
