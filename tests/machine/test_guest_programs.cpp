// Completeness on the sample guests (inputs/guests, built by the RISC-V toolchain): every guest's
// run, cut at several shard lengths, gives shard witnesses that pass the debug check (every
// constraint, every bus balanced — exactly what the LogUp argument proves), and proves and
// verifies at the `test` configuration into a chain whose root ends with the executor's output
// digest, input digest, exit code and cycle count; whatever the cut, the root is the same.
// Small inputs keep the runs short (1 000-111 000 cycles); the qemu differential test (tests/vm)
// checks the executor.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "backend/cpu_backend.hpp"
#include "machine/rv32im_machine.hpp"
#include "machine/rv32im_stark.hpp"
#include "machine_test_support.hpp"
#include "shard/statement.hpp"
#include "vm/elf_loader.hpp"

namespace tessera::rv32im::test {
namespace {

const std::filesystem::path kGuestDir = TESSERA_TEST_GUEST_DIR;

void put_u32(std::vector<uint8_t>& v, uint32_t x) {
  for (int i = 0; i < 4; ++i) v.push_back(static_cast<uint8_t>(x >> (8 * i)));
}

// Small inputs in each guest's format (inputs/generate.py documents them).
std::vector<uint8_t> small_input(const std::string& guest) {
  std::vector<uint8_t> in;
  if (guest == "fibonacci") {
    put_u32(in, 300);
  } else if (guest == "sha256" || guest == "keccak") {
    for (int i = 0; i < 100; ++i) in.push_back(static_cast<uint8_t>(i * 37 + 11));
  } else if (guest == "sort") {
    put_u32(in, 40);
    for (uint32_t i = 0; i < 40; ++i) put_u32(in, i * 2654435761u);
  } else if (guest == "bigmul") {
    const std::string s = "1234567890123\n9876543210987\n";
    in.assign(s.begin(), s.end());
  } else if (guest == "interp") {
    const std::string s = "x = 5\ny = x * 7 - 3\nprint y / 2\nprint y % 5 << 3\n";
    in.assign(s.begin(), s.end());
  } else if (guest == "p2merkle") {
    put_u32(in, 20);
    for (uint32_t i = 0; i < 20; ++i) put_u32(in, i * 0x9e3779b9u);
  }
  return in;
}

std::unique_ptr<Rv32imMachine> machine_for(const std::string& guest, uint64_t shard_cycles) {
  Rv32imRequest r;
  r.elf = vm::read_elf_bytes(kGuestDir / (guest + ".elf"));
  r.shard_cycles = shard_cycles;
  r.config = "test";
  return Rv32imMachine::for_proving(r, small_input(guest));
}

bool have_guests() {
  return !kGuestDir.empty() && std::filesystem::exists(kGuestDir / "sha256.elf");
}

class GuestPrograms : public testing::TestWithParam<std::string> {};

// Every shard of the run at three cut lengths passes the debug check; the shard lengths put
// boundaries inside loops, system calls and first touches of pages.
TEST_P(GuestPrograms, EveryShardBalancesAtSeveralShardLengths) {
  if (!have_guests()) GTEST_SKIP() << "sample guests not built";
  const std::string guest = GetParam();
  for (const uint64_t log_cycles : {9u, 11u, 13u}) {
    const auto m = machine_for(guest, uint64_t{1} << log_cycles);
    const auto checkpoints = m->execute();
    for (uint64_t i = 0; i < checkpoints.size(); ++i) {
      SCOPED_TRACE(testing::Message() << guest << ", 2^" << log_cycles << " cycles, shard " << i);
      const ShardWitness w = m->witness(i, checkpoints[i]);
      std::vector<RowMajorMatrix<BabyBear>> traces;
      std::vector<std::vector<BabyBear>> pvs;
      for (const auto& t : w.tables) {
        traces.push_back(t.trace);
        pvs.push_back(t.public_values);
      }
      m->stark_machine().debug_check(traces, pvs);
    }
  }
}

// Proving every shard at one cut length: the chain's root is the executor's run.
TEST_P(GuestPrograms, ProvesAndVerifiesToTheExecutorsResult) {
  if (!have_guests()) GTEST_SKIP() << "sample guests not built";
  const std::string guest = GetParam();
  const auto m = machine_for(guest, uint64_t{1} << 14);
  const ShardStatement root = prove_and_verify_all(*m);
  const MachineStatement end = statement_of(root.end_state);
  const vm::MachineState& exec = m->execution().final_state;
  EXPECT_TRUE(end.halted);
  EXPECT_EQ(end.exit_code, exec.exit_code);
  EXPECT_EQ(end.cycle, exec.cycle);
  EXPECT_EQ(end.output.digest(), exec.output.digest());
  EXPECT_EQ(end.input.digest(), exec.input_digest.digest());
  EXPECT_EQ(end.input_eof, exec.input_eof);
}

INSTANTIATE_TEST_SUITE_P(Guests, GuestPrograms,
                         testing::Values("fibonacci", "sha256", "keccak", "bigmul", "p2merkle",
                                         "sort", "interp"),
                         [](const testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace tessera::rv32im::test
