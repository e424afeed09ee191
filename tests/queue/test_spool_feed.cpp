// The drain's side of the queue without MPI: the feed claims by priority, then age; a malformed
// request file fails at once with its reason; a request cancelled while it waited is cancelled
// when claimed, a cancel of a running one reaches the rank loop as a stop; tickets carry the
// request's machine, its parameters with spool paths made absolute, its artifact in work/ and
// whether to resume; each way a request ends moves it to the right state (done with its artifact
// in results/, failed with its reason, cancelled, released to the queue); a claim taken away
// stops the request and its end touches nothing; the metrics file is Prometheus text.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "queue/spool_feed.hpp"
#include "tests/queue/queue_test_util.hpp"

namespace tessera::queue {
namespace {

namespace fs = std::filesystem;
using mpi::PipelineResult;
using testing::SpoolTest;

DrainOptions quiet() {
  DrainOptions o;
  o.probe = nullptr;
  o.poll = 1e-6;
  o.heartbeat = 1e-6;
  o.cancel_check = 1e-6;
  return o;
}

PipelineResult ended(PipelineResult::End end, ErrorKind kind = ErrorKind::Internal,
                     const std::string& message = "") {
  PipelineResult r;
  r.end = end;
  r.verified = end == PipelineResult::End::Complete;
  r.kind = kind;
  r.message = message;
  r.shards = 4;
  r.proven = 3;
  r.stored = end == PipelineResult::End::Complete ? 4 : 2;
  return r;
}

TEST_F(SpoolTest, ClaimsByPriorityThenAge) {
  Spool s(dir_, true);
  s.submit(chain("old-low", 0, 10), {});
  s.submit(chain("new-high", 5, 30), {});
  s.submit(chain("old-high", 5, 20), {});
  s.submit(chain("newest-low", 0, 40), {});
  SpoolFeed feed(s, quiet());
  std::vector<std::string> order;
  while (auto t = feed.next()) order.push_back(t->key);
  EXPECT_EQ(order, (std::vector<std::string>{"old-high", "new-high", "old-low", "newest-low"}));
  EXPECT_TRUE(feed.exhausted());
}

TEST_F(SpoolTest, TicketsNameTheMachineTheSpoolFilesAndTheArtifact) {
  Spool s(dir_, true);
  QueueRequest g = chain("guest");
  g.machine = "rv32im";
  g.parameters = {{"elf", "inputs/guest/program.elf"},
                  {"input", "inputs/guest/input"},
                  {"shard_cycles", "1024"},
                  {"config", "test"}};
  s.submit(g, {});
  s.submit(chain("chain"), {});
  write_file(s.work_artifact("chain"), "partial");  // released earlier: resume it
  SpoolFeed feed(s, quiet());
  const auto a = feed.next(), b = feed.next();
  ASSERT_TRUE(a && b);
  const auto& guest = a->key == "guest" ? *a : *b;
  const auto& hc = a->key == "guest" ? *b : *a;
  EXPECT_EQ(guest.machine, "rv32im");
  EXPECT_EQ(guest.parameters.at("elf"), (s.dir() / "inputs/guest/program.elf").string());
  EXPECT_EQ(guest.parameters.at("input"), (s.dir() / "inputs/guest/input").string());
  EXPECT_EQ(guest.parameters.at("shard_cycles"), "1024");
  EXPECT_EQ(guest.out, s.work_artifact("guest"));
  EXPECT_FALSE(guest.resume);
  EXPECT_EQ(hc.parameters, chain("x").parameters);
  EXPECT_TRUE(hc.resume);
  EXPECT_FALSE(hc.force);
}

TEST_F(SpoolTest, AMalformedOrCancelledRequestEndsWhenClaimed) {
  Spool s(dir_, true);
  write_file(s.state_file("broken", State::Queued), "tessera-queue-request 1\nid broken\n");
  s.submit(chain("flagged"), {});
  ASSERT_TRUE(s.claim("flagged", "9.0.h.9"));
  EXPECT_EQ(s.cancel("flagged"), CancelOutcome::Requested);
  ASSERT_TRUE(s.release("flagged", "9.0.h.9"));  // its drain was interrupted before it saw it
  SpoolFeed feed(s, quiet());
  EXPECT_FALSE(feed.next());
  EXPECT_EQ(states_of(s, "broken"), std::vector<State>{State::Failed});
  EXPECT_NE(s.read_note("broken").at("reason").find("malformed data: malformed request file"),
            std::string::npos)
      << s.read_note("broken").at("reason");
  EXPECT_EQ(states_of(s, "flagged"), std::vector<State>{State::Cancelled});
  EXPECT_EQ(feed.totals().failed, 1u);
  EXPECT_EQ(feed.totals().cancelled, 1u);
}

TEST_F(SpoolTest, EveryEndMovesTheRequestToItsState) {
  Spool s(dir_, true);
  for (const char* id : {"ok", "bad", "stopped", "cancelled"}) s.submit(chain(id), {});
  DrainOptions o = quiet();
  o.metrics = dir_.parent_path() / "tessera.prom";
  SpoolFeed feed(s, o);
  std::map<std::string, mpi::RequestTicket> tickets;
  while (auto t = feed.next()) tickets[t->key] = *t;
  ASSERT_EQ(tickets.size(), 4u);
  EXPECT_EQ(s.cancel("cancelled"), CancelOutcome::Requested);
  const auto stops =
      feed.poll({{"ok", 4, 1}, {"bad", 4, 0}, {"stopped", 4, 2}, {"cancelled", 4, 2}});
  ASSERT_EQ(stops.size(), 1u);
  EXPECT_EQ(stops[0].key, "cancelled");
  EXPECT_EQ(stops[0].reason, "cancelled");
  const ClaimToken me = ClaimToken::mine();
  const auto rec = s.read_claim("stopped", me.text());
  ASSERT_TRUE(rec) << "no heartbeat";
  EXPECT_EQ(rec->done, 2u);

  write_file(s.work_artifact("ok"), "artifact");
  feed.finished(tickets["ok"], ended(PipelineResult::End::Complete));
  feed.finished(tickets["bad"],
                ended(PipelineResult::End::Failed, ErrorKind::BadElf, "'x' is not an ELF file"));
  feed.finished(tickets["stopped"], ended(PipelineResult::End::Interrupted, ErrorKind::Interrupted,
                                          "stopped by SIGUSR1"));
  feed.finished(tickets["cancelled"],
                ended(PipelineResult::End::Interrupted, ErrorKind::Interrupted, "cancelled: ..."));
  EXPECT_EQ(states_of(s, "ok"), std::vector<State>{State::Done});
  EXPECT_TRUE(fs::exists(s.result("ok")));
  EXPECT_EQ(states_of(s, "bad"), std::vector<State>{State::Failed});
  EXPECT_EQ(s.read_note("bad").at("reason"), "bad ELF: 'x' is not an ELF file");
  EXPECT_EQ(states_of(s, "stopped"), std::vector<State>{State::Queued});
  EXPECT_EQ(s.read_note("stopped").at("state"), "released");
  EXPECT_EQ(states_of(s, "cancelled"), std::vector<State>{State::Cancelled});
  const DrainTotals& t = feed.totals();
  EXPECT_EQ(t.done + t.failed + t.released + t.cancelled, 4u);
  EXPECT_EQ(t.shards_proven, 12u);

  std::ifstream in(*o.metrics);
  std::stringstream text;
  text << in.rdbuf();
  const std::string m = text.str();
  for (const char* line :
       {"# TYPE tessera_queue_requests gauge", "tessera_queue_requests{queue=\"",
        "state=\"done\"} 1", "outcome=\"failed\"} 1", "tessera_drain_shards_proven_total{",
        "# TYPE tessera_request_latency_seconds histogram",
        "tessera_request_latency_seconds_count{", "le=\"+Inf\"} 4"})
    EXPECT_NE(m.find(line), std::string::npos) << line << "\n" << m;
}

TEST_F(SpoolTest, ALostClaimStopsTheRequestAndItsEndTouchesNothing) {
  Spool s(dir_, true);
  s.submit(chain("taken"), {});
  SpoolFeed feed(s, quiet());
  const auto t = feed.next();
  ASSERT_TRUE(t);
  // Another drain took it for dead and put it back in the queue.
  ASSERT_TRUE(s.reclaim("taken", ClaimToken::mine().text(), "no heartbeat for 700 s"));
  const auto stops = feed.poll({{"taken", 4, 1}});
  ASSERT_EQ(stops.size(), 1u);
  EXPECT_EQ(stops[0].reason, "lost its claim");
  feed.finished(*t, ended(PipelineResult::End::Interrupted, ErrorKind::Interrupted, "lost"));
  EXPECT_EQ(states_of(s, "taken"), std::vector<State>{State::Queued});
}

}  // namespace
}  // namespace tessera::queue
