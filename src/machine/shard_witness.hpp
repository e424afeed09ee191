#pragma once
// From a shard's checkpoint to the traces of every zkVM table (the witness of one shard proof):
// re-execute the shard with recording, assign timestamps (shard_record.hpp), fill every table,
// page the touched pages in and out, and derive the shard's public values.

#include <cstdint>
#include <span>
#include <vector>

#include "hash/digest.hpp"
#include "machine/memory_tree.hpp"
#include "machine/program_table.hpp"
#include "machine/rv32im_stark.hpp"
#include "stark/prover.hpp"
#include "vm/checkpoint.hpp"
#include "vm/executor.hpp"
#include "vm/program.hpp"

namespace tessera::rv32im {

// Everything about a program the shards share (built once per request).
struct ProgramContext {
  const vm::Program* program = nullptr;
  ProgramImage image;
  WordClasses classes;
  explicit ProgramContext(const vm::Program& p) : program(&p), image(p), classes(p) {}
};

struct ShardWitness {
  std::vector<TableWitness> tables;  // in Rv32imStark table order
  vm::ShardReplay replay;            // the re-execution's end state and output
  Digest start_root{}, end_root{};
  uint64_t cycles = 0;
};

// `siblings`: path_siblings() of the start memory tree for the checkpoint's pages.
ShardWitness build_shard_witness(const ProgramContext& ctx, const Rv32imStark& stark,
                                 const vm::Checkpoint& checkpoint, std::span<const Digest> siblings);

}  // namespace tessera::rv32im
