#include "vm/running_digest.hpp"

#include "common/check.hpp"

namespace tessera::vm {

RunningDigest::RunningDigest(uint32_t domain) : domain_(domain) {
  TESSERA_CHECK(domain < BabyBear::kModulus, ErrorKind::InvalidArgument,
                "running digest domain " << domain << " is not a field element");
  state_.fill(BabyBear::zero());
  state_[kPoseidon2Width - 1] = BabyBear::from_u32(domain);
}

void RunningDigest::absorb(std::span<const uint8_t> bytes) {
  for (uint8_t b : bytes) {
    state_[pending_] += BabyBear::from_u32(b);
    if (++pending_ == kRunningDigestRate) {
      poseidon2_permute_one(state_);
      pending_ = 0;
    }
  }
  byte_count_ += bytes.size();
}

Digest RunningDigest::digest() const {
  Poseidon2State t = state_;
  t[pending_] += BabyBear::from_u32(kRunningDigestPad);
  poseidon2_permute_one(t);
  Digest d;
  for (size_t i = 0; i < kDigestElems; ++i) d[i] = t[i];
  return d;
}

RunningDigest RunningDigest::from_parts(uint32_t domain, const Poseidon2State& state,
                                        uint32_t pending, uint64_t byte_count) {
  if (pending >= kRunningDigestRate)
    TESSERA_FAIL(ErrorKind::Format,
                 "running digest: pending absorb count " << pending << " is not below the rate 8");
  if (pending != byte_count % kRunningDigestRate)
    TESSERA_FAIL(ErrorKind::Format, "running digest: pending count "
                                        << pending << " does not match the byte count "
                                        << byte_count);
  RunningDigest d(domain);
  d.state_ = state;
  d.pending_ = pending;
  d.byte_count_ = byte_count;
  return d;
}

std::string digest_hex(const Digest& d) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  s.reserve(kDigestElems * 8);
  for (const BabyBear& e : d) {
    uint32_t v = e.as_u32();
    for (int i = 0; i < 4; ++i, v >>= 8) {
      s.push_back(kHex[(v >> 4) & 0xf]);
      s.push_back(kHex[v & 0xf]);
    }
  }
  return s;
}

}  // namespace tessera::vm
