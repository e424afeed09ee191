// Several requests at once through the rank loop (label mpi, 1-4 ranks), on the recompute-chain
// fixture: every request's artifact equals the one proven directly in one process, several
// requests are open at once, a request that cannot be built (a tessera::Error or any other
// exception from its maker) fails alone and the others go on, a request stopped by its feed (a
// cancel) keeps its stored shards and a later run resumes it, requests whose shard count is learned
// by executing (guests) mix with the others, an interrupt ends every open request and opens no
// more.
#include <gtest/gtest.h>
#include <mpi.h>

#include <csignal>
#include <deque>
#include <map>
#include <memory>

#include "common/check.hpp"
#include "io/journal.hpp"
#include "mpi/rank_loop.hpp"
#include "tests/pipeline/pipeline_test_support.hpp"
#include "tests/pipeline/recompute_chain_machine.hpp"

namespace tessera {
namespace {

namespace fs = std::filesystem;
using mpi::PipelineResult;
using mpi::RequestTicket;
using testing::RecomputeChainMachine;
using testing::world_rank;

// Requests from a list; records what the loop reported.
class ListFeed final : public mpi::RequestFeed {
 public:
  std::deque<RequestTicket> pending;
  std::map<std::string, PipelineResult> results;
  std::vector<std::string> ended;  // keys, in the order they ended
  size_t most_open = 0;
  // Stop this request once it has `cancel_after` shards done.
  std::string cancel_key;
  uint64_t cancel_after = 1;
  bool cancel_sent = false;

  std::optional<RequestTicket> next() override {
    if (pending.empty()) return std::nullopt;
    RequestTicket t = pending.front();
    pending.pop_front();
    return t;
  }
  bool exhausted() override { return pending.empty(); }
  std::vector<mpi::StopRequest> poll(const std::vector<mpi::ActiveRequest>& active) override {
    most_open = std::max(most_open, active.size());
    for (const auto& a : active)
      if (a.key == cancel_key && a.done >= cancel_after && !cancel_sent) {
        cancel_sent = true;
        return {{a.key, "cancelled"}};
      }
    return {};
  }
  void finished(const RequestTicket& t, const PipelineResult& r) override {
    results[t.key] = r;
    ended.push_back(t.key);
  }
};

std::map<std::string, std::string> chain_parameters(uint64_t shards, uint64_t seed) {
  return {{"shards", std::to_string(shards)}, {"shard_steps", "3"}, {"seed", std::to_string(seed)}};
}

// Builds the fixture from a ticket; "bad" fails as a malformed program would.
const mpi::MachineMaker kMaker =
    [](const RequestTicket& t) -> std::shared_ptr<const ShardedMachine> {
  if (t.machine == "bad") TESSERA_FAIL(ErrorKind::BadElf, "'" << t.key << "' is not an ELF file");
  const auto& p = t.parameters;
  return std::make_shared<RecomputeChainMachine>(
      std::stoull(p.at("shards")), std::stoull(p.at("shard_steps")), std::stoull(p.at("seed")));
};

class RankLoopTest : public testing::MpiFolderTest {
 protected:
  RequestTicket ticket(const std::string& key, uint64_t shards, uint64_t seed) const {
    RequestTicket t;
    t.key = key;
    t.machine = "recompute";
    t.parameters = chain_parameters(shards, seed);
    t.out = dir_ / (key + ".h5");
    return t;
  }
  static mpi::EngineOptions options() {
    mpi::EngineOptions o;
    o.backend = "cpu";
    o.progress_style = mpi::Progress::Style::Off;
    o.write_interval = 0.05;
    return o;
  }
};

TEST_F(RankLoopTest, EveryRequestEqualsItsDirectProofAndSeveralAreOpenAtOnce) {
  const std::vector<std::pair<uint64_t, uint64_t>> shapes = {{1, 1},  {3, 2}, {7, 3}, {2, 4},
                                                             {16, 5}, {5, 6}, {2, 7}};
  ListFeed feed;
  for (size_t i = 0; i < shapes.size(); ++i)
    feed.pending.push_back(ticket("r" + std::to_string(i), shapes[i].first, shapes[i].second));
  const auto r = mpi::run_requests(mpi::Communicator::world(), kMaker, &feed, options());
  ASSERT_FALSE(r.setup_error);
  ASSERT_EQ(r.requests.size(), shapes.size());  // on every rank
  for (const auto& res : r.requests) {
    EXPECT_EQ(res.end, PipelineResult::End::Complete) << res.message;
    EXPECT_TRUE(res.verified) << res.message;
  }
  if (world_rank() == 0) {
    EXPECT_GE(feed.most_open, 2u) << "requests were proven one after another";
    EXPECT_EQ(feed.results.size(), shapes.size());
  }
  for (size_t i = 0; i < shapes.size(); ++i) {
    const RecomputeChainMachine m(shapes[i].first, 3, shapes[i].second);
    testing::expect_artifact_equals(dir_ / ("r" + std::to_string(i) + ".h5"),
                                    testing::reference(m));
    if (world_rank() == 0) {
      EXPECT_FALSE(fs::exists(journal_dir(dir_ / ("r" + std::to_string(i) + ".h5"))));
    }
  }
}

TEST_F(RankLoopTest, ARequestThatCannotBeBuiltFailsAloneAndTheOthersGoOn) {
  ListFeed feed;
  feed.pending.push_back(ticket("a", 4, 1));
  RequestTicket bad = ticket("bad", 1, 1);
  bad.machine = "bad";
  feed.pending.push_back(bad);
  // A maker that throws something other than a tessera::Error fails its request too.
  RequestTicket odd = ticket("odd", 1, 1);
  odd.parameters["shards"] = "many";  // std::stoull throws std::invalid_argument
  feed.pending.push_back(odd);
  feed.pending.push_back(ticket("b", 3, 2));
  const auto r = mpi::run_requests(mpi::Communicator::world(), kMaker, &feed, options());
  ASSERT_EQ(r.requests.size(), 4u);
  size_t complete = 0;
  for (const auto& res : r.requests) {
    if (res.end == PipelineResult::End::Complete) {
      ++complete;
      continue;
    }
    EXPECT_FALSE(res.started);
    if (res.artifact == (dir_ / "odd.h5").string()) {
      EXPECT_EQ(res.kind, ErrorKind::Internal);
      EXPECT_NE(res.message.find("building the machine of 'odd' failed: "), std::string::npos);
      continue;
    }
    EXPECT_EQ(res.kind, ErrorKind::BadElf);
    EXPECT_EQ(res.message, "'bad' is not an ELF file");
  }
  EXPECT_EQ(complete, 2u);
  if (world_rank() == 0) {
    EXPECT_FALSE(fs::exists(dir_ / "bad.h5"));
  }
  testing::expect_artifact_equals(dir_ / "b.h5",
                                  testing::reference(RecomputeChainMachine(3, 3, 2)));
}

TEST_F(RankLoopTest, ACancelledRequestKeepsItsShardsAndAResumeFinishesIt) {
  ListFeed feed;
  feed.pending.push_back(ticket("long", 24, 9));
  feed.pending.push_back(ticket("short", 3, 8));
  feed.cancel_key = "long";
  feed.cancel_after = 2;
  auto o = options();
  o.faults.slow_ms = 20;  // so that the cancel lands while shards remain
  const auto r = mpi::run_requests(mpi::Communicator::world(), kMaker, &feed, o);
  ASSERT_EQ(r.requests.size(), 2u);
  for (const auto& res : r.requests) {
    if (res.artifact == (dir_ / "short.h5").string()) {
      EXPECT_EQ(res.end, PipelineResult::End::Complete) << res.message;
      continue;
    }
    EXPECT_EQ(res.end, PipelineResult::End::Interrupted);
    EXPECT_EQ(res.kind, ErrorKind::Interrupted);
    EXPECT_NE(res.message.find("cancelled: "), std::string::npos) << res.message;
  }
  const auto stored = stored_shards(dir_ / "long.h5");
  EXPECT_GE(stored.size(), 2u);
  EXPECT_LT(stored.size(), 24u);

  ListFeed again;
  RequestTicket t = ticket("long", 24, 9);
  t.resume = true;
  again.pending.push_back(t);
  const auto r2 = mpi::run_requests(mpi::Communicator::world(), kMaker, &again, options());
  ASSERT_EQ(r2.requests.size(), 1u);
  EXPECT_EQ(r2.requests[0].end, PipelineResult::End::Complete) << r2.requests[0].message;
  if (world_rank() == 0) {
    EXPECT_EQ(r2.requests[0].resumed + r2.requests[0].recovered, stored.size());
    EXPECT_EQ(r2.requests[0].proven, 24 - stored.size());
  }
  testing::expect_artifact_equals(dir_ / "long.h5",
                                  testing::reference(RecomputeChainMachine(24, 3, 9)));
}

TEST_F(RankLoopTest, RequestsThatLearnTheirCountMixWithTheOthers) {
  // Guests in a queue: half the requests learn their shard count by executing (most of them open
  // while the ranks are busy with others, so without the scatter: their shards go out one by one
  // while the count is unknown), one traps in its execution. Every other request equals its
  // direct proof; the trapping one fails alone, with its error, and leaves no artifact.
  const std::vector<std::pair<uint64_t, uint64_t>> shapes = {{9, 31},  {4, 32}, {1, 33},
                                                             {12, 34}, {2, 35}, {7, 36}};
  const mpi::MachineMaker maker = [](const RequestTicket& t) {
    const auto& p = t.parameters;
    auto m = std::make_shared<RecomputeChainMachine>(std::stoull(p.at("shards")), 3,
                                                     std::stoull(p.at("seed")));
    m->learns_count = t.key != "r0" && t.key != "r3";
    if (t.key == "trap") m->execute_fails_at = 2;
    return std::shared_ptr<const ShardedMachine>(m);
  };
  ListFeed feed;
  for (size_t i = 0; i < shapes.size(); ++i) {
    feed.pending.push_back(ticket("r" + std::to_string(i), shapes[i].first, shapes[i].second));
    if (i == 2) feed.pending.push_back(ticket("trap", 6, 37));
  }
  auto o = options();
  o.faults.slow_ms = 5;  // so that requests open while others are being proven
  const auto r = mpi::run_requests(mpi::Communicator::world(), maker, &feed, o);
  ASSERT_EQ(r.requests.size(), shapes.size() + 1);
  for (const auto& res : r.requests) {
    if (res.artifact == (dir_ / "trap.h5").string()) {
      EXPECT_EQ(res.end, PipelineResult::End::Failed);
      EXPECT_EQ(res.kind, ErrorKind::GuestTrap);
      EXPECT_EQ(res.message, "fixture: the guest trapped in shard 2");
      EXPECT_FALSE(res.started);
      continue;
    }
    EXPECT_EQ(res.end, PipelineResult::End::Complete) << res.artifact << ": " << res.message;
    EXPECT_TRUE(res.verified) << res.message;
  }
  if (world_rank() == 0) {
    EXPECT_GE(feed.most_open, 2u) << "requests were proven one after another";
    EXPECT_FALSE(fs::exists(dir_ / "trap.h5"));
    EXPECT_FALSE(fs::exists(journal_dir(dir_ / "trap.h5")));
  }
  for (size_t i = 0; i < shapes.size(); ++i) {
    const RecomputeChainMachine m(shapes[i].first, 3, shapes[i].second);
    testing::expect_artifact_equals(dir_ / ("r" + std::to_string(i) + ".h5"),
                                    testing::reference(m));
  }
}

TEST_F(RankLoopTest, AnInterruptEndsEveryOpenRequestAndOpensNoMore) {
  ListFeed feed;
  for (int i = 0; i < 6; ++i) feed.pending.push_back(ticket("q" + std::to_string(i), 12, 20 + i));
  // SIGUSR1 in the process proving shard 5 of any request: a walltime warning mid-drain.
  const mpi::MachineMaker maker = [](const RequestTicket& t) {
    const auto& p = t.parameters;
    auto m = std::make_shared<RecomputeChainMachine>(std::stoull(p.at("shards")), 3,
                                                     std::stoull(p.at("seed")));
    if (t.key == "q0") m->interrupt_at = 5;
    return std::shared_ptr<const ShardedMachine>(m);
  };
  auto o = options();
  o.faults.slow_ms = 10;
  o.max_active = 2;
  const auto r = mpi::run_requests(mpi::Communicator::world(), maker, &feed, o);
  EXPECT_TRUE(r.interrupted);
  ASSERT_FALSE(r.requests.empty());
  EXPECT_LT(r.requests.size(), 6u) << "requests were opened after the interrupt";
  for (const auto& res : r.requests) {
    if (res.end != PipelineResult::End::Complete) {
      EXPECT_NE(res.message.find("stopped by "), std::string::npos) << res.message;
    }
  }
  if (world_rank() == 0) {
    EXPECT_FALSE(feed.pending.empty());
  }
}

}  // namespace
}  // namespace tessera
