#pragma once
// The state of the rv32im machine between shards, as shard statements carry it
// (shard/statement.hpp: a vector of field elements), and the shard checkpoint format.
//
// State (57 elements):
//   [0, 8)    program digest: the verifying key's preprocessed commitment (program + byte tables)
//   8         pc
//   9, 10     cycle: low 24 bits, high bits
//   [11, 19)  memory root (machine/memory_tree.hpp)
//   [19, 35)  input digest sponge state, 35 input byte count, 36 input end-of-file flag
//   [37, 53)  output digest sponge state, 53 output byte count
//   54        halted, 55 exit code low 16 bits, 56 exit code high 16 bits
// The digests' pending positions are the byte counts mod 8; the digests users see are the
// sponges' finalisations (vm/running_digest.hpp).

#include <cstdint>
#include <span>
#include <vector>

#include "field/babybear.hpp"
#include "hash/digest.hpp"
#include "vm/checkpoint.hpp"
#include "vm/running_digest.hpp"

namespace tessera::rv32im {

namespace state_index {
inline constexpr size_t kProgram = 0, kPc = 8, kCycleLo = 9, kCycleHi = 10, kRoot = 11, kInput = 19,
                        kInputCount = 35, kInputEof = 36, kOutput = 37, kOutputCount = 53,
                        kHalted = 54, kExitLo = 55, kExitHi = 56, kSize = 57;
}

struct MachineStatement {
  Digest program{};
  uint32_t pc = 0;
  uint64_t cycle = 0;
  Digest root{};
  vm::RunningDigest input = vm::RunningDigest::input();
  bool input_eof = false;
  vm::RunningDigest output = vm::RunningDigest::output();
  bool halted = false;
  uint32_t exit_code = 0;
  friend bool operator==(const MachineStatement&, const MachineStatement&) = default;
};

std::vector<BabyBear> state_felts(const MachineStatement& s);
// ErrorKind::Format for a vector that is not a well-formed state.
MachineStatement statement_of(std::span<const BabyBear> felts);

// The checkpoint of one rv32im shard: the executor's checkpoint (its state and touched pages at
// the shard's start) and the digests of the memory tree's siblings of those pages
// (memory_tree.hpp path_siblings), which the merkle table needs to rebuild the start root.
//   u32 magic "RVCK", u32 version 1, u64 length, executor checkpoint bytes,
//   u32 sibling count, 8 canonical u32 per sibling.
struct ShardCheckpoint {
  vm::Checkpoint vm;
  std::vector<Digest> siblings;
};
std::vector<uint8_t> serialize_shard_checkpoint(const ShardCheckpoint& c);
// ErrorKind::Format for malformed bytes.
ShardCheckpoint parse_shard_checkpoint(std::span<const uint8_t> bytes);

}  // namespace tessera::rv32im
