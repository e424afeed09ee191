// Soundness of the rv32im I/O: the input and output streams, system calls and the Poseidon2 call
// (fixture and method: memory_io_fixture.hpp).
#include "memory_io_fixture.hpp"

namespace tessera::rv32im::test {
namespace {

// ---- 4. the input and output streams --------------------------------------------------------------

// Input byte 7 (the short read's second byte) lands in memory changed, but the input digest still
// absorbs the real byte. Protection: the absorb bus — the digest hashes exactly the bytes the
// read wrote, by position.
TEST_F(MemoryIoSoundness, InputByteDifferentInMemoryIsNamedAndRejected) {
  const uint32_t clk = clk_of(kShortRead), word = kShortBuf / 4;
  const uint8_t real = io_input()[7];
  const Tamper tamper = [clk, word](ShardWitness& w) {
    const IoWordsLayout I = IoWordsAir{}.L;
    auto& io = w.tables[kTableIoWords].trace;
    const size_t r = io_row(w.tables, clk, word);
    const uint32_t value = get_word(io, r, I.new_word) ^ 0x5a00u;
    put_word(io, r, I.new_word, value);
    set_page_final(w.tables, word, timestamp(clk, kSlotMemory), value);
    rehash_memory(w.tables, false, true);
  };
  const std::string message = "bus 10 message (0, 7, ";
  expect_rejected(tamper, message, [&](const Diagnosis& d) {
    expect_only_imbalances(d, {message, message});
    EXPECT_NE(describe(d).find(message + std::to_string(real ^ 0x5a) + ")"), std::string::npos);
  });
}

// The same byte changed in memory AND in the input digest: every check holds — it is an honest
// proof of a run on another input. The proof verifies; its statement's input digest is the
// digest of the other input (and its end root another memory), so it is not the honest statement:
// a verifier that knows which input it expects rejects it there, and the chain of the honest run
// cannot contain it (the next shard would have to start from this end state).
TEST_F(MemoryIoSoundness, InputByteChangedEverywhereChangesTheStatement) {
  const uint32_t clk = clk_of(kShortRead), word = kShortBuf / 4;
  const Tamper tamper = [clk, word](ShardWitness& w) {
    const IoWordsLayout I = IoWordsAir{}.L;
    auto& io = w.tables[kTableIoWords].trace;
    const size_t r = io_row(w.tables, clk, word);
    const uint32_t value = get_word(io, r, I.new_word) ^ 0x5a00u;
    put_word(io, r, I.new_word, value);
    set_page_final(w.tables, word, timestamp(clk, kSlotMemory), value);
    std::vector<uint8_t> in = absorbed_bytes(w.tables, kIoInput);
    in[7] ^= 0x5a;
    regenerate_absorb(w.tables, kIoInput, in);
    rehash_memory(w.tables, false, true);
  };
  ShardWitness w = *honest_;
  tamper(w);
  const Diagnosis d = diagnose(*image_, w.tables);
  EXPECT_TRUE(d.constraints.empty() && d.imbalances.empty()) << describe(d);
  const ShardStatement forged = machine_->verify_shard(kShard, forced_proof(tamper));
  const MachineStatement end = statement_of(forged.end_state);
  std::vector<uint8_t> other = io_input();
  other[7] ^= 0x5a;
  vm::RunningDigest expected = vm::RunningDigest::input();
  expected.absorb(other);
  EXPECT_EQ(end.input.digest(), expected.digest());
  EXPECT_NE(end.input.digest(), machine_->execution().final_state.input_digest.digest());
  EXPECT_EQ(statement_of(forged.start_state).root, honest_->start_root);
  EXPECT_NE(end.root, honest_->end_root);
  EXPECT_EQ(end.output.digest(), machine_->execution().final_state.output.digest());
}

// Output byte 0 absorbed into the output digest differs from the byte the guest's buffer holds.
// Protection: the absorb bus (io_words sends what memory holds; the digest receives it).
TEST_F(MemoryIoSoundness, OutputByteDifferentFromMemoryIsNamedAndRejected) {
  const Tamper tamper = [](ShardWitness& w) {
    std::vector<uint8_t> out = absorbed_bytes(w.tables, kIoOutput);
    out[0] ^= 0x11;
    regenerate_absorb(w.tables, kIoOutput, out);
    rebuild_poseidon2(w.tables);
  };
  expect_rejected(tamper, "bus 10 message (1, 0, ", [](const Diagnosis& d) {
    expect_only_imbalances(d, {"bus 10 message (1, 0, ", "bus 10 message (1, 0, "});
  });
}

// Output bytes 1 and 2 absorbed in the other order. With their seq numbers swapped too, the bus
// balances and the absorb table's seq chain breaks (absorb.next_seq); with the seq numbers in
// order, the bytes arrive at the wrong positions (the absorb bus).
TEST_F(MemoryIoSoundness, OutputBytesOutOfOrderAreNamedAndRejected) {
  const std::vector<uint8_t> out = absorbed_bytes(honest_->tables, kIoOutput);
  ASSERT_NE(out[1], out[2]);
  const auto swap_bytes = [](ShardWitness& w) {
    std::vector<uint8_t> bytes = absorbed_bytes(w.tables, kIoOutput);
    std::swap(bytes[1], bytes[2]);
    regenerate_absorb(w.tables, kIoOutput, bytes);
    rebuild_poseidon2(w.tables);
  };
  const Tamper with_seq = [swap_bytes](ShardWitness& w) {
    swap_bytes(w);
    const AbsorbLayout L = AbsorbAir{}.L;
    auto& a = w.tables[kTableAbsorbOutput].trace;
    std::swap(a.at(1, L.seq), a.at(2, L.seq));
  };
  expect_rejected(with_seq, "constraint absorb.next_seq of table absorb_output fails at row 0",
                  [](const Diagnosis& d) { expect_only_constraint(d, "absorb.next_seq"); });
  expect_rejected(swap_bytes, "bus 10 message (1, 1, ", [](const Diagnosis& d) {
    expect_only_imbalances(d, {"bus 10 message (1, 1, ", "bus 10 message (1, 1, ",
                               "bus 10 message (1, 2, ", "bus 10 message (1, 2, "});
  });
}

// ---- 5. system calls --------------------------------------------------------------------------------

// The first read of shard 1 takes a7 from the start root; there a7 now holds 64 (write), with the
// page hash, merkle path and start root following — the shard's start state says a7 = 64 and the
// row proves a read. Protection: the a7 read's value is the selected call's number (the memory
// bus: (a7, 0, 63) received against (a7, 0, 64) paged in).
TEST_F(MemoryIoSoundness, CallNumberNotInA7IsNamedAndRejected) {
  const Tamper tamper = [](ShardWitness& w) {
    set_page_init(w.tables, vm::kRegA7, vm::kSysWrite, /*unaccessed=*/false);
    rehash_memory(w.tables, true, true);
  };
  const std::string message = "bus 3 message (17, 0, ";
  expect_rejected(tamper, message,
                  [&](const Diagnosis& d) { expect_only_imbalances(d, {message, message}); });
}

// The short read (100 asked, 5 left) returns 101 bytes: 96 invented input bytes written to its
// buffer and absorbed, counts, a0, memory and end root following. Protection: res + d = n
// without carry out (system.read_no_overflow).
TEST_F(MemoryIoSoundness, ReadOfMoreThanAskedIsNamedAndRejected) {
  const Tamper tamper = [](ShardWitness& w) {
    const std::vector<uint8_t> input = io_input();
    std::vector<uint8_t> data(input.begin() + 6, input.end());
    for (uint32_t i = 0; i < 96; ++i) data.push_back(static_cast<uint8_t>(3 * i + 1));
    replace_read(w.tables, kShortRead, data);
  };
  expect_rejected(tamper, "constraint system.read_no_overflow of table system fails at row 5",
                  [](const Diagnosis& d) { expect_only_constraint(d, "system.read_no_overflow"); });
}

// The read after end of file returns one invented byte (1 <= n = 8), everything following.
// Protection: at end of file a read returns 0 (system.eof_reads_nothing).
TEST_F(MemoryIoSoundness, ReadAfterEndOfFileIsNamedAndRejected) {
  const Tamper tamper = [](ShardWitness& w) { replace_read(w.tables, kEofRead, {0x42}); };
  expect_rejected(tamper, "constraint system.eof_reads_nothing of table system fails at row 6",
                  [](const Diagnosis& d) { expect_only_constraint(d, "system.eof_reads_nothing"); });
}

// The short read does not set the end-of-file flag (the next read's eof follows, so the chain
// balances). Protection: eof' = eof or short (system.eof_next).
TEST_F(MemoryIoSoundness, ShortReadWithoutEndOfFileIsNamedAndRejected) {
  const Tamper tamper = [](ShardWitness& w) {
    const SystemLayout S = SystemAir{}.L;
    auto& sys = w.tables[kTableSystem].trace;
    ASSERT_EQ(get(sys, kShortRead, S.is_short), 1u);
    ASSERT_EQ(get(sys, kEofRead, S.eof), 1u);
    put(sys, kShortRead, S.eof_next, 0);
    put(sys, kEofRead, S.eof, 0);
  };
  expect_rejected(tamper, "constraint system.eof_next of table system fails at row 5",
                  [](const Diagnosis& d) { expect_only_constraint(d, "system.eof_next"); });
}

// write(1, buf, 3) returns 4 in a0 (a0's next reader follows). Protection: system.write_result.
TEST_F(MemoryIoSoundness, WriteResultNotItsLengthIsNamedAndRejected) {
  const uint32_t clk = clk_of(kWrite3);
  const Tamper tamper = [clk](ShardWitness& w) {
    const SystemLayout S = SystemAir{}.L;
    auto& sys = w.tables[kTableSystem].trace;
    ASSERT_EQ(get_word(sys, kWrite3, S.res), 3u);
    put_word(sys, kWrite3, S.res, 4);
    pair_add(w.tables, 3, 0, -1);
    pair_add(w.tables, 4, 0, +1);
    set_next_rd_prev(w.tables, vm::kRegA0, timestamp(clk, kSlotRd), 4);
  };
  expect_rejected(tamper, "constraint system.write_result of table system fails at row 1",
                  [](const Diagnosis& d) { expect_only_constraint(d, "system.write_result"); });
}

// The exit is followed by a second exit: the shard claims one cycle more, the second row reads
// its registers after the first (accesses, range checks, page-out timestamps, the program count
// follow). The first exit is then a step in the middle of the shard. Protection: the exit sends
// the state with halted = 1, which no instruction row receives (state bus).
TEST_F(MemoryIoSoundness, ExitInTheMiddleOfTheShardIsNamedAndRejected) {
  const uint32_t clk = clk_of(kExit);
  const uint32_t pc = get(honest(kTableSystem), kExit, SystemAir{}.L.pc);
  const Tamper tamper = [clk, pc](ShardWitness& w) {
    auto& t = w.tables;
    const SystemLayout S = SystemAir{}.L;
    auto& sys = t[kTableSystem].trace;
    const size_t r = free_row(sys);
    for (size_t c = 0; c < sys.width(); ++c) sys.at(r, c) = sys.at(kExit, c);
    put(sys, r, S.clk, clk + 1);
    for (const auto& [access, reg, slot] :
         {std::tuple{S.a7_access, vm::kRegA7, kSlotRs1}, std::tuple{S.a1_access, vm::kRegA1, kSlotRs1},
          std::tuple{S.a2_access, vm::kRegA2, kSlotRs1}, std::tuple{S.a0_access, vm::kRegA0, kSlotRd}}) {
      put(sys, r, access.prev_ts, timestamp(clk, slot));
      put(sys, r, access.diff_lo, 3);
      put(sys, r, access.diff_hi, 0);
      range16_add(t, 3, +1);
      const PageLayout P = PageAir{}.L;
      const PageSlot s = page_slot(t, reg);
      ASSERT_EQ(get(t[kTablePages].trace, s.row, P.words[s.k].final_ts), timestamp(clk, slot));
      put(t[kTablePages].trace, s.row, P.words[s.k].final_ts, timestamp(clk + 1, slot));
    }
    pair_add(t, 0, 0, +3);  // the two diff_hi pairs and io_hi
    const uint32_t res = get_word(sys, r, S.res);
    pair_add(t, byte_at(res, 0), byte_at(res, 1), +1);
    pair_add(t, byte_at(res, 2), byte_at(res, 3), +1);
    t[kTableProgram].trace.at(MemoryIoSoundness::image_->index_of(pc), 0) += BabyBear::one();
    t[kTableShard].public_values[shard_pv::kCycles] += BabyBear::one();
  };
  const std::string at = "bus 1 message (" + std::to_string(clk + 1) + ", " + std::to_string(pc) + ", ";
  expect_rejected(tamper, at + "0, 0, 0)", [&](const Diagnosis& d) {
    expect_only_imbalances(d, {at + "0, 0, 0) has net multiplicity -1", at + "1, 42, 0) has net multiplicity +1"});
  });
}

// The I/O chain visits the write before the read (the read at clk c0 receives the write's state
// at clk c1 > c0; the counts are swapped into that order, the next call receives the read's
// state, the range checks of the clock differences follow). Protection: the chain's clock rises
// strictly (system.io_order: c0 - c1 - 1 has no 16 + 8-bit decomposition).
TEST_F(MemoryIoSoundness, IoChainOutOfCycleOrderIsNamedAndRejected) {
  const Tamper tamper = [](ShardWitness& w) {
    auto& t = w.tables;
    const SystemLayout S = SystemAir{}.L;
    auto& sys = t[kTableSystem].trace;
    const uint32_t c0 = get(sys, kRead6, S.clk), c1 = get(sys, kWrite3, S.clk), c4 = get(sys, kWrite32, S.clk);
    const uint32_t in0 = get(sys, kRead6, S.in_count), out0 = get(sys, kRead6, S.out_count);
    ASSERT_EQ(get(sys, kWrite3, S.prev_io_clk), c0);
    ASSERT_EQ(get(sys, kWrite32, S.prev_io_clk), c1);
    const auto set_diff = [&](size_t row, uint32_t diff) {
      range16_add(t, get(sys, row, S.io_lo), -1);
      range16_add(t, diff, +1);
      put(sys, row, S.io_lo, diff);
      put(sys, row, S.io_hi, 0);
    };
    // The write first: from the shard's start state.
    sys.at(kWrite3, S.prev_io_clk) = -BabyBear::one();
    set_diff(kWrite3, c1);
    put(sys, kWrite3, S.in_count, in0);
    put(sys, kWrite3, S.in_next, in0);
    // Then the read, after the write's output.
    put(sys, kRead6, S.prev_io_clk, c1);
    set_diff(kRead6, 0);  // no decomposition exists; any in-range one fails the constraint
    put(sys, kRead6, S.out_count, out0 + 3);
    put(sys, kRead6, S.out_next, out0 + 3);
    // The next call continues from the read.
    put(sys, kWrite32, S.prev_io_clk, c0);
    set_diff(kWrite32, c4 - c0 - 1);
  };
  expect_rejected(tamper, "constraint system.io_order of table system fails at row 0",
                  [](const Diagnosis& d) { expect_only_constraint(d, "system.io_order"); });
}

// ---- 6. the Poseidon2 call --------------------------------------------------------------------------

// Word 15 of the permutation's output (not written out, paged out) is off by one: byte checks,
// canonical check, page-out value and end root follow. Protection: (in, out) must be a row of the
// Poseidon2 table (p2_full bus).
TEST_F(MemoryIoSoundness, PoseidonCallWrongOutputIsNamedAndRejected) {
  const uint32_t clk = clk_of(kPoseidon2);
  const Tamper tamper = [clk](ShardWitness& w) {
    auto& t = w.tables;
    const P2CallLayout L = P2CallAir{}.L;
    auto& p2 = t[kTableP2Call].trace;
    const uint32_t v = get_word(p2, 0, L.new_words[15]);
    const uint32_t next = static_cast<uint32_t>((uint64_t{v} + 1) % BabyBear::kModulus);
    const auto check_byte = [](uint32_t x) { return (x >> 24) <= 0x77 ? 0x77 - (x >> 24) : 0xff; };
    const uint32_t old_check = check_byte(get_word(p2, 0, L.old_words[15]));
    pair_add(t, byte_at(v, 0), byte_at(v, 1), -1);
    pair_add(t, byte_at(v, 2), byte_at(v, 3), -1);
    pair_add(t, old_check, check_byte(v), -1);
    pair_add(t, byte_at(next, 0), byte_at(next, 1), +1);
    pair_add(t, byte_at(next, 2), byte_at(next, 3), +1);
    pair_add(t, old_check, check_byte(next), +1);
    put_word(p2, 0, L.new_words[15], next);
    put(p2, 0, L.new_lt[15], (next >> 24) <= 0x77 ? 1 : 0);
    set_page_final(t, kP2State / 4 + 15, timestamp(clk, kSlotMemory), next);
    rehash_memory(t, false, true);
  };
  // The call's input is the words 1..16.
  const std::string message = "bus 5 message (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, ";
  expect_rejected(tamper, message, [&](const Diagnosis& d) {
    expect_only_imbalances(d, {message});
    ASSERT_EQ(d.imbalances.size(), 1u);
    EXPECT_NE(d.imbalances[0].find("net multiplicity +1"), std::string::npos);
  });
}

// Input word 0 is 1 + p (the same field element as 1): the start root holds it (page hash, merkle
// path and start root follow), the memory token and the lookup balance. Protection: the input
// word must be canonical (canonical.low: with lt = 0 the word must be p - 1 exactly).
TEST_F(MemoryIoSoundness, PoseidonCallNonCanonicalInputIsNamedAndRejected) {
  const Tamper tamper = [](ShardWitness& w) {
    auto& t = w.tables;
    const P2CallLayout L = P2CallAir{}.L;
    auto& p2 = t[kTableP2Call].trace;
    const uint32_t v = get_word(p2, 0, L.old_words[0]), bad = v + BabyBear::kModulus;
    ASSERT_EQ(v, 1u);
    const uint32_t new_check = (get_word(p2, 0, L.new_words[0]) >> 24) <= 0x77
                                   ? 0x77 - (get_word(p2, 0, L.new_words[0]) >> 24)
                                   : 0xff;
    put_word(p2, 0, L.old_words[0], bad);
    put(p2, 0, L.old_lt[0], 0);
    pair_add(t, 0x77, new_check, -1);
    pair_add(t, 0x177 - (bad >> 24), new_check, +1);  // 0xff
    set_page_init(t, kP2State / 4, bad, /*unaccessed=*/false);
    rehash_memory(t, true, true);
  };
  expect_rejected(tamper, "constraint canonical.low of table p2_call fails at row 0",
                  [](const Diagnosis& d) { expect_only_constraint(d, "canonical.low"); });
}

// Output word 15 written as x + p (the same element): page-out value and end root follow, the
// lookup balances. Protection: output words must be canonical (canonical.top / canonical.low),
// or the guest would read x + p for x.
TEST_F(MemoryIoSoundness, PoseidonCallOutputPlusPIsNamedAndRejected) {
  const uint32_t clk = clk_of(kPoseidon2);
  const uint32_t x = get_word(honest(kTableP2Call), 0, P2CallAir{}.L.new_words[15]);
  const uint32_t bad = x + BabyBear::kModulus;
  const Tamper tamper = [clk, x, bad](ShardWitness& w) {
    auto& t = w.tables;
    const P2CallLayout L = P2CallAir{}.L;
    auto& p2 = t[kTableP2Call].trace;
    const uint32_t old_w = get_word(p2, 0, L.old_words[15]);
    const uint32_t old_check = (old_w >> 24) <= 0x77 ? 0x77 - (old_w >> 24) : 0xff;
    const uint32_t new_check = (x >> 24) <= 0x77 ? 0x77 - (x >> 24) : 0xff;
    pair_add(t, byte_at(x, 0), byte_at(x, 1), -1);
    pair_add(t, byte_at(x, 2), byte_at(x, 3), -1);
    pair_add(t, old_check, new_check, -1);
    pair_add(t, byte_at(bad, 0), byte_at(bad, 1), +1);
    pair_add(t, byte_at(bad, 2), byte_at(bad, 3), +1);
    pair_add(t, old_check, 0x177 - (bad >> 24), +1);
    put_word(p2, 0, L.new_words[15], bad);
    put(p2, 0, L.new_lt[15], 0);
    set_page_final(t, kP2State / 4 + 15, timestamp(clk, kSlotMemory), bad);
    rehash_memory(t, false, true);
  };
  const std::string which = (bad >> 24) == 0x78 ? "canonical.low" : "canonical.top";
  expect_rejected(tamper, "constraint " + which + " of table p2_call fails at row 0",
                  [&](const Diagnosis& d) { expect_only_constraint(d, which); });
}

// ---- 7. more system-call protections (found untested by scripts/mutation/rv32im.txt) -------------

// The first read of shard 1 takes a0 from the start root: a0 = 3 there (page-in value, start and
// end roots follow) makes it read(3, kBuf + 1, 6), which the executor refuses, yet it returns six
// bytes of private input. Protection: a read's descriptor is 0 (system.read_fd).
TEST_F(MemoryIoSoundness, ReadFromAnotherDescriptorIsNamedAndRejected) {
  const Tamper tamper = [](ShardWitness& w) {
    auto& t = w.tables;
    const SystemLayout S = SystemAir{}.L;
    auto& sys = t[kTableSystem].trace;
    ASSERT_EQ(get(sys, kRead6, S.read), 1u);
    ASSERT_EQ(get_word(sys, kRead6, S.a0), 0u);
    ASSERT_EQ(get(sys, kRead6, S.a0_access.prev_ts), 0u) << "a0 must come from the start root";
    put_word(sys, kRead6, S.a0, 3);
    set_page_init(t, vm::kRegA0, 3, /*unaccessed=*/false);
    rehash_memory(t, true, true);
  };
  expect_rejected(tamper, "constraint system.read_fd of table system fails at row 0",
                  [](const Diagnosis& d) { expect_only_constraint(d, "system.read_fd"); });
}

// write(1, kBuf + 2, 3) claims a short count (d = 1, short = 1) and so sets the end-of-file flag
// the I/O chain carries: the next I/O call and the short read start at end of file, and the short
// read returns nothing (its buffer, the input digest, the later counts and a0 follow). No
// executor run has this I/O state: only a read that returns less than asked sets the flag, which
// is part of the shard's end state. Protection: only a read can be short (system.short_only_read).
TEST_F(MemoryIoSoundness, WriteSettingEndOfFileIsNamedAndRejected) {
  const Tamper tamper = [](ShardWitness& w) {
    auto& t = w.tables;
    const SystemLayout S = SystemAir{}.L;
    auto& sys = t[kTableSystem].trace;
    ASSERT_EQ(get(sys, kWrite3, S.write_out), 1u);
    ASSERT_EQ(get_word(sys, kWrite3, S.d), 0u);
    for (const Call k : {kWrite3, kWrite32, kShortRead}) ASSERT_EQ(get(sys, k, S.eof), 0u);
    put_word(sys, kWrite3, S.d, 1);  // d and its checks are gated by `read` on a write row
    put(sys, kWrite3, S.is_short, 1);
    put(sys, kWrite3, S.inv0, 1);
    put(sys, kWrite3, S.eof_next, 1);
    put(sys, kWrite32, S.eof, 1);
    put(sys, kWrite32, S.eof_next, 1);
    put(sys, kShortRead, S.eof, 1);
    replace_read(t, kShortRead, {});
  };
  expect_rejected(tamper,
                  "constraint system.short_only_read of table system fails at row " + std::to_string(kWrite3),
                  [](const Diagnosis& d) { expect_only_constraint(d, "system.short_only_read"); });
}

// The short read's buffer (kShortBuf, 5 bytes: word S bytes 0..3, word S + 1 byte 0): the first
// row stops after byte 2 although bytes remain, the second takes input bytes 3 and 4 into bytes 0
// and 1 of S + 1; the chain, the absorb messages and the system row's end token are unchanged,
// the words' page-out values and the end root follow. The guest's buffer has a hole at byte 3
// and the rest shifted. Protection: a row whose mask stops before byte 3 ends the buffer
// (io_words.ends_in_word).
TEST_F(MemoryIoSoundness, BufferWordSkippingBytesIsNamedAndRejected) {
  const uint32_t clk = clk_of(kShortRead), word = kShortBuf / 4;
  const size_t first = io_row(honest_->tables, clk, word);
  const Tamper tamper = [clk, word](ShardWitness& w) {
    auto& t = w.tables;
    const IoWordsLayout I = IoWordsAir{}.L;
    auto& io = t[kTableIoWords].trace;
    const size_t r0 = io_row(t, clk, word), r1 = io_row(t, clk, word + 1);
    ASSERT_EQ(get(io, r0, I.rem), 5u);
    ASSERT_EQ(get(io, r0, I.mask[3]), 1u);
    ASSERT_EQ(get(io, r1, I.rem), 1u);
    ASSERT_EQ(get(io, r1, I.mask[1]), 0u);
    const uint32_t ts = timestamp(clk, kSlotMemory);
    const PageLayout P = PageAir{}.L;
    for (const uint32_t wd : {word, word + 1}) {
      const PageSlot s = page_slot(t, wd);
      ASSERT_EQ(get(t[kTablePages].trace, s.row, P.words[s.k].final_ts), ts) << "accessed later";
    }
    const uint32_t old0 = get_word(io, r0, I.old_word), new0 = get_word(io, r0, I.new_word);
    const uint32_t old1 = get_word(io, r1, I.old_word), new1 = get_word(io, r1, I.new_word);
    const uint32_t b3 = byte_at(new0, 3), b4 = byte_at(new1, 0);
    const uint32_t next0 = (new0 & 0x00ffffffu) | (old0 & 0xff000000u);
    const uint32_t next1 = (old1 & 0xffff0000u) | b3 | (b4 << 8);
    put(io, r0, I.mask[3], 0);
    put_word(io, r0, I.new_word, next0);
    put(io, r1, I.rem, 2);
    put(io, r1, I.seq, get(io, r1, I.seq) - 1);
    put(io, r1, I.mask[1], 1);
    put_word(io, r1, I.new_word, next1);
    set_page_final(t, word, ts, next0);
    set_page_final(t, word + 1, ts, next1);
    rehash_memory(t, false, true);
  };
  expect_rejected(tamper,
                  "constraint io_words.ends_in_word of table io_words fails at row " + std::to_string(first),
                  [](const Diagnosis& d) { expect_only_constraint(d, "io_words.ends_in_word"); });
}

// The short read's buffer words are read-only in the start root (their class 0 in the page
// table: page hashes, start and end roots follow) and the read writes input into them, which the
// executor refuses (a store there is a fault). Protection: an input row writes writable memory
// only (io_words.input_writable); the class is part of the memory token.
TEST_F(MemoryIoSoundness, InputIntoReadOnlyMemoryIsNamedAndRejected) {
  const uint32_t clk = clk_of(kShortRead), word = kShortBuf / 4;
  const Tamper tamper = [clk, word](ShardWitness& w) {
    auto& t = w.tables;
    const IoWordsLayout I = IoWordsAir{}.L;
    const PageLayout P = PageAir{}.L;
    auto& io = t[kTableIoWords].trace;
    for (const uint32_t wd : {word, word + 1}) {
      const size_t r = io_row(t, clk, wd);
      ASSERT_EQ(get(io, r, I.cls), 1u);
      ASSERT_EQ(get(io, r, I.access.prev_ts), 0u) << "the word is accessed before the read";
      put(io, r, I.cls, 0);
      const PageSlot s = page_slot(t, wd);
      ASSERT_EQ(get(t[kTablePages].trace, s.row, P.words[s.k].final_ts), timestamp(clk, kSlotMemory))
          << "the word is accessed after the read";
      put(t[kTablePages].trace, s.row, P.words[s.k].cls, 0);
    }
    rehash_memory(t, true, true);
  };
  expect_rejected(tamper, "constraint io_words.input_writable of table io_words fails at row",
                  [](const Diagnosis& d) { expect_only_constraint(d, "io_words.input_writable"); });
}

// The shard table's first column below its first row: -1 on row 1 and +1 on row 2 leave the net
// injection of the start and end states (and of the I/O chain's ends) at one, so this witness
// is the honest one; but a -1 alone would cancel them, and an empty execution would balance any
// claimed end state. Protection: only the first row is 1 (shard.only_first).
TEST_F(MemoryIoSoundness, ShardEndpointsOnAnotherRowAreNamedAndRejected) {
  const Tamper tamper = [](ShardWitness& w) {
    auto& shard = w.tables[kTableShard].trace;
    ASSERT_GE(shard.height(), 3u);
    shard.at(1, 0) = -BabyBear::one();
    shard.at(2, 0) = BabyBear::one();
  };
  expect_rejected(tamper, "constraint shard.only_first of table shard fails at row 0",
                  [](const Diagnosis& d) { expect_only_constraint(d, "shard.only_first"); });
}

}  // namespace
}  // namespace tessera::rv32im::test
