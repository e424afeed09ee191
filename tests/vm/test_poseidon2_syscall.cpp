// The Poseidon2 system call (a7 = kSysPoseidon2): the 16 words at a0 are replaced by the
// permutation of hash/poseidon2.hpp; its memory events; every trap, each leaving memory as it was;
// and shards whose re-execution needs the pages the call touched.

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <vector>

#include "hash/poseidon2.hpp"
#include "vm_test_support.hpp"

namespace tessera::vm::test {
namespace {

using namespace rv;
using State = std::array<uint32_t, 16>;

constexpr uint32_t kP = BabyBear::kModulus;

// li a0, addr; li a7, kSysPoseidon2; ecall — then the caller's exit(a0).
std::vector<uint32_t> permute_at(uint32_t addr) {
  std::vector<uint32_t> c = li(a0, addr);
  const auto n = li(a7, kSysPoseidon2);
  c.insert(c.end(), n.begin(), n.end());
  c.push_back(ecall());
  return c;
}

std::vector<uint8_t> state_bytes(const State& s) {
  return words_to_bytes(std::vector<uint32_t>(s.begin(), s.end()));
}

// The reference: the scalar permutation of hash/poseidon2.hpp.
State permuted(const State& in) {
  Poseidon2State s;
  for (size_t i = 0; i < 16; ++i) s[i] = BabyBear::from_u32(in[i]);
  poseidon2_permute(s);
  State out;
  for (size_t i = 0; i < 16; ++i) out[i] = s[i].as_u32();
  return out;
}

State words_at(const Executor& m, uint32_t addr) {
  State s;
  for (uint32_t i = 0; i < 16; ++i) s[i] = m.memory().peek_word(addr + 4 * i);
  return s;
}

std::vector<State> test_states() {
  std::vector<State> states;
  State s{};
  states.push_back(s);  // all zero
  s.fill(kP - 1);
  states.push_back(s);  // all p - 1
  for (uint32_t i = 0; i < 16; ++i) s[i] = i % 2 ? kP - 1 : 0;
  states.push_back(s);
  uint64_t x = 0x2545f4914f6cdd1dull;
  for (int k = 0; k < 20; ++k) {
    for (auto& w : s) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      w = static_cast<uint32_t>(x % kP);
    }
    states.push_back(s);
  }
  return states;
}

TEST(Poseidon2Syscall, PermutesInPlaceLikeTheHashLibrary) {
  // In the middle of a page, and straddling a page boundary.
  for (uint32_t offset : {0u, 1024u - 32u}) {
    const uint32_t addr = kDataBase + offset;
    for (const State& in : test_states()) {
      std::vector<uint8_t> image(offset);
      const auto bytes = state_bytes(in);
      image.insert(image.end(), bytes.begin(), bytes.end());
      Machine m =
          run_code(permute_at(addr), {{a1, 11}, {a2, 22}}, {{kDataBase, image, 4096, kPfR | kPfW}});
      EXPECT_EQ(words_at(*m, addr), permuted(in));
      EXPECT_EQ(m->exit_code(), addr);  // a0 is left unchanged ...
      EXPECT_EQ(m->reg(a1), 11u);       // ... and so is every other register
      EXPECT_EQ(m->reg(a2), 22u);
    }
  }
}

TEST(Poseidon2Syscall, MatchesTheKnownAnswerVector) {
  // shared/testvectors/poseidon2_babybear_w16.txt: the permutation of 0, 1, ..., 15.
  const State in = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
  const State out = {896560466,  771677727,  128113032,  1378976435, 160019712,  1452738514,
                     682850273,  223500421,  501450187,  1804685789, 1671399593, 1788755219,
                     1736880027, 1352180784, 1928489698, 1128802977};
  Machine m = run_code(permute_at(kDataBase), {}, {{kDataBase, state_bytes(in), 0, kPfR | kPfW}});
  EXPECT_EQ(words_at(*m, kDataBase), out);
}

TEST(Poseidon2Syscall, RecordsOneWriteEventPerWordAndTheCall) {
  const State in = test_states()[5];
  const uint32_t addr = kDataBase + 1024 - 16;  // two pages
  std::vector<uint8_t> image(1024 - 16);
  const auto bytes = state_bytes(in);
  image.insert(image.end(), bytes.begin(), bytes.end());
  Machine m(build_elf_from_code(with_exit(permute_at(addr)), {{kDataBase, image, 0, kPfR | kPfW}}));
  ExecutionRecord rec;
  m->run(100, rec);
  ASSERT_TRUE(m->halted());
  ASSERT_EQ(rec.syscalls.size(), 2u);  // poseidon2, exit
  const SyscallEvent& call = rec.syscalls[0];
  EXPECT_EQ(call.number, kSysPoseidon2);
  EXPECT_EQ(call.args[0], addr);
  EXPECT_EQ(call.result, addr);
  const CycleEvent& cycle = rec.cycles[call.cycle];
  EXPECT_EQ(cycle.instruction, ecall());
  EXPECT_EQ(cycle.rd_value, 0u);  // ECALL has no destination register
  ASSERT_EQ(cycle.memory_count, 16u);
  const State out = permuted(in);
  for (uint32_t i = 0; i < 16; ++i) {
    const MemoryEvent& e = rec.memory[cycle.memory_begin + i];
    EXPECT_EQ(e.addr, addr + 4 * i);
    EXPECT_EQ(e.prev_word, in[i]);
    EXPECT_EQ(e.word, out[i]);
    EXPECT_EQ(e.size, 4u);
    EXPECT_TRUE(e.write);
  }
}

// Runs `code` on `segments`, expects a guest trap naming `parts`, and then that the 64 bytes at
// `addr` still hold `before` (nothing is written before every check has passed).
void expect_trap_leaves_state(const std::vector<uint32_t>& code, std::vector<SegmentSpec> segments,
                              uint32_t addr, const State& before,
                              std::initializer_list<std::string> parts) {
  Machine m(build_elf_from_code(code, std::move(segments)));
  expect_error([&] { m->run(100); }, ErrorKind::GuestTrap, parts);
  EXPECT_EQ(words_at(*m, addr), before);
}

TEST(Poseidon2Syscall, TrapsOnMisalignedOrProtectedStates) {
  const std::vector<SegmentSpec> data = {{kDataBase, {}, 4096, kPfR | kPfW}};
  expect_trap(
      permute_at(kDataBase + 2), {},
      {"poseidon2 system call: state address 0x00020002 is not 4-byte aligned", "at pc 0x00010010"},
      data);
  // The register page, directly or by wrapping past 2^32.
  expect_trap(permute_at(0x3c0), {}, {"store to the reserved register page", "0x000003c0"});
  expect_trap(permute_at(0xfffffff0), {}, {"store to the reserved register page", "0x00000000"});
  // Read-only: the text, and a state whose last word holds one read-only byte.
  expect_trap(permute_at(kTextBase), {}, {"store to read-only memory", "0x00010000"});
  State in = test_states()[7];
  auto bytes = state_bytes(in);
  std::vector<uint8_t> writable(bytes.begin(), bytes.begin() + 62);
  std::vector<uint8_t> read_only(bytes.begin() + 62, bytes.begin() + 63);
  expect_trap_leaves_state(
      with_exit(permute_at(kDataBase)),
      {{kDataBase, writable, 0, kPfR | kPfW}, {kDataBase + 62, read_only, 0, kPfR}}, kDataBase,
      [&] {
        State s = in;
        s[15] &= 0x00ffffff;  // byte 63 is in no segment: it reads as zero
        return s;
      }(),
      {"store to read-only memory", "0x0002003c"});
  // The page limit: the text page is the only one allowed.
  expect_trap(permute_at(0x40000000), {}, {"guest memory limit of 1 pages", "0x40000000"}, {},
              ErrorKind::GuestTrap, 1);
}

TEST(Poseidon2Syscall, TrapsOnNonCanonicalWords) {
  for (const auto& [index, value] :
       {std::pair<uint32_t, uint32_t>{5, kP}, {15, 0xffffffffu}, {0, kP + 1}}) {
    State in = test_states()[3];
    in[index] = value;
    expect_trap_leaves_state(with_exit(permute_at(kDataBase)),
                             {{kDataBase, state_bytes(in), 0, kPfR | kPfW}}, kDataBase, in,
                             {"poseidon2 system call: word " + std::to_string(index) +
                                  " of the state at 0x00020000 is " + std::to_string(value),
                              "not a canonical BabyBear element", "at pc 0x00010010"});
  }
}

// A chain of 25 permutations of a state straddling two pages, then write(1, state, 64): cut into
// shards of a few cycles, every shard's checkpoint holds the pages the calls touch, and its
// re-execution reaches the full run's end state and pages.
TEST(Poseidon2Syscall, ShardsReplayFromTheirCheckpoints) {
  const uint32_t addr = kDataBase + 1024 - 24;
  std::vector<uint32_t> code = li(s0, addr);
  const auto n = li(s2, kSysPoseidon2);
  code.insert(code.end(), n.begin(), n.end());
  code.push_back(addi(t0, zero, 25));
  const size_t loop = code.size();
  code.insert(code.end(), {addi(a0, s0, 0), addi(a7, s2, 0), ecall(), addi(t0, t0, -1)});
  code.push_back(bne(t0, zero, -4 * static_cast<int32_t>(code.size() - loop)));
  code.insert(code.end(), {addi(a0, zero, 1), addi(a1, s0, 0), addi(a2, zero, 64),
                           addi(a7, zero, 64), ecall(), addi(a0, zero, 0)});
  const Program program(
      parse_elf(build_elf_from_code(with_exit(code), {{kDataBase, {}, 4096, kPfR | kPfW}}),
                kDefaultMaxPages));

  State expected{};
  for (int i = 0; i < 25; ++i) expected = permuted(expected);
  const ExecutionResult plain = execute(program, {}, {});
  EXPECT_EQ(plain.public_output, state_bytes(expected));

  for (uint64_t shard : {1u, 3u, 7u, 16u}) {
    ExecuteOptions o;
    o.shard_cycles = shard;
    o.keep_shard_ends = true;
    const ExecutionResult full = execute(program, {}, o);
    EXPECT_EQ(full.final_state, plain.final_state);
    for (size_t k = 0; k < full.checkpoints.size(); ++k) {
      const Checkpoint cp = parse_checkpoint(serialize_checkpoint(full.checkpoints[k]));
      const ShardReplay replay = reexecute_shard(program, cp);
      ASSERT_EQ(replay.end, full.shard_ends[k]) << "shard " << k << " of " << shard << " cycles";
    }
  }
}

}  // namespace
}  // namespace tessera::vm::test
