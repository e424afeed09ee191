#include "vm/elf_loader.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>

#include "common/check.hpp"
#include "vm/guest_abi.hpp"

namespace tessera::vm {
namespace {

// ELF constants (System V ABI, RISC-V ELF psABI).
constexpr uint8_t kElfClass32 = 1;
constexpr uint8_t kElfData2Lsb = 1;
constexpr uint8_t kElfVersionCurrent = 1;
constexpr uint16_t kEtExec = 2;
constexpr uint16_t kEmRiscv = 243;
constexpr uint32_t kPtLoad = 1;
constexpr uint32_t kPfX = 1, kPfW = 2, kPfR = 4;
constexpr uint32_t kEfRiscvRvc = 0x1;
constexpr uint32_t kEfRiscvFloatAbi = 0x6;
constexpr uint32_t kEfRiscvRve = 0x8;
constexpr size_t kEhdrSize = 52;
constexpr size_t kPhdrSize = 32;

uint16_t le16(std::span<const uint8_t> b, size_t off) {
  return static_cast<uint16_t>(b[off] | (b[off + 1] << 8));
}
uint32_t le32(std::span<const uint8_t> b, size_t off) {
  return static_cast<uint32_t>(b[off]) | (static_cast<uint32_t>(b[off + 1]) << 8) |
         (static_cast<uint32_t>(b[off + 2]) << 16) | (static_cast<uint32_t>(b[off + 3]) << 24);
}

std::string hex(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

#define BAD_ELF(msg) TESSERA_FAIL(::tessera::ErrorKind::BadElf, msg)

}  // namespace

ElfImage parse_elf(std::span<const uint8_t> file, uint32_t max_pages) {
  if (file.size() < 4 || file[0] != 0x7f || file[1] != 'E' || file[2] != 'L' || file[3] != 'F')
    BAD_ELF("not an ELF file (bad magic)");
  if (file.size() < kEhdrSize)
    BAD_ELF("truncated ELF header (" << file.size() << " bytes, need " << kEhdrSize << ")");
  if (file[4] != kElfClass32)
    BAD_ELF("unsupported ELF class " << int(file[4])
                                     << " (need ELFCLASS32: a 32-bit RV32IM program)");
  if (file[5] != kElfData2Lsb)
    BAD_ELF("unsupported ELF data encoding " << int(file[5]) << " (need little-endian)");
  if (file[6] != kElfVersionCurrent)
    BAD_ELF("unsupported ELF identification version " << int(file[6]));

  const uint16_t type = le16(file, 16);
  const uint16_t machine = le16(file, 18);
  const uint32_t version = le32(file, 20);
  const uint32_t entry = le32(file, 24);
  const uint32_t phoff = le32(file, 28);
  const uint32_t flags = le32(file, 36);
  const uint16_t phentsize = le16(file, 42);
  const uint16_t phnum = le16(file, 44);

  if (machine != kEmRiscv) BAD_ELF("unsupported machine " << machine << " (need EM_RISCV = 243)");
  if (type != kEtExec)
    BAD_ELF("unsupported ELF type " << type << " (need ET_EXEC: a statically linked executable)");
  if (version != kElfVersionCurrent) BAD_ELF("unsupported ELF version " << version);
  if (flags & kEfRiscvRvc)
    BAD_ELF("compressed instructions (RVC) are not supported; build with -march=rv32im");
  if (flags & kEfRiscvFloatAbi)
    BAD_ELF("hardware floating-point ABI is not supported; build with -mabi=ilp32");
  if (flags & kEfRiscvRve) BAD_ELF("the RV32E base (16 registers) is not supported");
  if (phnum == 0) BAD_ELF("no program headers");
  if (phentsize != kPhdrSize)
    BAD_ELF("unexpected program header size " << phentsize << " (need " << kPhdrSize << ")");
  if (static_cast<uint64_t>(phoff) + static_cast<uint64_t>(phnum) * kPhdrSize > file.size())
    BAD_ELF("truncated program header table (" << phnum << " entries at offset " << hex(phoff)
                                               << " exceed the file's " << file.size()
                                               << " bytes)");

  ElfImage image;
  image.entry = entry;
  for (uint32_t i = 0; i < phnum; ++i) {
    const size_t ph = phoff + static_cast<size_t>(i) * kPhdrSize;
    if (le32(file, ph) != kPtLoad) continue;
    const uint32_t offset = le32(file, ph + 4);
    const uint32_t vaddr = le32(file, ph + 8);
    const uint32_t filesz = le32(file, ph + 16);
    const uint32_t memsz = le32(file, ph + 20);
    const uint32_t pflags = le32(file, ph + 24);
    if (filesz > memsz)
      BAD_ELF("segment " << i << " has file size " << filesz << " > memory size " << memsz);
    if (static_cast<uint64_t>(offset) + filesz > file.size())
      BAD_ELF("segment " << i << " (offset " << hex(offset) << ", " << filesz
                         << " bytes) extends beyond the end of the file (" << file.size()
                         << " bytes)");
    if (memsz == 0) continue;
    if (static_cast<uint64_t>(vaddr) + memsz > (uint64_t{1} << 32))
      BAD_ELF("segment " << i << " [" << hex(vaddr) << ", " << hex(uint64_t{vaddr} + memsz)
                         << ") extends beyond the 32-bit address space");
    if (vaddr < kPageSize * (kRegisterPage + 1))
      BAD_ELF("segment " << i << " at " << hex(vaddr)
                         << " overlaps the reserved register page [0x0, 0x400)");
    if ((pflags & kPfW) && (pflags & kPfX))
      BAD_ELF("segment " << i << " at " << hex(vaddr)
                         << " is writable and executable (self-modifying code is not supported)");
    if ((pflags & kPfX) && (vaddr % 4 != 0))
      BAD_ELF("executable segment " << i << " at " << hex(vaddr) << " is not 4-byte aligned");
    LoadSegment seg;
    seg.vaddr = vaddr;
    seg.memsz = memsz;
    seg.readable = (pflags & kPfR) != 0;
    seg.writable = (pflags & kPfW) != 0;
    seg.executable = (pflags & kPfX) != 0;
    seg.bytes.assign(file.begin() + offset, file.begin() + offset + filesz);
    image.segments.push_back(std::move(seg));
  }
  if (image.segments.empty()) BAD_ELF("no loadable (PT_LOAD) segment");
  std::sort(image.segments.begin(), image.segments.end(),
            [](const LoadSegment& a, const LoadSegment& b) { return a.vaddr < b.vaddr; });

  uint64_t pages = 0;
  uint64_t last_page_counted = ~uint64_t{0};
  for (size_t i = 0; i < image.segments.size(); ++i) {
    const auto& s = image.segments[i];
    if (i > 0 && image.segments[i - 1].end() > s.vaddr)
      BAD_ELF("segments [" << hex(image.segments[i - 1].vaddr) << ", "
                           << hex(image.segments[i - 1].end()) << ") and [" << hex(s.vaddr) << ", "
                           << hex(s.end()) << ") overlap");
    // Pages spanned by the segments, counting a page shared by two segments once.
    const uint64_t first = s.vaddr >> kPageBits, last = (s.end() - 1) >> kPageBits;
    pages += last - first + 1 - (first == last_page_counted ? 1 : 0);
    last_page_counted = last;
  }
  if (pages > max_pages)
    BAD_ELF("the segments span " << pages << " pages of 1 KiB, beyond the guest memory limit of "
                                 << max_pages << " pages");

  const auto exec = std::find_if(image.segments.begin(), image.segments.end(), [&](const auto& s) {
    return s.executable && entry >= s.vaddr && entry < s.end();
  });
  if (exec == image.segments.end())
    BAD_ELF("entry point " << hex(entry) << " is not inside an executable segment");
  if (entry % 4 != 0) BAD_ELF("entry point " << hex(entry) << " is not 4-byte aligned");
  return image;
}

std::vector<uint8_t> read_elf_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in.good())
    TESSERA_FAIL(ErrorKind::InputFile, "cannot open program '" << path.string() << "'");
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  if (in.bad()) TESSERA_FAIL(ErrorKind::InputFile, "cannot read program '" << path.string() << "'");
  return bytes;
}

ElfImage load_elf_file(const std::filesystem::path& path, uint32_t max_pages) {
  return parse_elf(read_elf_bytes(path), max_pages);
}

}  // namespace tessera::vm
