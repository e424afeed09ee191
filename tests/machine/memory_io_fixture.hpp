#pragma once
// The shared fixture of the memory and I/O soundness tests (test_memory_soundness.cpp,
// test_io_soundness.cpp).
//
// Soundness of the rv32im tables that are not instruction families: system, io_words,
// absorb_input / absorb_output, p2_call, pages, merkle. Every test tampers with the honest
// witness of one shard the way a cheating prover would — the change it wants, plus every
// dependent column, lookup multiplicity, page hash, merkle path and public value it can fix up —
// so that exactly one protection is left to catch it. Each test asserts
//   - which protection: diagnose() (soundness_support.hpp) finds exactly one failing constraint
//     or exactly the expected unbalanced messages, nothing else;
//   - Machine::debug_check names it;
//   - a proof forced from the tampered witness (Rv32imMachine::prove_shard_with, debug check
//     off, `test` configuration) is rejected by verify_shard (ErrorKind::VerifyFailed).
// One guest serves every test: shard 0 (128 cycles) sets up the registers of the first system
// call, shard 1 (the tested one) makes every kind of call and exits.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "backend/cpu_backend.hpp"
#include "machine/rv32im_machine.hpp"
#include "machine_test_support.hpp"
#include "shard/statement.hpp"
#include "soundness_support.hpp"

namespace tessera::rv32im::test {

using vm::test::SegmentSpec;

constexpr uint32_t kBuf = vm::test::kDataBase;  // page 0x80, writable
constexpr uint32_t kP2State = kBuf + 0x100;     // 16 words 1..16, the Poseidon2 call's state
constexpr uint32_t kShortBuf = kBuf + 0x200;    // the short read's buffer
constexpr uint32_t kEofBuf = kBuf + 0x300;      // the read at end of file
constexpr uint32_t kUnusedWord = (kBuf + 0x3c0) / 4;  // never accessed
constexpr uint64_t kShardCycles = 128;
constexpr uint32_t kDataPage = kBuf / vm::kPageSize;

// Shard 1's system calls, in order (= system table rows).
enum Call : size_t {
  kRead6 = 0,      // read(0, kBuf + 1, 6): input bytes 0..5
  kWrite3 = 1,     // write(1, kBuf + 2, 3): input bytes 1..3 become output bytes 0..2
  kDebug = 2,      // write(2, kBuf, 4)
  kPoseidon2 = 3,  // poseidon2(kP2State)
  kWrite32 = 4,    // write(1, kP2State, 32): words 0..7 of the permutation
  kShortRead = 5,  // read(0, kShortBuf, 100): input bytes 6..10, end of file
  kEofRead = 6,    // read(0, kEofBuf, 8): 0 bytes
  kWrite0 = 7,     // write(1, kBuf, 0)
  kExit = 8,
};

inline uint32_t pc_of(size_t index) {
  return vm::test::kTextBase + 4 * static_cast<uint32_t>(index);
}

struct IoGuest {
  std::vector<uint32_t> code;
  uint32_t x0_pc = 0;  // ADDI x0, t0, 5: the shard's last access to x0 is its (non-)write
};

inline IoGuest io_guest() {
  IoGuest g;
  auto& c = g.code;
  const auto call = [&](uint32_t number, uint32_t a0, uint32_t a1, uint32_t a2) {
    li(c, rv::a0, a0);
    li(c, rv::a1, a1);
    li(c, rv::a2, a2);
    li(c, rv::a7, number);
    c.push_back(rv::ecall());
  };
  // Shard 0: the registers of the first read, then no-ops to the shard's end.
  li(c, rv::t0, 0x12345670);
  li(c, rv::a0, 0);
  li(c, rv::a1, kBuf + 1);
  li(c, rv::a2, 6);
  li(c, rv::a7, 63);
  while (c.size() < kShardCycles) c.push_back(rv::addi(rv::zero, rv::zero, 0));
  // Shard 1: a7..a2 of the first call come from the start root.
  c.push_back(rv::ecall());
  call(64, 1, kBuf + 2, 3);
  call(64, 2, kBuf, 4);
  li(c, rv::a0, kP2State);
  li(c, rv::a7, 0x5032);
  c.push_back(rv::ecall());
  call(64, 1, kP2State, 32);
  call(63, 0, kShortBuf, 100);
  call(63, 0, kEofBuf, 8);
  call(64, 1, kBuf, 0);
  li(c, rv::a0, 42);
  li(c, rv::a7, 93);
  g.x0_pc = pc_of(c.size());
  c.push_back(rv::addi(rv::zero, rv::t0, 5));
  c.push_back(rv::ecall());
  return g;
}

inline std::vector<uint8_t> io_elf(const std::vector<uint32_t>& code) {
  std::vector<uint8_t> data(0x400, 0);
  for (uint32_t k = 0; k < 16; ++k) data[0x100 + 4 * k] = static_cast<uint8_t>(k + 1);
  return vm::test::build_elf_from_code(
      code, {SegmentSpec{kBuf, data, 0, vm::test::kPfR | vm::test::kPfW}});
}

inline std::vector<uint8_t> io_input() {
  std::vector<uint8_t> in;
  for (int i = 0; i < 11; ++i) in.push_back(static_cast<uint8_t>(0xa0 + 7 * i));
  return in;
}

using Tamper = std::function<void(ShardWitness&)>;

class MemoryIoSoundness : public ::testing::Test {
 protected:
  static constexpr uint64_t kShard = 1;

  static void SetUpTestSuite() {
    guest_ = std::make_unique<IoGuest>(io_guest());
    Rv32imRequest r;
    r.elf = io_elf(guest_->code);
    r.shard_cycles = kShardCycles;
    r.config = "test";
    program_ = std::make_unique<vm::Program>(vm::parse_elf(r.elf, vm::kDefaultMaxPages));
    image_ = std::make_unique<ProgramImage>(*program_);
    machine_ = Rv32imMachine::for_proving(r, io_input());
    checkpoints_ = machine_->execute();
    honest_ = std::make_unique<ShardWitness>(machine_->witness(kShard, checkpoints_.at(kShard)));
  }
  static void TearDownTestSuite() {
    honest_.reset();
    machine_.reset();
    image_.reset();
    program_.reset();
    guest_.reset();
  }

  static const RowMajorMatrix<BabyBear>& honest(TableId t) { return honest_->tables[t].trace; }

  // The proof forced from the tampered witness.
  static std::vector<uint8_t> forced_proof(const Tamper& tamper) {
    ProveOptions o;
    o.debug_check = false;
    return machine_->prove_shard_with(kShard, checkpoints_.at(kShard), backend_, o, tamper);
  }

  // The tampered witness: `check` sees its diagnosis, the debug check names `named`, and the
  // forced proof is rejected.
  static void expect_rejected(const Tamper& tamper, const std::string& named,
                              const std::function<void(const Diagnosis&)>& check) {
    ShardWitness w = *honest_;
    tamper(w);
    check(diagnose(*image_, w.tables));
    try {
      machine_->stark_machine().debug_check(traces_of(w), public_values_of(w));
      ADD_FAILURE() << "the debug check accepted the tampered witness (expected: " << named << ")";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(named), std::string::npos) << e.what();
    }
    const std::vector<uint8_t> proof = forced_proof(tamper);
    try {
      machine_->verify_shard(kShard, proof);
      ADD_FAILURE() << "the verifier accepted a proof of the tampered witness (" << named << ")";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::VerifyFailed) << e.what();
    }
  }

  static uint32_t clk_of(Call k) { return get(honest(kTableSystem), k, SystemAir{}.L.clk); }

  static inline std::unique_ptr<IoGuest> guest_;
  static inline std::unique_ptr<vm::Program> program_;
  static inline std::unique_ptr<ProgramImage> image_;
  static inline std::unique_ptr<Rv32imMachine> machine_;
  static inline std::vector<std::vector<uint8_t>> checkpoints_;
  static inline std::unique_ptr<ShardWitness> honest_;
  static inline CpuBackend backend_;
};

// ---- shared tamper steps ------------------------------------------------------------------------

// The ALU row that next writes register `reg` after the token of timestamp `prev_ts` now reads
// `value` as the register's previous value (rd_prev: a token value, checked by the memory bus only).
inline void set_next_rd_prev(Tables& t, uint32_t reg, uint32_t prev_ts, uint32_t value) {
  const AluLayout L = AluAir{}.L;
  auto& alu = t[kTableAlu].trace;
  for (size_t r = 0; r < alu.height(); ++r) {
    if (get(alu, r, L.io.writes_rd) == 1 && get(alu, r, L.io.rd) == reg &&
        get(alu, r, L.io.rd_access.prev_ts) == prev_ts) {
      put_word(alu, r, L.io.rd_prev, value);
      return;
    }
  }
  ADD_FAILURE() << "no ALU row writes x" << reg << " after timestamp " << prev_ts;
}

// The io_words row of the call at `clk` that accesses `word`.
inline size_t io_row(const Tables& t, uint32_t clk, uint32_t word) {
  const IoWordsLayout I = IoWordsAir{}.L;
  const auto& io = t[kTableIoWords].trace;
  for (size_t r = 0; r < io.height(); ++r) {
    if (get(io, r, I.is_real) == 1 && get(io, r, I.clk) == clk && get(io, r, I.word) == word) return r;
  }
  ADD_FAILURE() << "no io_words row for word " << word << " at clk " << clk;
  return 0;
}

// Read call `k` returns `data` instead of what it read: the system row's result and its
// dependent columns, the call's io_words rows (buffer words paged in before the call and out
// after it), the input stream's digest, the later I/O rows' input counts, the shard's end count,
// a0's next reader and the memory commitment. What stays: the read's own checks on its result.
inline void replace_read(Tables& t, Call k, const std::vector<uint8_t>& data) {
  const SystemLayout S = SystemAir{}.L;
  const IoWordsLayout I = IoWordsAir{}.L;
  const PageLayout P = PageAir{}.L;
  auto& sys = t[kTableSystem].trace;
  ASSERT_EQ(get(sys, k, S.read), 1u);
  const uint32_t clk = get(sys, k, S.clk), n = get_word(sys, k, S.a2), a1 = get_word(sys, k, S.a1);
  const uint32_t old_res = get_word(sys, k, S.res), res = static_cast<uint32_t>(data.size());
  const uint32_t in_count = get(sys, k, S.in_count);
  ASSERT_LT(res, 1u << 24);  // the AND lookup on the result's top byte stays (0, 0xc0, 0)

  // The row: res, d = n - res with its carries, short, its inverse, the counts, the buffer's end.
  const uint32_t old_d = n - old_res, d = n - res;
  for (const auto& [v, delta] : {std::pair{old_res, -1}, std::pair{res, +1}, std::pair{old_d, -1},
                                 std::pair{d, +1}}) {
    pair_add(t, byte_at(v, 0), byte_at(v, 1), delta);
    pair_add(t, byte_at(v, 2), byte_at(v, 3), delta);
  }
  put_word(sys, k, S.res, res);
  put_word(sys, k, S.d, d);
  uint32_t carry = 0;
  for (uint32_t i = 0; i < 4; ++i) {
    carry = (byte_at(res, i) + byte_at(d, i) + carry) >> 8;
    put(sys, k, S.borrow[i], carry);
  }
  const uint32_t lo = d & 0xffff, hi = d >> 16;
  put(sys, k, S.is_short, d != 0 ? 1 : 0);
  sys.at(k, S.inv0) = lo != 0 ? BabyBear::from_u32(lo).inverse() : BabyBear::zero();
  sys.at(k, S.inv1) = lo == 0 && hi != 0 ? BabyBear::from_u32(hi).inverse() : BabyBear::zero();
  ASSERT_EQ(get(sys, k, S.eof_next), (get(sys, k, S.eof) == 1 || d != 0) ? 1u : 0u)
      << "the end-of-file flag would change downstream";
  put(sys, k, S.io_n, res);
  put(sys, k, S.in_next, in_count + res);
  put(sys, k, S.w_end, res == 0 ? a1 >> 2 : ((a1 + res - 1) >> 2) + 1);
  put(sys, k, S.o_end, res == 0 ? (a1 & 3) : 0);

  // The buffer: the old rows go (their words back to their page-in values), the new ones come.
  auto& io = t[kTableIoWords].trace;
  const uint32_t ts = timestamp(clk, kSlotMemory);
  for (size_t r = 0; r < io.height(); ++r) {
    if (get(io, r, I.is_real) != 1 || get(io, r, I.clk) != clk) continue;
    const uint32_t word = get(io, r, I.word);
    ASSERT_EQ(get(io, r, I.access.prev_ts), 0u) << "the buffer was accessed before the call";
    const PageSlot s = page_slot(t, word);
    ASSERT_EQ(get(t[kTablePages].trace, s.row, P.words[s.k].final_ts), ts)
        << "the buffer is accessed after the call";
    range16_add(t, get(io, r, I.access.diff_lo), -1);
    pair_add(t, get(io, r, I.access.diff_hi), 0, -1);
    set_page_final(t, word, 0, get_word(io, r, I.old_word));
    for (size_t c = 0; c < io.width(); ++c) io.at(r, c) = BabyBear::zero();
  }
  uint32_t cursor = a1, remaining = res, seq = in_count;
  while (remaining > 0) {
    const uint32_t word = cursor >> 2, offset = cursor & 3;
    const uint32_t count = std::min(remaining, 4 - offset);
    const PageSlot s = page_slot(t, word);
    const auto& pages = t[kTablePages].trace;
    ASSERT_EQ(get(pages, s.row, P.words[s.k].final_ts), 0u) << "word " << word << " is accessed";
    const uint32_t old = get_word(pages, s.row, P.words[s.k].init);
    uint32_t next = old;
    for (uint32_t b = offset; b < offset + count; ++b) {
      next = (next & ~(0xffu << (8 * b))) | (uint32_t{data[seq - in_count + b - offset]} << (8 * b));
    }
    const size_t r = free_row(io);
    put(io, r, I.is_real, 1);
    put(io, r, I.clk, clk);
    put(io, r, I.word, word);
    put(io, r, I.rem, remaining);
    put(io, r, I.seq, seq);
    put(io, r, I.cls, get(pages, s.row, P.words[s.k].cls));
    put(io, r, I.offset[offset], 1);
    for (uint32_t b = offset; b < offset + count; ++b) put(io, r, I.mask[b], 1);
    put_word(io, r, I.old_word, old);
    put_word(io, r, I.new_word, next);
    put(io, r, I.access.diff_lo, (ts - 1) & 0xffff);
    put(io, r, I.access.diff_hi, (ts - 1) >> 16);
    range16_add(t, (ts - 1) & 0xffff, +1);
    pair_add(t, (ts - 1) >> 16, 0, +1);
    set_page_final(t, word, ts, next);
    remaining -= count;
    seq += count;
    cursor = (word + 1) * 4;
  }

  // The input stream, the later calls' counts, the shard's end count, a0, the memory commitment.
  std::vector<uint8_t> stream = absorbed_bytes(t, kIoInput);
  const uint32_t start = t[kTableAbsorbInput].public_values[absorb_pv::kStartCount].as_u32();
  stream.erase(stream.begin() + (in_count - start), stream.begin() + (in_count - start + old_res));
  stream.insert(stream.begin() + (in_count - start), data.begin(), data.end());
  regenerate_absorb(t, kIoInput, stream);
  const BabyBear delta = BabyBear::from_u32(res) - BabyBear::from_u32(old_res);
  for (size_t r = 0; r < sys.height(); ++r) {
    if (get(sys, r, S.clk) <= clk || get(sys, r, S.read) + get(sys, r, S.write_out) == 0) continue;
    ASSERT_EQ(get(sys, r, S.read) * get(sys, r, S.io_n), 0u) << "a later read's data would move";
    sys.at(r, S.in_count) += delta;
    sys.at(r, S.in_next) += delta;
    sys.at(r, S.seq0) += delta * sys.at(r, S.read);
  }
  t[kTableShard].public_values[shard_pv::kEndInCount] += delta;
  set_next_rd_prev(t, vm::kRegA0, timestamp(clk, kSlotRd), res);
  rehash_memory(t, false, true);
}

}  // namespace tessera::rv32im::test
