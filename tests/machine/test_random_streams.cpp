// The random instruction streams of the executor's qemu differential test (tests/vm: every
// RV32IM opcode on edge-heavy operands, loads and stores, branches and jumps, a register and
// memory dump written to the public output) proven by the zkVM: every shard verifies and the
// chain's root carries the executor's output digest, at two shard lengths.
#include <gtest/gtest.h>

#include "../vm/random_program.hpp"
#include "backend/cpu_backend.hpp"
#include "machine/rv32im_machine.hpp"
#include "machine_test_support.hpp"
#include "shard/statement.hpp"

namespace tessera::rv32im::test {
namespace {

TEST(RandomStreams, ProveAndVerifyLikeTheExecutor) {
  for (const uint64_t seed : {3u, 11u}) {
    const auto [code, kinds] = vm::test::random_program(seed * 7919, 300);
    for (const uint64_t shard_cycles : {256u, 4096u}) {
      SCOPED_TRACE(testing::Message() << "seed " << seed << ", shards of " << shard_cycles);
      Rv32imRequest r;
      r.elf = vm::test::random_program_elf(code, seed);
      r.shard_cycles = shard_cycles;
      r.config = "test";
      const auto m = Rv32imMachine::for_proving(r, {});
      const MachineStatement end = statement_of(prove_and_verify_all(*m).end_state);
      EXPECT_EQ(end.output.digest(), m->execution().final_state.output.digest());
      EXPECT_EQ(end.output.byte_count(), 128u + vm::test::kScratchSize);
      EXPECT_EQ(end.exit_code, 0u);
    }
  }
}

}  // namespace
}  // namespace tessera::rv32im::test
