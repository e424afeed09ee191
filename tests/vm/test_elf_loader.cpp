// The ELF loader accepts exactly what the executor can run and names the problem of every other
// file with ErrorKind::BadElf.

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "vm_test_support.hpp"

namespace tessera::vm::test {
namespace {

using namespace rv;

constexpr size_t kPh0 = 52, kPh1 = 52 + 32;  // program headers of the text and data segments

std::vector<uint8_t> valid_elf() {
  return build_elf_from_code(with_exit({addi(a0, zero, 0)}),
                             {{kDataBase, {1, 2, 3, 4}, 4096, kPfR | kPfW}});
}

void expect_bad(const std::function<void(std::vector<uint8_t>&)>& mutate,
                std::initializer_list<std::string> parts, uint32_t max_pages = kDefaultMaxPages) {
  std::vector<uint8_t> elf = valid_elf();
  mutate(elf);
  expect_error([&] { parse_elf(elf, max_pages); }, ErrorKind::BadElf, parts);
}

TEST(ElfLoader, AcceptsAValidExecutable) {
  const ElfImage image = parse_elf(valid_elf(), kDefaultMaxPages);
  EXPECT_EQ(image.entry, kTextBase);
  ASSERT_EQ(image.segments.size(), 2u);
  EXPECT_TRUE(image.segments[0].executable);
  EXPECT_FALSE(image.segments[0].writable);
  EXPECT_EQ(image.segments[1].vaddr, kDataBase);
  EXPECT_EQ(image.segments[1].memsz, 4096u);
  EXPECT_EQ(image.segments[1].bytes, (std::vector<uint8_t>{1, 2, 3, 4}));
}

TEST(ElfLoader, RejectsWrongIdentification) {
  expect_bad([](auto& b) { b[1] = 'X'; }, {"bad magic"});
  expect_bad([](auto& b) { b.resize(3); }, {"bad magic"});
  expect_bad([](auto& b) { b.resize(20); }, {"truncated ELF header", "20 bytes"});
  expect_bad([](auto& b) { b[4] = 2; }, {"ELF class 2", "ELFCLASS32"});
  expect_bad([](auto& b) { b[5] = 2; }, {"little-endian"});
  expect_bad([](auto& b) { b[6] = 0; }, {"identification version"});
  expect_bad([](auto& b) { put16(b, 18, 62); }, {"unsupported machine 62", "EM_RISCV"});
  expect_bad([](auto& b) { put16(b, 16, 3); }, {"unsupported ELF type 3", "ET_EXEC"});
  expect_bad([](auto& b) { put32(b, 20, 0); }, {"unsupported ELF version 0"});
}

TEST(ElfLoader, RejectsUnsupportedRiscvFlavours) {
  expect_bad([](auto& b) { put32(b, 36, 0x1); }, {"compressed instructions"});
  expect_bad([](auto& b) { put32(b, 36, 0x4); }, {"floating-point ABI"});
  expect_bad([](auto& b) { put32(b, 36, 0x8); }, {"RV32E"});
}

TEST(ElfLoader, RejectsBrokenProgramHeaders) {
  expect_bad([](auto& b) { put16(b, 44, 0); }, {"no program headers"});
  expect_bad([](auto& b) { put16(b, 42, 40); }, {"program header size 40"});
  expect_bad([](auto& b) { put32(b, 28, static_cast<uint32_t>(b.size()) - 40); },
             {"truncated program header table"});
  expect_bad([](auto& b) { put32(b, 28, 0xffffffe0); }, {"truncated program header table"});
  expect_bad(
      [](auto& b) {
        put32(b, kPh0, 4);
        put32(b, kPh1, 4);
      },
      {"no loadable (PT_LOAD) segment"});
}

TEST(ElfLoader, RejectsBadSegments) {
  expect_bad([](auto& b) { put32(b, kPh1 + 16, 8192); },
             {"segment 1", "file size 8192 > memory size 4096"});
  expect_bad([](auto& b) { put32(b, kPh1 + 4, 0x7fffff00); },
             {"segment 1", "beyond the end of the file"});
  expect_bad([](auto& b) { put32(b, kPh1 + 8, kTextBase + 4); }, {"overlap"});
  expect_bad(
      [](auto& b) {
        put32(b, kPh1 + 8, 0xfffff000);
        put32(b, kPh1 + 20, 0x2000);
      },
      {"beyond the 32-bit address space"});
  expect_bad([](auto& b) { put32(b, kPh1 + 8, 0x100); }, {"register page"});
  expect_bad([](auto& b) { put32(b, kPh0 + 24, kPfR | kPfW | kPfX); }, {"writable and executable"});
  expect_bad(
      [](auto& b) {
        put32(b, kPh0 + 8, kTextBase + 2);
        put32(b, 24, kTextBase + 2);
      },
      {"not 4-byte aligned"});
  expect_bad([](auto& b) { put32(b, kPh1 + 20, 64 * 1024); },
             {"span 65 pages", "limit of 16 pages"}, 16);
}

TEST(ElfLoader, RejectsBadEntryPoints) {
  expect_bad([](auto& b) { put32(b, 24, kDataBase); },
             {"entry point 0x20000 is not inside an executable segment"});
  expect_bad([](auto& b) { put32(b, 24, 0x500000); }, {"not inside an executable segment"});
  expect_bad([](auto& b) { put32(b, 24, kTextBase + 2); },
             {"entry point 0x10002 is not 4-byte aligned"});
}

TEST(ElfLoader, ProgramRejectsAHugeTextSpan) {
  const std::vector<uint8_t> elf =
      build_elf(kTextBase, {{kTextBase, words_to_bytes(with_exit({})), 0, kPfR | kPfX},
                            {0x20000000, words_to_bytes({addi(a0, zero, 0)}), 0, kPfR | kPfX}});
  expect_error([&] { Program p(parse_elf(elf, kDefaultMaxPages)); }, ErrorKind::BadElf,
               {"executable segments span"});
}

TEST(ElfLoader, MissingFileIsAnInputFileError) {
  expect_error([] { load_elf_file("/nonexistent/tessera/program.elf", kDefaultMaxPages); },
               ErrorKind::InputFile, {"cannot open program", "/nonexistent/tessera/program.elf"});
}

TEST(ElfLoader, TextGapsAndTailsTrapWhenExecuted) {
  // Two executable segments with a gap: jumping into the gap is a fetch outside the text.
  const std::vector<uint8_t> elf = build_elf(
      kTextBase, {{kTextBase, words_to_bytes({lui(t0, 0x11), jalr(zero, t0, 0)}), 0, kPfR | kPfX},
                  {kTextBase + 0x2000, words_to_bytes(with_exit({})), 0, kPfR | kPfX}});
  Machine m(elf);
  expect_error([&] { m->run(10); }, ErrorKind::GuestTrap,
               {"instruction fetch outside the executable segments", "at pc 0x00011000"});
}

}  // namespace
}  // namespace tessera::vm::test
