#pragma once
// Shared by the queue's unit tests: a fresh spool under /tmp, requests to submit, and a way to run
// a piece of the queue in a child process (to kill it mid-transition, or to claim concurrently).
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "queue/spool.hpp"

namespace tessera::queue::testing {

class SpoolTest : public ::testing::Test {
 public:
  static QueueRequest chain(const std::string& id, int64_t priority = 0, double submitted = 1) {
    QueueRequest r;
    r.id = id;
    r.name = "chain " + id;
    r.priority = priority;
    r.submitted = submitted;
    r.user = "tester";
    r.host = "here";
    r.machine = "hashchain";
    r.parameters = {{"steps", "256"}, {"shard_steps", "64"}, {"seed", "1"}, {"config", "test"}};
    return r;
  }

 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "tessera-queue-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = std::filesystem::path(tmpl) / "q";
  }
  void TearDown() override { std::filesystem::remove_all(dir_.parent_path()); }
  // The states `id` is in (a healthy spool: exactly one).
  static std::vector<State> states_of(const Spool& s, const std::string& id) {
    std::vector<State> out;
    for (const Entry& e : s.list())
      if (e.id == id) out.push_back(e.state);
    return out;
  }
  static void write_file(const std::filesystem::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
  }

  std::filesystem::path dir_;
};

// Runs `body` in a child process and returns its exit status (the child exits 0 after `body`).
inline int in_child(const std::function<void()>& body) {
  const pid_t pid = fork();
  if (pid == 0) {
    try {
      body();
    } catch (...) {
      _exit(98);
    }
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace tessera::queue::testing
