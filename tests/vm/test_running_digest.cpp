// The running digests of the public output and of the input consumed: one Poseidon2 sponge over
// bytes, one byte per element, rate 8, padded with the element 256, started from a domain tag;
// its state is what checkpoints carry.

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "digest_reference.hpp"
#include "hash/poseidon2.hpp"
#include "vm/running_digest.hpp"

namespace tessera::vm {
namespace {

Digest digest_of(uint32_t domain, const std::vector<uint8_t>& bytes) {
  RunningDigest d(domain);
  d.absorb(bytes);
  return d.digest();
}

Digest reference_digest(uint32_t domain, const std::vector<uint8_t>& bytes) {
  return test::reference_running_digest(domain, bytes);
}

std::vector<uint8_t> bytes_of(size_t n, uint8_t seed) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(seed * 31 + i * 7);
  return v;
}

class RunningDigestTest : public ::testing::TestWithParam<uint32_t> {};

TEST_P(RunningDigestTest, MatchesItsDefinition) {
  for (size_t n : {0, 1, 7, 8, 9, 15, 16, 17, 100}) {
    const auto v = bytes_of(n, 3);
    EXPECT_EQ(digest_of(GetParam(), v), reference_digest(GetParam(), v)) << n;
  }
}

TEST_P(RunningDigestTest, DoesNotDependOnHowTheStreamIsSplit) {
  const auto v = bytes_of(53, 9);
  for (size_t cut1 = 0; cut1 <= v.size(); cut1 += 5) {
    for (size_t cut2 = cut1; cut2 <= v.size(); cut2 += 7) {
      RunningDigest d(GetParam());
      d.absorb(std::span(v).subspan(0, cut1));
      d.absorb(std::span(v).subspan(cut1, cut2 - cut1));
      d.absorb(std::span(v).subspan(cut2));
      EXPECT_EQ(d.digest(), digest_of(GetParam(), v));
      EXPECT_EQ(d.byte_count(), v.size());
      EXPECT_EQ(d.pending(), v.size() % 8);
    }
  }
}

TEST_P(RunningDigestTest, DistinguishesLengthsAndZeroBytes) {
  std::set<std::string> seen;
  for (size_t n = 0; n <= 24; ++n) {
    EXPECT_TRUE(seen.insert(digest_hex(digest_of(GetParam(), std::vector<uint8_t>(n, 0)))).second)
        << n;
  }
  EXPECT_NE(digest_of(GetParam(), {}), digest_of(GetParam(), {0}));
  EXPECT_NE(digest_of(GetParam(), {1, 2}), digest_of(GetParam(), {2, 1}));
}

TEST_P(RunningDigestTest, DigestDoesNotChangeTheRunningState) {
  RunningDigest d(GetParam());
  d.absorb(bytes_of(13, 1));
  const RunningDigest copy = d;
  (void)d.digest();
  EXPECT_EQ(d, copy);
}

TEST_P(RunningDigestTest, FromPartsResumesAndValidates) {
  RunningDigest d(GetParam());
  d.absorb(bytes_of(21, 4));
  RunningDigest resumed =
      RunningDigest::from_parts(GetParam(), d.state(), d.pending(), d.byte_count());
  const auto more = bytes_of(30, 5);
  d.absorb(more);
  resumed.absorb(more);
  EXPECT_EQ(resumed, d);
  EXPECT_THROW(RunningDigest::from_parts(GetParam(), d.state(), 8, 8), Error);
  EXPECT_THROW(RunningDigest::from_parts(GetParam(), d.state(), 3, 12), Error);
}

INSTANTIATE_TEST_SUITE_P(Domains, RunningDigestTest,
                         ::testing::Values(kOutputDigestDomain, kInputDigestDomain),
                         [](const auto& param_info) {
                           return std::string(param_info.param == kOutputDigestDomain ? "Output"
                                                                                      : "Input");
                         });

TEST(RunningDigest, DomainsAreTheStatementsTags) {
  EXPECT_EQ(kOutputDigestDomain, 0x4f555431u);  // "OUT1"
  EXPECT_EQ(kInputDigestDomain, 0x31504e49u);   // "INP1"
  EXPECT_EQ(RunningDigest::output().domain(), kOutputDigestDomain);
  EXPECT_EQ(RunningDigest::input().domain(), kInputDigestDomain);
  // The same bytes under the two domains give unrelated digests, and equal states of different
  // domains are different digests.
  const auto v = bytes_of(12, 2);
  EXPECT_NE(digest_of(kOutputDigestDomain, v), digest_of(kInputDigestDomain, v));
  EXPECT_NE(RunningDigest::output(), RunningDigest::input());
  EXPECT_THROW(RunningDigest(BabyBear::kModulus), Error);
}

// Output digests printed by `tessera execute` before the digest was generalised (recorded from
// that build on the fibonacci and sha256 samples): the output digest's definition is frozen.
TEST(RunningDigest, OutputDigestIsUnchanged) {
  const std::vector<uint8_t> fibonacci = {0x45, 0x6e, 0xdb, 0x7b, 0x79, 0xb5, 0xa5, 0xd0};
  EXPECT_EQ(digest_hex(digest_of(kOutputDigestDomain, fibonacci)),
            "f87767431eebbb28e9d5774aa9bba547dcb2023ae9f2f3121caa986f1603fa68");
  std::vector<uint8_t> sha256;
  const std::string hex = "d2a43061014566ec893d56dd99f1bd34a927fbfe9ef7fe8b31f56bfa8b9fd4d2";
  for (size_t i = 0; i < hex.size(); i += 2)
    sha256.push_back(static_cast<uint8_t>(std::stoul(hex.substr(i, 2), nullptr, 16)));
  EXPECT_EQ(digest_hex(digest_of(kOutputDigestDomain, sha256)),
            "d515b10f3cbebd040784b3620312c67424d908779317ab053d652a26d373a125");
}

TEST(RunningDigest, HexIsCanonicalLittleEndian) {
  Digest d;
  for (size_t i = 0; i < 8; ++i)
    d[i] = BabyBear::from_u32(static_cast<uint32_t>(i == 0 ? 0x01020304 : 0));
  EXPECT_EQ(digest_hex(d).substr(0, 16), "0403020100000000");
  EXPECT_EQ(digest_hex(d).size(), 64u);
}

}  // namespace
}  // namespace tessera::vm
