#pragma once
// A loaded guest program: the ELF image plus its text decoded once. Immutable after construction
// and shared by the full run and by every shard re-execution of the same program.

#include <cstdint>
#include <filesystem>
#include <vector>

#include "vm/decoder.hpp"
#include "vm/elf_loader.hpp"

namespace tessera::vm {

// Executable segments may span at most this many bytes of address space (the decoded table is
// one 8-byte entry per word of the span).
inline constexpr uint32_t kMaxTextSpan = 64u << 20;

// An address range [begin, end) of guest memory that guest stores must not modify.
struct ReadOnlyRange {
  uint32_t begin = 0;
  uint64_t end = 0;
};

class Program {
 public:
  // Decodes the executable segments (ErrorKind::BadElf when they span more than kMaxTextSpan).
  explicit Program(ElfImage image);
  static Program load(const std::filesystem::path& elf, uint32_t max_pages);

  const ElfImage& image() const { return image_; }
  uint32_t entry() const { return image_.entry; }
  uint32_t text_begin() const { return text_begin_; }
  uint32_t text_end() const { return text_end_; }
  // code()[i] is the word at text_begin + 4 i; one extra trailing NOT_TEXT entry catches running
  // off the end of the last text word.
  const std::vector<Decoded>& code() const { return code_; }
  const std::vector<uint32_t>& words() const { return words_; }
  // Loaded segments without write permission (text and read-only data).
  const std::vector<ReadOnlyRange>& read_only() const { return read_only_; }
  // A 64-bit FNV-1a fingerprint of the loaded image (entry, and every segment's address, size,
  // flags and bytes). A consistency guard so a checkpoint is never resumed on another program —
  // not a commitment (the proof's program commitment comes from the preprocessed tables).
  uint64_t fingerprint() const { return fingerprint_; }

 private:
  ElfImage image_;
  uint32_t text_begin_ = 0;
  uint32_t text_end_ = 0;
  std::vector<Decoded> code_;
  std::vector<uint32_t> words_;
  std::vector<ReadOnlyRange> read_only_;
  uint64_t fingerprint_ = 0;
};

}  // namespace tessera::vm
