#pragma once
// Shard checkpoints: what a worker needs to re-execute one shard alone (DESIGN.md §4-5).
//
// A shard is the cycles [start_cycle, start_cycle + cycle_count) of the full run. Its checkpoint
// holds the machine state at start_cycle (pc, registers, input cursor, input digest, input
// end-of-file flag, output digest) and every
// page the shard touches with its contents at start_cycle. Registers are not a separate field:
// they are page 0 (guest_abi.hpp: x_i is the word at byte 4 i), listed among the pages like any
// other, so the memory commitment between shards treats registers and memory uniformly.
//
// The checkpoint also carries the slice of private input that the shard consumes, so that it is
// self-contained: a read() at the end of the slice returns fewer bytes exactly when the full
// input was exhausted there too (a slice ends early only where the full run consumed up to it).
//
// Serialised form (all integers little-endian, version 2):
//   magic "TSCK", u32 version, u64 program fingerprint, u64 shard index, u64 start cycle,
//   u64 cycle count, u32 flags (bit 0: final shard, halts at its last cycle; bit 1: input end of
//   file already reached), u32 pc, u64 input cursor, u64 input length, input bytes,
//   output digest: 16 x u32 state (canonical field values), u32 pending, u64 byte count,
//   input digest: the same three fields,
//   u32 page count, per page: u32 index, u8 kind (0: all zero, 1: 1024 bytes follow) [, bytes].
// Pages are sorted by strictly increasing index and page 0 is present; the input digest's byte
// count equals the input cursor (it absorbed exactly the bytes before it), which with the output
// byte count stays within the limits of guest_abi.hpp; a shard that starts at end of file reads
// no input. Anything else, and any trailing byte, is ErrorKind::Format. Version 1 (no input
// digest, no end-of-file flag) is refused: its shards cannot be given an input digest without
// the input bytes before them, so such a run must be executed again.

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "vm/paged_memory.hpp"
#include "vm/running_digest.hpp"

namespace tessera::vm {

inline constexpr uint32_t kCheckpointVersion = 2;

struct Checkpoint {
  uint64_t program_fingerprint = 0;
  uint64_t shard_index = 0;
  uint64_t start_cycle = 0;
  uint64_t cycle_count = 0;
  bool final_shard = false;
  uint32_t pc = 0;
  uint64_t input_cursor = 0;
  std::vector<uint8_t> input;  // the bytes the shard reads, starting at input_cursor
  RunningDigest input_digest = RunningDigest::input();  // of the input before input_cursor
  bool input_eof = false;  // a read() before this shard returned fewer bytes than asked
  RunningDigest output = RunningDigest::output();  // of the public output before this shard
  std::vector<PageImage> pages;                    // sorted by index; pages[0] is the register page

  std::array<uint32_t, 32> registers() const;
  friend bool operator==(const Checkpoint&, const Checkpoint&) = default;
};

// Page 0's image for a register file (x0 must be 0).
PageImage register_page(const std::array<uint32_t, 32>& regs);
std::array<uint32_t, 32> registers_from_page(const PageImage& page);

std::vector<uint8_t> serialize_checkpoint(const Checkpoint& cp);
Checkpoint parse_checkpoint(std::span<const uint8_t> bytes);

}  // namespace tessera::vm
