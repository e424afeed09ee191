#pragma once
// The LogUp buses of the rv32im zkVM and the fixed shapes of their messages (DESIGN.md §4,
// src/machine/README.md). Every table of a shard talks to the others only through these buses;
// the comments say who sends, who receives and why the argument is sound.
//
//   bus        message                                         producers -> consumers
//   state      (clk, pc, halted, exit_lo, exit_hi)             instruction rows send the state
//                                                               after their cycle, receive the
//                                                               state before it; the shard table
//                                                               injects (0, start_pc, 0, 0, 0)
//                                                               and removes (K, end_pc, h, lo, hi)
//   program    (pc, opcode, rd, rs1, rs2, imm0..3, target,      instruction rows send what they
//               writes_rd)                                      execute; the preprocessed program
//                                                               table receives (lookup)
//   memory     (word_addr, ts, b0, b1, b2, b3, class)           tokens: an access receives the
//                                                               previous token of its word and
//                                                               sends the new one; the page table
//                                                               sends every word's initial token
//                                                               (ts 0) and receives its final one
//   bytes      (op, x, y, z)                                    byte-table lookups (range, pair,
//                                                               and, or, xor)
//   p2_full    (in[16], out[16])                                Poseidon2 permutations (lookup)
//   p2_comp    (in[16], out[0..8])                              Poseidon2 compressions (lookup)
//   merkle     (level, index, old[8], new[8])                   node digests of the page tree
//                                                               before and after the shard
//   io_order   (clk, in_count, out_count, eof)                  the chain of I/O system calls
//   io_words   (clk, kind, word, offset, remaining, seq)        a system call's buffer, word by
//                                                               word
//   absorb     (kind, seq, byte)                                bytes into the input / output
//                                                               digests, in order
//   p2_call    (clk, word)                                      the Poseidon2 system call
//
// Soundness of the token buses (state, memory, merkle, io_order, io_words): every multiplicity on
// them is a boolean flag, so with fewer than p messages per shard the LogUp identity forces the
// multisets of sent and received messages to be equal as multisets of integers; the AIRs add the
// ordering facts (clk + 1, strictly increasing timestamps) that turn "equal multisets" into "one
// chain".

#include <cstdint>

namespace tessera::rv32im {

// Bus ids (each carries messages of exactly one arity).
inline constexpr uint32_t kBusState = 1;
inline constexpr uint32_t kBusProgram = 2;
inline constexpr uint32_t kBusMemory = 3;
inline constexpr uint32_t kBusBytes = 4;
inline constexpr uint32_t kBusP2Full = 5;
inline constexpr uint32_t kBusP2Comp = 6;
inline constexpr uint32_t kBusMerkle = 7;
inline constexpr uint32_t kBusIoOrder = 8;
inline constexpr uint32_t kBusIoWords = 9;
inline constexpr uint32_t kBusAbsorb = 10;
inline constexpr uint32_t kBusP2Call = 11;

inline constexpr uint32_t kStateArity = 5;
inline constexpr uint32_t kProgramArity = 11;
inline constexpr uint32_t kMemoryArity = 7;
inline constexpr uint32_t kBytesArity = 4;
inline constexpr uint32_t kMerkleArity = 18;
inline constexpr uint32_t kIoOrderArity = 4;
inline constexpr uint32_t kIoWordsArity = 6;
inline constexpr uint32_t kAbsorbArity = 3;
inline constexpr uint32_t kP2CallArity = 2;

// Operations of the byte table (the first value of a bytes message). The table has one row per
// pair (x, y) of bytes, 2^16 rows:
//   range16 (x + 256 y, 0, 0)   x + 256 y < 2^16          pair (x, y, 0)   x, y < 2^8
//   and (x, y, x & y)           or (x, y, x | y)          xor (x, y, x ^ y)
inline constexpr uint32_t kByteRange16 = 1;
inline constexpr uint32_t kBytePair = 2;
inline constexpr uint32_t kByteAnd = 3;
inline constexpr uint32_t kByteOr = 4;
inline constexpr uint32_t kByteXor = 5;

// Memory classes: part of every memory token and of every word's hash, fixed by the initial
// memory image. Loads accept classes 0 and 1, stores produce class 1 only, register accesses use
// class 2 only — so a store to read-only data and any guest access to the register page cannot
// balance.
inline constexpr uint32_t kClassReadOnly = 0;
inline constexpr uint32_t kClassWritable = 1;
inline constexpr uint32_t kClassRegister = 2;

// Timestamps. Cycle clk of a shard (0 <= clk < K) accesses memory at ts = 4 clk + slot, slots 1..3;
// ts 0 is the initial token of every word (page-in). An access proves prev_ts < ts by
// ts - prev_ts - 1 = lo + 2^16 hi with lo < 2^16 and hi < 2^8, which is sound while every ts is
// below 2^24: hence at most 2^22 cycles per shard.
inline constexpr uint32_t kSlotRs1 = 1;
inline constexpr uint32_t kSlotRs2 = 2;
inline constexpr uint32_t kSlotRd = 3;
inline constexpr uint32_t kSlotMemory = 2;  // loads and system-call buffers (addresses != registers)
inline constexpr uint32_t kSlotStore = 3;   // stores (after the rs1 and rs2 reads)
inline constexpr uint32_t kLogMaxShardCycles = 22;

inline constexpr uint32_t timestamp(uint32_t clk, uint32_t slot) {
  return 4 * clk + slot;
}

// Memory words: the word address (byte address / 4, < 2^30) is a field element. Registers are
// words 0..31 of page 0 (vm/guest_abi.hpp).
inline constexpr uint32_t kWordsPerPage = 256;
inline constexpr uint32_t kPageLevels = 22;  // 2^22 pages of 1 KiB: the tree's depth

// I/O kinds (io_words, absorb).
inline constexpr uint32_t kIoInput = 0;
inline constexpr uint32_t kIoOutput = 1;

}  // namespace tessera::rv32im
