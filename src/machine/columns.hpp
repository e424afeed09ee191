#pragma once
// Column layouts of the zkVM tables. Each table describes its columns once, as a plain struct of
// indices filled by a ColumnAllocator in a constexpr function; the AIR (constraints) and the trace
// generation both read that one struct, so they cannot disagree about where a value lives. The
// struct is a member of the AIR (trivially copyable, so the CUDA quotient kernel can take it).
//
// A 32-bit word is always 4 byte columns, least significant first (WordCols).

#include <cstddef>
#include <cstdint>

#include "common/hd.hpp"

namespace tessera::rv32im {

// Marks a column a layout does not have.
inline constexpr uint32_t kNoColumn = 0xffffffffu;

struct WordCols {
  uint32_t b[4] = {kNoColumn, kNoColumn, kNoColumn, kNoColumn};
  TESSERA_HD constexpr uint32_t operator[](size_t i) const { return b[i]; }
  TESSERA_HD constexpr bool present() const { return b[0] != kNoColumn; }
};

class ColumnAllocator {
 public:
  constexpr uint32_t col() { return next_++; }
  constexpr WordCols word() {
    WordCols w;
    for (uint32_t& c : w.b) c = next_++;
    return w;
  }
  template <size_t N>
  constexpr void cols(uint32_t (&out)[N]) {
    for (uint32_t& c : out) c = next_++;
  }
  constexpr uint32_t width() const { return next_; }

 private:
  uint32_t next_ = 0;
};

}  // namespace tessera::rv32im
