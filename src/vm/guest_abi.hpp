#pragma once
// The guest ABI and the guest address-space layout shared by the executor, the checkpoint
// format and the guest SDK (inputs/sdk). DESIGN.md §4: the same binaries run under qemu-riscv32,
// so the system-call numbers are Linux's for read, write and exit.

#include <cstdint>

namespace tessera::vm {

// System calls: `ecall` with the number in a7 (x17), arguments in a0..a2 (x10..x12), result in a0.
inline constexpr uint32_t kSysRead = 63;   // read(0, buf, n): private input; returns bytes read
inline constexpr uint32_t kSysWrite = 64;  // write(1, ..): public output; write(2, ..): debug log
inline constexpr uint32_t kSysExit = 93;   // exit(code): halts the machine with exit code a0
// poseidon2(state): the 16 little-endian words at a0 (4-byte aligned), each a canonical BabyBear
// element (< p), are replaced in place by the Poseidon2 permutation of them (hash/poseidon2.hpp);
// no register changes. A precompile proven by the zkVM's Poseidon2 table. The number ("P2" in
// ASCII) lies far above every Linux system-call number (a few hundred), so it never shadows a real
// call; qemu-user does not know it (it returns -ENOSYS and leaves the words as they were), so
// guests that use it run only on Tessera and their expected outputs come from elsewhere.
inline constexpr uint32_t kSysPoseidon2 = 0x5032;
inline constexpr uint32_t kPoseidon2StateWords = 16;

inline constexpr uint32_t kFdInput = 0;
inline constexpr uint32_t kFdPublicOutput = 1;
inline constexpr uint32_t kFdDebug = 2;

// Register indices used by the ABI.
inline constexpr unsigned kRegA0 = 10, kRegA1 = 11, kRegA2 = 12, kRegA7 = 17;

// Memory is paged in 1 KiB pages over the whole 32-bit space: 2^22 pages.
inline constexpr unsigned kPageBits = 10;
inline constexpr uint32_t kPageSize = 1u << kPageBits;
inline constexpr uint32_t kPageCount = 1u << (32 - kPageBits);

// The register file lives, conceptually, in memory page 0 (addresses 0x000..0x3ff): x_i is the
// little-endian word at byte 4*i, the rest of the page is zero. The shard statement (DESIGN.md §4)
// can then carry registers between shards exactly like any other page. Guests never see this
// page: a guest load or store to it is a trap (it doubles as null-pointer protection, and qemu
// does not map it either).
inline constexpr uint32_t kRegisterPage = 0;

// Default bound on resident pages: 2^18 pages = 256 MiB of guest memory.
inline constexpr uint32_t kDefaultMaxPages = 1u << 18;

// Size limits the zkVM relies on: byte counts and cursors it keeps as field elements must not wrap
// modulo p (~2^30.9). The private input may hold at most 2^30 bytes (a larger input file is
// refused when loaded, ErrorKind::InputFile); one write() moves fewer than 2^30 bytes and the
// committed public output of a whole run totals at most 2^30 bytes (guest traps otherwise).
inline constexpr uint64_t kMaxInputBytes = uint64_t{1} << 30;
inline constexpr uint64_t kMaxWriteBytes = (uint64_t{1} << 30) - 1;
inline constexpr uint64_t kMaxPublicOutputBytes = uint64_t{1} << 30;

}  // namespace tessera::vm
