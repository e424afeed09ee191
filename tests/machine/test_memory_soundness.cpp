// Soundness of memory in the rv32im tables: registers, a value read back, page words against the
// start and end roots, the merkle tree (fixture and method: memory_io_fixture.hpp).
#include "memory_io_fixture.hpp"

namespace tessera::rv32im::test {
namespace {

// ---- the honest shard and the bookkeeping ---------------------------------------------------------

TEST_F(MemoryIoSoundness, HonestShardProvesAndBookkeepingIsIdentity) {
  ASSERT_EQ(checkpoints_.size(), 2u);
  ASSERT_EQ(get(honest(kTableSystem), kExit, SystemAir{}.L.exit), 1u);
  const Diagnosis clean = diagnose(*image_, honest_->tables);
  EXPECT_TRUE(clean.constraints.empty() && clean.imbalances.empty()) << describe(clean);
  // Recomputing what the tests recompute changes nothing that matters.
  ShardWitness w = *honest_;
  rehash_memory(w.tables, true, true);
  regenerate_absorb(w.tables, kIoInput, absorbed_bytes(w.tables, kIoInput));
  regenerate_absorb(w.tables, kIoOutput, absorbed_bytes(w.tables, kIoOutput));
  rebuild_poseidon2(w.tables);
  for (const TableId id : {kTablePages, kTableMerkle, kTableAbsorbInput, kTableAbsorbOutput, kTableBytes}) {
    EXPECT_TRUE(w.tables[id].trace == honest(id)) << table_name(id);
    EXPECT_EQ(w.tables[id].public_values, honest_->tables[id].public_values) << table_name(id);
  }
  const Diagnosis again = diagnose(*image_, w.tables);
  EXPECT_TRUE(again.constraints.empty() && again.imbalances.empty()) << describe(again);
  // The forced path itself accepts an honest witness.
  const ShardStatement s = machine_->verify_shard(kShard, forced_proof([](ShardWitness&) {}));
  EXPECT_TRUE(statement_of(s.end_state).halted);
}

// ---- 1. registers: x0 is never written -------------------------------------------------------------

// ADDI x0, t0, 5 claims writes_rd = 1 and writes t0 + 5 into x0: the register access, its range
// check, x0's page-out token and the end root all follow, and the program table's count of the
// honest message drops by one (it is a main column the prover chooses); the tampered message has
// no row to go to: the program table's row for this pc says writes_rd = 0.
// Protection: writes_rd is part of the program message (the preprocessed program table).
TEST_F(MemoryIoSoundness, WriteToX0IsNamedAndRejected) {
  const uint32_t pc = guest_->x0_pc;
  const Tamper tamper = [pc, &image = *image_](ShardWitness& w) {
    auto& t = w.tables;
    const AluLayout L = AluAir{}.L;
    const PageLayout P = PageAir{}.L;
    auto& alu = t[kTableAlu].trace;
    size_t r = alu.height();
    for (size_t i = 0; i < alu.height(); ++i) {
      if (get(alu, i, L.io.pc) == pc) r = i;
    }
    ASSERT_LT(r, alu.height());
    ASSERT_EQ(get(alu, r, L.io.rd), 0u);
    ASSERT_EQ(get(alu, r, L.io.writes_rd), 0u);
    const uint32_t ts = timestamp(get(alu, r, L.io.clk), kSlotRd);
    const PageSlot x0 = page_slot(t, 0);
    const uint32_t prev_ts = get(t[kTablePages].trace, x0.row, P.words[x0.k].final_ts);
    const uint32_t diff = ts - prev_ts - 1;
    ASSERT_LT(diff, 1u << 16);
    put(alu, r, L.io.writes_rd, 1);
    put_word(alu, r, L.io.rd_prev, 0);
    put(alu, r, L.io.rd_access.prev_ts, prev_ts);
    put(alu, r, L.io.rd_access.diff_lo, diff);
    range16_add(t, diff, +1);  // diff_hi = 0: the pair (rd's diff_hi, 0) is unchanged
    const uint32_t value = get_word(alu, r, L.io.a);
    ASSERT_EQ(value, 0x12345675u);
    set_page_final(t, 0, ts, value);
    rehash_memory(t, false, true);
    auto& program = t[kTableProgram].trace;
    const size_t row = image.index_of(pc);
    put(program, row, 0, get(program, row, 0) - 1);
  };
  const std::string message = "bus 2 message (" + std::to_string(pc) + ", ";
  expect_rejected(tamper, message, [&](const Diagnosis& d) {
    expect_only_imbalances(d, {message});
    ASSERT_EQ(d.imbalances.size(), 1u);
    EXPECT_NE(d.imbalances[0].find(", 1) has net multiplicity +1"), std::string::npos)
        << d.imbalances[0];  // writes_rd = 1, sent once, received by no program row
  });
}

// ---- 2. a memory value read back wrong ---------------------------------------------------------

// write(1, kBuf + 2, 3) reads word kBuf/4 with one of its output bytes changed: the output digest,
// the word's page-out value and the end root follow. Protection: the memory argument — the read
// must receive the token the previous access (the first read's write of the input) sent.
TEST_F(MemoryIoSoundness, BufferWordReadBackWrongIsNamedAndRejected) {
  const uint32_t clk = clk_of(kWrite3), word = kBuf / 4;
  const uint32_t prev_ts = get(honest(kTableIoWords), io_row(honest_->tables, clk, word),
                               IoWordsAir{}.L.access.prev_ts);
  const Tamper tamper = [clk, word](ShardWitness& w) {
    auto& t = w.tables;
    const IoWordsLayout I = IoWordsAir{}.L;
    const size_t r = io_row(t, clk, word);
    auto& io = t[kTableIoWords].trace;
    ASSERT_EQ(get(io, r, I.mask[2]), 1u);  // byte 2 is output byte 0
    const uint32_t value = get_word(io, r, I.old_word) ^ 0x005a0000u;
    put_word(io, r, I.old_word, value);
    put_word(io, r, I.new_word, value);
    std::vector<uint8_t> out = absorbed_bytes(t, kIoOutput);
    out[0] = static_cast<uint8_t>(byte_at(value, 2));
    regenerate_absorb(t, kIoOutput, out);
    set_page_final(t, word, timestamp(clk, kSlotMemory), value);
    rehash_memory(t, false, true);
  };
  const std::string message = "bus 3 message (" + std::to_string(word) + ", " + std::to_string(prev_ts) + ", ";
  expect_rejected(tamper, message,
                  [&](const Diagnosis& d) { expect_only_imbalances(d, {message, message}); });
}

// ---- 3. page words against the roots --------------------------------------------------------------

// A word no access touches is paged in (and out) with another value; the page hashes, the merkle
// path and the end root follow, the start root stays. Protection: the start root binds the
// page-in values (the merkle table's root message against the public values).
TEST_F(MemoryIoSoundness, PageInWordAgainstStartRootIsNamedAndRejected) {
  const Tamper tamper = [](ShardWitness& w) {
    set_page_init(w.tables, kUnusedWord, 0x01020304u, /*unaccessed=*/true);
    rehash_memory(w.tables, false, true);
  };
  expect_rejected(tamper, "bus 7 message (0, 0, ", [](const Diagnosis& d) {
    expect_only_imbalances(d, {"bus 7 message (0, 0, ", "bus 7 message (0, 0, "});
  });
}

// The page-out value of a written word differs from its last write (the short read's first
// word); page hash, merkle path and end root follow. Protection: the page-out token must be the
// last access's token, so the end root commits to what the shard wrote.
TEST_F(MemoryIoSoundness, PageOutWordAgainstLastWriteIsNamedAndRejected) {
  const uint32_t word = kShortBuf / 4, ts = timestamp(clk_of(kShortRead), kSlotMemory);
  const Tamper tamper = [word, ts](ShardWitness& w) {
    const PageLayout P = PageAir{}.L;
    const PageSlot s = page_slot(w.tables, word);
    const auto& pages = w.tables[kTablePages].trace;
    ASSERT_EQ(get(pages, s.row, P.words[s.k].final_ts), ts);
    set_page_final(w.tables, word, ts, get_word(pages, s.row, P.words[s.k].fin) ^ 0xffu);
    rehash_memory(w.tables, false, true);
  };
  const std::string message = "bus 3 message (" + std::to_string(word) + ", " + std::to_string(ts) + ", ";
  expect_rejected(tamper, message,
                  [&](const Diagnosis& d) { expect_only_imbalances(d, {message, message}); });
}

// The written data page claims dirty = 0: no second hash, its leaf's new digest = old, the merkle
// path and end root follow (the end root now says the page did not change). Protection: a clean
// page's page-out values equal its page-in values (pages.clean_word), and the page-out tokens are
// the last writes.
TEST_F(MemoryIoSoundness, WrittenPageClaimedCleanIsNamedAndRejected) {
  const Tamper tamper = [](ShardWitness& w) {
    const PageLayout P = PageAir{}.L;
    auto& pages = w.tables[kTablePages].trace;
    const size_t block = page_slot(w.tables, kBuf / 4).row;
    ASSERT_EQ(get(pages, block, P.dirty), 1u);
    for (size_t r = block; r < block + kPageChunks; ++r) put(pages, r, P.dirty, 0);
    rehash_memory(w.tables, false, true);
  };
  // Row 0 of the block holds kBuf .. kBuf + 15, which the first read wrote.
  const size_t block = page_slot(honest_->tables, kBuf / 4).row;
  expect_rejected(tamper, "constraint pages.clean_word of table pages fails at row " + std::to_string(block),
                  [](const Diagnosis& d) { expect_only_constraint(d, "pages.clean_word"); });
}

// ---- 7. the merkle tree ---------------------------------------------------------------------------

// The merkle row at (21, page / 2) of the data page: which side the page is on, and its sibling.
size_t data_page_parent(const Tables& t) {
  const MerkleLayout L = MerkleAir{}.L;
  const auto& m = t[kTableMerkle].trace;
  for (size_t r = 0; r < m.height(); ++r) {
    if (get(m, r, L.is_real) == 1 && get(m, r, L.level) == kPageLevels - 1 &&
        get(m, r, L.index) == kDataPage / 2) {
      return r;
    }
  }
  ADD_FAILURE() << "no merkle row above the data page";
  return 0;
}

// The data page's sibling digest (page 0x81, untouched) is changed; the path and nothing else
// follows. Protection: the siblings are bound by the start / end roots (root message).
TEST_F(MemoryIoSoundness, MerkleSiblingChangedIsNamedAndRejected) {
  const Tamper tamper = [](ShardWitness& w) {
    const MerkleLayout L = MerkleAir{}.L;
    auto& m = w.tables[kTableMerkle].trace;
    const size_t r = data_page_parent(w.tables);
    ASSERT_EQ(get(m, r, L.has_left), 1u);
    ASSERT_EQ(get(m, r, L.has_right), 0u);
    m.at(r, L.old_right[0]) += BabyBear::one();
    rebuild_merkle(w.tables, rehash_pages(w.tables), false, false);
    rebuild_poseidon2(w.tables);
  };
  expect_rejected(tamper, "bus 7 message (0, 0, ", [](const Diagnosis& d) {
    expect_only_imbalances(d, {"bus 7 message (0, 0, ", "bus 7 message (0, 0, "});
  });
}

// The merkle table places the data page's leaf at index 0x81 (its sibling's place) and the
// sibling at 0x80; the path and both roots follow. Protection: the leaf message carries the
// page index the page table addresses its words with (merkle bus at level 22).
TEST_F(MemoryIoSoundness, PageClaimedAtAnotherIndexIsNamedAndRejected) {
  const Tamper tamper = [](ShardWitness& w) {
    const MerkleLayout L = MerkleAir{}.L;
    auto& m = w.tables[kTableMerkle].trace;
    const size_t r = data_page_parent(w.tables);
    const Digest sibling = digest_of(m, r, L.old_right);
    put(m, r, L.has_left, 0);
    put(m, r, L.has_right, 1);
    put_digest(m, r, L.old_left, sibling);
    put_digest(m, r, L.new_left, sibling);
    NodeMap known = rehash_pages(w.tables);
    known[{kPageLevels, kDataPage + 1}] = known.at({kPageLevels, kDataPage});
    known.erase({kPageLevels, kDataPage});
    rebuild_merkle(w.tables, known, true, true);
    rebuild_poseidon2(w.tables);
  };
  const std::string here = "bus 7 message (22, " + std::to_string(kDataPage) + ", ";
  const std::string there = "bus 7 message (22, " + std::to_string(kDataPage + 1) + ", ";
  expect_rejected(tamper, here,
                  [&](const Diagnosis& d) { expect_only_imbalances(d, {here, there}); });
}

// A merkle row at level 22 with no children invents the leaf 0x81 (the compression of two
// sibling digests); the data page's parent takes it as its right child, path and roots follow.
// Protection: every real row has a child on a path (merkle.has_child), so chains of rows end only
// at the page table's leaves.
TEST_F(MemoryIoSoundness, InventedMerkleLeafIsNamedAndRejected) {
  const Tamper tamper = [](ShardWitness& w) {
    const MerkleLayout L = MerkleAir{}.L;
    auto& m = w.tables[kTableMerkle].trace;
    const size_t parent = data_page_parent(w.tables);
    const Digest sibling = digest_of(m, parent, L.old_right);
    const size_t r = free_row(m);
    put(m, r, L.level, kPageLevels);
    put(m, r, L.index, kDataPage + 1);
    put(m, r, L.is_real, 1);
    for (const auto* cols : {&L.old_left, &L.new_left, &L.old_right, &L.new_right}) {
      put_digest(m, r, *cols, sibling);
    }
    put(m, parent, L.has_right, 1);
    rebuild_merkle(w.tables, rehash_pages(w.tables), true, true);
    rebuild_poseidon2(w.tables);
  };
  const size_t row = zero_row(honest(kTableMerkle));
  ASSERT_LT(row, honest(kTableMerkle).height());
  expect_rejected(tamper, "constraint merkle.has_child of table merkle fails at row " + std::to_string(row),
                  [](const Diagnosis& d) { expect_only_constraint(d, "merkle.has_child"); });
}

// ---- 8. the instruction rows: adapter, memory access, ALU carries ---------------------------------
// (the protections the mutation campaign found untested: scripts/mutation/rv32im.txt)

// The ALU row of ADDI x0, t0, 5: its result is written nowhere (writes_rd = 0), so a changed
// result or operand needs no fix-up beyond the result bytes' pair lookups.
inline size_t x0_addi_row(const Tables& t, uint32_t pc) {
  const AluLayout L = AluAir{}.L;
  const auto& alu = t[kTableAlu].trace;
  for (size_t r = 0; r < alu.height(); ++r) {
    if (get(alu, r, L.addi) == 1 && get(alu, r, L.io.pc) == pc) return r;
  }
  ADD_FAILURE() << "no ADDI row at pc " << pc;
  return 0;
}

// Moves the pair lookups of an ALU row's result bytes from its old result to `value`.
inline void set_alu_result(Tables& t, size_t r, uint32_t value) {
  const AluLayout L = AluAir{}.L;
  auto& alu = t[kTableAlu].trace;
  const uint32_t old = get_word(alu, r, L.io.a);
  pair_add(t, byte_at(old, 0), byte_at(old, 1), -1);
  pair_add(t, byte_at(old, 2), byte_at(old, 3), -1);
  pair_add(t, byte_at(value, 0), byte_at(value, 1), +1);
  pair_add(t, byte_at(value, 2), byte_at(value, 3), +1);
  put_word(alu, r, L.io.a, value);
}

// ADDI x0, t0, 5 computes t0 + 4: the carries become the field elements that make every byte
// equation hold (carry_0 = (0x70 + 5 - 0x74) / 256 = 1/256, ...). Protection: the carries are
// boolean (alu.carry); with bytes on both sides that makes the sum unique.
TEST_F(MemoryIoSoundness, AluCarryOtherThanZeroOrOneIsNamedAndRejected) {
  const size_t row = x0_addi_row(honest_->tables, guest_->x0_pc);
  const Tamper tamper = [row](ShardWitness& w) {
    const AluLayout L = AluAir{}.L;
    auto& alu = w.tables[kTableAlu].trace;
    const uint32_t b = get_word(alu, row, L.io.b), c = get_word(alu, row, L.io.c);
    ASSERT_EQ(b + c, get_word(alu, row, L.io.a));
    const uint32_t a = b + c - 1;
    set_alu_result(w.tables, row, a);
    const BabyBear inv256 = BabyBear::from_u32(256).inverse();
    BabyBear carry = BabyBear::zero();
    for (uint32_t i = 0; i < 4; ++i) {
      carry = (BabyBear::from_u32(byte_at(b, i)) + BabyBear::from_u32(byte_at(c, i)) + carry -
               BabyBear::from_u32(byte_at(a, i))) * inv256;
      alu.at(row, L.carry[i]) = carry;
    }
  };
  expect_rejected(tamper, "constraint alu.carry of table alu fails at row " + std::to_string(row),
                  [](const Diagnosis& d) { expect_only_constraint(d, "alu.carry"); });
}

// ADDI x0, t0, 5 adds 6 instead of its immediate 5 (the program message still says 5).
// Protection: an immediate form's operand c is the program's immediate (adapter.c_is_imm).
TEST_F(MemoryIoSoundness, ImmediateOperandOtherThanTheImmediateIsNamedAndRejected) {
  const size_t row = x0_addi_row(honest_->tables, guest_->x0_pc);
  const Tamper tamper = [row](ShardWitness& w) {
    const AluLayout L = AluAir{}.L;
    auto& alu = w.tables[kTableAlu].trace;
    const uint32_t b = get_word(alu, row, L.io.b);
    ASSERT_EQ(get_word(alu, row, L.io.c), 5u);
    ASSERT_EQ(byte_at(b, 0) + 6, byte_at(b + 6, 0));  // no carry changes
    put_word(alu, row, L.io.c, 6);
    set_alu_result(w.tables, row, b + 6);
  };
  expect_rejected(tamper, "constraint adapter.c_is_imm of table alu fails at row " + std::to_string(row),
                  [](const Diagnosis& d) { expect_only_constraint(d, "adapter.c_is_imm"); });
}

// A padding row of the ALU table (no state step, no program row) writes 0xdeadbeef into t1,
// which shard 1 never touches: it takes t1's page-in token and leaves a new one, which the page
// table pages out; the end root follows. Protection: only real rows write (adapter.writes_only_real).
TEST_F(MemoryIoSoundness, PaddingRowWritingARegisterIsNamedAndRejected) {
  const size_t row = zero_row(honest(kTableAlu));  // the height when there is none: it doubles
  const Tamper tamper = [row](ShardWitness& w) {
    auto& t = w.tables;
    const AluLayout L = AluAir{}.L;
    const PageLayout P = PageAir{}.L;
    const uint32_t reg = rv::t1, value = 0xdeadbeef, clk = 1000;
    const PageSlot s = page_slot(t, reg);
    ASSERT_EQ(get(t[kTablePages].trace, s.row, P.words[s.k].final_ts), 0u) << "t1 is accessed";
    const uint32_t old = get_word(t[kTablePages].trace, s.row, P.words[s.k].init);
    const uint32_t ts = timestamp(clk, kSlotRd);
    auto& alu = t[kTableAlu].trace;
    ASSERT_EQ(free_row(alu), row);
    put(alu, row, L.io.clk, clk);
    put(alu, row, L.io.rd, reg);
    put(alu, row, L.io.writes_rd, 1);
    put_word(alu, row, L.io.rd_prev, old);
    put_word(alu, row, L.io.a, value);
    put(alu, row, L.io.rd_access.prev_ts, 0);
    put(alu, row, L.io.rd_access.diff_lo, ts - 1);  // diff_hi = 0
    range16_add(t, ts - 1, +1);
    set_page_final(t, reg, ts, value);
    rehash_memory(t, false, true);
  };
  expect_rejected(tamper,
                  "constraint adapter.writes_only_real of table alu fails at row " + std::to_string(row),
                  [](const Diagnosis& d) { expect_only_constraint(d, "adapter.writes_only_real"); });
}

// ADDI x0, t0, 5 reads t0 with a timestamp difference split that does not add up: diff_lo one
// more than ts - prev_ts - 1 (still a 16-bit value, its range check moved along). Protection:
// memory.timestamp_order, the only link between an access's timestamp and the previous token's;
// without it an access may consume a token sent later (or its own).
TEST_F(MemoryIoSoundness, TimestampSplitNotTheDifferenceIsNamedAndRejected) {
  const size_t row = x0_addi_row(honest_->tables, guest_->x0_pc);
  const Tamper tamper = [row](ShardWitness& w) {
    const AluLayout L = AluAir{}.L;
    auto& alu = w.tables[kTableAlu].trace;
    const uint32_t lo = get(alu, row, L.io.rs1_access.diff_lo);
    ASSERT_LT(lo + 1, 1u << 16);
    put(alu, row, L.io.rs1_access.diff_lo, lo + 1);
    range16_add(w.tables, lo, -1);
    range16_add(w.tables, lo + 1, +1);
  };
  expect_rejected(tamper,
                  "constraint memory.timestamp_order of table alu fails at row " + std::to_string(row),
                  [](const Diagnosis& d) { expect_only_constraint(d, "memory.timestamp_order"); });
}

}  // namespace
}  // namespace tessera::rv32im::test
