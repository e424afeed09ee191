// The Balanced policy: a rank's next shard comes from the open request with the fewest shards in
// flight among those with a shard ready (ties: opening order); stopping requests and requests
// without a ready shard are never offered; a second shard per rank only while a shard per rank
// is left; another request opens while fewer than two shards per rank are left to hand out, up
// to the cap — counting only what the open requests know so far.
#include <gtest/gtest.h>

#include "mpi/balanced_policy.hpp"

namespace tessera::mpi {
namespace {

TEST(BalancedPolicy, FewestInFlightFirstThenOpeningOrder) {
  const std::vector<RequestLoad> loads = {
      {.queued = 3, .waiting = 0, .in_flight = 2},                    // 0
      {.queued = 1, .waiting = 0, .in_flight = 0},                    // 1
      {.queued = 0, .waiting = 4, .in_flight = 0},                    // 2: nothing ready
      {.queued = 2, .waiting = 0, .in_flight = 0},                    // 3
      {.queued = 5, .waiting = 0, .in_flight = 0, .stopping = true},  // 4
      {.queued = 1, .waiting = 0, .in_flight = 1},                    // 5
  };
  EXPECT_EQ(BalancedPolicy::candidates(loads), (std::vector<size_t>{1, 3, 5, 0}));
}

TEST(BalancedPolicy, SpreadsRanksEvenlyOverRequests) {
  // Four idle ranks, two requests with plenty of work: hand-outs alternate.
  std::vector<RequestLoad> loads = {{.queued = 10}, {.queued = 10}};
  std::vector<size_t> taken(2, 0);
  for (int r = 0; r < 4; ++r) {
    const size_t i = BalancedPolicy::candidates(loads).front();
    --loads[i].queued;
    ++loads[i].in_flight;
    ++taken[i];
  }
  EXPECT_EQ(taken, (std::vector<size_t>{2, 2}));
}

TEST(BalancedPolicy, NoRankIdlesWhileAnyRequestHasAReadyShard) {
  // A busy request and one with a single ready shard: the ready shard is always offered.
  const std::vector<RequestLoad> loads = {{.queued = 0, .waiting = 0, .in_flight = 8},
                                          {.queued = 1, .waiting = 0, .in_flight = 9}};
  EXPECT_EQ(BalancedPolicy::candidates(loads), (std::vector<size_t>{1}));
}

TEST(BalancedPolicy, PrefetchOnlyWhilePlentyIsLeft) {
  EXPECT_TRUE(BalancedPolicy::may_prefetch({{.queued = 1, .waiting = 1}}, 2));
  EXPECT_FALSE(BalancedPolicy::may_prefetch({{.queued = 1, .waiting = 0}}, 2));
  // A stopping request's shards will not be handed out.
  EXPECT_FALSE(BalancedPolicy::may_prefetch({{.queued = 1}, {.queued = 5, .stopping = true}}, 2));
}

TEST(BalancedPolicy, OpensAnotherRequestWhenTheOpenOnesCannotKeepEveryRankBusy) {
  EXPECT_TRUE(BalancedPolicy::should_open({}, 2, 4));                             // nothing open
  EXPECT_TRUE(BalancedPolicy::should_open({{.queued = 1, .waiting = 2}}, 2, 4));  // 3 < 4
  EXPECT_FALSE(BalancedPolicy::should_open({{.queued = 1, .waiting = 3}}, 2, 4));
  // Shards still executing count as work (the shard count need not be known when a request opens).
  EXPECT_FALSE(BalancedPolicy::should_open({{.queued = 0, .waiting = 4}}, 2, 4));
  // A request in its tail (all handed out) or stopping leaves room for another.
  EXPECT_TRUE(
      BalancedPolicy::should_open({{.in_flight = 4}, {.queued = 9, .stopping = true}}, 2, 4));
  // ... up to the cap.
  EXPECT_FALSE(BalancedPolicy::should_open({{}, {}, {}, {}}, 2, 4));
}

}  // namespace
}  // namespace tessera::mpi
