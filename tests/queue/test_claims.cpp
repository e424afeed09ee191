// Claims and the house keeper: tokens name the claimant and parse back; scontrol's answers map to
// alive / gone / unknown; a claim is stale when its Slurm job is gone or was requeued, when its
// process on this host is gone, or when its heartbeat is too old — and not otherwise; a drain's
// house keeping puts exactly the stale claims back in the queue (or in done when the artifact is
// complete) and leaves live ones alone.
#include <gtest/gtest.h>
#include <unistd.h>

#include "queue/spool_feed.hpp"
#include "tests/queue/queue_test_util.hpp"

namespace tessera::queue {
namespace {

namespace fs = std::filesystem;
using testing::SpoolTest;

TEST(ClaimToken, FormatsAndParses) {
  const ClaimToken t{"12345", 2, "node07", 4711};
  EXPECT_EQ(t.text(), "12345.2.node07.4711");
  EXPECT_EQ(ClaimToken::parse(t.text()), t);
  for (const char* bad : {"", "1.2.3", "a.b.c.d", "1.x.h.2", "1.0..5", "1.0.h.5.6"})
    EXPECT_FALSE(ClaimToken::parse(bad)) << bad;
  const ClaimToken me = ClaimToken::mine();
  EXPECT_EQ(me.pid, getpid());
  EXPECT_EQ(ClaimToken::parse(me.text()), me);
  const ClaimRecord r{"t", 3, 100.5, 200.25, 8, 3};
  const auto back = ClaimRecord::parse(r.format());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->ranks, 3);
  EXPECT_DOUBLE_EQ(back->heartbeat, 200.25);
  EXPECT_EQ(back->done, 3u);
  EXPECT_FALSE(ClaimRecord::parse("tessera-queue-claim 1\ntoken t\n"));  // cut short
}

TEST(ClaimToken, ScontrolAnswers) {
  const auto running = parse_scontrol(
      "JobId=7 JobName=q UserId=root(0) JobState=RUNNING Reason=None Restarts=1 BatchFlag=1\n", 0);
  EXPECT_EQ(running.liveness, JobLiveness::Alive);
  EXPECT_EQ(running.restarts, 1u);
  EXPECT_EQ(parse_scontrol("JobId=7 JobState=COMPLETED Restarts=0\n", 0).liveness,
            JobLiveness::Gone);
  EXPECT_EQ(parse_scontrol("JobId=7 JobState=PENDING Restarts=1\n", 0).liveness, JobLiveness::Gone);
  EXPECT_EQ(parse_scontrol("slurm_load_jobs error: Invalid job id specified\n", 1).liveness,
            JobLiveness::Gone);
  EXPECT_EQ(
      parse_scontrol("slurm_load_jobs error: Unable to contact slurm controller\n", 1).liveness,
      JobLiveness::Unknown);
}

TEST(ClaimToken, StalenessRules) {
  const double now = 10000;
  const JobProbe alive = [](const std::string&) {
    return JobState{JobLiveness::Alive, 0, "RUNNING"};
  };
  const JobProbe requeued = [](const std::string&) {
    return JobState{JobLiveness::Alive, 1, "RUNNING"};
  };
  const JobProbe gone = [](const std::string&) {
    return JobState{JobLiveness::Gone, 0, "unknown job"};
  };
  const JobProbe unknown = [](const std::string&) { return JobState{}; };
  const ClaimRecord fresh{"t", 1, now - 50, now - 5, 4, 1};
  const ClaimRecord old{"t", 1, now - 5000, now - 1000, 4, 1};
  const ClaimToken elsewhere{"77", 0, "othernode", 12};
  EXPECT_FALSE(assess_claim(elsewhere, &fresh, 0, now, 600, alive, "here").stale);
  EXPECT_TRUE(assess_claim(elsewhere, &fresh, 0, now, 600, gone, "here").stale);
  const auto r = assess_claim(elsewhere, &fresh, 0, now, 600, requeued, "here");
  EXPECT_TRUE(r.stale);
  EXPECT_NE(r.reason.find("requeued"), std::string::npos);
  EXPECT_FALSE(assess_claim(elsewhere, &fresh, 0, now, 600, unknown, "here").stale);
  EXPECT_TRUE(assess_claim(elsewhere, &old, 0, now, 600, unknown, "here").stale);
  EXPECT_TRUE(assess_claim(elsewhere, nullptr, now - 700, now, 600, unknown, "here").stale);
  // On this host: a live process holds its claim, a dead one does not.
  const ClaimToken live{"local", 0, "here", getpid()};
  EXPECT_FALSE(assess_claim(live, &fresh, 0, now, 600, nullptr, "here").stale);
  pid_t dead = fork();
  if (dead == 0) _exit(0);
  int status = 0;
  waitpid(dead, &status, 0);
  const ClaimToken gone_pid{"local", 0, "here", dead};
  EXPECT_TRUE(assess_claim(gone_pid, &fresh, 0, now, 600, nullptr, "here").stale);
}

TEST_F(SpoolTest, HouseKeepingReclaimsExactlyTheStaleClaims) {
  Spool s(dir_, true);
  for (const char* id : {"live", "deadjob", "requeued", "hung", "complete", "local-dead"})
    s.submit(chain(id), {});
  const double now = unix_now();
  auto hold = [&](const std::string& id, const ClaimToken& t, double beat) {
    ASSERT_TRUE(s.claim(id, t.text()));
    s.write_claim(id, t.text(), ClaimRecord{t.text(), 2, beat, beat, 4, 1});
  };
  hold("live", {"100", 0, "node1", 1}, now);
  hold("deadjob", {"200", 0, "node1", 1}, now);
  hold("requeued", {"300", 0, "node1", 1}, now);
  hold("hung", {"100", 0, "node1", 2}, now - 3600);
  hold("complete", {"200", 0, "node1", 3}, now);
  write_file(s.result("complete"), "artifact");
  pid_t dead = fork();
  if (dead == 0) _exit(0);
  int status = 0;
  waitpid(dead, &status, 0);
  hold("local-dead", {"local", 0, ClaimToken::mine().host, dead}, now);

  DrainOptions o;
  o.probe = [](const std::string& job) {
    if (job == "100") return JobState{JobLiveness::Alive, 0, "RUNNING"};
    if (job == "300") return JobState{JobLiveness::Alive, 1, "RUNNING"};
    return JobState{JobLiveness::Gone, 0, "COMPLETED"};
  };
  SpoolFeed feed(s, o);
  feed.housekeep();
  EXPECT_EQ(states_of(s, "live"), std::vector<State>{State::Running});
  EXPECT_EQ(states_of(s, "deadjob"), std::vector<State>{State::Queued});
  EXPECT_EQ(states_of(s, "requeued"), std::vector<State>{State::Queued});
  EXPECT_EQ(states_of(s, "hung"), std::vector<State>{State::Queued});
  EXPECT_EQ(states_of(s, "complete"), std::vector<State>{State::Done});
  EXPECT_EQ(states_of(s, "local-dead"), std::vector<State>{State::Queued});
  EXPECT_EQ(feed.totals().reclaimed, 5u);
  EXPECT_NE(s.read_note("deadjob").at("reclaimed").find("job 200 is COMPLETED"), std::string::npos);
  EXPECT_FALSE(fs::exists(s.claim_file("deadjob", ClaimToken{"200", 0, "node1", 1}.text())));
}

}  // namespace
}  // namespace tessera::queue
