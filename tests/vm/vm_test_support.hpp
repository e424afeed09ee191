#pragma once
// Shared helpers of the VM tests: load encoder-built programs, run them, and expect typed errors.

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/error.hpp"
#include "elf_builder.hpp"
#include "rv32_encoder.hpp"
#include "vm/executor.hpp"

namespace tessera::vm::test {

// `code` at kTextBase followed by exit(a0); optional extra segments.
inline std::vector<uint32_t> with_exit(std::vector<uint32_t> code) {
  code.push_back(rv::addi(rv::a7, rv::zero, 93));
  code.push_back(rv::ecall());
  return code;
}

// A program and a fresh machine on it (the machine refers to the program, so both live here).
struct Machine {
  std::unique_ptr<Program> program;
  std::unique_ptr<Executor> exec;

  Machine(const std::vector<uint8_t>& elf, std::vector<uint8_t> input_bytes = {},
          uint32_t max_pages = kDefaultMaxPages)
      : program(std::make_unique<Program>(parse_elf(elf, max_pages))),
        input(std::move(input_bytes)) {
    exec = std::make_unique<Executor>(*program, input, max_pages);
  }
  Executor& operator*() { return *exec; }
  Executor* operator->() { return exec.get(); }

  std::vector<uint8_t> input;
};

// Runs `code` + exit with the given initial registers; returns the machine after it halted.
inline Machine run_code(const std::vector<uint32_t>& code,
                        std::initializer_list<std::pair<unsigned, uint32_t>> regs = {},
                        std::vector<SegmentSpec> extra = {}, std::vector<uint8_t> input = {}) {
  Machine m(build_elf_from_code(with_exit(code), std::move(extra)), std::move(input));
  for (auto [r, v] : regs) m->set_reg(r, v);
  m->run(1'000'000);
  EXPECT_TRUE(m->halted());
  return m;
}

// Expects `f` to throw tessera::Error of `kind` whose message contains every `parts` string.
inline void expect_error(const std::function<void()>& f, ErrorKind kind,
                         std::initializer_list<std::string> parts) {
  try {
    f();
    ADD_FAILURE() << "expected " << error_kind_name(kind) << ", nothing was thrown";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), kind) << e.what();
    for (const auto& p : parts)
      EXPECT_NE(std::string(e.what()).find(p), std::string::npos)
          << "message '" << e.what() << "' lacks '" << p << "'";
  }
}

// Expects running `code` (no exit appended) to trap with a message naming the parts.
inline void expect_trap(const std::vector<uint32_t>& code,
                        std::initializer_list<std::pair<unsigned, uint32_t>> regs,
                        std::initializer_list<std::string> parts,
                        std::vector<SegmentSpec> extra = {}, ErrorKind kind = ErrorKind::GuestTrap,
                        uint32_t max_pages = kDefaultMaxPages) {
  Machine m(build_elf_from_code(code, std::move(extra)), {}, max_pages);
  for (auto [r, v] : regs) m->set_reg(r, v);
  expect_error([&] { m->run(1'000'000); }, kind, parts);
}

// A scratch directory unique to this test process, removed at exit.
inline const std::filesystem::path& scratch_dir() {
  static const struct Dir {
    std::filesystem::path path;
    Dir()
        : path(std::filesystem::temp_directory_path() /
               ("tessera_vm_test_" + std::to_string(getpid()))) {
      std::filesystem::create_directories(path);
    }
    ~Dir() {
      std::error_code ec;
      std::filesystem::remove_all(path, ec);
    }
  } dir;
  return dir.path;
}

inline std::vector<uint8_t> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
}

struct ProcessResult {
  int exit_code = -1;  // -1: did not exit normally
  std::vector<uint8_t> out;
  std::string err;
};

// Runs `command` through the shell with stdin from `stdin_path` (or /dev/null), capturing stdout
// and stderr in files of the scratch directory.
inline ProcessResult run_process(const std::string& command,
                                 const std::string& stdin_path = "/dev/null") {
  static int counter = 0;
  const auto base = scratch_dir() / ("proc" + std::to_string(counter++));
  const std::string out = base.string() + ".out", err = base.string() + ".err";
  const std::string full = command + " <'" + stdin_path + "' >'" + out + "' 2>'" + err + "'";
  const int status = std::system(full.c_str());
  ProcessResult r;
  if (status != -1 && WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  r.out = read_file(out);
  const auto e = read_file(err);
  r.err.assign(e.begin(), e.end());
  return r;
}

}  // namespace tessera::vm::test
