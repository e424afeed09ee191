// Random instruction streams over the compare, jump, load and store families (with the ALU for
// constants and fillers), from fixed seeds: forward branches and jumps over random fillers, JALR
// with odd targets, backward counted loops, loads of every width from read-only and writable data,
// stores of every width, all on edge-biased values. Shard 0 of each run passes the debug check,
// proves and verifies.
#include <gtest/gtest.h>

#include <random>

#include "family_test_support.hpp"
#include "machine/compare_table.hpp"
#include "machine/jump_table.hpp"
#include "machine/load_table.hpp"
#include "machine/store_table.hpp"

namespace tessera::rv32im::test {
namespace {

constexpr uint32_t kWritable = vm::test::kDataBase;
constexpr uint32_t kReadOnly = vm::test::kDataBase + 0x1000;
constexpr uint32_t kDataSize = 256;

constexpr uint32_t kPool[] = {rv::t0, rv::t1, rv::t2, rv::t3, rv::t4, rv::t5, rv::t6,
                              rv::a0, rv::a1, rv::a2, rv::a3, rv::a4, rv::a5};

class StreamGenerator {
 public:
  explicit StreamGenerator(uint32_t seed) : rng_(seed) {}

  std::vector<SegmentSpec> segments() {
    std::vector<SegmentSpec> s;
    for (auto [base, flags] : {std::pair{kWritable, kWritableFlags}, {kReadOnly, kReadOnlyFlags}}) {
      std::vector<uint8_t> bytes(kDataSize);
      for (auto& b : bytes) b = static_cast<uint8_t>(rng_());
      s.push_back({base, std::move(bytes), 0, flags});
    }
    return s;
  }

  std::vector<uint32_t> code(size_t groups) {
    std::vector<uint32_t> c;
    li(c, rv::s0, kWritable);
    li(c, rv::s1, kReadOnly);
    for (uint32_t r : kPool) li(c, r, word());
    for (size_t g = 0; g < groups; ++g) group(c);
    exit_call(c);
    return c;
  }

 private:
  uint32_t pick(uint32_t n) { return static_cast<uint32_t>(rng_() % n); }
  uint32_t reg() { return kPool[pick(std::size(kPool))]; }
  // A source register: x0 now and then.
  uint32_t src() { return pick(8) == 0 ? rv::zero : reg(); }
  // A destination: x0 now and then.
  uint32_t dst() { return pick(8) == 0 ? rv::zero : reg(); }
  uint32_t word() {
    constexpr uint32_t kEdges[] = {0, 1, 0xffffffffu, 0x80000000u, 0x7fffffffu, 0xfffff800u};
    return pick(2) ? kEdges[pick(std::size(kEdges))] ^ (pick(2) ? pick(4) : 0)
                   : static_cast<uint32_t>(rng_());
  }
  int32_t imm12() {
    constexpr int32_t kEdges[] = {0, 1, -1, -2048, 2047};
    return pick(2) ? kEdges[pick(std::size(kEdges))] : static_cast<int32_t>(pick(4096)) - 2048;
  }
  void filler(std::vector<uint32_t>& c) {
    const uint32_t r = reg();
    c.push_back(rv::addi(r, src(), imm12()));
  }
  // An aligned offset of `width` bytes inside the data.
  int32_t data_offset(uint32_t width) {
    return static_cast<int32_t>(pick(kDataSize / width) * width);
  }

  void group(std::vector<uint32_t>& c) {
    switch (pick(10)) {
      case 0:
        li(c, reg(), word());
        break;
      case 1: {
        constexpr uint32_t (*kOps[])(uint32_t, uint32_t, uint32_t) = {rv::slt, rv::sltu};
        c.push_back(kOps[pick(2)](dst(), src(), src()));
        break;
      }
      case 2:
        c.push_back(pick(2) ? rv::slti(dst(), src(), imm12()) : rv::sltiu(dst(), src(), imm12()));
        break;
      case 3: {  // forward branch over k fillers
        constexpr uint32_t (*kOps[])(uint32_t, uint32_t, int32_t) = {rv::beq, rv::bne,  rv::blt,
                                                                     rv::bge, rv::bltu, rv::bgeu};
        const uint32_t k = 1 + pick(2);
        c.push_back(kOps[pick(6)](src(), src(), static_cast<int32_t>(4 * (k + 1))));
        for (uint32_t i = 0; i < k; ++i) filler(c);
        break;
      }
      case 4: {  // JAL forward over k fillers
        const uint32_t k = pick(3);
        c.push_back(rv::jal(dst(), static_cast<int32_t>(4 * (k + 1))));
        for (uint32_t i = 0; i < k; ++i) filler(c);
        break;
      }
      case 5: {  // JALR forward over k fillers, bit 0 set half the time
        const uint32_t k = pick(3);
        c.push_back(rv::auipc(rv::s2, 0));
        c.push_back(rv::jalr(dst(), rv::s2, static_cast<int32_t>(4 * (k + 2) + pick(2))));
        for (uint32_t i = 0; i < k; ++i) filler(c);
        break;
      }
      case 6: {  // load from either segment, or from below the end with a negative offset
        constexpr uint32_t (*kOps[])(uint32_t, uint32_t, int32_t) = {rv::lb, rv::lh, rv::lw,
                                                                     rv::lbu, rv::lhu};
        constexpr uint32_t kWidth[] = {1, 2, 4, 1, 2};
        const uint32_t op = pick(5), base = pick(2) ? rv::s0 : rv::s1;
        const int32_t off = data_offset(kWidth[op]);
        if (pick(2)) {
          c.push_back(kOps[op](dst(), base, off));
        } else {
          c.push_back(rv::addi(rv::s2, base, static_cast<int32_t>(kDataSize)));
          c.push_back(kOps[op](dst(), rv::s2, off - static_cast<int32_t>(kDataSize)));
        }
        break;
      }
      case 7: {  // store into the writable data
        constexpr uint32_t (*kOps[])(uint32_t, uint32_t, int32_t) = {rv::sb, rv::sh, rv::sw};
        constexpr uint32_t kWidth[] = {1, 2, 4};
        const uint32_t op = pick(3);
        c.push_back(kOps[op](src(), rv::s0, data_offset(kWidth[op])));
        break;
      }
      case 8: {  // a backward counted loop around a random comparison
        li(c, rv::s3, 1 + pick(3));
        c.push_back(rv::addi(rv::s3, rv::s3, -1));
        c.push_back(rv::slt(dst(), src(), src()));
        c.push_back(pick(2) ? rv::bne(rv::s3, rv::zero, -8) : rv::blt(rv::zero, rv::s3, -8));
        break;
      }
      default:  // a load right after a store to the same word
        c.push_back(rv::sw(src(), rv::s0, 4 * static_cast<int32_t>(pick(4))));
        c.push_back(rv::lbu(dst(), rv::s0, static_cast<int32_t>(pick(16))));
        break;
    }
  }

  std::mt19937 rng_;
};

TEST(FamiliesRandom, RandomStreamsProveAndVerify) {
  for (uint32_t seed : {7u, 2024u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    StreamGenerator gen(seed);
    const auto segments = gen.segments();
    const auto code = gen.code(160);
    ShardFixture f(code, segments);
    // Every family has rows (a real row's pc is a text address, padding rows are zero).
    const std::pair<TableId, uint32_t> pcs[] = {{kTableCompare, CompareAir{}.L.io.pc},
                                                {kTableJump, JumpAir{}.L.io.pc},
                                                {kTableLoad, LoadAir{}.L.io.pc},
                                                {kTableStore, StoreAir{}.L.io.pc}};
    for (const auto& [t, pc] : pcs) {
      const auto& trace = f.witness().tables[t].trace;
      size_t rows = 0;
      for (size_t r = 0; r < trace.height(); ++r) rows += trace.at(r, pc) != BabyBear::zero();
      EXPECT_GE(rows, 10u) << table_name(t);
    }
    f.expect_proves(f.tables());
  }
}

}  // namespace
}  // namespace tessera::rv32im::test
