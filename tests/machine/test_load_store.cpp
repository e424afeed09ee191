// The load and store tables: loads of every width and offset with the sign bit set and clear,
// from read-only and from writable data, address sums that wrap around 2^32, x0 as rd; stores of
// every width and offset, loaded back. Then a wrong loaded value, a store that changes another
// byte of its word, a load that claims a register token's class, and a store to a word the
// memory commitment says is read-only.
#include <gtest/gtest.h>

#include "family_test_support.hpp"
#include "soundness_support.hpp"
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

// ---- the merkle rows above a page that was only read, and above a page on a right branch ------
// (protections the mutation campaign found untested: scripts/mutation/rv32im.txt)

// The merkle row at (level, index).
size_t merkle_row(const Tables& t, uint32_t level, uint32_t index) {
  const MerkleLayout L = MerkleAir{}.L;
  const auto& m = t[kTableMerkle].trace;
  for (size_t r = 0; r < m.height(); ++r) {
    if (get(m, r, L.is_real) == 1 && get(m, r, L.level) == level && get(m, r, L.index) == index) return r;
  }
  ADD_FAILURE() << "no merkle row at (" << level << ", " << index << ")";
  return 0;
}

// Row r's new parent digest becomes `d`; every row above takes it as its child's new digest and
// compresses again (they must be dirty: a clean row's new digests are its old ones), the end root
// follows, and the Poseidon2 table is recounted.
void propagate_new_parent(Tables& t, size_t r, const Digest& d) {
  const MerkleLayout L = MerkleAir{}.L;
  auto& m = t[kTableMerkle].trace;
  put_digest(m, r, L.new_parent, d);
  uint32_t level = get(m, r, L.level), index = get(m, r, L.index);
  Digest node = d;
  while (level > 0) {
    const size_t p = merkle_row(t, level - 1, index / 2);
    ASSERT_EQ(get(m, p, L.dirty), 1u) << "a clean row above the tampered one";
    put_digest(m, p, index % 2 == 0 ? L.new_left : L.new_right, node);
    node = compress(digest_of(m, p, L.new_left), digest_of(m, p, L.new_right));
    put_digest(m, p, L.new_parent, node);
    --level;
    index /= 2;
  }
  for (uint32_t i = 0; i < 8; ++i) t[kTableMerkle].public_values[8 + i] = node[i];
  rebuild_poseidon2(t);
}

// The read-only page kReadOnly (0x84) is only read: its merkle rows up to (20, 0x21) are clean,
// (19, 0x10) joins the written page 0x80's path. The clean row (20, 0x21) claims another new
// digest, which the end root takes up. Protection: a clean row's new digest is its old one
// (merkle.clean_parent); otherwise a page that was only read could be replaced at the end.
TEST_F(LoadStoreTest, CleanMerkleNodeWithAnotherNewDigestIsNamedAndRejected) {
  auto tables = fixture_->tables();
  const MerkleLayout L = MerkleAir{}.L;
  ASSERT_EQ(kReadOnly >> 10, 0x84u);
  const size_t r = merkle_row(tables, 20, 0x21);
  auto& m = tables[kTableMerkle].trace;
  ASSERT_EQ(get(m, r, L.dirty), 0u);
  Digest d = digest_of(m, r, L.new_parent);
  d[0] += BabyBear::one();
  propagate_new_parent(tables, r, d);
  fixture_->expect_rejected(
      tables, "constraint merkle.clean_parent of table merkle fails at row " + std::to_string(r));
}

// A store into page 0x81 (odd: the right child of (21, 0x40), whose left child, page 0x80, is
// untouched). That row is dirty; it claims another new digest for the untouched left sibling,
// and the end root takes it up: page 0x80 would be rewritten. Protection: a sibling off the
// paths keeps its digest (merkle.left_sibling; clean_left does not apply to a dirty row).
TEST(LoadStoreSoundness, UntouchedLeftSiblingChangingIsNamedAndRejected) {
  constexpr uint32_t kOddPage = vm::test::kDataBase + 0x400;
  std::vector<uint32_t> code;
  li(code, rv::s0, kOddPage);
  li(code, rv::a0, 0x12345678);
  code.push_back(rv::sw(rv::a0, rv::s0, 8));
  exit_call(code);
  ShardFixture fixture(code, {{kOddPage, std::vector<uint8_t>(64, 0x5a), 0, kWritableFlags}});
  auto tables = fixture.tables();
  const MerkleLayout L = MerkleAir{}.L;
  ASSERT_EQ(kOddPage >> 10, 0x81u);
  const size_t r = merkle_row(tables, 21, 0x40);
  auto& m = tables[kTableMerkle].trace;
  ASSERT_EQ(get(m, r, L.has_left), 0u);
  ASSERT_EQ(get(m, r, L.has_right), 1u);
  ASSERT_EQ(get(m, r, L.dirty), 1u);
  Digest left = digest_of(m, r, L.new_left);
  left[0] += BabyBear::one();
  put_digest(m, r, L.new_left, left);
  propagate_new_parent(tables, r, compress(left, digest_of(m, r, L.new_right)));
  fixture.expect_rejected(
      tables, "constraint merkle.left_sibling of table merkle fails at row " + std::to_string(r));
}

}  // namespace
}  // namespace tessera::rv32im::test
