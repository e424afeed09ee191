// `tessera execute` end to end: a good run's report, and every bad input reported in one line on
// stderr with its distinct exit code (common/error.hpp).

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "vm_test_support.hpp"

namespace tessera::vm::test {
namespace {

using namespace rv;

std::string cli() {
  return TESSERA_TEST_CLI;
}

std::string write_program(const std::string& name, const std::vector<uint8_t>& bytes) {
  const auto path = scratch_dir() / name;
  write_file(path, bytes);
  return path.string();
}

// Writes "hi" to the public output, "dbg" to the debug log, exits with 7.
std::vector<uint8_t> hello_elf() {
  return build_elf_from_code(
      {lui(s0, 0x20), addi(a0, zero, 1), addi(a1, s0, 0), addi(a2, zero, 2), addi(a7, zero, 64),
       ecall(), addi(a0, zero, 2), addi(a1, s0, 2), addi(a2, zero, 3), ecall(), addi(a0, zero, 7),
       addi(a7, zero, 93), ecall()},
      {{kDataBase, {'h', 'i', 'd', 'b', 'g'}, 0, kPfR | kPfW}});
}

// Expects exit code `code` and a single stderr line containing every part.
void expect_failure(const std::string& args, int code, std::initializer_list<std::string> parts) {
  const ProcessResult r = run_process("'" + cli() + "' execute " + args);
  EXPECT_EQ(r.exit_code, code) << args << "\nstderr: " << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line expected: " << r.err;
  for (const auto& p : parts)
    EXPECT_NE(r.err.find(p), std::string::npos) << "'" << r.err << "' lacks '" << p << "'";
  EXPECT_TRUE(r.out.empty());
}

TEST(CliExecute, ReportsARun) {
  const std::string elf = write_program("hello.elf", hello_elf());
  const ProcessResult text = run_process("'" + cli() + "' execute '" + elf + "' --shard-cycles 4");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  const std::string out(text.out.begin(), text.out.end());
  EXPECT_NE(out.find("exit code      7"), std::string::npos) << out;
  EXPECT_NE(out.find("cycles         13"), std::string::npos) << out;
  EXPECT_NE(out.find("2 bytes: 6869"), std::string::npos) << out;
  EXPECT_NE(out.find("shards         4 of up to 4 cycles"), std::string::npos) << out;
  EXPECT_NE(out.find("MIPS"), std::string::npos);
  EXPECT_NE(out.find("ecall"), std::string::npos);  // instruction mix
  EXPECT_EQ(text.err, "dbg");

  RunningDigest digest = RunningDigest::output();
  const uint8_t hi[] = {'h', 'i'};
  digest.absorb(hi);
  const ProcessResult json = run_process("'" + cli() + "' execute '" + elf + "' --json");
  ASSERT_EQ(json.exit_code, 0);
  const std::string j(json.out.begin(), json.out.end());
  EXPECT_NE(j.find("\"exit_code\": 7,"), std::string::npos) << j;
  EXPECT_NE(j.find("\"public_output_hex\": \"6869\""), std::string::npos) << j;
  EXPECT_NE(j.find("\"output_digest\": \"" + digest_hex(digest.digest()) + "\""), std::string::npos)
      << j;
  EXPECT_NE(j.find("\"instruction_mix\": {\"addi\": 9"), std::string::npos) << j;
  // No read(): the input digest is that of the empty stream, and end of file was never reached.
  const std::string empty_input = digest_hex(RunningDigest::input().digest());
  EXPECT_NE(j.find("\"input_digest\": \"" + empty_input + "\""), std::string::npos) << j;
  EXPECT_NE(j.find("\"input_eof\": false"), std::string::npos) << j;
  EXPECT_NE(out.find("input digest   " + empty_input), std::string::npos) << out;
}

TEST(CliExecute, ReadsTheInputFile) {
  const std::string guests = TESSERA_TEST_GUEST_DIR;
  if (guests.empty()) GTEST_SKIP() << "guests not built";
  const std::string data = std::string(TESSERA_TEST_INPUTS_DIR) + "/data/";
  const ProcessResult r = run_process("'" + cli() + "' execute " + guests + "/sha256.elf --input " +
                                      data + "sha256.input --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto expected = read_file(data + "sha256.expected");
  std::string hex;
  for (uint8_t b : expected) {
    static const char* k = "0123456789abcdef";
    hex += k[b >> 4];
    hex += k[b & 15];
  }
  const std::string j(r.out.begin(), r.out.end());
  EXPECT_NE(j.find("\"public_output_hex\": \"" + hex + "\""), std::string::npos) << j;
  RunningDigest input_digest = RunningDigest::input();
  input_digest.absorb(read_file(data + "sha256.input"));
  EXPECT_NE(j.find("\"input_digest\": \"" + digest_hex(input_digest.digest()) + "\""),
            std::string::npos)
      << j;
}

TEST(CliExecute, BadInputsHaveDistinctExitCodes) {
  const std::string good = write_program("good.elf", hello_elf());
  expect_failure("", 2, {"usage error", "program"});
  expect_failure("'" + good + "' --max-cycles 0", 2,
                 {"usage error", "--max-cycles must be positive"});
  expect_failure("'" + good + "' --bogus", 2, {"usage error"});
  expect_failure("/nonexistent/x.elf", 3,
                 {"input file error", "cannot open program '/nonexistent/x.elf'"});
  expect_failure("'" + good + "' --input /nonexistent/in.bin", 3, {"cannot open input file"});
  const auto huge = scratch_dir() / "huge.bin";
  { std::ofstream(huge, std::ios::binary).put('x'); }
  std::filesystem::resize_file(huge, (uint64_t{1} << 30) + 1);  // sparse
  expect_failure("'" + good + "' --input '" + huge.string() + "'", 3,
                 {"input file error", "holds 1073741825 bytes", "at most 2^30"});
  std::filesystem::remove(huge);

  const std::string garbage = write_program("garbage.elf", {'h', 'e', 'l', 'l', 'o'});
  expect_failure("'" + garbage + "'", 4, {"bad ELF", "bad magic"});
  auto elf64 = hello_elf();
  elf64[4] = 2;
  expect_failure("'" + write_program("elf64.elf", elf64) + "'", 4, {"bad ELF", "ELFCLASS32"});
  auto arm = hello_elf();
  put16(arm, 18, 40);
  expect_failure("'" + write_program("arm.elf", arm) + "'", 4, {"unsupported machine 40"});
  auto overlap = hello_elf();
  put32(overlap, 52 + 32 + 8, kTextBase);
  expect_failure("'" + write_program("overlap.elf", overlap) + "'", 4, {"overlap"});
  auto entry = hello_elf();
  put32(entry, 24, kDataBase);
  expect_failure("'" + write_program("entry.elf", entry) + "'", 4, {"entry point"});

  const std::string illegal =
      write_program("illegal.elf", build_elf_from_code({addi(a0, zero, 1), 0xffffffff}));
  expect_failure(
      "'" + illegal + "'", 5,
      {"guest trap", "illegal instruction", "at pc 0x00010004", "instruction 0xffffffff"});
  const std::string misaligned =
      write_program("misaligned.elf", build_elf_from_code({lui(t0, 0x20), lw(a0, t0, 2)}));
  expect_failure("'" + misaligned + "'", 5,
                 {"misaligned 4-byte load from 0x00020002", "at pc 0x00010004"});
  const std::string syscall =
      write_program("syscall.elf", build_elf_from_code({addi(a7, zero, 500), ecall()}));
  expect_failure("'" + syscall + "'", 5, {"unknown system call a7=500"});
  const std::string loop = write_program("loop.elf", build_elf_from_code({jal(zero, 0)}));
  expect_failure("'" + loop + "' --max-cycles 1000", 6, {"cycle limit exceeded", "1000 cycles"});
  const std::string pages = write_program(
      "pages.elf",
      build_elf_from_code({lui(t0, 0x100), sw(a0, t0, 0), addi(t0, t0, 1024), jal(zero, -8)}));
  expect_failure("'" + pages + "' --max-pages 4", 5, {"guest memory limit of 4 pages"});
  expect_failure("'" + good + "' --max-pages 1", 4, {"limit of 1 pages"});
}

}  // namespace
}  // namespace tessera::vm::test
