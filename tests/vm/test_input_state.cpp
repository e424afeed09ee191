// What the machine state records about the private input and the public output beyond the bytes
// themselves: the running input digest (every byte read() returns, in order), the sticky input
// end-of-file flag, their continuation across shards, and the size limits the zkVM relies on.

#include <gtest/gtest.h>

#include <sys/mman.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "digest_reference.hpp"
#include "vm/input_file.hpp"
#include "vm_test_support.hpp"

namespace tessera::vm::test {
namespace {

using namespace rv;

constexpr uint32_t kReadInstructions = 6;  // per read in reads_program()

// For each size: read(0, buf + offset, size), the result kept in s1, s2, ... in turn; then exit.
// Each read is kReadInstructions instructions, so run(kReadInstructions) steps over exactly one.
std::vector<uint32_t> reads_program(const std::vector<uint32_t>& sizes) {
  std::vector<uint32_t> c = li(s0, kDataBase);
  const uint32_t saved[] = {s1, s2, s3, s4, s5, s6};
  uint32_t offset = 0;
  for (size_t i = 0; i < sizes.size(); ++i) {
    c.insert(c.end(), {addi(a0, zero, 0), addi(a1, s0, static_cast<int32_t>(offset)),
                       addi(a2, zero, static_cast<int32_t>(sizes[i])), addi(a7, zero, 63), ecall(),
                       addi(saved[i], a0, 0)});
    offset += sizes[i];
  }
  return with_exit(c);
}

std::vector<SegmentSpec> buffer() {
  return {{kDataBase, {}, 4096, kPfR | kPfW}};
}

std::vector<uint8_t> bytes(const std::string& s) {
  return {s.begin(), s.end()};
}

Digest input_digest_of(const std::vector<uint8_t>& input, size_t n) {
  return reference_running_digest(kInputDigestDomain, std::span(input).subspan(0, n));
}

TEST(InputState, DigestAbsorbsEveryByteReadAndEofIsSticky) {
  const std::vector<uint8_t> input = bytes("hello tessera input");  // 19 bytes
  Machine m(build_elf_from_code(reads_program({0, 5, 100, 10, 0}), buffer()), input);
  ASSERT_EQ(m->run(2), 2u);  // li s0
  EXPECT_FALSE(m->input_eof());
  EXPECT_EQ(m->input_digest().digest(), input_digest_of(input, 0));

  struct Step {
    uint32_t returned;
    size_t consumed;
    bool eof;
  };
  const Step steps[] = {
      {0, 0, false},   // read of 0 bytes: returns 0 but is not short
      {5, 5, false},   // a full read
      {14, 19, true},  // short: the rest of the input, end of file from now on
      {0, 19, true},   // at end of file: 0, still end of file
      {0, 19, true},   // a read of 0 after end of file
  };
  const uint32_t saved[] = {s1, s2, s3, s4, s5};
  for (size_t i = 0; i < std::size(steps); ++i) {
    ASSERT_EQ(m->run(kReadInstructions), kReadInstructions);
    EXPECT_EQ(m->reg(saved[i]), steps[i].returned) << "read " << i;
    EXPECT_EQ(m->input_cursor(), steps[i].consumed) << "read " << i;
    EXPECT_EQ(m->input_eof(), steps[i].eof) << "read " << i;
    EXPECT_EQ(m->input_digest().digest(), input_digest_of(input, steps[i].consumed))
        << "read " << i;
    EXPECT_EQ(m->input_digest().byte_count(), steps[i].consumed);
    EXPECT_EQ(m->state().input_eof, steps[i].eof);
    EXPECT_EQ(m->state().input_digest, m->input_digest());
  }
  m->run(10);
  EXPECT_TRUE(m->halted());
  EXPECT_EQ(m->memory().peek_word(kDataBase), 0x6c6c6568u);  // "hell"
}

TEST(InputState, ReadingExactlyTheRestIsNotYetEndOfFile) {
  const std::vector<uint8_t> input = bytes("12345678");
  Machine m(build_elf_from_code(reads_program({8, 1}), buffer()), input);
  m->run(2 + kReadInstructions);
  EXPECT_EQ(m->reg(s1), 8u);
  EXPECT_FALSE(m->input_eof());  // nothing asked for was missing
  m->run(kReadInstructions);
  EXPECT_EQ(m->reg(s2), 0u);
  EXPECT_TRUE(m->input_eof());
  EXPECT_EQ(m->input_digest().digest(), input_digest_of(input, 8));
  // An empty input: the first read of one byte reaches end of file.
  Machine empty(build_elf_from_code(reads_program({1}), buffer()));
  empty->run(100);
  EXPECT_TRUE(empty->input_eof());
  EXPECT_EQ(empty->input_digest(), RunningDigest::input());
}

TEST(InputState, ShardReplaysReproduceInputDigestAndEof) {
  const std::vector<uint8_t> input = bytes("the input that the shards read, some of it");
  const Program program(parse_elf(build_elf_from_code(reads_program({7, 0, 9, 40, 3, 5}), buffer()),
                                  kDefaultMaxPages));
  const ExecutionResult plain = execute(program, input, {});
  EXPECT_TRUE(plain.final_state.input_eof);
  EXPECT_EQ(plain.final_state.input_cursor, input.size());
  EXPECT_EQ(plain.final_state.input_digest.digest(), input_digest_of(input, input.size()));
  for (uint64_t shard : {1u, 2u, 5u, 6u, 13u}) {
    ExecuteOptions o;
    o.shard_cycles = shard;
    o.keep_shard_ends = true;
    const ExecutionResult full = execute(program, input, o);
    EXPECT_EQ(full.final_state, plain.final_state);
    bool eof_seen = false;
    for (size_t k = 0; k < full.checkpoints.size(); ++k) {
      const Checkpoint cp = parse_checkpoint(serialize_checkpoint(full.checkpoints[k]));
      EXPECT_EQ(cp.input_digest.digest(), input_digest_of(input, cp.input_cursor));
      EXPECT_GE(cp.input_eof, eof_seen) << "end of file is sticky";
      eof_seen = cp.input_eof;
      const ShardReplay replay = reexecute_shard(program, cp);
      EXPECT_EQ(replay.end.state.input_digest, full.shard_ends[k].state.input_digest);
      EXPECT_EQ(replay.end.state.input_eof, full.shard_ends[k].state.input_eof);
      ASSERT_EQ(replay.end, full.shard_ends[k]) << "shard " << k << " of " << shard << " cycles";
    }
    EXPECT_TRUE(eof_seen);
  }
}

// ---- limits -----------------------------------------------------------------------------------

TEST(InputLimits, InputFilesOverTwoToTheThirtyBytesAreRefused) {
  const auto path = scratch_dir() / "huge.input";
  { std::ofstream(path, std::ios::binary).put('x'); }
  std::filesystem::resize_file(path, kMaxInputBytes + 1);  // sparse: no disk space used
  expect_error([&] { read_input_file(path); }, ErrorKind::InputFile,
               {"huge.input' holds 1073741825 bytes", "at most 2^30 (1073741824) bytes"});
  std::filesystem::resize_file(path, 3);
  EXPECT_EQ(read_input_file(path).size(), 3u);
  expect_error([&] { read_input_file(scratch_dir() / "absent.input"); }, ErrorKind::InputFile,
               {"cannot open input file"});
  std::filesystem::remove(path);
}

TEST(InputLimits, TheExecutorRefusesAnOversizedInput) {
  // 2^30 + 1 bytes of address space, never touched (so never backed by memory).
  const size_t size = kMaxInputBytes + 1;
  void* p = mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  ASSERT_NE(p, MAP_FAILED);
  const Program program(parse_elf(build_elf_from_code(with_exit({})), kDefaultMaxPages));
  expect_error(
      [&] { Executor(program, std::span(static_cast<const uint8_t*>(p), size), kDefaultMaxPages); },
      ErrorKind::InputFile, {"private input of 1073741825 bytes exceeds the limit of 2^30"});
  munmap(p, size);
}

TEST(OutputLimits, OneWriteMovesFewerThanTwoToTheThirtyBytes) {
  for (uint32_t fd : {1u, 2u}) {
    const std::vector<uint32_t> write = {addi(a0, zero, static_cast<int32_t>(fd)), lui(a1, 0x20),
                                         lui(a2, 0x40000), addi(a7, zero, 64), ecall()};
    expect_trap(write, {}, {"write() of 1073741824 bytes; one write moves fewer than 2^30 bytes"});
    // 2^30 - 1 passes that check and meets the guest memory limit instead.
    std::vector<uint32_t> just_below = write;
    just_below.insert(just_below.begin() + 3, addi(a2, a2, -1));
    expect_trap(just_below, {}, {"write() of 1073741823 bytes, more than the guest memory"});
  }
}

TEST(OutputLimits, ThePublicOutputOfARunIsAtMostTwoToTheThirtyBytes) {
  // write(1, data, 8); exit(0). Resumed from a checkpoint whose output digest already counts
  // 2^30 - 8 bytes, the write reaches the limit exactly; one byte more and it traps.
  const Program program(
      parse_elf(build_elf_from_code(with_exit({addi(a0, zero, 1), lui(a1, 0x20), addi(a2, zero, 8),
                                               addi(a7, zero, 64), ecall(), addi(a0, zero, 0)}),
                                    {{kDataBase, {1, 2, 3, 4, 5, 6, 7, 8}, 0, kPfR | kPfW}}),
                kDefaultMaxPages));
  ExecuteOptions o;
  o.shard_cycles = 1000;
  const ExecutionResult full = execute(program, {}, o);
  ASSERT_EQ(full.checkpoints.size(), 1u);
  for (uint64_t before : {kMaxPublicOutputBytes - 8, kMaxPublicOutputBytes - 7}) {
    Checkpoint cp = full.checkpoints[0];
    const RunningDigest& d = cp.output;
    cp.output = RunningDigest::from_parts(kOutputDigestDomain, d.state(),
                                          static_cast<uint32_t>(before % 8), before);
    if (before + 8 <= kMaxPublicOutputBytes) {
      EXPECT_EQ(reexecute_shard(program, cp).end.state.output.byte_count(), kMaxPublicOutputBytes);
    } else {
      expect_error([&] { reexecute_shard(program, cp); }, ErrorKind::GuestTrap,
                   {"write() of 8 bytes would bring the public output to 1073741825 bytes",
                    "beyond the limit of 2^30 bytes", "at pc 0x00010010"});
    }
  }
}

}  // namespace
}  // namespace tessera::vm::test
