// The spool's state machine in one process: request files round-trip and malformed ones are
// refused with one line; every transition moves the request file by one rename and refuses when
// the request is not where it expects it; cancel and retry follow the documented rules; the
// private inputs are copied with tight permissions and dropped once the request is done.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "common/error.hpp"
#include "tests/queue/queue_test_util.hpp"

namespace tessera::queue {
namespace {

namespace fs = std::filesystem;
using testing::SpoolTest;

TEST(RequestFile, RoundTripsAndRefusesMalformedFiles) {
  QueueRequest r = SpoolTest::chain("20261206-120000-abcdef", 5, 1765000000.25);
  r.parameters["elf"] = "inputs/x/program.elf";
  const std::string text = format_request(r);
  const QueueRequest back = parse_request(text, "x");
  EXPECT_EQ(format_request(back), text);
  EXPECT_EQ(back.priority, 5);
  EXPECT_DOUBLE_EQ(back.submitted, 1765000000.25);
  EXPECT_EQ(back.parameters.at("steps"), "256");
  for (const std::string& bad :
       {std::string(""), std::string("hello\n"), text.substr(0, text.size() - 4),
        text.substr(0, text.size() - 1), text + "more\n",
        std::string("tessera-queue-request 1\nid x\nend\n")}) {
    try {
      parse_request(bad, "'f'");
      ADD_FAILURE() << "accepted: " << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::Format);
      EXPECT_NE(std::string(e.what()).find("malformed request file 'f'"), std::string::npos);
    }
  }
  EXPECT_THROW(check_file_name("a/b", "id"), Error);
  EXPECT_THROW(check_file_name("..", "id"), Error);
  EXPECT_THROW(check_one_line("two\nlines", "name"), Error);
  const std::string id = new_request_id();
  EXPECT_NO_THROW(check_file_name(id, "id"));
  EXPECT_EQ(id.size(), 22u);
}

TEST_F(SpoolTest, OpeningSomethingElseIsRefused) {
  fs::create_directories(dir_);
  try {
    Spool s(dir_);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InputFile);
    EXPECT_NE(std::string(e.what()).find("is not a tessera queue"), std::string::npos);
  }
}

TEST_F(SpoolTest, TransitionsMoveTheRequestByRename) {
  Spool s(dir_, true);
  EXPECT_EQ((fs::status(dir_).permissions() & fs::perms::all), fs::perms::owner_all);
  s.submit(chain("a"), {});
  EXPECT_EQ(states_of(s, "a"), std::vector<State>{State::Queued});
  EXPECT_THROW(s.submit(chain("a"), {}), Error);  // ids are unique
  EXPECT_EQ(s.read_request(*s.find("a")).name, "chain a");

  EXPECT_TRUE(s.claim("a", "1.0.h.10"));
  EXPECT_FALSE(s.claim("a", "2.0.h.20")) << "claimed twice";
  const auto e = s.find("a");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->state, State::Running);
  EXPECT_EQ(e->token, "1.0.h.10");
  EXPECT_FALSE(s.release("a", "2.0.h.20")) << "released by a drain that does not hold it";
  EXPECT_TRUE(s.release("a", "1.0.h.10"));
  EXPECT_EQ(states_of(s, "a"), std::vector<State>{State::Queued});

  // Done: the artifact moves from work/ to results/ with the state.
  ASSERT_TRUE(s.claim("a", "1.0.h.10"));
  write_file(s.work_artifact("a"), "artifact");
  EXPECT_TRUE(s.finish("a", "1.0.h.10", State::Done, {{"state", "done"}}));
  EXPECT_EQ(states_of(s, "a"), std::vector<State>{State::Done});
  EXPECT_TRUE(fs::exists(s.result("a")));
  EXPECT_FALSE(fs::exists(s.work_artifact("a")));
  EXPECT_EQ(s.read_note("a").at("state"), "done");
  EXPECT_THROW(s.retry("a"), Error);
  EXPECT_EQ(s.cancel("a"), CancelOutcome::AlreadyDone);

  // Failed, then retried; its artifact stays in work/ for the resume.
  s.submit(chain("b"), {});
  ASSERT_TRUE(s.claim("b", "1.0.h.10"));
  write_file(s.work_artifact("b"), "partial");
  EXPECT_TRUE(s.finish("b", "1.0.h.10", State::Failed, {{"reason", "bad ELF: no"}}));
  EXPECT_EQ(states_of(s, "b"), std::vector<State>{State::Failed});
  EXPECT_EQ(s.read_note("b").at("reason"), "bad ELF: no");
  EXPECT_TRUE(s.retry("b"));
  EXPECT_EQ(states_of(s, "b"), std::vector<State>{State::Queued});
  EXPECT_TRUE(fs::exists(s.work_artifact("b")));
  EXPECT_FALSE(s.finish("b", "1.0.h.10", State::Done, {})) << "finished without a claim";
}

TEST_F(SpoolTest, CancelAndRetryFollowTheRules) {
  Spool s(dir_, true);
  s.submit(chain("q"), {});
  EXPECT_EQ(s.cancel("q"), CancelOutcome::Cancelled);
  EXPECT_EQ(states_of(s, "q"), std::vector<State>{State::Cancelled});
  EXPECT_EQ(s.cancel("q"), CancelOutcome::AlreadyCancelled);
  EXPECT_TRUE(s.retry("q"));
  EXPECT_EQ(states_of(s, "q"), std::vector<State>{State::Queued});

  // A running request gets a flag; its drain cancels it.
  ASSERT_TRUE(s.claim("q", "1.0.h.10"));
  EXPECT_EQ(s.cancel("q"), CancelOutcome::Requested);
  EXPECT_TRUE(s.cancel_requested("q"));
  EXPECT_EQ(states_of(s, "q"), std::vector<State>{State::Running});
  EXPECT_TRUE(s.finish("q", "1.0.h.10", State::Cancelled, {{"state", "cancelled"}}));
  EXPECT_FALSE(s.cancel_requested("q"));
  // Released with the flag pending (its drain was interrupted first): cancel moves it.
  s.submit(chain("r"), {});
  ASSERT_TRUE(s.claim("r", "1.0.h.10"));
  EXPECT_EQ(s.cancel("r"), CancelOutcome::Requested);
  ASSERT_TRUE(s.release("r", "1.0.h.10"));
  EXPECT_EQ(s.cancel("r"), CancelOutcome::Cancelled);
  EXPECT_EQ(s.cancel("nope"), CancelOutcome::NotFound);
  EXPECT_THROW(s.retry("nope"), Error);
}

TEST_F(SpoolTest, InputsAreCopiedPrivateAndDroppedWhenDone) {
  Spool s(dir_, true);
  const fs::path elf = dir_.parent_path() / "prog.elf";
  const fs::path input = dir_.parent_path() / "secret";
  write_file(elf, "ELF bytes");
  write_file(input, "private input");
  QueueRequest r = chain("g");
  r.machine = "rv32im";
  s.submit(r, {{"program.elf", elf}, {"input", input}});
  write_file(input, "changed after submission");
  const fs::path copy = s.inputs_dir("g") / "input";
  std::ifstream in(copy);
  std::string got((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(got, "private input");
  EXPECT_EQ(fs::status(s.inputs_dir("g")).permissions() & fs::perms::all, fs::perms::owner_all);
  EXPECT_EQ(fs::status(copy).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  ASSERT_TRUE(s.claim("g", "1.0.h.10"));
  ASSERT_TRUE(s.finish("g", "1.0.h.10", State::Done, {}));
  EXPECT_FALSE(fs::exists(s.inputs_dir("g")));
}

TEST_F(SpoolTest, ReclaimPutsAStaleClaimBackOrFinishesACompleteOne) {
  Spool s(dir_, true);
  s.submit(chain("x"), {});
  s.submit(chain("y"), {});
  ASSERT_TRUE(s.claim("x", "1.0.h.10"));
  ASSERT_TRUE(s.claim("y", "1.0.h.10"));
  write_file(s.result("y"), "complete artifact");  // the claimant died after moving it
  EXPECT_TRUE(s.reclaim("x", "1.0.h.10", "job 1 is COMPLETED"));
  EXPECT_TRUE(s.reclaim("y", "1.0.h.10", "job 1 is COMPLETED"));
  EXPECT_EQ(states_of(s, "x"), std::vector<State>{State::Queued});
  EXPECT_EQ(states_of(s, "y"), std::vector<State>{State::Done});
  EXPECT_EQ(s.read_note("x").at("reclaimed"), "job 1 is COMPLETED");
  EXPECT_FALSE(s.reclaim("x", "1.0.h.10", "again")) << "reclaimed what it no longer holds";
}

}  // namespace
}  // namespace tessera::queue
