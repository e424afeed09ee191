// The binary proof format: round trip, versioning, and typed errors (never a crash) for every
// truncation and for corrupted headers and lengths.
#include <gtest/gtest.h>

#include <random>

#include "io/byte_io.hpp"
#include "stark_test_util.hpp"

namespace tessera {
namespace {

class ProofFormat : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    machine_ = new Machine(test::range_machine());
    proved_ = new test::Proved(test::prove_with(*machine_, test::range_tables(3, 3)));
  }
  static void TearDownTestSuite() {
    delete proved_;
    delete machine_;
  }
  static ErrorKind parse_kind(std::span<const uint8_t> b) {
    try {
      deserialize_shard_proof(b, *machine_);
    } catch (const Error& e) {
      return e.kind();
    }
    return ErrorKind::Internal;  // parsed
  }
  static Machine* machine_;
  static test::Proved* proved_;
};
Machine* ProofFormat::machine_ = nullptr;
test::Proved* ProofFormat::proved_ = nullptr;

TEST_F(ProofFormat, RoundTrip) {
  const ShardProof back = deserialize_shard_proof(proved_->bytes, *machine_);
  EXPECT_EQ(back, proved_->proof);
  EXPECT_EQ(serialize_shard_proof(back), proved_->bytes);
}

TEST_F(ProofFormat, EveryTruncationIsAFormatError) {
  const auto& b = proved_->bytes;
  for (size_t len = 0; len < b.size(); ++len) {
    ASSERT_EQ(parse_kind(std::span(b).first(len)), ErrorKind::Format) << "length " << len;
  }
}

TEST_F(ProofFormat, TrailingBytesAreRejected) {
  auto b = proved_->bytes;
  b.push_back(0);
  EXPECT_EQ(parse_kind(b), ErrorKind::Format);
}

TEST_F(ProofFormat, MagicAndVersion) {
  auto b = proved_->bytes;
  b[0] ^= 1;
  EXPECT_EQ(parse_kind(b), ErrorKind::Format);
  b = proved_->bytes;
  b[4] = static_cast<uint8_t>(kShardProofVersion + 1);
  EXPECT_EQ(parse_kind(b), ErrorKind::Format);
}

TEST_F(ProofFormat, HugeLengthsAreRejectedBeforeAllocating) {
  // The configuration name length sits right after magic and version.
  auto b = proved_->bytes;
  b[8] = b[9] = b[10] = b[11] = 0xff;
  EXPECT_EQ(parse_kind(b), ErrorKind::Format);
  // Every u32 field set to 0xffffffff in turn over the header region.
  for (size_t pos = 0; pos + 4 <= 200; ++pos) {
    auto c = proved_->bytes;
    for (size_t i = 0; i < 4; ++i) c[pos + i] = 0xff;
    const ErrorKind k = parse_kind(c);
    EXPECT_TRUE(k == ErrorKind::Format || k == ErrorKind::ConfigMismatch) << "pos " << pos;
  }
}

TEST_F(ProofFormat, NonCanonicalFieldElementIsRejected) {
  // Public value 0 of the Fibonacci table: after the header; locate it by re-serialising a proof
  // whose value is known.
  ShardProof p = proved_->proof;
  p.public_values[0][0] = BabyBear::from_u32(0x12345678);
  auto b = serialize_shard_proof(p);
  const uint8_t pattern[4] = {0x78, 0x56, 0x34, 0x12};
  auto it = std::search(b.begin(), b.end(), pattern, pattern + 4);
  ASSERT_NE(it, b.end());
  const uint32_t p_raw = BabyBear::kModulus;
  for (int i = 0; i < 4; ++i) it[i] = static_cast<uint8_t>(p_raw >> (8 * i));
  EXPECT_EQ(parse_kind(b), ErrorKind::Format);
}

TEST_F(ProofFormat, RandomCorruptionNeverCrashes) {
  std::mt19937_64 rng(3);
  for (int iter = 0; iter < 300; ++iter) {
    auto b = proved_->bytes;
    const int flips = 1 + static_cast<int>(rng() % 8);
    for (int f = 0; f < flips; ++f) b[rng() % b.size()] = static_cast<uint8_t>(rng());
    if (rng() % 4 == 0) b.resize(rng() % b.size());
    try {
      verify_bytes(*machine_, proved_->pk.vk, b, test::insecure_ok());
      // Accepting is possible only when nothing changed.
      EXPECT_EQ(b, proved_->bytes);
    } catch (const Error& e) {
      EXPECT_NE(e.kind(), ErrorKind::Internal) << e.what();
    }
  }
}

}  // namespace
}  // namespace tessera
