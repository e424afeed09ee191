// Checkpoints: re-executing any shard from its checkpoint reaches exactly the full run's state at
// the shard's end; the serialised form round-trips and every malformed byte string is
// ErrorKind::Format. Runs on an encoder-built program (no guest toolchain needed); the sample
// guests get the same checks in test_guests.cpp.

#include <gtest/gtest.h>

#include <cstring>
#include <numeric>
#include <vector>

#include "vm_test_support.hpp"

namespace tessera::vm::test {
namespace {

using namespace rv;

// Reads up to 3000 input bytes into 0x20000, then 20 times folds them into an 8 KiB table at
// 0x30000 (so shards touch different pages) and commits 8 bytes of the table, logs 2 bytes, and
// finally exits with the byte count.
std::vector<uint32_t> workload() {
  std::vector<uint32_t> c;
  auto emit = [&](std::vector<uint32_t> w) { c.insert(c.end(), w.begin(), w.end()); };
  emit(li(s0, 0x20000));
  emit(li(s1, 0x30000));
  emit(li(t5, 0x1ffc));
  emit({addi(a0, zero, 0), addi(a1, s0, 0)});
  emit(li(a2, 3000));
  emit({addi(a7, zero, 63), ecall(), addi(s2, a0, 0), addi(t0, zero, 20)});
  // outer: (index 12)
  const size_t outer = c.size();
  emit({addi(t1, zero, 0)});
  const size_t inner = c.size();
  emit({add(t2, s0, t1), lbu(t3, t2, 0), slli(t4, t1, 2), and_(t4, t4, t5), add(t4, s1, t4),
        lw(t6, t4, 0), add(t6, t6, t3), xor_(t6, t6, t0), sw(t6, t4, 0), addi(t1, t1, 1)});
  c.push_back(blt(t1, s2, -static_cast<int32_t>(4 * (c.size() - inner))));
  emit({addi(a0, zero, 1), slli(a1, t0, 3), add(a1, a1, s1), addi(a2, zero, 8), addi(a7, zero, 64),
        ecall(), addi(a0, zero, 2), addi(a2, zero, 2), ecall(), addi(t0, t0, -1)});
  c.push_back(bne(t0, zero, -static_cast<int32_t>(4 * (c.size() - outer))));
  emit({andi(a0, s2, 0xff), addi(a7, zero, 93), ecall()});
  return c;
}

std::vector<uint8_t> workload_input() {
  std::vector<uint8_t> in(2500);
  for (size_t i = 0; i < in.size(); ++i) in[i] = static_cast<uint8_t>(i * 131 + 7);
  return in;
}

class CheckpointTest : public ::testing::Test {
 protected:
  CheckpointTest()
      : program(parse_elf(build_elf_from_code(workload(), {{0x20000, {}, 0x20000, kPfR | kPfW}}),
                          kDefaultMaxPages)),
        input(workload_input()) {}

  ExecutionResult run(uint64_t shard_cycles) {
    ExecuteOptions o;
    o.shard_cycles = shard_cycles;
    o.keep_shard_ends = true;
    return execute(program, input, o);
  }

  Program program;
  std::vector<uint8_t> input;
};

TEST_F(CheckpointTest, ShardedRunEqualsPlainRun) {
  const ExecutionResult plain = execute(program, input, {});
  EXPECT_EQ(plain.final_state.exit_code, 2500u % 256);
  EXPECT_EQ(plain.public_output.size(), 20u * 8);
  EXPECT_EQ(plain.debug_output.size(), 20u * 2);
  EXPECT_TRUE(plain.checkpoints.empty());
  for (uint64_t shard : {97u, 1000u, 10007u, 100000u, 10000000u}) {
    const ExecutionResult sharded = run(shard);
    EXPECT_EQ(sharded.final_state, plain.final_state) << shard;
    EXPECT_EQ(sharded.public_output, plain.public_output);
    const uint64_t expected_shards = (plain.final_state.cycle + shard - 1) / shard;
    EXPECT_EQ(sharded.checkpoints.size(), expected_shards);
    EXPECT_TRUE(sharded.checkpoints.back().final_shard);
  }
}

TEST_F(CheckpointTest, EveryShardReplaysToTheFullRunsState) {
  const ExecutionResult full = run(10007);
  ASSERT_GT(full.checkpoints.size(), 30u);
  ASSERT_EQ(full.shard_ends.size(), full.checkpoints.size());
  std::vector<uint8_t> replayed_output;
  uint64_t cycles = 0;
  for (size_t k = 0; k < full.checkpoints.size(); ++k) {
    const Checkpoint& cp = full.checkpoints[k];
    EXPECT_EQ(cp.shard_index, k);
    EXPECT_EQ(cp.start_cycle, cycles);
    cycles += cp.cycle_count;
    EXPECT_EQ(cp.final_shard, k + 1 == full.checkpoints.size());
    const ShardReplay replay = reexecute_shard(program, cp);
    EXPECT_EQ(replay.end.state, full.shard_ends[k].state) << "shard " << k;
    EXPECT_EQ(replay.end.pages, full.shard_ends[k].pages) << "shard " << k;
    replayed_output.insert(replayed_output.end(), replay.public_output.begin(),
                           replay.public_output.end());
    // The next shard starts where this one ended.
    if (k + 1 < full.checkpoints.size()) {
      const Checkpoint& next = full.checkpoints[k + 1];
      const MachineState& end = full.shard_ends[k].state;
      EXPECT_EQ(next.pc, end.pc);
      EXPECT_EQ(next.start_cycle, end.cycle);
      EXPECT_EQ(next.input_cursor, end.input_cursor);
      EXPECT_EQ(next.input_digest, end.input_digest);
      EXPECT_EQ(next.input_eof, end.input_eof);
      EXPECT_EQ(next.output, end.output);
      EXPECT_EQ(next.registers(), end.regs);
      // A page touched by both shards enters the next one as this one left it.
      for (const PageImage& p : next.pages)
        for (const PageImage& q : full.shard_ends[k].pages)
          if (p.index == q.index) {
            EXPECT_EQ(p, q) << "page " << p.index << " between shards " << k;
          }
    }
  }
  EXPECT_EQ(cycles, full.final_state.cycle);
  EXPECT_EQ(replayed_output, full.public_output);
  // The first shard consumed the whole input with one short read (3000 asked, 2500 given), so
  // every later shard starts at end of file with the digest of all 2500 bytes.
  EXPECT_EQ(full.checkpoints[0].input.size(), input.size());
  EXPECT_FALSE(full.checkpoints[0].input_eof);
  EXPECT_EQ(full.checkpoints[0].input_digest, RunningDigest::input());
  RunningDigest all_input = RunningDigest::input();
  all_input.absorb(input);
  for (size_t k = 1; k < full.checkpoints.size(); ++k) {
    EXPECT_TRUE(full.checkpoints[k].input.empty());
    EXPECT_TRUE(full.checkpoints[k].input_eof) << k;
    EXPECT_EQ(full.checkpoints[k].input_digest, all_input) << k;
  }
  EXPECT_TRUE(full.final_state.input_eof);
  EXPECT_EQ(full.final_state.input_digest, all_input);
}

TEST_F(CheckpointTest, SerialisationRoundTrips) {
  const ExecutionResult full = run(50000);
  for (const Checkpoint& cp : full.checkpoints) {
    const std::vector<uint8_t> bytes = serialize_checkpoint(cp);
    const Checkpoint back = parse_checkpoint(bytes);
    EXPECT_EQ(back, cp);
    EXPECT_EQ(reexecute_shard(program, back).end, reexecute_shard(program, cp).end);
  }
  // Zero pages are stored without their bytes.
  Checkpoint cp = full.checkpoints[0];
  const size_t before = serialize_checkpoint(cp).size();
  PageImage zero;
  zero.index = 0x3ffff;
  cp.pages.push_back(zero);
  EXPECT_EQ(serialize_checkpoint(cp).size(), before + 5);
}

TEST_F(CheckpointTest, RecordsEventsOnlyWhenAsked) {
  const ExecutionResult full = run(20000);
  const Checkpoint& cp = full.checkpoints[0];  // contains the read() and the first writes
  ExecutionRecord rec;
  const ShardReplay replay = reexecute_shard(program, cp, &rec);
  ASSERT_EQ(rec.cycles.size(), cp.cycle_count);
  EXPECT_EQ(replay.end, full.shard_ends[0]);
  for (size_t i = 0; i < rec.cycles.size(); ++i) {
    const CycleEvent& e = rec.cycles[i];
    EXPECT_EQ(e.cycle, cp.start_cycle + i);
    EXPECT_EQ(e.instruction, program.words()[(e.pc - program.text_begin()) / 4]);
    if (i + 1 < rec.cycles.size()) {
      EXPECT_EQ(e.next_pc, rec.cycles[i + 1].pc);
    }
  }
  // The first read(): 3000 requested, 2500 delivered, one memory event per word written.
  ASSERT_FALSE(rec.syscalls.empty());
  const SyscallEvent& read = rec.syscalls[0];
  EXPECT_EQ(read.number, 63u);
  EXPECT_EQ(read.args[2], 3000u);
  EXPECT_EQ(read.result, 2500u);
  const CycleEvent& ecall_event = rec.cycles[read.cycle];
  EXPECT_EQ(ecall_event.memory_count, 2500u / 4);
  const MemoryEvent& first = rec.memory[ecall_event.memory_begin];
  EXPECT_TRUE(first.write);
  EXPECT_EQ(first.addr, 0x20000u);
  EXPECT_EQ(first.prev_word, 0u);
  EXPECT_EQ(first.word, uint32_t(input[0]) | uint32_t(input[1]) << 8 | uint32_t(input[2]) << 16 |
                            uint32_t(input[3]) << 24);
  // Every load and store has one event whose words are consistent with the value moved.
  size_t loads = 0, stores = 0;
  for (const CycleEvent& e : rec.cycles) {
    const uint32_t opcode = e.instruction & 0x7f;
    if (opcode == 0x03 || opcode == 0x23) {
      ASSERT_EQ(e.memory_count, 1u);
      const MemoryEvent& m = rec.memory[e.memory_begin];
      EXPECT_EQ(m.addr, e.rs1_value + static_cast<uint32_t>(
                                          opcode == 0x03
                                              ? static_cast<int32_t>(e.instruction) >> 20
                                              : ((static_cast<int32_t>(e.instruction) >> 25) << 5) |
                                                    ((e.instruction >> 7) & 0x1f)));
      if (opcode == 0x23) {
        ++stores;
        EXPECT_TRUE(m.write);
        EXPECT_EQ(m.word, e.rs2_value);  // this workload stores whole words
        EXPECT_EQ(m.size, 4u);
      } else {
        ++loads;
        EXPECT_FALSE(m.write);
        EXPECT_EQ(m.prev_word, m.word);
        if (m.size == 4) {
          EXPECT_EQ(e.rd_value, m.word);
        }
      }
    }
  }
  EXPECT_GT(loads, 1000u);
  EXPECT_GT(stores, 500u);
  // Register x0 destinations and the previous value of rd.
  for (size_t i = 1; i < rec.cycles.size(); ++i) {
    const uint32_t rd = (rec.cycles[i].instruction >> 7) & 0x1f;
    if (rd == 0) {
      EXPECT_EQ(rec.cycles[i].rd_value, 0u);
    }
  }
}

TEST_F(CheckpointTest, ReplayRefusesInconsistentCheckpoints) {
  const ExecutionResult full = run(10007);
  // Another program.
  const Program other(
      parse_elf(build_elf_from_code(with_exit({addi(a0, zero, 1)})), kDefaultMaxPages));
  expect_error([&] { reexecute_shard(other, full.checkpoints[3]); }, ErrorKind::ConfigMismatch,
               {"another program"});
  // A page the shard needs is missing.
  Checkpoint missing = full.checkpoints[3];
  ASSERT_GT(missing.pages.size(), 2u);
  missing.pages.erase(missing.pages.begin() + 1);
  expect_error([&] { reexecute_shard(program, missing); }, ErrorKind::Format, {"does not hold"});
  // A cycle count that ends the shard past the exit.
  Checkpoint longer = full.checkpoints.back();
  longer.cycle_count += 1;
  longer.final_shard = true;
  expect_error([&] { reexecute_shard(program, longer); }, ErrorKind::Format, {"diverged"});
  Checkpoint not_final = full.checkpoints.back();
  not_final.final_shard = false;
  expect_error([&] { reexecute_shard(program, not_final); }, ErrorKind::Format, {"diverged"});
  Checkpoint bad_pc = full.checkpoints[2];
  bad_pc.pc = 0x90000;
  expect_error([&] { reexecute_shard(program, bad_pc); }, ErrorKind::Format,
               {"outside the program's text"});
}

TEST_F(CheckpointTest, ParseRejectsEveryMalformation) {
  const ExecutionResult full = run(10007);
  const std::vector<uint8_t> good = serialize_checkpoint(full.checkpoints[5]);
  // Every truncation (sampled for speed, plus the short ones).
  for (size_t len = 0; len < good.size(); len += (len < 200 ? 1 : 97)) {
    expect_error([&] { parse_checkpoint(std::span(good).subspan(0, len)); }, ErrorKind::Format, {});
  }
  auto mutated = [&](size_t off, std::vector<uint8_t> bytes) {
    std::vector<uint8_t> b = good;
    std::memcpy(b.data() + off, bytes.data(), bytes.size());
    return b;
  };
  auto expect_format = [](const std::vector<uint8_t>& b, std::string part) {
    expect_error([&] { parse_checkpoint(b); }, ErrorKind::Format, {part});
  };
  expect_format(mutated(0, {'X'}), "bad magic");
  expect_format(mutated(4, {3, 0, 0, 0}), "unsupported checkpoint version 3");
  expect_format(mutated(40, {4, 0, 0, 0}), "unknown flags");
  expect_format(mutated(32, {0, 0, 0, 0, 0, 0, 0, 0}), "empty shard");
  expect_format(mutated(44, {2, 0, 0, 0}), "misaligned");
  expect_format(mutated(56, {0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0}), "truncated");  // input length
  std::vector<uint8_t> trailing = good;
  trailing.push_back(0);
  expect_format(trailing, "trailing");

  // Offsets after the (empty) input slice of shard 5.
  ASSERT_TRUE(full.checkpoints[5].input.empty());
  const size_t digest_off = 64, input_digest_off = digest_off + 76;
  expect_format(mutated(digest_off, {0x01, 0x00, 0x00, 0x78}), "not a field element");  // p
  expect_format(mutated(digest_off + 64, {9, 0, 0, 0}), "pending absorb count 9");
  expect_format(mutated(digest_off + 68, {8, 0, 0, 0x40, 0, 0, 0, 0}),  // 2^30 + 8, pending 0
                "beyond the public output limit");
  expect_format(mutated(input_digest_off + 4, {0x01, 0x00, 0x00, 0x78}), "input digest state");
  expect_format(mutated(input_digest_off + 64, {3, 0, 0, 0}), "does not match the byte count");
  expect_format(mutated(input_digest_off + 68, {0xcc, 0x09, 0, 0, 0, 0, 0, 0}),  // 2508
                "input digest counts 2508 bytes, but the input cursor is 2500");
  expect_format(mutated(48, {1, 0, 0, 0x40, 0, 0, 0, 0}), "beyond the input limit of 2^30");
  const size_t pages_off = input_digest_off + 76;
  const size_t first_page = pages_off + 4;
  expect_format(mutated(first_page, {1, 0, 0, 0}), "lacks the register page");
  expect_format(mutated(first_page + 4, {7}), "unknown kind 7");
  expect_format(mutated(first_page + 5, {1}), "x0 is not zero");
  expect_format(mutated(first_page + 5 + 200, {1}), "beyond x31");
  expect_format(mutated(pages_off, {0xff, 0xff, 0xff, 0x7f}), "claims");
  const size_t second_page = first_page + 5 + kPageSize;
  expect_format(mutated(second_page, {0, 0, 0, 0}), "strictly increasing");
  expect_format(mutated(second_page, {0, 0, 0x40, 0}), "beyond the address space");

  // A shard that starts at end of file reads no input.
  std::vector<uint8_t> first = serialize_checkpoint(full.checkpoints[0]);
  ASSERT_FALSE(full.checkpoints[0].input.empty());
  first[40] |= 2;
  expect_format(first, "starts at input end of file but carries 2500 input bytes");
}

TEST_F(CheckpointTest, VersionTwoCarriesTheInputStateAndRefusesVersionOne) {
  const ExecutionResult full = run(10007);
  // Shard 0 starts before any read, shard 1 after the short read that reached end of file.
  for (size_t k : {0, 1}) {
    const Checkpoint& cp = full.checkpoints[k];
    const std::vector<uint8_t> bytes = serialize_checkpoint(cp);
    EXPECT_EQ(bytes[4], kCheckpointVersion);
    EXPECT_EQ(kCheckpointVersion, 2u);
    EXPECT_EQ(bytes[40] & 2, k == 1 ? 2 : 0);  // the input end-of-file flag
    const Checkpoint back = parse_checkpoint(bytes);
    EXPECT_EQ(back.input_digest, cp.input_digest);
    EXPECT_EQ(back.input_eof, cp.input_eof);
    EXPECT_EQ(back.input_digest.byte_count(), back.input_cursor);
    const ShardReplay replay = reexecute_shard(program, back);
    EXPECT_EQ(replay.end.state.input_digest, full.shard_ends[k].state.input_digest);
    EXPECT_EQ(replay.end.state.input_eof, full.shard_ends[k].state.input_eof);
  }
  // The version-1 layout: no end-of-file flag and no input digest.
  std::vector<uint8_t> v1 = serialize_checkpoint(full.checkpoints[5]);
  v1[4] = 1;
  v1.erase(v1.begin() + 140, v1.begin() + 216);
  expect_error([&] { parse_checkpoint(v1); }, ErrorKind::Format,
               {"checkpoint version 1 is no longer read", "execute the guest again"});
}

}  // namespace
}  // namespace tessera::vm::test
