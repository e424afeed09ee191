// Which finished proofs the next collective write takes: the run that extends the stored
// prefix, in shard order; the rest wait; take_all at the end writes everything.
#include <gtest/gtest.h>

#include "common/error.hpp"
#include "mpi/write_planner.hpp"

namespace tessera::mpi {
namespace {

AppendEntry entry(uint64_t shard) {
  return {shard, 10 + shard, 0, 0, 0, 1};
}
std::vector<uint64_t> shards_of(const std::vector<AppendEntry>& v) {
  std::vector<uint64_t> out;
  for (const auto& e : v) out.push_back(e.shard);
  return out;
}

TEST(WritePlanner, PrefixInShardOrder) {
  WritePlanner p(std::vector<bool>(6, false));
  p.add(entry(1));
  p.add(entry(2));
  EXPECT_EQ(p.ready(), 0u);  // shard 0 is not done: nothing extends the prefix
  EXPECT_TRUE(p.take_prefix().empty());
  p.add(entry(0));
  EXPECT_EQ(p.ready(), 3u);
  EXPECT_EQ(shards_of(p.take_prefix()), (std::vector<uint64_t>{0, 1, 2}));
  p.add(entry(4));
  EXPECT_EQ(p.ready(), 0u);
  p.add(entry(3));
  EXPECT_EQ(shards_of(p.take_prefix()), (std::vector<uint64_t>{3, 4}));
  EXPECT_EQ(p.pending(), 0u);
}

TEST(WritePlanner, StoredShardsAreSkipped) {
  WritePlanner p({true, false, true, false, false});
  p.add(entry(3));
  p.add(entry(1));
  EXPECT_EQ(shards_of(p.take_prefix()), (std::vector<uint64_t>{1, 3}));
}

TEST(WritePlanner, TakeAllWritesEverythingInShardOrder) {
  WritePlanner p(std::vector<bool>(6, false));
  p.add(entry(5));
  p.add(entry(0));
  p.add(entry(3));
  EXPECT_EQ(shards_of(p.take_all()), (std::vector<uint64_t>{0, 3, 5}));
  EXPECT_EQ(p.pending(), 0u);
}

TEST(WritePlanner, ShardFinishedTwiceIsABug) {
  WritePlanner p({true, false});
  EXPECT_THROW(p.add(entry(0)), Error);
  p.add(entry(1));
  EXPECT_THROW(p.add(entry(1)), Error);
}

}  // namespace
}  // namespace tessera::mpi
