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

TEST(Rv32imMachine, ProvesAndChainsAtSeveralShardSizes) {
  std::vector<ShardStatement> roots;
  for (const uint64_t shard_cycles : {8u, 32u, 128u}) {
    Rv32imRequest r;
    r.elf = elf_of(io_program());
    r.shard_cycles = shard_cycles;
    r.config = "test";
    const auto m =
        Rv32imMachine::for_proving(r, {'h', 'e', 'l', 'l', 'o', ' ', 'z', 'k', '!', '?'});
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
  // The debug check (off by default) changes nothing in the proof.
  EXPECT_FALSE(m->debug_check());
  m->set_debug_check(true);
  EXPECT_EQ(m->prove_shard(1, checkpoints[1], backend), proof1);
  m->set_debug_check(false);
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

// A checkpoint that is not the shard's own is refused with its cause before anything is proven.
TEST(Rv32imMachine, BadCheckpointsAreRefusedWithTheirCause) {
  Rv32imRequest r;
  r.elf = elf_of(io_program());
  r.shard_cycles = 8;
  r.config = "test";
  const std::vector<uint8_t> input = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  const auto m = Rv32imMachine::for_proving(r, input);
  const auto checkpoints = m->execute();
  ASSERT_GE(checkpoints.size(), 3u);
  CpuBackend backend;
  const auto refused = [&](ErrorKind kind, const std::string& why, const std::vector<uint8_t>& cp) {
    try {
      m->prove_shard(1, cp, backend);
      ADD_FAILURE() << "proved shard 1 from a bad checkpoint (" << why << ")";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), kind) << e.what();
      EXPECT_NE(std::string(e.what()).find(why), std::string::npos) << e.what();
    }
  };
  // Truncated anywhere: in the header, the executor's part, the memory-tree siblings.
  for (const size_t keep :
       {size_t{3}, size_t{20}, checkpoints[1].size() / 2, checkpoints[1].size() - 1}) {
    SCOPED_TRACE(keep);
    refused(ErrorKind::Format, "malformed data",
            {checkpoints[1].begin(), checkpoints[1].begin() + keep});
  }
  // One byte too many; not a checkpoint of this machine at all.
  auto longer = checkpoints[1];
  longer.push_back(0);
  refused(ErrorKind::Format, "malformed data", longer);
  refused(ErrorKind::Format, "not an rv32im shard checkpoint", std::vector<uint8_t>(64, 0x5a));
  // Another shard's checkpoint.
  refused(ErrorKind::InvalidArgument, "the checkpoint of shard 2 given to prove shard 1",
          checkpoints[2]);
  // The same shard of another program, and of the same program with another input.
  auto code = io_program();
  code[3] = rv::addi(rv::a1, rv::a1, 1);
  Rv32imRequest other = r;
  other.elf = elf_of(code);
  refused(ErrorKind::ConfigMismatch, "belongs to another program",
          Rv32imMachine::for_proving(other, input)->execute().at(1));
  refused(ErrorKind::ConfigMismatch, "is not this request's",
          Rv32imMachine::for_proving(r, {9, 8, 7, 6, 5, 4, 3, 2, 1})->execute().at(1));
  // The shard's own checkpoint still proves.
  EXPECT_NO_THROW(m->verify_shard(1, m->prove_shard(1, checkpoints[1], backend)));
}

// The private input is recorded only when asked (keep_input), and a recorded input must be the
// one whose digest the request carries.
TEST(Rv32imMachine, InputIsKeptOnlyWhenAskedAndMustMatchItsDigest) {
  Rv32imRequest r;
  r.elf = elf_of(io_program());
  r.shard_cycles = 8;
  r.config = "test";
  const std::vector<uint8_t> input = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  EXPECT_EQ(Rv32imMachine::for_proving(r, input)->blobs().count("input"), 0u);
  r.keep_input = true;
  const auto m = Rv32imMachine::for_proving(r, input);
  auto blobs = m->blobs();
  ASSERT_EQ(blobs.count("input"), 1u);
  EXPECT_EQ(blobs.at("input"), input);
  EXPECT_EQ(Rv32imMachine::from_request(m->parameters(), blobs)->blobs(), blobs);
  blobs.at("input").back() ^= 1;
  try {
    Rv32imMachine::from_request(m->parameters(), blobs);
    ADD_FAILURE() << "a recorded input of another digest was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Format) << e.what();
  }
}

}  // namespace
}  // namespace tessera::rv32im::test

namespace tessera::rv32im::test {
namespace {

TEST(Rv32imMachine, AMachineForThePipelineLearnsItsCountByExecuting) {
  // What every rank of `tessera prove --elf` builds: no execution until execute_each, whose
  // checkpoints, count, proofs and output are for_proving's; another rank adopts the count.
  Rv32imRequest r;
  r.elf = elf_of(io_program());
  r.shard_cycles = 8;
  r.config = "test";
  const std::vector<uint8_t> input = {'h', 'e', 'l', 'l', 'o', ' ', 'z', 'k', '!', '?'};
  const auto known = Rv32imMachine::for_proving(r, input);
  const auto learning = Rv32imMachine::for_pipeline(r, input);
  const auto other_rank = Rv32imMachine::for_pipeline(r, input);
  EXPECT_FALSE(learning->shard_count_known());
  EXPECT_EQ(learning->num_shards(), 0u);
  EXPECT_FALSE(learning->public_output().has_value()) << "nothing executed yet";
  EXPECT_EQ(learning->program_digest(), known->program_digest());
  EXPECT_EQ(learning->initial_state(), known->initial_state());
  EXPECT_THROW(known->adopt_shard_count(known->num_shards()), Error);

  CpuBackend backend;
  // A shard proven while the execution is still going (the count unknown) is the same proof.
  std::vector<std::vector<uint8_t>> checkpoints;
  std::vector<uint8_t> early_proof;
  learning->execute_each([&](uint64_t index, std::vector<uint8_t> checkpoint) {
    if (index == 0) {
      EXPECT_EQ(learning->num_shards(), 0u);
      early_proof = learning->prove_shard(0, checkpoint, backend);
    }
    checkpoints.push_back(std::move(checkpoint));
  });
  EXPECT_EQ(checkpoints, known->execute());
  EXPECT_EQ(learning->num_shards(), known->num_shards());
  EXPECT_EQ(learning->public_output(), known->public_output());
  EXPECT_EQ(early_proof, known->prove_shard(0, checkpoints[0], backend));
  EXPECT_EQ(learning->parameters(), known->parameters());

  // The other rank adopts the count (once; a different one is a bug) and proves the same bytes.
  EXPECT_THROW(other_rank->adopt_shard_count(0), Error);
  other_rank->adopt_shard_count(known->num_shards());
  other_rank->adopt_shard_count(known->num_shards());
  EXPECT_THROW(other_rank->adopt_shard_count(known->num_shards() + 1), Error);
  EXPECT_EQ(other_rank->parameters(), known->parameters());
  const uint64_t last = known->num_shards() - 1;
  EXPECT_EQ(other_rank->prove_shard(last, checkpoints[last], backend),
            known->prove_shard(last, checkpoints[last], backend));
  EXPECT_THROW(other_rank->verify_shard(last + 1, early_proof), Error);
}

TEST(Rv32imMachine, AGuestThatTrapsFailsTheExecutionAfterTheShardsBeforeIt) {
  // 20 cycles of work, then an illegal instruction: a machine for the pipeline builds (nothing
  // executes), and execute_each hands out the shards before the trap, then throws GuestTrap.
  std::vector<uint32_t> code;
  for (int i = 0; i < 20; ++i) code.push_back(rv::addi(rv::t0, rv::t0, 1));
  code.push_back(0);  // illegal
  Rv32imRequest r;
  r.elf = elf_of(code);
  r.shard_cycles = 8;
  r.config = "test";
  EXPECT_THROW(Rv32imMachine::for_proving(r, {}), Error);
  const auto m = Rv32imMachine::for_pipeline(r, {});
  uint64_t emitted = 0;
  try {
    m->execute_each([&](uint64_t, std::vector<uint8_t>) { ++emitted; });
    ADD_FAILURE() << "the trap was not reported";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::GuestTrap) << e.what();
  }
  EXPECT_EQ(emitted, 2u);
  EXPECT_EQ(m->num_shards(), 0u) << "a failed execution learns no count";
}

}  // namespace
}  // namespace tessera::rv32im::test
