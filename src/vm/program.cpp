#include "vm/program.hpp"

#include <algorithm>
#include <cstring>
#include <limits>

#include "common/check.hpp"

namespace tessera::vm {
namespace {

struct Fnv1a64 {
  uint64_t h = 0xcbf29ce484222325ull;
  void bytes(const uint8_t* p, size_t n) {
    for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 0x100000001b3ull;
  }
  void u32(uint32_t v) {
    uint8_t b[4] = {uint8_t(v), uint8_t(v >> 8), uint8_t(v >> 16), uint8_t(v >> 24)};
    bytes(b, 4);
  }
};

}  // namespace

Program::Program(ElfImage image) : image_(std::move(image)) {
  uint64_t lo = std::numeric_limits<uint64_t>::max(), hi = 0;
  for (const auto& s : image_.segments) {
    if (!s.executable) continue;
    lo = std::min<uint64_t>(lo, s.vaddr);
    hi = std::max<uint64_t>(hi, (s.end() + 3) & ~uint64_t{3});
  }
  if (lo > hi) TESSERA_FAIL(ErrorKind::BadElf, "no executable segment");
  if (hi - lo > kMaxTextSpan)
    TESSERA_FAIL(ErrorKind::BadElf, "executable segments span " << (hi - lo) << " bytes; at most "
                                                                << kMaxTextSpan
                                                                << " are supported");
  // hi <= 2^32 and the span is bounded, so the end fits unless the text reaches the top word.
  if (hi > std::numeric_limits<uint32_t>::max())
    TESSERA_FAIL(ErrorKind::BadElf, "executable segment reaches the top of the address space");
  text_begin_ = static_cast<uint32_t>(lo);
  text_end_ = static_cast<uint32_t>(hi);

  const size_t n = (text_end_ - text_begin_) / 4;
  words_.assign(n, 0);
  code_.assign(n + 1, Decoded{});  // NOT_TEXT everywhere, including the trailing guard
  for (const auto& s : image_.segments) {
    if (!s.executable) continue;
    const size_t first = (s.vaddr - text_begin_) / 4;
    const size_t count = (s.memsz + 3) / 4;
    for (size_t i = 0; i < count; ++i) {
      uint32_t w = 0;
      const size_t off = i * 4;
      if (off < s.bytes.size())
        std::memcpy(&w, s.bytes.data() + off, std::min<size_t>(4, s.bytes.size() - off));
      words_[first + i] = w;
      code_[first + i] = decode(w, s.vaddr + static_cast<uint32_t>(off));
    }
  }

  for (const auto& s : image_.segments)
    if (!s.writable) read_only_.push_back({s.vaddr, s.end()});

  Fnv1a64 f;
  f.u32(image_.entry);
  for (const auto& s : image_.segments) {
    f.u32(s.vaddr);
    f.u32(s.memsz);
    f.u32((s.readable ? 4u : 0u) | (s.writable ? 2u : 0u) | (s.executable ? 1u : 0u));
    f.u32(static_cast<uint32_t>(s.bytes.size()));
    f.bytes(s.bytes.data(), s.bytes.size());
  }
  fingerprint_ = f.h;
}

Program Program::load(const std::filesystem::path& elf, uint32_t max_pages) {
  return Program(load_elf_file(elf, max_pages));
}

}  // namespace tessera::vm
