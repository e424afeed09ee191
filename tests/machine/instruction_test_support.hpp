#pragma once
// Helpers of the instruction-table tests (test_bitwise.cpp, test_shift.cpp, test_mul.cpp,
// test_divrem.cpp): a test program padded to exactly one shard and proven at the `test`
// configuration with a proving key built once, the table's results against the executor's, and
// tampered witnesses that the debug check must name and the verifier must reject.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "machine/columns.hpp"
#include "machine/opcodes.hpp"
#include "machine/program_table.hpp"
#include "machine_test_support.hpp"

namespace tessera::rv32im::test {

// Loads `values` into consecutive registers from `first` (li each).
inline void load_values(std::vector<uint32_t>& code, uint32_t first,
                        const std::vector<uint32_t>& values) {
  for (size_t i = 0; i < values.size(); ++i) li(code, first + static_cast<uint32_t>(i), values[i]);
}

// The shard length for a body of n instructions: the next power of two (at least 16).
inline uint64_t shard_cycles_for(size_t n) {
  uint64_t cycles = 16;
  while (cycles < n) cycles *= 2;
  return cycles;
}

// `body`, then no-ops up to `shard_cycles` instructions, then exit: shard 0 of a run cut every
// `shard_cycles` cycles is exactly the body and the no-ops (the exit falls into shard 1).
inline std::vector<uint32_t> pad_to_shard(std::vector<uint32_t> body, uint64_t shard_cycles) {
  while (body.size() < shard_cycles) body.push_back(rv::addi(rv::zero, rv::zero, 0));
  body.push_back(rv::addi(rv::a7, rv::zero, 93));
  body.push_back(rv::ecall());
  return body;
}

// One shard of a test program with its witness and proving key (setup is per program, so a test
// file builds this once and shares it).
struct ProvenShard {
  uint64_t cycles = 0;
  Guest guest;
  ShardWitness witness;
  mutable CpuBackend backend;  // proving uses it, the shard stays the same
  ProvingKey pk;

  explicit ProvenShard(std::vector<uint32_t> body)
      : cycles(shard_cycles_for(body.size())),
        guest(pad_to_shard(std::move(body), cycles), cycles),
        witness(guest.witness(0)),
        pk(setup(guest.stark->machine(), "test", backend)) {}

  const Machine& machine() const { return guest.stark->machine(); }
  void debug_check(const ShardWitness& w) const {
    machine().debug_check(traces_of(w), public_values_of(w));
  }
  void prove_and_verify() const {
    const ShardProof proof = prove(machine(), pk, witness.tables, backend);
    verify(machine(), pk.vk, proof, VerifyOptions{.allow_insecure = true});
  }
};

inline uint32_t word_at(const RowMajorMatrix<BabyBear>& t, size_t row, const WordCols& w) {
  uint32_t v = 0;
  for (uint32_t i = 0; i < 4; ++i) v |= t.at(row, w[i]).as_u32() << (8 * i);
  return v;
}
inline void set_word_at(RowMajorMatrix<BabyBear>& t, size_t row, const WordCols& w, uint32_t v) {
  for (uint32_t i = 0; i < 4; ++i) t.at(row, w[i]) = BabyBear::from_u32((v >> (8 * i)) & 0xff);
}

// The first (or, with `last`, the last) row of `t` whose flag column `flag` is set and whose
// operand words b, c are as given. The tests put a copy of an interesting instruction writing x0
// after the others: its result goes nowhere, so a tampered row is caught by the row's own
// constraints and lookups alone, not by the memory argument.
inline size_t find_row(const RowMajorMatrix<BabyBear>& t, uint32_t flag, const WordCols& b_cols,
                       const WordCols& c_cols, uint32_t b, uint32_t c, bool last = false) {
  size_t found = t.height();
  for (size_t r = 0; r < t.height(); ++r) {
    if (t.at(r, flag) == BabyBear::one() && word_at(t, r, b_cols) == b &&
        word_at(t, r, c_cols) == c) {
      found = r;
      if (!last) break;
    }
  }
  if (found == t.height()) {
    ADD_FAILURE() << "no row with b = " << b << ", c = " << c;
    return 0;
  }
  return found;
}

// The table's shape as its header comment states it: main width, interactions and the largest
// degree of its own (non-LogUp) constraints. Prints the committed cells per row: main + 4 per
// LogUp extension column + 4 per quotient chunk.
inline void expect_shape(const Machine& m, TableId t, size_t width, size_t interactions,
                         uint32_t degree) {
  const TableLayout& l = m.layout(t);
  EXPECT_EQ(l.width, width);
  EXPECT_EQ(l.interactions.size(), interactions);
  uint32_t own = 0;
  for (const ConstraintInfo& c : l.constraints) {
    if (!c.extension) own = std::max(own, c.degree);
  }
  EXPECT_EQ(own, degree);
  std::cout << "[ shape    ] " << l.name << ": width " << l.width << ", " << l.interactions.size()
            << " interactions, " << l.num_constraints() << " constraints of degree <= " << own
            << ", " << l.width + l.permutation_width() + 4 * l.num_quotient_chunks()
            << " cells per row (" << l.permutation_width() / 4 << " LogUp columns, "
            << l.num_quotient_chunks() << " quotient chunks)\n";
}

// Every row of `table` (the family's rows in cycle order) holds in its result word `a` the value
// the executor wrote to rd (rows writing x0 are skipped). Returns how many rows were compared.
inline size_t expect_results_match_executor(const Guest& g, size_t shard, const ShardWitness& w,
                                            TableId table, Family family, const WordCols& a) {
  vm::ExecutionRecord record;
  vm::reexecute_shard(*g.program, g.run.checkpoints.at(shard), &record);
  const auto& trace = w.tables[table].trace;
  size_t row = 0, compared = 0;
  for (const vm::CycleEvent& e : record.cycles) {
    const ProgramRow& p = g.ctx->image.at(e.pc);
    if (family_of(p.op) != family) continue;
    if (p.writes_rd) {
      EXPECT_EQ(word_at(trace, row, a), e.rd_value) << zk_op_name(p.op) << " at pc 0x" << std::hex
                                                    << e.pc << " (row " << std::dec << row << ")";
      ++compared;
    }
    ++row;
  }
  return compared;
}

// Random words with a bias to the edges (small, near 2^31, near 2^32), from a fixed seed.
class EdgeRandom {
 public:
  explicit EdgeRandom(uint32_t seed) : rng_(seed) {}
  uint32_t next() {
    const uint32_t v = static_cast<uint32_t>(rng_());
    switch (rng_() % 8) {
      case 0:
        return v & 0xff;
      case 1:
        return 0x80000000u ^ (v & 0xff);
      case 2:
        return ~(v & 0xff);
      case 3:
        return v >> (rng_() % 32);
      default:
        return v;
    }
  }

 private:
  std::mt19937 rng_;
};

// An instruction form of a random program: (rd, rs1, rs2, random word) -> the instruction word
// (register forms ignore the word; immediate forms take their immediate from it).
using RandomForm = uint32_t (*)(uint32_t rd, uint32_t rs1, uint32_t rs2, uint32_t word);

// x8 = 0 and edge-biased random values (EdgeRandom, seeded) in x9..x31, then `count`
// instructions cycling through `forms` on random registers x8..x31, writing x9..x31 (x8 stays 0:
// a zero operand and divisor throughout).
inline std::vector<uint32_t> random_program(uint32_t seed, std::initializer_list<RandomForm> forms,
                                            int count) {
  EdgeRandom rng(seed);
  std::vector<uint32_t> c;
  for (uint32_t r = 9; r < 32; ++r) li(c, r, rng.next());
  const std::vector<RandomForm> f(forms);
  for (int k = 0; k < count; ++k) {
    const uint32_t rd = 9 + rng.next() % 23, rs1 = 8 + rng.next() % 24, rs2 = 8 + rng.next() % 24;
    c.push_back(f[static_cast<size_t>(k) % f.size()](rd, rs1, rs2, rng.next()));
  }
  return c;
}

// `body` cut into shards of `shard_cycles` (padded with no-ops to whole shards, then exit): every
// shard before the exit passes the debug check and its `table` holds the executor's results.
// Returns how many results were compared.
inline size_t check_program_shards(std::vector<uint32_t> body, uint64_t shard_cycles, TableId table,
                                   Family family, const WordCols& a) {
  while (body.size() % shard_cycles != 0) body.push_back(rv::addi(rv::zero, rv::zero, 0));
  const size_t shards = body.size() / shard_cycles;
  body.push_back(rv::addi(rv::a7, rv::zero, 93));
  body.push_back(rv::ecall());
  const Guest g(body, shard_cycles);
  const auto siblings = g.siblings_per_shard();
  size_t compared = 0;
  for (size_t k = 0; k < shards; ++k) {
    const ShardWitness w =
        build_shard_witness(*g.ctx, *g.stark, g.run.checkpoints.at(k), siblings.at(k));
    g.stark->machine().debug_check(traces_of(w), public_values_of(w));
    compared += expect_results_match_executor(g, k, w, table, family, a);
  }
  return compared;
}

// A tampered copy of the shard's witness: the debug check throws with `expected` (a constraint
// name or "LogUp imbalance") in its message and, when `forced_proof`, a proof forced past the
// debug check is rejected by the verifier.
inline void expect_rejected(const ProvenShard& s, TableId table,
                            const std::function<void(RowMajorMatrix<BabyBear>&)>& tamper,
                            const std::string& expected, bool forced_proof) {
  ShardWitness w = s.witness;
  tamper(w.tables[table].trace);
  try {
    s.debug_check(w);
    ADD_FAILURE() << "the debug check accepted the tampered witness";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
  }
  if (!forced_proof) return;
  ProveOptions o;
  o.debug_check = false;
  const ShardProof proof = prove(s.machine(), s.pk, w.tables, s.backend, o);
  EXPECT_THROW(verify(s.machine(), s.pk.vk, proof, VerifyOptions{.allow_insecure = true}), Error);
}

}  // namespace tessera::rv32im::test
