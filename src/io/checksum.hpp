#pragma once
// FNV-1a, 64 bits: the integrity check of stored proof bytes (artifact and journal). It detects
// torn writes and bit rot, which is all it is for — a forged proof with a matching checksum is
// still rejected by the verifier, which is the security check.

#include <cstdint>
#include <span>

namespace tessera {

constexpr uint64_t fnv1a64(std::span<const uint8_t> bytes, uint64_t h = 0xcbf29ce484222325ull) {
  for (uint8_t b : bytes) {
    h ^= b;
    h *= 0x100000001b3ull;
  }
  return h;
}

}  // namespace tessera
