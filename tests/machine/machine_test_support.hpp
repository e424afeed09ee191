#pragma once
// Shared helpers of the zkVM tests: build a guest from encoded instructions, execute it into shard
// checkpoints, and build / prove / verify one shard's witness.

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <vector>

#include "../vm/elf_builder.hpp"
#include "../vm/rv32_encoder.hpp"
#include "backend/cpu_backend.hpp"
#include "machine/memory_tree.hpp"
#include "machine/rv32im_machine.hpp"
#include "machine/rv32im_stark.hpp"
#include "machine/shard_witness.hpp"
#include "shard/statement.hpp"
#include "stark/keys.hpp"
#include "stark/prover.hpp"
#include "stark/verifier.hpp"
#include "vm/executor.hpp"

namespace tessera::rv32im::test {

namespace rv = vm::rv;

// li rd, value (lui + addi, with the usual rounding of the upper part).
inline void li(std::vector<uint32_t>& code, uint32_t rd, uint32_t value) {
  const uint32_t upper = (value + 0x800) >> 12;
  const int32_t lower = static_cast<int32_t>(value - (upper << 12));
  code.push_back(rv::lui(rd, upper & 0xfffff));
  code.push_back(rv::addi(rd, rd, lower));
}

// A guest built from code (text at 0x10000) plus extra segments, executed into shards.
struct Guest {
  std::unique_ptr<vm::Program> program;
  std::unique_ptr<ProgramContext> ctx;
  std::unique_ptr<Rv32imStark> stark;
  vm::ExecutionResult run;
  std::vector<uint8_t> input;

  Guest(const std::vector<uint32_t>& code, uint64_t shard_cycles,
        std::vector<vm::test::SegmentSpec> extra = {}, std::vector<uint8_t> input_bytes = {})
      : input(std::move(input_bytes)) {
    program = std::make_unique<vm::Program>(
        vm::parse_elf(vm::test::build_elf_from_code(code, std::move(extra)), vm::kDefaultMaxPages));
    ctx = std::make_unique<ProgramContext>(*program);
    stark = std::make_unique<Rv32imStark>(ctx->image);
    vm::ExecuteOptions o;
    o.shard_cycles = shard_cycles;
    o.max_cycles = 1u << 24;
    run = vm::execute(*program, input, o);
  }

  // The start tree of every shard, in order (the initial tree updated with each shard's end pages).
  std::vector<std::vector<Digest>> siblings_per_shard() const {
    MemoryTree tree = initial_memory_tree(*program, ctx->classes);
    std::vector<std::vector<Digest>> out;
    for (const auto& cp : run.checkpoints) {
      std::vector<uint32_t> pages;
      for (const auto& p : cp.pages) pages.push_back(p.index);
      out.push_back(path_siblings(tree, path_union(pages)));
      const vm::ShardReplay replay = vm::reexecute_shard(*program, cp);
      std::vector<std::pair<uint32_t, Digest>> leaves;
      for (const auto& p : replay.end.pages) {
        PageBytes bytes = p.bytes;
        leaves.emplace_back(p.index, page_digest(bytes, ctx->classes.of_page(p.index)));
      }
      tree.set_pages(leaves);
    }
    return out;
  }

  ShardWitness witness(size_t shard) const {
    const auto siblings = siblings_per_shard();
    return build_shard_witness(*ctx, *stark, run.checkpoints.at(shard), siblings.at(shard));
  }
};

inline std::vector<RowMajorMatrix<BabyBear>> traces_of(const ShardWitness& w) {
  std::vector<RowMajorMatrix<BabyBear>> t;
  for (const auto& tw : w.tables) t.push_back(tw.trace);
  return t;
}
inline std::vector<std::vector<BabyBear>> public_values_of(const ShardWitness& w) {
  std::vector<std::vector<BabyBear>> p;
  for (const auto& tw : w.tables) p.push_back(tw.public_values);
  return p;
}

// Executes the guest, proves and verifies every shard, merges the statements in order and checks
// the root against the request: the whole run's root statement. Every witness goes through the
// prover's debug check first (ProveOptions' default), so an honest witness that breaks a
// constraint is named here rather than found as a rejected proof.
inline ShardStatement prove_and_verify_all(const Rv32imMachine& m) {
  CpuBackend backend;
  const auto checkpoints = m.execute();
  std::optional<ShardStatement> root;
  for (uint64_t i = 0; i < checkpoints.size(); ++i) {
    const ShardStatement s =
        m.verify_shard(i, m.prove_shard_with(i, checkpoints[i], backend, ProveOptions{}));
    root = root ? merge_statements(*root, s) : s;
  }
  m.check_root(*root);
  return *root;
}

}  // namespace tessera::rv32im::test
