// Every RV32IM instruction against hand-computed results, including the specification's edge
// cases (overflow, shift masking, sign extension, division by zero and INT_MIN / -1), and every
// trap with its message.

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "vm_test_support.hpp"

namespace tessera::vm::test {
namespace {

using namespace rv;

struct Case {
  const char* name;
  uint32_t word;  // computes a0 from a1 and a2
  uint32_t a1_value;
  uint32_t a2_value;
  uint32_t expected;
};

void check_cases(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    Machine m = run_code({c.word}, {{a1, c.a1_value}, {a2, c.a2_value}});
    EXPECT_EQ(m->reg(a0), c.expected)
        << c.name << " with a1=0x" << std::hex << c.a1_value << " a2=0x" << c.a2_value;
  }
}

TEST(Rv32imInstructions, RegisterRegisterAlu) {
  check_cases({
      {"add", add(a0, a1, a2), 1, 2, 3},
      {"add overflow", add(a0, a1, a2), 0x7fffffff, 1, 0x80000000},
      {"add wrap", add(a0, a1, a2), 0xffffffff, 1, 0},
      {"sub", sub(a0, a1, a2), 0, 1, 0xffffffff},
      {"sub overflow", sub(a0, a1, a2), 0x80000000, 1, 0x7fffffff},
      {"sll", sll(a0, a1, a2), 1, 31, 0x80000000},
      {"sll masks the amount", sll(a0, a1, a2), 1, 32, 1},
      {"sll 33", sll(a0, a1, a2), 3, 33, 6},
      {"sll -32", sll(a0, a1, a2), 0xffffffff, 0xffffffe0, 0xffffffff},
      {"srl", srl(a0, a1, a2), 0x80000000, 31, 1},
      {"srl masks", srl(a0, a1, a2), 0x80000000, 32, 0x80000000},
      {"srl logical", srl(a0, a1, a2), 0xf0000000, 4, 0x0f000000},
      {"sra", sra(a0, a1, a2), 0x80000000, 31, 0xffffffff},
      {"sra sign", sra(a0, a1, a2), 0xf0000000, 4, 0xff000000},
      {"sra masks", sra(a0, a1, a2), 0x70000000, 36, 0x07000000},
      {"slt -1 < 1", slt(a0, a1, a2), 0xffffffff, 1, 1},
      {"slt 1 < -1", slt(a0, a1, a2), 1, 0xffffffff, 0},
      {"slt equal", slt(a0, a1, a2), 5, 5, 0},
      {"slt min < max", slt(a0, a1, a2), 0x80000000, 0x7fffffff, 1},
      {"sltu", sltu(a0, a1, a2), 0xffffffff, 1, 0},
      {"sltu small", sltu(a0, a1, a2), 1, 0xffffffff, 1},
      {"sltu equal", sltu(a0, a1, a2), 0, 0, 0},
      {"xor", xor_(a0, a1, a2), 0xff00ff00, 0x0ff00ff0, 0xf0f0f0f0},
      {"or", or_(a0, a1, a2), 0xff00ff00, 0x0ff00ff0, 0xfff0fff0},
      {"and", and_(a0, a1, a2), 0xff00ff00, 0x0ff00ff0, 0x0f000f00},
  });
}

TEST(Rv32imInstructions, MultiplyDivide) {
  check_cases({
      {"mul", mul(a0, a1, a2), 12345, 6789, 83810205},
      {"mul low bits", mul(a0, a1, a2), 0x80000000, 2, 0},
      {"mul -1*-1", mul(a0, a1, a2), 0xffffffff, 0xffffffff, 1},
      {"mul 2^16*2^16", mul(a0, a1, a2), 0x10000, 0x10000, 0},
      {"mulh -1*-1", mulh(a0, a1, a2), 0xffffffff, 0xffffffff, 0},
      {"mulh min*min", mulh(a0, a1, a2), 0x80000000, 0x80000000, 0x40000000},
      {"mulh min*1", mulh(a0, a1, a2), 0x80000000, 1, 0xffffffff},
      {"mulh max*max", mulh(a0, a1, a2), 0x7fffffff, 0x7fffffff, 0x3fffffff},
      {"mulhsu -1*(2^32-1)", mulhsu(a0, a1, a2), 0xffffffff, 0xffffffff, 0xffffffff},
      {"mulhsu min*(2^32-1)", mulhsu(a0, a1, a2), 0x80000000, 0xffffffff, 0x80000000},
      {"mulhsu 2*2^31", mulhsu(a0, a1, a2), 2, 0x80000000, 1},
      {"mulhu max", mulhu(a0, a1, a2), 0xffffffff, 0xffffffff, 0xfffffffe},
      {"mulhu 2^31*2", mulhu(a0, a1, a2), 0x80000000, 2, 1},
      {"mulhu", mulhu(a0, a1, a2), 0x12345678, 0x9abcdef0, 0x0b00ea4e},
      {"div truncates", div(a0, a1, a2), 7, 0xfffffffe, 0xfffffffd},
      {"div negative dividend", div(a0, a1, a2), 0xfffffff9, 2, 0xfffffffd},
      {"div by zero", div(a0, a1, a2), 5, 0, 0xffffffff},
      {"div 0/0", div(a0, a1, a2), 0, 0, 0xffffffff},
      {"div overflow", div(a0, a1, a2), 0x80000000, 0xffffffff, 0x80000000},
      {"divu by zero", divu(a0, a1, a2), 5, 0, 0xffffffff},
      {"divu", divu(a0, a1, a2), 0xffffffff, 2, 0x7fffffff},
      {"divu no overflow case", divu(a0, a1, a2), 0x80000000, 0xffffffff, 0},
      {"rem sign of dividend", rem(a0, a1, a2), 0xfffffff9, 2, 0xffffffff},
      {"rem positive dividend", rem(a0, a1, a2), 7, 0xfffffffe, 1},
      {"rem both negative", rem(a0, a1, a2), 0xfffffff9, 0xfffffffe, 0xffffffff},
      {"rem by zero", rem(a0, a1, a2), 5, 0, 5},
      {"rem overflow", rem(a0, a1, a2), 0x80000000, 0xffffffff, 0},
      {"remu by zero", remu(a0, a1, a2), 5, 0, 5},
      {"remu", remu(a0, a1, a2), 0xffffffff, 10, 5},
      {"remu large divisor", remu(a0, a1, a2), 0x80000000, 0xffffffff, 0x80000000},
  });
}

TEST(Rv32imInstructions, RegisterImmediateAlu) {
  check_cases({
      {"addi negative", addi(a0, a1, -6), 5, 0, 0xffffffff},
      {"addi overflow", addi(a0, a1, 1), 0x7fffffff, 0, 0x80000000},
      {"addi max imm", addi(a0, a1, 2047), 0, 0, 2047},
      {"addi min imm", addi(a0, a1, -2048), 0, 0, 0xfffff800},
      {"slti", slti(a0, a1, 0), 0xffffffff, 0, 1},
      {"slti false", slti(a0, a1, -1), 0, 0, 0},
      {"slti min imm", slti(a0, a1, -2047), 0xfffff800, 0, 1},
      {"sltiu seqz", sltiu(a0, a1, 1), 0, 0, 1},
      {"sltiu seqz false", sltiu(a0, a1, 1), 5, 0, 0},
      {"sltiu imm sign-extended", sltiu(a0, a1, -1), 5, 0, 1},
      {"sltiu max", sltiu(a0, a1, -1), 0xffffffff, 0, 0},
      {"xori not", xori(a0, a1, -1), 0x12345678, 0, 0xedcba987},
      {"xori", xori(a0, a1, 0x0f), 0xff, 0, 0xf0},
      {"ori sign-extended", ori(a0, a1, -2048), 0x100, 0, 0xfffff900},
      {"andi", andi(a0, a1, 0x7ff), 0xffffffff, 0, 0x7ff},
      {"andi sign-extended", andi(a0, a1, -16), 0x12345678, 0, 0x12345670},
      {"slli 31", slli(a0, a1, 31), 1, 0, 0x80000000},
      {"slli 0", slli(a0, a1, 0), 0x12345678, 0, 0x12345678},
      {"slli 4", slli(a0, a1, 4), 0xffffffff, 0, 0xfffffff0},
      {"srli 31", srli(a0, a1, 31), 0x80000000, 0, 1},
      {"srli 0", srli(a0, a1, 0), 0xffffffff, 0, 0xffffffff},
      {"srai 31", srai(a0, a1, 31), 0x80000000, 0, 0xffffffff},
      {"srai positive", srai(a0, a1, 30), 0x7fffffff, 0, 1},
      {"srai 0", srai(a0, a1, 0), 0x80000000, 0, 0x80000000},
  });
}

TEST(Rv32imInstructions, UpperImmediates) {
  check_cases({
      {"lui", lui(a0, 0xfffff), 0, 0, 0xfffff000},
      {"lui 2", lui(a0, 0x12345), 0, 0, 0x12345000},
      {"auipc", auipc(a0, 1), 0, 0, kTextBase + 0x1000},
      {"auipc negative", auipc(a0, 0xfffff), 0, 0, kTextBase - 0x1000},
  });
  // auipc at a later address adds that address.
  Machine m = run_code({addi(a1, zero, 0), auipc(a0, 0)});
  EXPECT_EQ(m->reg(a0), kTextBase + 4);
}

TEST(Rv32imInstructions, JumpAndLink) {
  Machine m = run_code({jal(ra, 12), addi(a0, zero, 1), addi(a0, zero, 2), addi(a0, ra, 0)});
  EXPECT_EQ(m->reg(a0), kTextBase + 4);
  EXPECT_EQ(m->reg(ra), kTextBase + 4);
  // Backward jal: jump over a backward target and come back.
  Machine b =
      run_code({jal(zero, 12), addi(a0, a0, 5), jal(zero, 8), jal(zero, -8), addi(a0, a0, 1)});
  EXPECT_EQ(b->reg(a0), 6u);
}

TEST(Rv32imInstructions, JalrClearsBitZeroAndReadsRs1BeforeWritingRd) {
  // target (0x10000 + 13) & ~1 = 0x1000c
  Machine m = run_code({auipc(t0, 0), jalr(ra, t0, 13), addi(a0, zero, 99), addi(a0, ra, 0)});
  EXPECT_EQ(m->reg(a0), kTextBase + 8);
  // rd == rs1: the target uses the old value.
  Machine same = run_code({auipc(t0, 0), jalr(t0, t0, 12), addi(a0, zero, 99), addi(a0, t0, 0)});
  EXPECT_EQ(same->reg(a0), kTextBase + 8);
  // negative offset
  Machine neg = run_code({jal(zero, 12), addi(a0, zero, 7), jal(zero, 16), auipc(t1, 0),
                          jalr(zero, t1, -8), addi(a0, zero, 8)});
  EXPECT_EQ(neg->reg(a0), 7u);
}

TEST(Rv32imInstructions, Branches) {
  // a0 = 0 when taken (skips the addi), 1 when not.
  struct B {
    const char* name;
    uint32_t word;
    uint32_t x, y;
    bool taken;
  };
  const B cases[] = {
      {"beq", beq(a1, a2, 8), 5, 5, true},
      {"beq not", beq(a1, a2, 8), 5, 6, false},
      {"bne", bne(a1, a2, 8), 5, 6, true},
      {"bne not", bne(a1, a2, 8), 5, 5, false},
      {"blt signed", blt(a1, a2, 8), 0xffffffff, 1, true},
      {"blt not", blt(a1, a2, 8), 1, 0xffffffff, false},
      {"blt equal", blt(a1, a2, 8), 3, 3, false},
      {"bge equal", bge(a1, a2, 8), 0xffffffff, 0xffffffff, true},
      {"bge not", bge(a1, a2, 8), 0xfffffffe, 0xffffffff, false},
      {"bge min", bge(a1, a2, 8), 0x7fffffff, 0x80000000, true},
      {"bltu", bltu(a1, a2, 8), 1, 0xffffffff, true},
      {"bltu not", bltu(a1, a2, 8), 0xffffffff, 1, false},
      {"bgeu", bgeu(a1, a2, 8), 0xffffffff, 1, true},
      {"bgeu not", bgeu(a1, a2, 8), 0, 1, false},
      {"bgeu equal", bgeu(a1, a2, 8), 0, 0, true},
  };
  for (const B& c : cases) {
    Machine m = run_code({c.word, addi(a0, zero, 1)}, {{a1, c.x}, {a2, c.y}});
    EXPECT_EQ(m->reg(a0), c.taken ? 0u : 1u) << c.name;
  }
  // A backward branch loop: a0 = 3 * 10.
  Machine loop = run_code({addi(a0, a0, 3), addi(a1, a1, -1), bne(a1, zero, -8)}, {{a1, 10}});
  EXPECT_EQ(loop->reg(a0), 30u);
  EXPECT_EQ(loop->cycle(), 3u * 10 + 2);
}

std::vector<SegmentSpec> data_segment() {
  return {
      {kDataBase, {0x80, 0x7f, 0x01, 0xff, 0x34, 0x12, 0x00, 0x80, 0, 0, 0, 0}, 4096, kPfR | kPfW}};
}

TEST(Rv32imInstructions, LoadsSignAndZeroExtend) {
  struct L {
    const char* name;
    uint32_t word;
    uint32_t expected;
  };
  const L cases[] = {
      {"lb negative", lb(a0, a1, 0), 0xffffff80}, {"lbu", lbu(a0, a1, 0), 0x80},
      {"lb positive", lb(a0, a1, 1), 0x7f},       {"lh", lh(a0, a1, 0), 0x7f80},
      {"lh negative", lh(a0, a1, 6), 0xffff8000}, {"lhu", lhu(a0, a1, 6), 0x8000},
      {"lw", lw(a0, a1, 0), 0xff017f80},          {"lw 4", lw(a0, a1, 4), 0x80001234},
      {"lb 3", lb(a0, a1, 3), 0xffffffff},        {"lbu 3", lbu(a0, a1, 3), 0xff},
  };
  for (const L& c : cases) {
    Machine m = run_code({c.word}, {{a1, kDataBase}}, data_segment());
    EXPECT_EQ(m->reg(a0), c.expected) << c.name;
  }
  Machine neg = run_code({lw(a0, a1, -4)}, {{a1, kDataBase + 8}}, data_segment());
  EXPECT_EQ(neg->reg(a0), 0x80001234u);
  // Bss beyond the file-backed bytes, and memory outside every segment, read as zero.
  Machine bss = run_code({lw(a0, a1, 0), lw(a3, a2, 0)}, {{a1, kDataBase + 2048}, {a2, 0x7000000}},
                         data_segment());
  EXPECT_EQ(bss->reg(a0), 0u);
  EXPECT_EQ(bss->reg(a3), 0u);
}

TEST(Rv32imInstructions, StoresUpdateOnlyTheirBytes) {
  Machine m = run_code({sw(a2, a1, 8), sb(a3, a1, 9), sh(a4, a1, 10), lw(a0, a1, 8)},
                       {{a1, kDataBase}, {a2, 0xdeadbeef}, {a3, 0x12345678}, {a4, 0xffffcafe}},
                       data_segment());
  EXPECT_EQ(m->reg(a0), 0xcafe78efu);
  EXPECT_EQ(m->memory().peek_word(kDataBase + 8), 0xcafe78efu);
  EXPECT_EQ(m->memory().peek_word(kDataBase + 4), 0x80001234u);  // neighbour untouched
  // A store far from every segment allocates a page.
  Machine far = run_code({sw(a2, a1, -4), lw(a0, a1, -4)}, {{a1, 0x40000000}, {a2, 77}});
  EXPECT_EQ(far->reg(a0), 77u);
}

TEST(Rv32imInstructions, RegisterZeroIsHardwired) {
  Machine m = run_code({addi(zero, zero, 5), add(a0, zero, zero), lui(zero, 0x12345),
                        or_(a1, zero, zero), lw(zero, a2, 0), jal(zero, 4), addi(a3, zero, 0)},
                       {{a2, kDataBase}}, data_segment());
  EXPECT_EQ(m->reg(zero), 0u);
  EXPECT_EQ(m->reg(a0), 0u);
  EXPECT_EQ(m->reg(a1), 0u);
  EXPECT_THROW(m->set_reg(0, 1), Error);
}

TEST(Rv32imInstructions, FenceIsANoOp) {
  Machine m = run_code({addi(a0, zero, 7), fence(), 0x0000000f /* fence with empty sets */});
  EXPECT_EQ(m->reg(a0), 7u);
  EXPECT_EQ(m->cycle(), 5u);
}

TEST(Rv32imInstructions, ExitHaltsWithCodeAndKeepsPc) {
  Machine m(
      build_elf_from_code({addi(a0, zero, 42), addi(a7, zero, 93), ecall(), addi(a0, zero, 1)}));
  EXPECT_EQ(m->run(100), 3u);
  EXPECT_TRUE(m->halted());
  EXPECT_EQ(m->exit_code(), 42u);
  EXPECT_EQ(m->pc(), kTextBase + 8);
  EXPECT_EQ(m->run(100), 0u);  // a halted machine stays halted
  // exit keeps the whole 32-bit code
  Machine big = run_code({lui(a0, 0x80000)});
  EXPECT_EQ(big->exit_code(), 0x80000000u);
}

TEST(Rv32imInstructions, ReadReturnsWhatIsLeft) {
  // read(0, data, 4); save a0; read(0, data+4, 100); save; read again -> 0
  const std::vector<uint32_t> code = {
      addi(a0, zero, 0), addi(a1, s0, 0),   addi(a2, zero, 4), addi(a7, zero, 63),  ecall(),
      addi(s1, a0, 0),   addi(a0, zero, 0), addi(a1, s0, 4),   addi(a2, zero, 100), ecall(),
      addi(s2, a0, 0),   addi(a0, zero, 0), addi(a1, s0, 64),  addi(a2, zero, 10),  ecall(),
      addi(s3, a0, 0)};
  const std::string text = "hello world";
  Machine m = run_code(code, {{s0, kDataBase}}, data_segment(),
                       std::vector<uint8_t>(text.begin(), text.end()));
  EXPECT_EQ(m->reg(s1), 4u);
  EXPECT_EQ(m->reg(s2), 7u);
  EXPECT_EQ(m->reg(s3), 0u);
  EXPECT_EQ(m->memory().peek_word(kDataBase), 0x6c6c6568u);      // "hell"
  EXPECT_EQ(m->memory().peek_word(kDataBase + 8), 0x00646c72u);  // "rld\0"
  EXPECT_EQ(m->input_cursor(), 11u);
}

TEST(Rv32imInstructions, WriteCommitsFd1AndLogsFd2) {
  const std::vector<uint32_t> code = {
      addi(a0, zero, 1), addi(a1, s0, 0), addi(a2, zero, 3), addi(a7, zero, 64),
      ecall(),           addi(s1, a0, 0), addi(a0, zero, 2), addi(a1, s0, 4),
      addi(a2, zero, 2), ecall(),         addi(a0, zero, 1), addi(a1, s0, 3),
      addi(a2, zero, 0), ecall()};
  Machine m = run_code(code, {{s0, kDataBase}},
                       {{kDataBase, {'a', 'b', 'c', 'd', 'x', 'y'}, 4096, kPfR | kPfW}});
  EXPECT_EQ(m->reg(s1), 3u);
  EXPECT_EQ(m->public_output(), (std::vector<uint8_t>{'a', 'b', 'c'}));
  EXPECT_EQ(m->debug_output(), (std::vector<uint8_t>{'x', 'y'}));
  RunningDigest expected = RunningDigest::output();
  const uint8_t abc[] = {'a', 'b', 'c'};
  expected.absorb(abc);
  EXPECT_EQ(m->output_digest(), expected);
}

// ---- traps ----------------------------------------------------------------------------------

TEST(Rv32imTraps, IllegalEncodings) {
  expect_trap({addi(a0, zero, 1), 0x00000000}, {},
              {"illegal instruction", "at pc 0x00010004", "instruction 0x00000000", "cycle 1"});
  expect_trap({0xffffffff}, {}, {"illegal instruction", "instruction 0xffffffff"});
  expect_trap({0x00010001}, {}, {"illegal instruction"});  // compressed encodings are not RV32IM
  expect_trap({slli(a0, a1, 0) | (1u << 25)}, {}, {"illegal instruction"});  // shamt[5] on RV32
  expect_trap({r_type(0x02, a2, a1, 0, a0, 0x33)}, {}, {"illegal instruction"});
  expect_trap({fence_i()}, {}, {"illegal instruction"});
  expect_trap({i_type(0, a1, 3, a0, 0x03)}, {}, {"illegal instruction"});  // ld is RV64
  expect_trap({0x30200073}, {}, {"illegal instruction"});                  // mret
}

TEST(Rv32imTraps, CsrEbreakAndUnknownSyscalls) {
  expect_trap({csrrw(a0, 0x300, a1)}, {}, {"CSR instruction", "at pc 0x00010000"});
  expect_trap({ebreak()}, {}, {"EBREAK", "instruction 0x00100073"});
  expect_trap({addi(a7, zero, 1234), ecall()}, {},
              {"unknown system call a7=1234", "at pc 0x00010004"});
  expect_trap({addi(a0, zero, 3), addi(a7, zero, 63), ecall()}, {},
              {"read() from unsupported file descriptor 3"});
  expect_trap({addi(a0, zero, 5), addi(a7, zero, 64), ecall()}, {},
              {"write() to unsupported file descriptor 5"});
}

TEST(Rv32imTraps, MisalignedLoadsAndStores) {
  const auto data = data_segment();
  expect_trap({lw(a0, a1, 2)}, {{a1, kDataBase}},
              {"misaligned 4-byte load from 0x00020002", "at pc 0x00010000"}, data);
  expect_trap({lh(a0, a1, 1)}, {{a1, kDataBase}}, {"misaligned 2-byte load from 0x00020001"}, data);
  expect_trap({lhu(a0, a1, 3)}, {{a1, kDataBase}}, {"misaligned 2-byte load"}, data);
  expect_trap({sw(a0, a1, 1)}, {{a1, kDataBase}}, {"misaligned 4-byte store to 0x00020001"}, data);
  expect_trap({sh(a0, a1, 3)}, {{a1, kDataBase}}, {"misaligned 2-byte store"}, data);
  expect_trap({lw(zero, a1, 2)}, {{a1, kDataBase}}, {"misaligned 4-byte load"},
              data);  // even into x0
}

TEST(Rv32imTraps, MisalignedAndOutOfTextJumps) {
  expect_trap({auipc(t0, 0), jalr(ra, t0, 6)}, {},
              {"misaligned jump target 0x00010006", "at pc 0x00010004"});
  expect_trap({beq(zero, zero, 6)}, {}, {"misaligned jump target 0x00010006"});
  expect_trap({jal(zero, 6)}, {}, {"misaligned jump target"});
  // A not-taken branch to a misaligned target is fine.
  Machine ok = run_code({bne(zero, zero, 6)});
  EXPECT_TRUE(ok->halted());
  expect_trap({lui(t0, 0x50), jalr(zero, t0, 0)}, {},
              {"jump to 0x00050000 outside the executable segments"});
  expect_trap({jal(zero, -16)}, {}, {"outside the executable segments"});
  expect_trap({addi(a0, zero, 1)}, {},
              {"instruction fetch outside the executable segments", "at pc 0x00010004"});
}

TEST(Rv32imTraps, ProtectedMemory) {
  expect_trap({lw(a0, zero, 16)}, {}, {"load from the reserved register page", "0x00000010"});
  expect_trap({sb(a0, zero, 0)}, {}, {"store to the reserved register page"});
  expect_trap({lui(t0, 0x10), sw(a0, t0, 0)}, {}, {"store to read-only memory", "0x00010000"});
  const std::vector<SegmentSpec> rodata = {{kDataBase, {1, 2, 3, 4}, 0, kPfR}};
  expect_trap({lui(t0, 0x20), sb(a0, t0, 1)}, {}, {"store to read-only memory", "0x00020001"},
              rodata);
  // Loads from read-only data work.
  Machine m = run_code({lui(t0, 0x20), lw(a0, t0, 0)}, {}, rodata);
  EXPECT_EQ(m->reg(a0), 0x04030201u);
  // A read() into text is refused like a store.
  Machine into_text(build_elf_from_code({addi(a0, zero, 0), lui(a1, 0x10), addi(a2, zero, 4),
                                         addi(a7, zero, 63), ecall()}),
                    {'a', 'b', 'c', 'd'});
  expect_error([&] { into_text->run(100); }, ErrorKind::GuestTrap,
               {"store to read-only memory", "0x00010000", "at pc 0x00010010"});
}

TEST(Rv32imTraps, ReadOnlyIsPerWord) {
  // One read-only byte at 0x20000; the rest of the word (0x20001..0x20003) is writable data, yet
  // stores to it trap, because the zkVM marks whole words writable or not.
  const std::vector<SegmentSpec> shared_word = {{kDataBase, {7}, 0, kPfR},
                                                {kDataBase + 1, {1, 2, 3, 4, 5}, 64, kPfR | kPfW}};
  for (const auto& [store, offset] :
       {std::pair{sb(a0, t0, 1), 1}, {sb(a0, t0, 3), 3}, {sh(a0, t0, 2), 2}}) {
    expect_trap({lui(t0, 0x20), store}, {},
                {"store to read-only memory", "0x0002000" + std::to_string(offset)}, shared_word);
  }
  // Loads from that word work, and so do stores to the next word.
  Machine m =
      run_code({lui(t0, 0x20), lw(a1, t0, 0), sb(a1, t0, 4), lbu(a0, t0, 4)}, {}, shared_word);
  EXPECT_EQ(m->reg(a1), 0x03020107u);
  EXPECT_EQ(m->reg(a0), 0x07u);
  // A system call's write into the word is refused like a store.
  Machine into_word(build_elf_from_code({addi(a0, zero, 0), lui(a1, 0x20), addi(a1, a1, 2),
                                         addi(a2, zero, 1), addi(a7, zero, 63), ecall()},
                                        shared_word),
                    {'x'});
  expect_error([&] { into_word->run(100); }, ErrorKind::GuestTrap,
               {"store to read-only memory", "0x00020002", "at pc 0x00010014"});
  EXPECT_EQ(into_word->memory().peek_word(kDataBase), 0x03020107u);
  // A read-only range that ends inside a word: 0x20000..0x20005 read-only, data from 0x20006.
  const std::vector<SegmentSpec> tail = {{kDataBase, {1, 2, 3, 4, 5, 6}, 0, kPfR},
                                         {kDataBase + 6, {}, 64, kPfR | kPfW}};
  expect_trap({lui(t0, 0x20), sb(a0, t0, 7)}, {}, {"store to read-only memory", "0x00020007"},
              tail);
  Machine next_word =
      run_code({lui(t0, 0x20), addi(a1, zero, 9), sb(a1, t0, 8), lbu(a0, t0, 8)}, {}, tail);
  EXPECT_EQ(next_word->reg(a0), 9u);
}

TEST(Rv32imTraps, PageLimit) {
  // Store to page after page: the text page plus two more fit in 3 pages, the next does not.
  const std::vector<uint32_t> loop = {lui(t0, 0x100), sw(a0, t0, 0), addi(t0, t0, 1024),
                                      jal(zero, -8)};
  expect_trap(loop, {}, {"guest memory limit of 3 pages", "exceeded by a store to 0x00100800"}, {},
              ErrorKind::GuestTrap, 3);
}

TEST(Rv32imTraps, CycleLimit) {
  auto program =
      std::make_unique<Program>(parse_elf(build_elf_from_code({jal(zero, 0)}), kDefaultMaxPages));
  ExecuteOptions opts;
  opts.max_cycles = 1000;
  expect_error([&] { execute(*program, {}, opts); }, ErrorKind::CycleLimit,
               {"did not halt within 1000 cycles"});
  opts.shard_cycles = 300;
  expect_error([&] { execute(*program, {}, opts); }, ErrorKind::CycleLimit, {"1000 cycles"});
  // Halting exactly at the limit is not an error.
  auto exact =
      std::make_unique<Program>(parse_elf(build_elf_from_code(with_exit({})), kDefaultMaxPages));
  opts.max_cycles = 2;
  EXPECT_EQ(execute(*exact, {}, opts).final_state.cycle, 2u);
  opts.max_cycles = 1;
  EXPECT_THROW(execute(*exact, {}, opts), Error);
}

}  // namespace
}  // namespace tessera::vm::test
