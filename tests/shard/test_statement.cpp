#include <gtest/gtest.h>

#include "shard/statement.hpp"

namespace tessera {
namespace {

std::vector<BabyBear> state(uint32_t a, uint32_t b) {
  return {BabyBear::from_u32(a), BabyBear::from_u32(b)};
}

ShardStatement shard(uint64_t i, uint32_t from, uint32_t to) {
  return {i, i + 1, state(from, i), state(to, i + 1)};
}

TEST(ShardStatement, AdjacentStatementsMerge) {
  auto m = merge_statements(shard(0, 10, 20), shard(1, 20, 30));
  EXPECT_EQ(m.first_shard, 0u);
  EXPECT_EQ(m.end_shard, 2u);
  EXPECT_EQ(m.start_state, state(10, 0));
  EXPECT_EQ(m.end_state, state(30, 2));
}

TEST(ShardStatement, BrokenChainsAreRejected) {
  // A gap in the shard range.
  EXPECT_THROW(merge_statements(shard(0, 10, 20), shard(2, 20, 30)), Error);
  // The right shard does not start where the left one ended.
  try {
    merge_statements(shard(0, 10, 20), shard(1, 21, 30));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::VerifyFailed);
    EXPECT_NE(std::string(e.what()).find("end state"), std::string::npos);
  }
  // Order matters.
  EXPECT_THROW(merge_statements(shard(1, 20, 30), shard(0, 10, 20)), Error);
}

TEST(ShardStatement, BytesRoundTripAndCorruptionIsAFormatError) {
  const ShardStatement s = merge_statements(shard(4, 1, 2), shard(5, 2, 3));
  const auto bytes = statement_bytes(s);
  EXPECT_EQ(statement_from_bytes(bytes), s);
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    try {
      statement_from_bytes(std::span(bytes).first(cut));
      FAIL() << "truncation at " << cut << " accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::Format) << e.what();
    }
  }
  auto longer = bytes;
  longer.push_back(0);
  EXPECT_THROW(statement_from_bytes(longer), Error);
  auto huge = bytes;
  huge[16] = 0xff;  // the start state's length prefix
  huge[17] = 0xff;
  huge[18] = 0xff;
  EXPECT_THROW(statement_from_bytes(huge), Error);
}

}  // namespace
}  // namespace tessera
