// The public-output digest: a Poseidon2 sponge over bytes, one byte per element, rate 8, padded
// with the element 256; its state is what checkpoints carry.

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "hash/poseidon2.hpp"
#include "vm/output_digest.hpp"

namespace tessera::vm {
namespace {

Digest digest_of(const std::vector<uint8_t>& bytes) {
  OutputDigest d;
  d.absorb(bytes);
  return d.digest();
}

// The construction written out directly from its definition in output_digest.hpp.
Digest reference_digest(const std::vector<uint8_t>& bytes) {
  Poseidon2State s{};
  s[15] = BabyBear::from_u32(kOutputDigestDomain);
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

std::vector<uint8_t> bytes_of(size_t n, uint8_t seed) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(seed * 31 + i * 7);
  return v;
}

TEST(OutputDigest, MatchesItsDefinition) {
  for (size_t n : {0, 1, 7, 8, 9, 15, 16, 17, 100}) {
    const auto v = bytes_of(n, 3);
    EXPECT_EQ(digest_of(v), reference_digest(v)) << n;
  }
}

TEST(OutputDigest, DoesNotDependOnHowWritesAreSplit) {
  const auto v = bytes_of(53, 9);
  for (size_t cut1 = 0; cut1 <= v.size(); cut1 += 5) {
    for (size_t cut2 = cut1; cut2 <= v.size(); cut2 += 7) {
      OutputDigest d;
      d.absorb(std::span(v).subspan(0, cut1));
      d.absorb(std::span(v).subspan(cut1, cut2 - cut1));
      d.absorb(std::span(v).subspan(cut2));
      EXPECT_EQ(d.digest(), digest_of(v));
      EXPECT_EQ(d.byte_count(), v.size());
      EXPECT_EQ(d.pending(), v.size() % 8);
    }
  }
}

TEST(OutputDigest, DistinguishesLengthsAndZeroBytes) {
  std::set<std::string> seen;
  for (size_t n = 0; n <= 24; ++n) {
    EXPECT_TRUE(seen.insert(digest_hex(digest_of(std::vector<uint8_t>(n, 0)))).second) << n;
  }
  EXPECT_NE(digest_of({}), digest_of({0}));
  EXPECT_NE(digest_of({1, 2}), digest_of({2, 1}));
}

TEST(OutputDigest, DigestDoesNotChangeTheRunningState) {
  OutputDigest d;
  d.absorb(bytes_of(13, 1));
  const OutputDigest copy = d;
  (void)d.digest();
  EXPECT_EQ(d, copy);
}

TEST(OutputDigest, FromPartsResumesAndValidates) {
  OutputDigest d;
  d.absorb(bytes_of(21, 4));
  OutputDigest resumed = OutputDigest::from_parts(d.state(), d.pending(), d.byte_count());
  const auto more = bytes_of(30, 5);
  d.absorb(more);
  resumed.absorb(more);
  EXPECT_EQ(resumed, d);
  EXPECT_THROW(OutputDigest::from_parts(d.state(), 8, 8), Error);
  EXPECT_THROW(OutputDigest::from_parts(d.state(), 3, 12), Error);
}

TEST(OutputDigest, HexIsCanonicalLittleEndian) {
  Digest d;
  for (size_t i = 0; i < 8; ++i)
    d[i] = BabyBear::from_u32(static_cast<uint32_t>(i == 0 ? 0x01020304 : 0));
  EXPECT_EQ(digest_hex(d).substr(0, 16), "0403020100000000");
  EXPECT_EQ(digest_hex(d).size(), 64u);
}

}  // namespace
}  // namespace tessera::vm
