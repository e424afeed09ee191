#pragma once
// ELF32 loader for RV32IM guest executables. Accepts exactly what the executor can run: a
// little-endian, 32-bit, RISC-V, ET_EXEC file without compressed instructions or a hardware
// float ABI, whose PT_LOAD segments lie inside the file, do not overlap, stay out of the register
// page and inside the guest memory limit, and whose entry point is an aligned address of an
// executable segment. Everything else is tessera::Error(ErrorKind::BadElf) naming the problem.

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace tessera::vm {

struct LoadSegment {
  uint32_t vaddr = 0;
  uint32_t memsz = 0;  // bytes in memory; [filesz, memsz) is zero-filled (bss)
  bool readable = false;
  bool writable = false;
  bool executable = false;
  std::vector<uint8_t> bytes;  // the file-backed part, filesz bytes

  uint64_t end() const { return static_cast<uint64_t>(vaddr) + memsz; }
};

struct ElfImage {
  uint32_t entry = 0;
  std::vector<LoadSegment> segments;  // PT_LOAD segments with memsz > 0, sorted by vaddr
};

// `max_pages` is the guest memory limit in 1 KiB pages; the segments' pages must fit in it.
ElfImage parse_elf(std::span<const uint8_t> file, uint32_t max_pages);
// The bytes of the file at `path` (ErrorKind::InputFile when it cannot be read).
std::vector<uint8_t> read_elf_bytes(const std::filesystem::path& path);
// Reads `path` (ErrorKind::InputFile when it cannot be read) and parses it.
ElfImage load_elf_file(const std::filesystem::path& path, uint32_t max_pages);

}  // namespace tessera::vm
