#pragma once
// The running digest of a guest's committed public output (write(1, ...)).
//
// A Poseidon2 sponge (width 16, rate 8, capacity 8) that absorbs the output one BYTE per field
// element, in ADD mode, and whose state persists across writes:
//
//   init:      s = 0 except s[15] = kOutputDigestDomain (separates this sponge from every other
//              use of the permutation, all of which start from the zero state)
//   absorb b:  s[pending] += b; pending += 1; if pending == 8 { s = P(s); pending = 0 }
//   digest:    t = s; t[pending] += 256; t = P(t); return t[0..8)     (s itself is not changed)
//
// The finalisation pads with the element 256, which no byte can equal, followed by the implicit
// zeros of the untouched rate positions; "message || 256 || 0*" is injective, so outputs of
// different lengths (including "" and "\0") have different padded streams and the construction is
// the textbook sponge over them. It differs from hash/sponge.hpp (overwrite mode, no padding)
// because that sponge hashes inputs of lengths fixed by the proof shape, while guest output has
// any length and arrives in pieces.
//
// Why a sponge whose state is the checkpoint: a shard's re-execution continues exactly where the
// previous shard stopped with only (state, pending, byte count) — no output bytes from earlier
// shards are needed, and the shard statement's "output digest so far" is digest() of that state.
// The byte count is carried for the statement and as a consistency check.

#include <array>
#include <cstdint>
#include <span>
#include <string>

#include "field/babybear.hpp"
#include "hash/digest.hpp"
#include "hash/poseidon2.hpp"

namespace tessera::vm {

// "OUT1" as a 32-bit integer; < p, so it is a canonical field element.
inline constexpr uint32_t kOutputDigestDomain = 0x4f555431u;
inline constexpr uint32_t kOutputDigestRate = 8;
inline constexpr uint32_t kOutputDigestPad = 256;

class OutputDigest {
 public:
  OutputDigest();

  void absorb(std::span<const uint8_t> bytes);
  // The digest of everything absorbed so far (does not change the running state).
  Digest digest() const;

  const Poseidon2State& state() const { return state_; }
  uint32_t pending() const { return pending_; }
  uint64_t byte_count() const { return byte_count_; }

  // Rebuilds a running digest from checkpointed parts; pending must be < 8
  // (ErrorKind::Format otherwise, as the parts come from serialised bytes).
  static OutputDigest from_parts(const Poseidon2State& state, uint32_t pending,
                                 uint64_t byte_count);

  friend bool operator==(const OutputDigest& a, const OutputDigest& b) {
    return a.state_ == b.state_ && a.pending_ == b.pending_ && a.byte_count_ == b.byte_count_;
  }

 private:
  Poseidon2State state_{};
  uint32_t pending_ = 0;
  uint64_t byte_count_ = 0;
};

// 64 lowercase hex digits: each element's canonical value as 4 little-endian bytes.
std::string digest_hex(const Digest& d);

}  // namespace tessera::vm
