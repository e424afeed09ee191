// Rank 0's execution thread: checkpoints appear in order and stay put while later ones arrive;
// only the wanted ones are kept and execution ends after the last of them; a machine's exception
// is captured for the main thread (never std::terminate); stop() and the destructor end a running
// execution at its next checkpoint.
#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>

#include "common/error.hpp"
#include "mpi/execution_stream.hpp"
#include "tests/pipeline/recompute_chain_machine.hpp"

namespace tessera::mpi {
namespace {

using testing::RecomputeChainMachine;
using namespace std::chrono_literals;

void wait_until_ended(const ExecutionStream& e) {
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (!e.ended() && std::chrono::steady_clock::now() < deadline) e.wait_for(~uint64_t{0}, 10ms);
  ASSERT_TRUE(e.ended());
}

ErrorKind kind_of(const std::exception_ptr& p) {
  try {
    std::rethrow_exception(p);
  } catch (const Error& e) {
    return e.kind();
  } catch (...) {
    ADD_FAILURE() << "not a tessera::Error";
  }
  return ErrorKind{};
}

TEST(ExecutionStream, EveryWantedCheckpointInOrder) {
  RecomputeChainMachine m(6, 2, 1);
  const auto expected = m.execute();
  m.emitted = 0;
  m.execute_pause = 2ms;
  ExecutionStream e(m, std::vector<bool>(6, true), 1);
  e.wait_for(1, 60s);
  ASSERT_GE(e.ready(), 1u);
  // A reference taken early stays valid and unchanged while later checkpoints arrive.
  const std::vector<uint8_t>& first = e.checkpoint(0);
  wait_until_ended(e);
  EXPECT_EQ(e.ready(), 6u);
  EXPECT_EQ(&first, &e.checkpoint(0));
  for (uint64_t i = 0; i < 6; ++i) EXPECT_EQ(e.checkpoint(i), expected[i]) << "shard " << i;
  EXPECT_EQ(e.failure(), nullptr);
  EXPECT_GT(e.seconds(), 0.0);
}

TEST(ExecutionStream, OnlyWantedCheckpointsAreKeptAndExecutionEndsAfterTheLast) {
  // A resume that still needs shards 1 and 3 of 8.
  RecomputeChainMachine m(8, 2, 2);
  const auto expected = m.execute();
  m.emitted = 0;
  std::vector<bool> wanted(8, false);
  wanted[1] = wanted[3] = true;
  ExecutionStream e(m, wanted, 1);
  wait_until_ended(e);
  EXPECT_EQ(e.ready(), 4u);
  EXPECT_EQ(m.emitted.load(), 4u) << "shards past the last wanted one were executed";
  EXPECT_EQ(e.failure(), nullptr);
  EXPECT_EQ(e.checkpoint(1), expected[1]);
  EXPECT_EQ(e.checkpoint(3), expected[3]);
  try {
    e.checkpoint(2);
    FAIL() << "a checkpoint not kept was handed out";
  } catch (const Error& err) {
    EXPECT_EQ(err.kind(), ErrorKind::Internal);
  }
  EXPECT_THROW(e.checkpoint(5), Error);
}

TEST(ExecutionStream, NothingWantedExecutesNothing) {
  RecomputeChainMachine m(4, 2, 3);
  ExecutionStream e(m, std::vector<bool>(4, false), 1);
  wait_until_ended(e);
  EXPECT_EQ(e.ready(), 0u);
  EXPECT_EQ(m.emitted.load(), 0u);
}

TEST(ExecutionStream, AMachineErrorIsCapturedForTheMainThread) {
  RecomputeChainMachine m(8, 2, 4);
  m.execute_fails_at = 3;
  ExecutionStream e(m, std::vector<bool>(8, true), 1);
  wait_until_ended(e);
  EXPECT_EQ(e.ready(), 3u);  // what came before the failure stays usable
  EXPECT_NO_THROW(e.checkpoint(2));
  ASSERT_NE(e.failure(), nullptr);
  EXPECT_EQ(kind_of(e.failure()), ErrorKind::GuestTrap);
}

TEST(ExecutionStream, AMiscountingMachineIsAnInternalError) {
  RecomputeChainMachine m(8, 2, 5);
  m.execute_returns_at = 5;
  ExecutionStream e(m, std::vector<bool>(8, true), 1);
  wait_until_ended(e);
  ASSERT_NE(e.failure(), nullptr);
  EXPECT_EQ(kind_of(e.failure()), ErrorKind::Internal);
}

TEST(ExecutionStream, StopEndsTheExecutionAtItsNextCheckpoint) {
  RecomputeChainMachine m(1000, 2, 6);
  m.execute_pause = 5ms;  // 5 s to the end
  ExecutionStream e(m, std::vector<bool>(1000, true), 1);
  e.wait_for(2, 60s);
  e.stop();
  wait_until_ended(e);
  EXPECT_LT(e.ready(), 1000u);
  EXPECT_EQ(e.failure(), nullptr) << "a stop is not a failure";
}

TEST(ExecutionStream, TheDestructorStopsAndJoinsARunningExecution) {
  RecomputeChainMachine m(1000, 2, 7);
  m.execute_pause = 5ms;
  { ExecutionStream e(m, std::vector<bool>(1000, true), 1); }
  EXPECT_LT(m.emitted.load(), 1000u);
}

TEST(ExecutionStream, WantedFlagsMustMatchTheShards) {
  RecomputeChainMachine m(4, 2, 8);
  EXPECT_THROW(ExecutionStream(m, std::vector<bool>(3, true), 1), Error);
  // A machine that learns its count has none to match: it streams every shard.
  m.learns_count = true;
  EXPECT_THROW(ExecutionStream(m, std::vector<bool>(0), 1), Error);
}

TEST(ExecutionStream, AMachineThatLearnsItsCountStreamsEveryShardAndKnowsTheCountAtTheEnd) {
  RecomputeChainMachine m(7, 2, 9);
  const auto expected = m.execute();
  m.emitted = 0;
  m.learns_count = true;
  m.execute_pause = 2ms;
  ASSERT_EQ(m.num_shards(), 0u);
  ExecutionStream e(m, std::nullopt, 1);
  e.wait_for(1, 60s);
  ASSERT_GE(e.ready(), 1u);
  const std::vector<uint8_t>& first = e.checkpoint(0);
  wait_until_ended(e);
  EXPECT_TRUE(e.complete());
  EXPECT_EQ(e.ready(), 7u);
  EXPECT_EQ(m.num_shards(), 7u);
  EXPECT_EQ(&first, &e.checkpoint(0)) << "references stay valid as the slots grow";
  for (uint64_t i = 0; i < 7; ++i) EXPECT_EQ(e.checkpoint(i), expected[i]) << "shard " << i;
}

TEST(ExecutionStream, AStoppedOrFailedExecutionHasNoCount) {
  RecomputeChainMachine m(1000, 2, 10);
  m.learns_count = true;
  m.execute_pause = 5ms;
  ExecutionStream e(m, std::nullopt, 1);
  e.wait_for(2, 60s);
  EXPECT_FALSE(e.complete());
  e.stop();
  wait_until_ended(e);
  EXPECT_FALSE(e.complete());

  RecomputeChainMachine t(8, 2, 11);
  t.learns_count = true;
  t.execute_fails_at = 3;
  ExecutionStream f(t, std::nullopt, 1);
  wait_until_ended(f);
  EXPECT_FALSE(f.complete());
  EXPECT_EQ(f.ready(), 3u);
  EXPECT_EQ(t.num_shards(), 0u);
}

}  // namespace
}  // namespace tessera::mpi
