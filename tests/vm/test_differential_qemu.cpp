// Differential test against qemu-riscv32: random RV32IM instruction streams (every opcode, random
// registers and immediates, aligned loads and stores into a scratch region, forward branches and
// jumps) wrapped in a harness that dumps the register file and the scratch memory with
// write(1, ...) and exits. The same ELF runs under qemu-riscv32 and under Tessera; the dumps must
// be byte-identical.

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "random_program.hpp"
#include "vm_test_support.hpp"

namespace tessera::vm::test {
namespace {

TEST(DifferentialQemu, RandomInstructionStreamsMatchQemu) {
  const std::string qemu = TESSERA_TEST_QEMU_RISCV32;
  if (qemu.empty()) GTEST_SKIP() << "qemu-riscv32 not found at configure time";
  std::set<std::string> covered;
  constexpr int kSeeds = 64;
  for (int seed = 1; seed <= kSeeds; ++seed) {
    auto [code, kinds] = random_program(static_cast<uint64_t>(seed) * 7919, 400);
    covered.insert(kinds.begin(), kinds.end());
    const std::vector<uint8_t> elf = random_program_elf(code, static_cast<uint64_t>(seed));
    const auto path = scratch_dir() / ("diff" + std::to_string(seed) + ".elf");
    write_file(path, elf);

    const ProcessResult q = run_process("'" + qemu + "' '" + path.string() + "'");
    ASSERT_EQ(q.exit_code, 0) << "qemu failed on seed " << seed << ": " << q.err;
    ASSERT_EQ(q.out.size(), 128u + kScratchSize) << "seed " << seed;

    const Program program(parse_elf(elf, kDefaultMaxPages));
    const ExecutionResult r = execute(program, {}, {});
    EXPECT_EQ(r.final_state.exit_code, 0u);
    ASSERT_EQ(r.public_output.size(), q.out.size());
    if (r.public_output != q.out) {
      // Name the first differing register or scratch word.
      for (size_t i = 0; i + 4 <= q.out.size(); i += 4) {
        if (std::equal(q.out.begin() + i, q.out.begin() + i + 4, r.public_output.begin() + i))
          continue;
        ADD_FAILURE() << "seed " << seed << ": first difference at "
                      << (i < 128 ? "register x" + std::to_string(i / 4)
                                  : "scratch +" + std::to_string(i - 128));
        break;
      }
    }
    // The register file in the dump is the executor's own final register file (the exit sequence
    // changes only a0, a1, a2, a7 after the dump).
    for (uint32_t reg = 1; reg < 32; ++reg) {
      if (reg == a0 || reg == a1 || reg == a2 || reg == a7) continue;
      uint32_t dumped = 0;
      std::memcpy(&dumped, q.out.data() + 4 * reg, 4);
      EXPECT_EQ(r.final_state.regs[reg], dumped) << "seed " << seed << " x" << reg;
    }
  }
  // The generator reached every RV32IM instruction except the system ones the harness uses.
  EXPECT_EQ(covered.size(), 18u + 6 + 3 + 2 + 8 + 1 + 6 + 2)
      << "opcodes covered: " << covered.size();
}

}  // namespace
}  // namespace tessera::vm::test
