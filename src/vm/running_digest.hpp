#pragma once
// Running digests of byte streams: the committed public output (write(1, ...)) and the private
// input consumed (every byte read(0, ...) returns). One construction, two domains.
//
// A Poseidon2 sponge (width 16, rate 8, capacity 8) that absorbs the stream one BYTE per field
// element, in ADD mode, and whose state persists across calls:
//
//   init:      s = 0 except s[15] = domain (separates the streams from each other and from every
//              other use of the permutation, all of which start from the zero state)
//   absorb b:  s[pending] += b; pending += 1; if pending == 8 { s = P(s); pending = 0 }
//   digest:    t = s; t[pending] += 256; t = P(t); return t[0..8)     (s itself is not changed)
//
// The finalisation pads with the element 256, which no byte can equal, followed by the implicit
// zeros of the untouched rate positions; "message || 256 || 0*" is injective, so streams of
// different lengths (including "" and "\0") have different padded streams and the construction is
// the textbook sponge over them. It differs from hash/sponge.hpp (overwrite mode, no padding)
// because that sponge hashes inputs of lengths fixed by the proof shape, while guest input and
// output have any length and arrive in pieces.
//
// Why a sponge whose state is the checkpoint: a shard's re-execution continues exactly where the
// previous shard stopped with only (state, pending, byte count) — no bytes from earlier shards are
// needed, and the shard statement's "digest so far" is digest() of that state. The byte count is
// carried for the statement and as a consistency check.
//
// The output digest (domain kOutputDigestDomain) is unchanged from the first version of this
// file, so digests printed before the input digest existed stay valid.

#include <array>
#include <cstdint>
#include <span>
#include <string>

#include "field/babybear.hpp"
#include "hash/digest.hpp"
#include "hash/poseidon2.hpp"

namespace tessera::vm {

// Domain tags; both < p, so canonical field elements. The values are fixed by the statement
// format: "OUT1" reads as the big-endian ASCII of its name, "INP1" as the little-endian ASCII
// (0x49 'I' in the low byte) — as the zkVM design chose them, not by one rule.
inline constexpr uint32_t kOutputDigestDomain = 0x4f555431u;  // "OUT1"
inline constexpr uint32_t kInputDigestDomain = 0x31504e49u;   // "INP1"
inline constexpr uint32_t kRunningDigestRate = 8;
inline constexpr uint32_t kRunningDigestPad = 256;

class RunningDigest {
 public:
  // The empty stream of a domain (any canonical field element; the two above are the ones used).
  explicit RunningDigest(uint32_t domain);
  static RunningDigest output() { return RunningDigest(kOutputDigestDomain); }
  static RunningDigest input() { return RunningDigest(kInputDigestDomain); }

  void absorb(std::span<const uint8_t> bytes);
  // The digest of everything absorbed so far (does not change the running state).
  Digest digest() const;

  uint32_t domain() const { return domain_; }
  const Poseidon2State& state() const { return state_; }
  uint32_t pending() const { return pending_; }
  uint64_t byte_count() const { return byte_count_; }

  // Rebuilds a running digest of `domain` from checkpointed parts; pending must be < 8 and equal
  // byte_count mod 8 (ErrorKind::Format otherwise, as the parts come from serialised bytes).
  static RunningDigest from_parts(uint32_t domain, const Poseidon2State& state, uint32_t pending,
                                  uint64_t byte_count);

  friend bool operator==(const RunningDigest&, const RunningDigest&) = default;

 private:
  uint32_t domain_;
  Poseidon2State state_{};
  uint32_t pending_ = 0;
  uint64_t byte_count_ = 0;
};

// 64 lowercase hex digits: each element's canonical value as 4 little-endian bytes.
std::string digest_hex(const Digest& d);

}  // namespace tessera::vm
