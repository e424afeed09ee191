#pragma once
// Little-endian byte writer / reader for Tessera's binary formats (proofs, checkpoints). Every
// read is bounds-checked: a truncated or corrupted buffer gives tessera::Error(ErrorKind::Format)
// naming what was being read, never a crash or an over-read. Lengths are explicit (u32/u64
// prefixes written by the caller) and readers check them against limits before allocating.

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/check.hpp"
#include "field/extension.hpp"

namespace tessera {

class ByteWriter {
 public:
  void u8(uint8_t v) { bytes_.push_back(v); }
  void u32(uint32_t v) {
    for (int i = 0; i < 4; ++i) bytes_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  void u64(uint64_t v) {
    for (int i = 0; i < 8; ++i) bytes_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  // Field elements are written canonically (not in Montgomery form), so the format does not
  // depend on the internal representation.
  void felt(BabyBear v) { u32(v.as_u32()); }
  void ext(const BabyBear4& v) {
    for (uint32_t i = 0; i < 4; ++i) felt(v.coeff(i));
  }
  void bytes(std::span<const uint8_t> b) { bytes_.insert(bytes_.end(), b.begin(), b.end()); }
  void str(std::string_view s) {
    u32(static_cast<uint32_t>(s.size()));
    bytes_.insert(bytes_.end(), s.begin(), s.end());
  }
  const std::vector<uint8_t>& data() const { return bytes_; }
  std::vector<uint8_t> take() { return std::move(bytes_); }
  size_t size() const { return bytes_.size(); }

 private:
  std::vector<uint8_t> bytes_;
};

class ByteReader {
 public:
  explicit ByteReader(std::span<const uint8_t> data) : data_(data) {}

  uint8_t u8(std::string_view what) {
    need(1, what);
    return data_[pos_++];
  }
  uint32_t u32(std::string_view what) {
    need(4, what);
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(data_[pos_++]) << (8 * i);
    return v;
  }
  uint64_t u64(std::string_view what) {
    need(8, what);
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(data_[pos_++]) << (8 * i);
    return v;
  }
  // A u32 length prefix that must not exceed `max` (checked before anything is allocated).
  uint32_t length(std::string_view what, uint64_t max) {
    uint32_t n = u32(what);
    TESSERA_CHECK(n <= max, ErrorKind::Format,
                  "malformed data: " << what << " length " << n << " exceeds the limit " << max);
    return n;
  }
  // A canonical field element; values >= p are rejected (they would alias another element).
  BabyBear felt(std::string_view what) {
    uint32_t v = u32(what);
    TESSERA_CHECK(v < BabyBear::kModulus, ErrorKind::Format,
                  "malformed data: " << what << " value " << v << " is not a canonical field element");
    return BabyBear::from_u32(v);
  }
  BabyBear4 ext(std::string_view what) {
    BabyBear c[4];
    for (auto& x : c) x = felt(what);
    return {c[0], c[1], c[2], c[3]};
  }
  std::span<const uint8_t> bytes(size_t n, std::string_view what) {
    need(n, what);
    auto out = data_.subspan(pos_, n);
    pos_ += n;
    return out;
  }
  std::string str(std::string_view what, uint32_t max_len) {
    uint32_t n = length(what, max_len);
    auto b = bytes(n, what);
    return std::string(b.begin(), b.end());
  }

  size_t position() const { return pos_; }
  size_t remaining() const { return data_.size() - pos_; }
  // Called after the last field: trailing bytes mean the buffer is not what it claims to be.
  void expect_end(std::string_view what) const {
    TESSERA_CHECK(pos_ == data_.size(), ErrorKind::Format,
                  "malformed data: " << data_.size() - pos_ << " trailing bytes after " << what);
  }

 private:
  void need(size_t n, std::string_view what) const {
    TESSERA_CHECK(data_.size() - pos_ >= n, ErrorKind::Format,
                  "malformed data: truncated while reading " << what << " (need " << n
                                                             << " bytes at offset " << pos_
                                                             << ", have " << data_.size() - pos_
                                                             << ')');
  }

  std::span<const uint8_t> data_;
  size_t pos_ = 0;
};

}  // namespace tessera
