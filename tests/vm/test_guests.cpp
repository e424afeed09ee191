// The sample guests (inputs/guests) under Tessera, against their independently generated expected
// outputs and against qemu-riscv32 on the same ELF (except the guests that use Tessera's Poseidon2
// system call, which qemu does not know); and every shard of every guest re-executed from its
// (serialised) checkpoint, reaching the full run's state, registers, digests and touched pages at
// the shard's end.

#include <gtest/gtest.h>

#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "digest_reference.hpp"
#include "hash/sponge.hpp"
#include "vm_test_support.hpp"

namespace tessera::vm::test {
namespace {

const char* const kGuests[] = {"fibonacci", "sha256", "keccak",  "sort",
                               "bigmul",    "interp", "p2merkle"};

// inputs/CMakeLists.txt's TESSERA_NO_QEMU_GUESTS, comma-separated.
bool runs_under_qemu(const std::string& name) {
  const std::string list = "," + std::string(TESSERA_TEST_NO_QEMU_GUESTS) + ",";
  return list.find("," + name + ",") == std::string::npos;
}

class GuestTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    const std::string dir = TESSERA_TEST_GUEST_DIR;
    if (dir.empty())
      GTEST_SKIP() << "guests not built (no riscv64-unknown-elf-gcc at configure time)";
    name = GetParam();
    elf = std::filesystem::path(dir) / (name + ".elf");
    input_path = std::filesystem::path(TESSERA_TEST_INPUTS_DIR) / "data" / (name + ".input");
    ASSERT_TRUE(std::filesystem::exists(elf)) << elf;
    input = read_file(input_path);
    expected =
        read_file(std::filesystem::path(TESSERA_TEST_INPUTS_DIR) / "data" / (name + ".expected"));
    ASSERT_FALSE(expected.empty());
    program = std::make_unique<Program>(Program::load(elf, kDefaultMaxPages));
  }

  std::string name;
  std::filesystem::path elf, input_path;
  std::vector<uint8_t> input, expected;
  std::unique_ptr<Program> program;
};

TEST_P(GuestTest, ProducesTheExpectedOutput) {
  ExecuteOptions o;
  o.count_instruction_mix = true;
  const ExecutionResult r = execute(*program, input, o);
  EXPECT_TRUE(r.final_state.halted);
  EXPECT_EQ(r.final_state.exit_code, 0u);
  EXPECT_EQ(r.public_output, expected);
  RunningDigest digest = RunningDigest::output();
  digest.absorb(expected);
  EXPECT_EQ(r.final_state.output.digest(), digest.digest());
  EXPECT_EQ(r.final_state.input_cursor, input.size());
  EXPECT_EQ(r.final_state.input_digest.digest(),
            reference_running_digest(kInputDigestDomain, input));
  uint64_t mix_total = 0;
  for (uint64_t c : r.instruction_mix) mix_total += c;
  EXPECT_EQ(mix_total, r.final_state.cycle);
  EXPECT_LT(r.final_state.cycle, 20'000'000u) << "keep sample guests quick";
}

TEST_P(GuestTest, MatchesQemu) {
  const std::string qemu = TESSERA_TEST_QEMU_RISCV32;
  if (qemu.empty()) GTEST_SKIP() << "qemu-riscv32 not found at configure time";
  if (!runs_under_qemu(name))
    GTEST_SKIP() << name << " uses the Poseidon2 system call, which qemu-riscv32 does not know";
  const ProcessResult q = run_process("'" + qemu + "' '" + elf.string() + "'", input_path.string());
  const ExecutionResult r = execute(*program, input, {});
  EXPECT_EQ(q.exit_code, static_cast<int>(r.final_state.exit_code & 0xff));
  EXPECT_EQ(q.out, r.public_output);
  EXPECT_EQ(q.err, std::string(r.debug_output.begin(), r.debug_output.end()));
}

TEST_P(GuestTest, EveryShardReplaysFromItsSerialisedCheckpoint) {
  ExecuteOptions o;
  o.shard_cycles = 1u << 18;
  o.keep_shard_ends = true;
  const ExecutionResult full = execute(*program, input, o);
  EXPECT_EQ(full.public_output, expected);
  ASSERT_EQ(full.checkpoints.size(),
            (full.final_state.cycle + o.shard_cycles - 1) / o.shard_cycles);
  std::vector<uint8_t> output;
  for (size_t k = 0; k < full.checkpoints.size(); ++k) {
    const Checkpoint cp = parse_checkpoint(serialize_checkpoint(full.checkpoints[k]));
    ASSERT_EQ(cp, full.checkpoints[k]);
    const ShardReplay replay = reexecute_shard(*program, cp);
    const ShardEnd& want = full.shard_ends[k];
    EXPECT_EQ(replay.end.state.pc, want.state.pc) << name << " shard " << k;
    EXPECT_EQ(replay.end.state.regs, want.state.regs) << name << " shard " << k;
    EXPECT_EQ(replay.end.state.output, want.state.output) << name << " shard " << k;
    EXPECT_EQ(replay.end.state, want.state) << name << " shard " << k;
    ASSERT_EQ(replay.end.pages.size(), want.pages.size()) << name << " shard " << k;
    for (size_t i = 0; i < want.pages.size(); ++i)
      EXPECT_EQ(replay.end.pages[i], want.pages[i])
          << name << " shard " << k << " page " << want.pages[i].index;
    output.insert(output.end(), replay.public_output.begin(), replay.public_output.end());
  }
  EXPECT_EQ(output, expected);
  EXPECT_EQ(full.shard_ends.back().state.exit_code, 0u);
  EXPECT_TRUE(full.shard_ends.back().state.halted);
}

TEST_P(GuestTest, EventRecordCoversAShard) {
  ExecuteOptions o;
  o.shard_cycles = 100'000;
  const ExecutionResult full = execute(*program, input, o);
  const Checkpoint& cp = full.checkpoints[full.checkpoints.size() / 2];
  ExecutionRecord rec;
  reexecute_shard(*program, cp, &rec);
  ASSERT_EQ(rec.cycles.size(), cp.cycle_count);
  EXPECT_EQ(rec.cycles.front().pc, cp.pc);
  for (size_t i = 0; i + 1 < rec.cycles.size(); ++i)
    ASSERT_EQ(rec.cycles[i].next_pc, rec.cycles[i + 1].pc);
}

// p2merkle's output recomputed with Tessera's own hash library (src/hash) from its input, by the
// tree that inputs/guests/p2merkle.c defines: a third computation beside the guest (through the
// system call) and generate.py (Python).
TEST(P2merkleGuest, OutputMatchesTheHashLibrary) {
  const std::string dir = TESSERA_TEST_GUEST_DIR;
  if (dir.empty())
    GTEST_SKIP() << "guests not built (no riscv64-unknown-elf-gcc at configure time)";
  const auto data = std::filesystem::path(TESSERA_TEST_INPUTS_DIR) / "data";
  const std::vector<uint8_t> input = read_file(data / "p2merkle.input");
  const std::vector<uint8_t> expected = read_file(data / "p2merkle.expected");
  ASSERT_GE(input.size(), 4u);
  auto word = [&](size_t i) {
    return uint32_t(input[4 * i]) | uint32_t(input[4 * i + 1]) << 8 |
           uint32_t(input[4 * i + 2]) << 16 | uint32_t(input[4 * i + 3]) << 24;
  };
  const uint32_t n = word(0);
  ASSERT_EQ(input.size(), 4 * (size_t{n} + 1));
  std::vector<BabyBear> values;
  for (uint32_t i = 0; i < n; ++i)
    values.push_back(BabyBear::from_u32(word(i + 1) % BabyBear::kModulus));
  std::vector<Digest> level;
  for (size_t i = 0; i < n; i += 8)
    level.push_back(hash_elements(std::span(values).subspan(i, std::min<size_t>(8, n - i))));
  size_t width = 1;
  while (width < level.size()) width *= 2;
  Digest zero;
  zero.fill(BabyBear::zero());
  level.resize(width, zero);
  while (level.size() > 1) {
    std::vector<Digest> up(level.size() / 2);
    for (size_t j = 0; j < up.size(); ++j) up[j] = compress(level[2 * j], level[2 * j + 1]);
    level = std::move(up);
  }
  std::vector<uint8_t> want;
  for (const Digest& d : {level[0], hash_elements(values)}) {
    for (const BabyBear& e : d)
      for (int b = 0; b < 4; ++b) want.push_back(static_cast<uint8_t>(e.as_u32() >> (8 * b)));
  }
  EXPECT_EQ(want, expected);

  const Program program =
      Program::load(std::filesystem::path(dir) / "p2merkle.elf", kDefaultMaxPages);
  const ExecutionResult r = execute(program, input, {});
  EXPECT_EQ(r.public_output, want);
  EXPECT_EQ(r.final_state.exit_code, 0u);
}

INSTANTIATE_TEST_SUITE_P(SampleGuests, GuestTest, ::testing::ValuesIn(kGuests),
                         [](const auto& param_info) { return std::string(param_info.param); });

}  // namespace
}  // namespace tessera::vm::test
