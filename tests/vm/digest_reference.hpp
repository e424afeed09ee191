#pragma once
// The running byte digest (src/vm/running_digest.hpp) written out directly from its definition,
// with the scalar permutation, as an independent reference for the VM tests.

#include <cstdint>
#include <span>

#include "hash/digest.hpp"
#include "hash/poseidon2.hpp"

namespace tessera::vm::test {

inline Digest reference_running_digest(uint32_t domain, std::span<const uint8_t> bytes) {
  Poseidon2State s{};
  s[15] = BabyBear::from_u32(domain);
  size_t pos = 0;
  for (uint8_t b : bytes) {
    s[pos] += BabyBear::from_u32(b);
    if (++pos == 8) {
      poseidon2_permute(s);
      pos = 0;
    }
  }
  s[pos] += BabyBear::from_u32(256);
  poseidon2_permute(s);
  Digest d;
  for (size_t i = 0; i < 8; ++i) d[i] = s[i];
  return d;
}

}  // namespace tessera::vm::test
