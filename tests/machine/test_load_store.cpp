// The load and store tables: loads of every width and offset with the sign bit set and clear,
// from read-only and from writable data, address sums that wrap around 2^32, x0 as rd; stores of
// every width and offset, loaded back. Then a wrong loaded value, a store that changes another
// byte of its word, a load that claims a register token's class, and a store to a word the
// memory commitment says is read-only.
#include <gtest/gtest.h>

#include "family_test_support.hpp"
#include "machine/load_table.hpp"
#include "machine/page_table.hpp"
#include "machine/store_table.hpp"

namespace tessera::rv32im::test {
namespace {

constexpr uint32_t kWritable = vm::test::kDataBase;           // 0x20000, flags 6
constexpr uint32_t kReadOnly = vm::test::kDataBase + 0x1000;  // another page, flags 4

// Two words whose every byte and aligned half has the sign bit set in one and clear in the
// other: bytes 80 7f ff 01 (halves 0x7f80, 0x01ff) and 01 ff 7f 80 (halves 0xff01, 0x807f).
std::vector<uint8_t> data_bytes() {
  constexpr uint8_t kHead[8] = {0x80, 0x7f, 0xff, 0x01, 0x01, 0xff, 0x7f, 0x80};
  std::vector<uint8_t> b(64, 0x5a);
  for (size_t i = 0; i < 8; ++i) b[i] = kHead[i];
  return b;
}

struct MemoryProgram {
  std::vector<uint32_t> code;
  std::vector<SegmentSpec> segments;
  size_t lb = 0;           // LB t2, 0(s0): the byte 0x80
  size_t sb_offset1 = 0;   // SB a0, 17(s0)
  size_t lw_writable = 0;  // LW t2, 0(s0)
  uint32_t sb_word = 0;    // the word SB writes
};

MemoryProgram memory_program() {
  MemoryProgram p;
  p.segments.push_back({kWritable, data_bytes(), 0, kWritableFlags});
  p.segments.push_back({kReadOnly, data_bytes(), 0, kReadOnlyFlags});
  auto& c = p.code;
  li(c, rv::s0, kWritable);
  li(c, rv::s1, kReadOnly);
  // Every load at every legal offset of both words, from both segments.
  for (uint32_t base : {rv::s0, rv::s1}) {
    for (int32_t word = 0; word < 8; word += 4) {
      for (int32_t off = 0; off < 4; ++off) {
        if (base == rv::s0 && word == 0 && off == 0) p.lb = c.size();
        c.push_back(rv::lb(rv::t2, base, word + off));
        c.push_back(rv::lbu(rv::t3, base, word + off));
      }
      for (int32_t off = 0; off < 4; off += 2) {
        c.push_back(rv::lh(rv::t2, base, word + off));
        c.push_back(rv::lhu(rv::t3, base, word + off));
      }
      if (base == rv::s0 && word == 0) p.lw_writable = c.size();
      c.push_back(rv::lw(rv::t2, base, word));
    }
  }
  // A negative offset: s0 + 8 - 4 (the byte sum wraps around 2^32), x0 as rd, rd = rs1.
  c.push_back(rv::addi(rv::t0, rv::s0, 8));
  c.push_back(rv::lw(rv::t2, rv::t0, -4));
  c.push_back(rv::lh(rv::t2, rv::t0, -2));
  c.push_back(rv::lw(rv::zero, rv::s1, 4));
  c.push_back(rv::lb(rv::t0, rv::t0, -1));
  // Stores of every width and offset into words 16.. of the writable data, each loaded back.
  li(c, rv::a0, 0xdeadbeefu);
  li(c, rv::a1, 0x80017ffeu);
  for (int32_t off = 0; off < 4; ++off) {
    if (off == 1) p.sb_offset1 = c.size();
    c.push_back(rv::sb(rv::a0, rv::s0, 16 + off));
    c.push_back(rv::lw(rv::t2, rv::s0, 16));
    c.push_back(rv::lbu(rv::t3, rv::s0, 16 + off));
  }
  for (int32_t off = 0; off < 4; off += 2) {
    c.push_back(rv::sh(rv::a1, rv::s0, 20 + off));
    c.push_back(rv::lh(rv::t2, rv::s0, 20 + off));
    c.push_back(rv::lw(rv::t3, rv::s0, 20));
  }
  c.push_back(rv::sw(rv::a1, rv::s0, 24));
  c.push_back(rv::lw(rv::t2, rv::s0, 24));
  c.push_back(rv::addi(rv::t0, rv::s0, 32));
  c.push_back(rv::sw(rv::a0, rv::t0, -4));  // negative offset
  c.push_back(rv::sb(rv::zero, rv::t0, -1));
  c.push_back(rv::lw(rv::t2, rv::s0, 28));
  p.sb_word = (kWritable + 16) >> 2;
  exit_call(c);
  return p;
}

class LoadStoreTest : public FamilySuite<MemoryProgram, memory_program> {};

TEST_F(LoadStoreTest, EveryWidthAndOffsetProves) {
  const auto& load = fixture_->witness().tables[kTableLoad].trace;
  const LoadLayout L = LoadAir{}.L;
  // Both classes were read, and signed loads saw both signs.
  size_t cls[2] = {0, 0}, sign[2] = {0, 0};
  const uint32_t signed_mask = L.ops.mask({ZkOp::Lb, ZkOp::Lh});
  for (size_t r = 0; r < load.height(); ++r) {
    if (load.at(r, L.io.pc) == BabyBear::zero()) continue;  // padding
    ++cls[load.at(r, L.cls).as_u32()];
    for (size_t i = 0; i < 5; ++i) {
      if (((signed_mask >> i) & 1) != 0 && load.at(r, L.ops.col[i]) == BabyBear::one()) {
        ++sign[load.at(r, L.sign).as_u32()];
      }
    }
  }
  EXPECT_GT(cls[0], 0u);
  EXPECT_GT(cls[1], 0u);
  EXPECT_GT(sign[0], 0u);
  EXPECT_GT(sign[1], 0u);
  fixture_->expect_proves(fixture_->tables());
}

TEST_F(LoadStoreTest, WrongLoadedValueIsNamedAndRejected) {
  auto tables = fixture_->tables();
  const LoadLayout L = LoadAir{}.L;
  const size_t r = row_of(kTableLoad, L.io.pc, program_->lb);
  auto& t = tables[kTableLoad].trace;
  ASSERT_EQ(t.at(r, L.io.a[0]), BabyBear::from_u32(0x80));
  t.at(r, L.io.a[0]) = BabyBear::from_u32(0x81);
  fixture_->expect_rejected(
      tables, "constraint load.byte0 of table load fails at row " + std::to_string(r));
}

TEST_F(LoadStoreTest, StoreChangingAnotherByteIsNamedAndRejected) {
  // SB at offset 1 also changes byte 0 of the word it writes.
  auto tables = fixture_->tables();
  const StoreLayout L = StoreAir{}.L;
  const size_t r = row_of(kTableStore, L.io.pc, program_->sb_offset1);
  auto& t = tables[kTableStore].trace;
  t.at(r, L.next[0]) = t.at(r, L.next[0]) == BabyBear::zero() ? BabyBear::one() : BabyBear::zero();
  fixture_->expect_rejected(
      tables, "constraint store.merge of table store fails at row " + std::to_string(r));
}

TEST_F(LoadStoreTest, LoadFromRegisterClassIsNamedAndRejected) {
  // A load that takes a token of the register page's class 2.
  auto tables = fixture_->tables();
  const LoadLayout L = LoadAir{}.L;
  const size_t r = row_of(kTableLoad, L.io.pc, program_->lw_writable);
  tables[kTableLoad].trace.at(r, L.cls) = BabyBear::from_u32(kClassRegister);
  fixture_->expect_rejected(
      tables, "constraint load.class of table load fails at row " + std::to_string(r));
}

TEST_F(LoadStoreTest, StoreToReadOnlyWordIsNamedAndRejected) {
  // The page table pages the stored word in as read-only (class 0): the store's class-1 tokens
  // cannot consume it.
  auto tables = fixture_->tables();
  const PageLayout P = PageAir{}.L;
  const uint32_t word = program_->sb_word;
  auto& t = tables[kTablePages].trace;
  bool found = false;
  for (size_t r = 0; r < t.height() && !found; ++r) {
    if (t.at(r, P.is_real) == BabyBear::one() && t.at(r, P.page) == BabyBear::from_u32(word >> 8) &&
        t.at(r, P.j) == BabyBear::from_u32((word & 0xff) >> 2)) {
      ASSERT_EQ(t.at(r, P.words[word & 3].cls), BabyBear::from_u32(kClassWritable));
      t.at(r, P.words[word & 3].cls) = BabyBear::from_u32(kClassReadOnly);
      found = true;
    }
  }
  ASSERT_TRUE(found);
  fixture_->expect_rejected(tables, "bus 3 message (" + std::to_string(word) + ", 0, ");
}

}  // namespace
}  // namespace tessera::rv32im::test
