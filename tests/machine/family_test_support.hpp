#pragma once
// Shared by the instruction-family tests (compare, jump, load/store, random streams): one guest
// per test suite, its first shard's witness and proving key built once (setup is per program),
// and the two checks every test makes — an honest witness passes the debug check, proves and
// verifies; a tampered one is named by the debug check and a proof forced from it is rejected.
//
// Until the system table exists the exit system call cannot be proven, so a guest's code ends
// with `addi a7, x0, 93; ecall` and its run is cut so that shard 0 holds every cycle before the
// last `tail` ones (the exit and what the test wants outside the shard).

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "machine_test_support.hpp"

namespace tessera::rv32im::test {

using vm::test::SegmentSpec;

inline constexpr uint32_t kWritableFlags = vm::test::kPfR | vm::test::kPfW;  // 6
inline constexpr uint32_t kReadOnlyFlags = vm::test::kPfR;                   // 4

// The pc of the instruction at `index` in the code.
inline uint32_t pc_at(size_t index) {
  return vm::test::kTextBase + 4 * static_cast<uint32_t>(index);
}

inline void exit_call(std::vector<uint32_t>& c) {
  c.push_back(rv::addi(rv::a7, rv::zero, 93));
  c.push_back(rv::ecall());
}

class ShardFixture {
 public:
  ShardFixture(const std::vector<uint32_t>& code, const std::vector<SegmentSpec>& segments,
               uint64_t tail = 2)
      : guest_(code, total_cycles(code, segments) - tail, segments),
        witness_(guest_.witness(0)),
        pk_(setup(machine(), "test", backend_)) {}

  const Machine& machine() const { return guest_.stark->machine(); }
  const Guest& guest() const { return guest_; }
  const ShardWitness& witness() const { return witness_; }
  // A copy of the shard's tables to tamper with.
  std::vector<TableWitness> tables() const { return witness_.tables; }

  void expect_proves(const std::vector<TableWitness>& tables) {
    machine().debug_check(traces_of(tables), public_values_of(tables));
    const ShardProof proof = prove(machine(), pk_, tables, backend_);
    verify(machine(), pk_.vk, proof, VerifyOptions{.allow_insecure = true});
  }

  // The debug check fails with a message containing `named`.
  void expect_named(const std::vector<TableWitness>& tables, const std::string& named) const {
    try {
      machine().debug_check(traces_of(tables), public_values_of(tables));
      ADD_FAILURE() << "the debug check accepted a tampered witness (expected: " << named << ")";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(named), std::string::npos) << e.what();
    }
  }

  // expect_named, and a proof forced past the debug check is rejected by the verifier.
  void expect_rejected(const std::vector<TableWitness>& tables, const std::string& named) {
    expect_named(tables, named);
    ProveOptions o;
    o.debug_check = false;
    EXPECT_THROW(
        {
          const ShardProof proof = prove(machine(), pk_, tables, backend_, o);
          verify(machine(), pk_.vk, proof, VerifyOptions{.allow_insecure = true});
        },
        Error);
  }

  // The row of table `t` (pc in column `pc_col`) executing the instruction at `pc`, the
  // `nth` time (0: first).
  size_t row_at(TableId t, uint32_t pc_col, uint32_t pc, size_t nth = 0) const {
    const auto& trace = witness_.tables[t].trace;
    for (size_t r = 0; r < trace.height(); ++r) {
      if (trace.at(r, pc_col) == BabyBear::from_u32(pc) && nth-- == 0) return r;
    }
    ADD_FAILURE() << "no row of table " << table_name(t) << " at pc " << pc;
    return 0;
  }

  static std::vector<RowMajorMatrix<BabyBear>> traces_of(const std::vector<TableWitness>& tables) {
    std::vector<RowMajorMatrix<BabyBear>> t;
    for (const auto& tw : tables) t.push_back(tw.trace);
    return t;
  }
  static std::vector<std::vector<BabyBear>> public_values_of(
      const std::vector<TableWitness>& tables) {
    std::vector<std::vector<BabyBear>> p;
    for (const auto& tw : tables) p.push_back(tw.public_values);
    return p;
  }

 private:
  static uint64_t total_cycles(const std::vector<uint32_t>& code,
                               const std::vector<SegmentSpec>& segments) {
    const Guest whole(code, uint64_t{1} << 24, segments);
    return whole.run.final_state.cycle;
  }

  Guest guest_;
  ShardWitness witness_;
  CpuBackend backend_;
  ProvingKey pk_;
};

// A test suite over one program (a struct with `code`, `segments` and the indices its tests
// tamper with, built by Make), its first shard and proving key, built once for the suite.
template <class Program, Program (*Make)()>
class FamilySuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    program_ = std::make_unique<Program>(Make());
    fixture_ = std::make_unique<ShardFixture>(program_->code, program_->segments);
  }
  static void TearDownTestSuite() {
    fixture_.reset();
    program_.reset();
  }
  // The row of table `t` (pc in column `pc_col`) executing the instruction at code index `index`.
  static size_t row_of(TableId t, uint32_t pc_col, size_t index) {
    return fixture_->row_at(t, pc_col, pc_at(index));
  }
  static inline std::unique_ptr<Program> program_;
  static inline std::unique_ptr<ShardFixture> fixture_;
};

}  // namespace tessera::rv32im::test
