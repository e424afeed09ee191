#pragma once
// Writes minimal ELF32 RISC-V executables for tests: one PT_LOAD per segment, each at a 4 KiB
// aligned file offset congruent to its address (what qemu-user's loader needs), no sections.

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include "vm/program.hpp"

namespace tessera::vm::test {

struct SegmentSpec {
  uint32_t vaddr = 0;
  std::vector<uint8_t> bytes;
  uint32_t memsz = 0;  // 0: bytes.size()
  uint32_t flags = 5;  // PF_R | PF_X; data: 6 (PF_R | PF_W), read-only: 4
};

inline constexpr uint32_t kTextBase = 0x00010000;
inline constexpr uint32_t kDataBase = 0x00020000;
inline constexpr uint32_t kPfX = 1, kPfW = 2, kPfR = 4;

inline void put16(std::vector<uint8_t>& b, size_t off, uint16_t v) {
  b[off] = static_cast<uint8_t>(v);
  b[off + 1] = static_cast<uint8_t>(v >> 8);
}
inline void put32(std::vector<uint8_t>& b, size_t off, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[off + i] = static_cast<uint8_t>(v >> (8 * i));
}

inline std::vector<uint8_t> words_to_bytes(const std::vector<uint32_t>& words) {
  std::vector<uint8_t> out(words.size() * 4);
  for (size_t i = 0; i < words.size(); ++i) put32(out, 4 * i, words[i]);
  return out;
}

inline std::vector<uint8_t> build_elf(uint32_t entry, const std::vector<SegmentSpec>& segments) {
  const size_t phoff = 52, phnum = segments.size();
  size_t offset = 0x1000;
  std::vector<size_t> offsets;
  for (const auto& s : segments) {
    offset += (s.vaddr - offset) & 0xfff;  // congruent to the address modulo 4 KiB
    offsets.push_back(offset);
    offset += (s.bytes.size() + 0xfff) & ~size_t{0xfff};
  }
  std::vector<uint8_t> b(std::max<size_t>(offset, 0x1000), 0);
  const uint8_t ident[16] = {0x7f, 'E', 'L', 'F', 1, 1, 1, 0};
  std::memcpy(b.data(), ident, sizeof ident);
  put16(b, 16, 2);    // ET_EXEC
  put16(b, 18, 243);  // EM_RISCV
  put32(b, 20, 1);
  put32(b, 24, entry);
  put32(b, 28, static_cast<uint32_t>(phoff));
  put32(b, 32, 0);  // no section headers
  put32(b, 36, 0);  // flags: no RVC, soft float
  put16(b, 40, 52);
  put16(b, 42, 32);
  put16(b, 44, static_cast<uint16_t>(phnum));
  put16(b, 46, 40);
  for (size_t i = 0; i < phnum; ++i) {
    const auto& s = segments[i];
    const size_t ph = phoff + 32 * i;
    put32(b, ph, 1);  // PT_LOAD
    put32(b, ph + 4, static_cast<uint32_t>(offsets[i]));
    put32(b, ph + 8, s.vaddr);
    put32(b, ph + 12, s.vaddr);
    put32(b, ph + 16, static_cast<uint32_t>(s.bytes.size()));
    put32(b, ph + 20, s.memsz ? s.memsz : static_cast<uint32_t>(s.bytes.size()));
    put32(b, ph + 24, s.flags);
    put32(b, ph + 28, 0x1000);
    if (!s.bytes.empty()) std::memcpy(b.data() + offsets[i], s.bytes.data(), s.bytes.size());
  }
  return b;
}

// A program whose text at kTextBase is `code`, plus optional extra segments.
inline std::vector<uint8_t> build_elf_from_code(const std::vector<uint32_t>& code,
                                                std::vector<SegmentSpec> extra = {}) {
  std::vector<SegmentSpec> segs{{kTextBase, words_to_bytes(code), 0, kPfR | kPfX}};
  for (auto& s : extra) segs.push_back(std::move(s));
  return build_elf(kTextBase, segs);
}

// Writes the file executable: qemu-user, like the kernel, refuses to load a file without an
// execute permission bit.
inline void write_file(const std::filesystem::path& path, const std::vector<uint8_t>& bytes) {
  {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
  }
  namespace fs = std::filesystem;
  fs::permissions(path, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                            fs::perms::others_read | fs::perms::others_exec);
}

}  // namespace tessera::vm::test
