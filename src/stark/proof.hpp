#pragma once
// A shard proof and its versioned binary format.
//
// Binary layout (ByteWriter: little endian, canonical field elements, u32 lengths):
//   u32 magic "TSTK" (0x4B545354), u32 format version (kShardProofVersion)
//   str config name (<= 32 bytes); u32 log_blowup, num_queries, pow_bits, log_final_poly_len
//   str machine name (<= 256 bytes); u32 number of tables
//   per table: u32 log2 height; u32 count + public values (felts)
//   main commitment (8 felts); permutation commitment (8 felts, only when some table has
//   interactions); quotient commitment (8 felts)
//   per table WITH interactions: its LogUp cumulative sum (ext)
//   per table: opened values, each list as u32 count + ext elements:
//     preprocessed at zeta, at zeta*g; main at zeta, at zeta*g; permutation (flattened, 4 base
//     columns per extension column) at zeta, at zeta*g; u32 chunks, per quotient chunk its 4
//     flattened columns at zeta
//   the PCS opening proof (fri/pcs_proof.hpp), of the exact shape the machine and heights imply
// and nothing after it.
//
// Reading needs the Machine: every count is compared with what the machine's tables and the
// proof's (range-checked) heights imply BEFORE anything is allocated. Every truncated, corrupted
// or inconsistent buffer gives ErrorKind::Format; an unknown configuration name, or parameters
// that do not match their name, ErrorKind::ConfigMismatch; a proof for another machine
// ErrorKind::ConfigMismatch. Never a crash, never an unbounded allocation.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "field/babybear.hpp"
#include "field/extension.hpp"
#include "fri/fri_config.hpp"
#include "fri/pcs_proof.hpp"
#include "hash/digest.hpp"

namespace tessera {

class Machine;

inline constexpr uint32_t kShardProofMagic = 0x4B545354;  // "TSTK" little endian
inline constexpr uint32_t kShardProofVersion = 1;

// The values one table's polynomials take at zeta ("local") and zeta * g ("next").
struct OpenedTableValues {
  std::vector<BabyBear4> preprocessed_local, preprocessed_next;
  std::vector<BabyBear4> main_local, main_next;
  std::vector<BabyBear4> permutation_local, permutation_next;  // flattened base columns
  std::vector<std::vector<BabyBear4>> quotient_chunks;         // [chunk][4 flattened columns]
  friend bool operator==(const OpenedTableValues&, const OpenedTableValues&) = default;
};

struct ShardProof {
  std::string config;  // "core", "recursion" or "test"
  FriConfig fri;
  std::string machine;
  std::vector<uint32_t> log_heights;                 // per table
  std::vector<std::vector<BabyBear>> public_values;  // per table
  Digest main_commitment{};
  Digest permutation_commitment{};  // all zero when no table has interactions
  Digest quotient_commitment{};
  std::vector<BabyBear4> cumulative_sums;  // per table; zero for tables without interactions
  std::vector<OpenedTableValues> opened;   // per table
  PcsProof pcs;
  friend bool operator==(const ShardProof&, const ShardProof&) = default;
};

// The PCS rounds of a shard proof, in commit order: [preprocessed (only if some table has
// preprocessed columns): one matrix per such table], [main: one per table], [permutation (only if
// some table has interactions): one per such table], [quotient: every table's chunks, 4 columns
// each]; dimensions as given to commit() (height = trace height).
PcsProofShape shard_pcs_shape(const Machine& machine, const FriConfig& fri,
                              std::span<const uint32_t> log_heights);
// Largest and smallest table log-height a configuration supports (LDE within 2^27).
uint32_t max_log_height(const FriConfig& fri);

std::vector<uint8_t> serialize_shard_proof(const ShardProof& proof);
// See the header comment for the errors.
ShardProof deserialize_shard_proof(std::span<const uint8_t> bytes, const Machine& machine);

}  // namespace tessera
