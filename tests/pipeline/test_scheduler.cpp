// The coordinator's bookkeeping: one first shard per rank, then lowest index first to whoever
// asks; a retryable failure goes back to the front for a rank that has not failed it (or any
// rank once all have); attempts are bounded; a non-retryable failure or stop() ends the hand-out
// while the shards in flight still finish; a shard whose checkpoint does not exist yet is never
// handed out.
#include <gtest/gtest.h>

#include "common/error.hpp"
#include "mpi/scheduler.hpp"

namespace tessera::mpi {
namespace {

TEST(ShardScheduler, InitialThenDynamicInIndexOrder) {
  ShardScheduler s({5, 1, 3, 2, 4, 0}, 4, 3);
  const auto first = s.initial_assignment();
  ASSERT_EQ(first.size(), 4u);
  EXPECT_EQ(first[0], 0u);
  EXPECT_EQ(first[1], 1u);
  EXPECT_EQ(first[2], 2u);
  EXPECT_EQ(first[3], 3u);
  EXPECT_EQ(s.in_flight(), 4u);
  s.completed(2, 2);
  EXPECT_EQ(s.next_for(2), 4u);  // the fast rank gets the next shard
  s.completed(0, 0);
  EXPECT_EQ(s.next_for(0), 5u);
  EXPECT_EQ(s.next_for(1), std::nullopt);  // nothing left to hand out
  EXPECT_FALSE(s.finished());
  for (auto [r, sh] : {std::pair{1, 1}, {3, 3}, {2, 4}, {0, 5}}) s.completed(r, sh);
  EXPECT_TRUE(s.finished());
  EXPECT_EQ(s.retries(), 0u);
}

TEST(ShardScheduler, MoreRanksThanShards) {
  ShardScheduler s({0, 1}, 4, 3);
  const auto first = s.initial_assignment();
  EXPECT_EQ(first[2], std::nullopt);
  EXPECT_EQ(first[3], std::nullopt);
}

TEST(ShardScheduler, RetryGoesToARankThatHasNotFailedTheShard) {
  ShardScheduler s({0, 1, 2}, 2, 3);
  s.initial_assignment();  // 0 -> rank 0, 1 -> rank 1
  EXPECT_EQ(s.failed(0, 0, /*retryable=*/true), ShardScheduler::Outcome::Retry);
  // Rank 0 failed shard 0: it takes the next shard instead; rank 1 will take the retry.
  EXPECT_EQ(s.next_for(0), 2u);
  s.completed(1, 1);
  EXPECT_EQ(s.next_for(1), 0u);
  EXPECT_EQ(s.attempts(0), 2u);
  EXPECT_EQ(s.retries(), 1u);
}

TEST(ShardScheduler, RetryWaitsForAnotherRankRatherThanTheOneThatFailed) {
  ShardScheduler s({0, 1}, 2, 3);
  s.initial_assignment();
  s.failed(1, 1, true);
  EXPECT_EQ(s.next_for(1), std::nullopt);  // rank 0 is busy but has not failed shard 1
  s.completed(0, 0);
  EXPECT_EQ(s.next_for(0), 1u);
}

TEST(ShardScheduler, OnceEveryRankFailedAShardAnyRankMayRetryIt) {
  ShardScheduler s({0}, 2, 5);
  s.initial_assignment();
  s.failed(0, 0, true);
  EXPECT_EQ(s.next_for(1), 0u);
  s.failed(1, 0, true);
  EXPECT_EQ(s.next_for(1), 0u);  // both failed it: the same rank may try again
  EXPECT_EQ(s.attempts(0), 3u);
}

TEST(ShardScheduler, OneRankRetriesItself) {
  ShardScheduler s({0, 1}, 1, 3);
  s.initial_assignment();
  s.failed(0, 0, true);
  EXPECT_EQ(s.next_for(0), 0u);
}

TEST(ShardScheduler, AttemptsAreBounded) {
  ShardScheduler s({0, 1}, 1, 2);
  s.initial_assignment();
  EXPECT_EQ(s.failed(0, 0, true), ShardScheduler::Outcome::Retry);
  EXPECT_EQ(s.next_for(0), 0u);
  EXPECT_EQ(s.failed(0, 0, true), ShardScheduler::Outcome::GiveUp);
  EXPECT_TRUE(s.stopped());
  EXPECT_EQ(s.next_for(0), std::nullopt);
  EXPECT_TRUE(s.finished());
}

TEST(ShardScheduler, NonRetryableStopsHandOutButInFlightShardsFinish) {
  ShardScheduler s({0, 1, 2, 3}, 2, 3);
  s.initial_assignment();
  EXPECT_EQ(s.failed(1, 1, false), ShardScheduler::Outcome::GiveUp);
  EXPECT_FALSE(s.finished());  // shard 0 is still being proven
  EXPECT_EQ(s.next_for(1), std::nullopt);
  s.completed(0, 0);
  EXPECT_TRUE(s.finished());
}

TEST(ShardScheduler, StopEndsHandOut) {
  ShardScheduler s({0, 1, 2}, 1, 3);
  s.initial_assignment();
  s.stop();
  EXPECT_EQ(s.next_for(0), std::nullopt);
  s.completed(0, 0);
  EXPECT_TRUE(s.finished());
  EXPECT_EQ(s.queued(), 2u);
}

TEST(ShardScheduler, ReportOfAShardTheRankWasNotProvingIsABug) {
  ShardScheduler s({0, 1}, 2, 3);
  s.initial_assignment();
  EXPECT_THROW(s.completed(0, 1), Error);
}

}  // namespace
}  // namespace tessera::mpi

namespace tessera::mpi {
namespace {

TEST(ShardScheduler, CancelledShardsGoBackUncounted) {
  ShardScheduler s({0, 1, 2, 3, 4}, 2, 3);
  s.initial_assignment();        // 0 -> rank 0, 1 -> rank 1
  EXPECT_EQ(s.next_for(0), 2u);  // prefetched behind shard 0
  EXPECT_EQ(s.in_flight_on(0), 2u);
  EXPECT_EQ(s.in_flight_on(1), 1u);
  s.stop();
  s.returned(0, 2);  // never started
  EXPECT_EQ(s.attempts(2), 0u);
  EXPECT_EQ(s.in_flight_on(0), 1u);
  EXPECT_EQ(s.queued(), 3u);
  s.completed(0, 0);
  s.completed(1, 1);
  EXPECT_TRUE(s.finished());
}

TEST(ShardScheduler, ShardsWaitForTheirCheckpoints) {
  // Resume: shards 1, 4, 5, 6 to prove; checkpoints of shards 0 .. 4 exist so far.
  ShardScheduler s({6, 1, 5, 4}, 2, 3, /*ready_end=*/5);
  EXPECT_EQ(s.queued(), 2u);
  EXPECT_EQ(s.waiting(), 2u);
  const auto first = s.initial_assignment();
  EXPECT_EQ(first[0], 1u);
  EXPECT_EQ(first[1], 4u);
  s.completed(0, 1);
  EXPECT_EQ(s.next_for(0), std::nullopt);  // shard 5 has no checkpoint yet
  EXPECT_FALSE(s.finished());              // ... but it will
  s.release_until(6);
  EXPECT_EQ(s.next_for(0), 5u);
  EXPECT_EQ(s.next_for(0), std::nullopt);
  s.release_until(3);  // never lowers
  s.release_until(ShardScheduler::kAllReady);
  EXPECT_EQ(s.next_for(1), 6u);
  for (auto [r, sh] : {std::pair{1, 4}, {0, 5}, {1, 6}}) s.completed(r, sh);
  EXPECT_TRUE(s.finished());
}

TEST(ShardScheduler, AReleasedRetryStaysAheadOfFreshShards) {
  ShardScheduler s({0, 1, 2, 3}, 1, 3, /*ready_end=*/1);
  EXPECT_EQ(s.initial_assignment()[0], 0u);
  EXPECT_EQ(s.failed(0, 0, true), ShardScheduler::Outcome::Retry);
  s.release_until(3);
  EXPECT_EQ(s.next_for(0), 0u);
  EXPECT_EQ(s.next_for(0), 1u);
  EXPECT_EQ(s.next_for(0), 2u);
  EXPECT_EQ(s.next_for(0), std::nullopt);
}

TEST(ShardScheduler, StopEndsTheRunWithShardsStillWaiting) {
  ShardScheduler s({0, 1, 2}, 1, 3, /*ready_end=*/1);
  s.initial_assignment();
  s.stop();
  EXPECT_FALSE(s.finished());  // shard 0 is in flight
  s.completed(0, 0);
  EXPECT_TRUE(s.finished());
}

TEST(ShardScheduler, AnOpenEndedScheduleGrowsWithTheCheckpointsUntilClosed) {
  // A new artifact of a guest: every shard, the count learned as the execution ends.
  ShardScheduler s = ShardScheduler::open_ended(2, 3);
  EXPECT_TRUE(s.open_ended());
  EXPECT_EQ(s.initial_assignment(),
            (std::vector<std::optional<uint64_t>>{std::nullopt, std::nullopt}));
  EXPECT_FALSE(s.finished()) << "more shards may come";
  s.release_until(3);
  EXPECT_EQ(s.next_for(0), 0u);
  EXPECT_EQ(s.next_for(1), 1u);
  s.completed(0, 0);
  EXPECT_EQ(s.failed(1, 1, true), ShardScheduler::Outcome::Retry);
  s.release_until(5);
  EXPECT_EQ(s.next_for(0), 1u) << "a retry stays ahead of fresh shards";
  EXPECT_EQ(s.next_for(0), 2u);
  EXPECT_EQ(s.next_for(1), 3u);
  EXPECT_EQ(s.next_for(1), 4u);
  EXPECT_EQ(s.next_for(1), std::nullopt);
  for (auto [r, sh] : {std::pair{0, 1}, {0, 2}, {1, 3}, {1, 4}}) s.completed(r, sh);
  EXPECT_FALSE(s.finished()) << "not closed yet";
  EXPECT_THROW(s.close(6), Error) << "shard 5 was never released";
  EXPECT_THROW(s.release_until(ShardScheduler::kAllReady), Error);
  s.close(5);
  EXPECT_FALSE(s.open_ended());
  EXPECT_TRUE(s.finished());
  EXPECT_EQ(s.retries(), 1u);
}

TEST(ShardScheduler, AStoppedOpenEndedScheduleFinishesWithItsShardsInFlight) {
  ShardScheduler s = ShardScheduler::open_ended(1, 3);
  s.release_until(2);
  EXPECT_EQ(s.initial_assignment()[0], 0u);
  s.stop();
  EXPECT_EQ(s.next_for(0), std::nullopt);
  EXPECT_FALSE(s.finished());
  s.completed(0, 0);
  EXPECT_TRUE(s.finished());
}

}  // namespace
}  // namespace tessera::mpi
