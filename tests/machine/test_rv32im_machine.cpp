// The rv32im ShardedMachine: shards prove and verify into a chain of statements from the
// request's initial state to a halted end, whatever the shard size; proofs are tied to their
// shard, program and configuration.
#include <gtest/gtest.h>

#include "backend/cpu_backend.hpp"
#include "machine/rv32im_machine.hpp"
#include "machine_test_support.hpp"
#include "shard/statement.hpp"

namespace tessera::rv32im::test {
namespace {

constexpr uint32_t kBuf = 0x20000;

std::vector<uint32_t> io_program() {
  std::vector<uint32_t> c;
  const auto call = [&](uint32_t number, uint32_t a0, uint32_t a1, uint32_t a2) {
    li(c, rv::a0, a0);
    li(c, rv::a1, a1);
    li(c, rv::a2, a2);
    li(c, rv::a7, number);
    c.push_back(rv::ecall());
  };
  call(63, 0, kBuf + 3, 9);
  li(c, rv::t0, 0x01020304);
  c.push_back(rv::add(rv::t1, rv::t0, rv::t0));
  call(64, 1, kBuf + 3, 9);
  li(c, rv::a0, 7);
  li(c, rv::a7, 93);
  c.push_back(rv::ecall());
  return c;
}

std::vector<uint8_t> elf_of(const std::vector<uint32_t>& code) {
  return vm::test::build_elf_from_code(
      code, {{kBuf, std::vector<uint8_t>(64, 0), 0, vm::test::kPfR | vm::test::kPfW}});
}

ShardStatement prove_and_verify_all(const Rv32imMachine& m) {
  CpuBackend backend;
  const auto checkpoints = m.execute();
  std::optional<ShardStatement> root;
  for (uint64_t i = 0; i < checkpoints.size(); ++i) {
    const auto proof = m.prove_shard(i, checkpoints[i], backend);
    const ShardStatement s = m.verify_shard(i, proof);
    root = root ? merge_statements(*root, s) : s;
  }
  m.check_root(*root);
  return *root;
}

TEST(Rv32imMachine, ProvesAndChainsAtSeveralShardSizes) {
  std::vector<ShardStatement> roots;
  for (const uint64_t shard_cycles : {8u, 32u, 128u}) {
    Rv32imRequest r;
    r.elf = elf_of(io_program());
    r.shard_cycles = shard_cycles;
    r.config = "test";
    const auto m = Rv32imMachine::for_proving(r, {'h', 'e', 'l', 'l', 'o', ' ', 'z', 'k', '!', '?'});
    const ShardStatement root = prove_and_verify_all(*m);
    const MachineStatement end = statement_of(root.end_state);
    EXPECT_TRUE(end.halted);
    EXPECT_EQ(end.exit_code, 7u);
    EXPECT_EQ(end.output.digest(), m->execution().final_state.output.digest());
    EXPECT_EQ(end.input.digest(), m->execution().final_state.input_digest.digest());
    EXPECT_EQ(end.cycle, m->execution().final_state.cycle);
    roots.push_back(root);
  }
  // The same run: only the cut differs, never the end.
  for (const auto& r : roots) {
    EXPECT_EQ(r.start_state, roots[0].start_state);
    EXPECT_EQ(r.end_state, roots[0].end_state);
  }
}

TEST(Rv32imMachine, ProofsAreBoundToShardProgramAndRequest) {
  Rv32imRequest r;
  r.elf = elf_of(io_program());
  r.shard_cycles = 8;
  r.config = "test";
  const auto m = Rv32imMachine::for_proving(r, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  ASSERT_GE(m->num_shards(), 3u);
  CpuBackend backend;
  const auto checkpoints = m->execute();
  const auto proof1 = m->prove_shard(1, checkpoints[1], backend);
  // Another shard's slot.
  EXPECT_THROW(m->verify_shard(2, proof1), Error);
  // Another program (one instruction differs): another verifying key.
  auto code = io_program();
  code[3] = rv::addi(rv::a1, rv::a1, 1);
  Rv32imRequest other = r;
  other.elf = elf_of(code);
  const auto m2 = Rv32imMachine::for_proving(other, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  EXPECT_THROW(m2->verify_shard(1, proof1), Error);
  // The machine rebuilt from its recorded request verifies the same proof.
  const auto rebuilt = Rv32imMachine::from_request(m->parameters(), m->blobs());
  EXPECT_EQ(rebuilt->initial_state(), m->initial_state());
  EXPECT_EQ(rebuilt->verify_shard(1, proof1), m->verify_shard(1, proof1));
  // Shards must chain: shard 0 then shard 2 does not merge.
  const auto proof0 = m->prove_shard(0, checkpoints[0], backend);
  const auto proof2 = m->prove_shard(2, checkpoints[2], backend);
  EXPECT_THROW(merge_statements(m->verify_shard(0, proof0), m->verify_shard(2, proof2)), Error);
}

TEST(Rv32imMachine, TruncatedRunIsNotARoot) {
  Rv32imRequest r;
  r.elf = elf_of(io_program());
  r.shard_cycles = 16;
  r.config = "test";
  const auto m = Rv32imMachine::for_proving(r, {});
  CpuBackend backend;
  const auto checkpoints = m->execute();
  const ShardStatement s0 = m->verify_shard(0, m->prove_shard(0, checkpoints[0], backend));
  EXPECT_THROW(m->check_root(s0), Error);
}

}  // namespace
}  // namespace tessera::rv32im::test
