// Nothing is lost or duplicated when a process dies at any moment: every transition is run in a
// child that is killed (_exit) at its k-th step — between any two file system operations,
// including between writing a temporary file and renaming it — for k = 0, 1, 2, ... until the
// transition completes. After each kill the request is in exactly one state (or, for a submit cut
// before its rename, not submitted at all, its copied inputs cleaned up), the house keeper puts a
// claim of the dead process back, and the request can still reach the state the transition aimed
// at. Concurrent claims by several processes (through the drain's own claim path) prove no request
// twice and lose none.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <thread>

#include "queue/spool_feed.hpp"
#include "tests/queue/queue_test_util.hpp"

namespace tessera::queue {
namespace {

namespace fs = std::filesystem;
using testing::in_child;
using testing::SpoolTest;

// Runs `op` in a child killed at its k-th step; `prepare` runs in the child first, unhooked.
int killed_at(Spool& s, int k, const std::function<void()>& prepare,
              const std::function<void()>& op) {
  return in_child([&] {
    prepare();
    int n = 0;
    s.set_step_hook([&](std::string_view) {
      if (n++ == k) _exit(99);
    });
    op();
  });
}

void recover(Spool& s) {
  DrainOptions o;
  o.probe = nullptr;  // no Slurm here: the dead child's pid says it all
  SpoolFeed(s, o).housekeep();
  s.remove_leftovers(-1);
}

struct Case {
  const char* name;
  State start;                  // where the request is before the transition
  std::set<State> after_crash;  // where it may be after a kill and the house keeping
  State target;
  std::function<void(Spool&, const std::string&)> op;  // run under the child's own token
};

class CrashTest : public SpoolTest {
 protected:
  // Puts request `id` in `state`, held (when running) by the calling process.
  void place(Spool& s, const std::string& id, State state) {
    if (state == State::Failed) {
      ASSERT_TRUE(s.claim(id, ClaimToken::mine().text()));
      ASSERT_TRUE(s.finish(id, ClaimToken::mine().text(), State::Failed, {{"reason", "x"}}));
    }
  }
};

TEST_F(CrashTest, AKillAtAnyStepOfAnyTransitionLosesNothing) {
  const std::vector<Case> cases = {
      {"claim",
       State::Queued,
       {State::Queued},
       State::Running,
       [](Spool& s, const std::string& id) {
         const std::string t = ClaimToken::mine().text();
         if (s.claim(id, t)) s.write_claim(id, t, ClaimRecord{t, 1, unix_now(), unix_now(), 4, 0});
       }},
      {"release",
       State::Queued,
       {State::Queued},
       State::Queued,
       [](Spool& s, const std::string& id) { s.release(id, ClaimToken::mine().text()); }},
      {"finish done",
       State::Queued,
       {State::Queued, State::Done},
       State::Done,
       [](Spool& s, const std::string& id) {
         s.finish(id, ClaimToken::mine().text(), State::Done, {{"state", "done"}});
       }},
      {"finish failed",
       State::Queued,
       {State::Queued, State::Failed},
       State::Failed,
       [](Spool& s, const std::string& id) {
         s.finish(id, ClaimToken::mine().text(), State::Failed, {{"reason", "bad ELF: x"}});
       }},
      {"cancel running",
       State::Queued,
       {State::Queued},
       State::Queued,
       [](Spool& s, const std::string& id) { s.cancel(id); }},
      {"retry",
       State::Failed,
       {State::Failed, State::Queued},
       State::Queued,
       [](Spool& s, const std::string& id) { s.retry(id); }},
  };
  Spool s(dir_, true);
  int n = 0;
  for (const Case& c : cases) {
    for (int k = 0;; ++k) {
      const std::string id = "r" + std::to_string(n++);
      s.submit(chain(id), {});
      place(s, id, c.start);
      // Running transitions start from a claim the child holds (made before the hook is armed).
      const bool held = std::string(c.name) != "claim" && std::string(c.name) != "retry";
      const int rc = killed_at(
          s, k,
          [&] {
            if (!held) return;
            const std::string t = ClaimToken::mine().text();
            if (!s.claim(id, t)) _exit(97);
            s.write_claim(id, t, ClaimRecord{t, 1, unix_now(), unix_now(), 4, 0});
            if (std::string(c.name) == "finish done") write_file(s.work_artifact(id), "artifact");
          },
          [&] { c.op(s, id); });
      ASSERT_TRUE(rc == 0 || rc == 99) << c.name << " step " << k << ": child exit " << rc;
      recover(s);
      const auto st = states_of(s, id);
      ASSERT_EQ(st.size(), 1u) << c.name << " killed at step " << k << ": in " << st.size()
                               << " states";
      if (rc == 0) {
        // Completed: where it aimed (a running target is the dead child's claim, now reclaimed).
        EXPECT_EQ(st[0], c.target == State::Running ? State::Queued : c.target) << c.name;
      } else {
        EXPECT_TRUE(c.after_crash.count(st[0]))
            << c.name << " killed at step " << k << ": " << state_name(st[0]);
      }
      if (std::string(c.name) == "finish done") {
        // The artifact is never lost: in work/ (resumed by the next claim) or in results/.
        EXPECT_NE(fs::exists(s.work_artifact(id)), fs::exists(s.result(id))) << "step " << k;
        EXPECT_EQ(st[0] == State::Done, fs::exists(s.result(id))) << "step " << k;
      }
      if (std::string(c.name) == "cancel running" && s.cancel_requested(id)) {
        // The flag reached the spool: the next claim cancels the request at once.
        DrainOptions o;
        o.probe = nullptr;
        SpoolFeed feed(s, o);
        EXPECT_FALSE(feed.next());
        EXPECT_EQ(states_of(s, id), std::vector<State>{State::Cancelled}) << "step " << k;
      }
      // Out of the way of the next cases' claims.
      if (states_of(s, id) == std::vector<State>{State::Queued}) s.cancel(id);
      if (rc == 0) break;
      ASSERT_LT(k, 50) << c.name << " never completed";
    }
  }
  EXPECT_TRUE(fs::is_empty(dir_ / "tmp"));
}

TEST_F(SpoolTest, ASubmitCutShortLeavesNoRequestAndNoHalfFile) {
  Spool s(dir_, true);
  const fs::path input = dir_.parent_path() / "in";
  write_file(input, "secret");
  for (int k = 0;; ++k) {
    const std::string id = "s" + std::to_string(k);
    QueueRequest r = chain(id);
    r.machine = "rv32im";
    const int rc = in_child([&] {
      int n = 0;
      s.set_step_hook([&](std::string_view) {
        if (n++ == k) _exit(99);
      });
      s.submit(r, {{"program.elf", input}, {"input", input}});
    });
    const auto st = states_of(s, id);
    if (rc == 0) {
      EXPECT_EQ(st, std::vector<State>{State::Queued});
      EXPECT_EQ(s.read_request(*s.find(id)).id, id);
      break;
    }
    // Killed before the request file's rename: no request (the submitter printed no id); after
    // it (the last step): the request is complete and queued.
    s.remove_leftovers(-1);  // the house keeper's clean-up of what the submitter left
    if (st.empty()) {
      EXPECT_FALSE(fs::exists(s.inputs_dir(id))) << "step " << k;
    } else {
      EXPECT_EQ(st, std::vector<State>{State::Queued}) << "step " << k;
      EXPECT_EQ(s.read_request(*s.find(id)).id, id);
      EXPECT_TRUE(fs::exists(s.inputs_dir(id) / "input"));
    }
    ASSERT_LT(k, 20);
  }
  EXPECT_TRUE(fs::is_empty(dir_ / "tmp"));
}

TEST_F(SpoolTest, ConcurrentClaimsProveNothingTwiceAndLoseNothing) {
  Spool s(dir_, true);
  constexpr int kRequests = 60, kClaimers = 6;
  for (int i = 0; i < kRequests; ++i) s.submit(chain("c" + std::to_string(i), i % 3, i), {});
  const fs::path go = dir_.parent_path() / "go", stop = dir_.parent_path() / "stop";
  std::vector<pid_t> pids;
  for (int c = 0; c < kClaimers; ++c) {
    const pid_t pid = fork();
    if (pid == 0) {
      while (!fs::exists(go)) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      DrainOptions o;
      o.probe = nullptr;
      o.poll = 1e-6;
      SpoolFeed feed(s, o);
      std::ofstream out(dir_.parent_path() / ("claimed-" + std::to_string(c)));
      while (auto t = feed.next()) out << t->key << '\n' << std::flush;
      // Stay alive until every claimer is done: a dead claimant's claims are stale.
      while (!fs::exists(stop)) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      _exit(0);
    }
    pids.push_back(pid);
  }
  write_file(go, "");
  for (int round = 0; round < 3000; ++round) {
    bool queued = false;
    for (const Entry& e : s.list()) queued = queued || e.state == State::Queued;
    if (!queued) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  write_file(stop, "");
  for (pid_t p : pids) {
    int status = 0;
    waitpid(p, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  std::multiset<std::string> claimed;
  for (int c = 0; c < kClaimers; ++c) {
    std::ifstream in(dir_.parent_path() / ("claimed-" + std::to_string(c)));
    for (std::string id; std::getline(in, id);) claimed.insert(id);
  }
  EXPECT_EQ(claimed.size(), static_cast<size_t>(kRequests));
  for (int i = 0; i < kRequests; ++i) {
    const std::string id = "c" + std::to_string(i);
    EXPECT_EQ(claimed.count(id), 1u) << id;
    EXPECT_EQ(states_of(s, id), std::vector<State>{State::Running}) << id;
  }
}

}  // namespace
}  // namespace tessera::queue
