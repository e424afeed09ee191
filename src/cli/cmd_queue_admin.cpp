// `tessera queue cancel DIR ID` and `tessera queue retry DIR ID`, and `tessera queue` itself,
// which names the queue's commands.
//
// cancel: a queued (or failed) request moves to cancelled at once; a running one gets a cancel
// flag that its drain sees within a second: it stops after the shards being proven, flushes the
// artifact and marks the request cancelled (a drain that claims a flagged request cancels it
// without proving). retry: a failed or cancelled request goes back to the queue; its artifact
// and journal in DIR/work/ are kept, so the next drain proves only what is missing.

#include <iostream>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "common/check.hpp"
#include "queue/spool.hpp"

namespace tessera::cli {
namespace {

constexpr const char* kCommands = "submit, status, cancel, retry, drain";

int run_queue(const po::variables_map& args) {
  if (!args.count("command"))
    TESSERA_FAIL(ErrorKind::Usage, "'tessera queue' needs a command: " << kCommands);
  TESSERA_FAIL(ErrorKind::Usage, "unknown queue command '"
                                     << args["command"].as<std::vector<std::string>>().front()
                                     << "' (" << kCommands << ")");
}

int run_cancel(const po::variables_map& args) {
  queue::Spool spool(args["queue"].as<std::string>());
  const std::string id = args["id"].as<std::string>();
  queue::check_file_name(id, "request id");
  switch (spool.cancel(id)) {
    case queue::CancelOutcome::Cancelled:
      std::cout << "cancelled " << id << '\n';
      return 0;
    case queue::CancelOutcome::Requested:
      std::cout << "cancel requested: " << id
                << " is running; it stops after the shards being proven\n";
      return 0;
    case queue::CancelOutcome::AlreadyCancelled:
      std::cout << id << " was already cancelled\n";
      return 0;
    case queue::CancelOutcome::AlreadyDone:
      TESSERA_FAIL(ErrorKind::Usage, "request " << id << " is done: there is nothing to cancel");
    case queue::CancelOutcome::NotFound:
      break;
  }
  TESSERA_FAIL(ErrorKind::InputFile, "no request " << id << " in '" << spool.dir().string() << "'");
}

int run_retry(const po::variables_map& args) {
  queue::Spool spool(args["queue"].as<std::string>());
  const std::string id = args["id"].as<std::string>();
  queue::check_file_name(id, "request id");
  TESSERA_CHECK(
      spool.retry(id), ErrorKind::InputFile,
      "request " << id << " moved while it was being retried; see 'tessera queue status'");
  std::cout << "queued " << id << " again\n";
  return 0;
}

void declare_queue_and_id(po::options_description& o, po::positional_options_description& pos) {
  o.add_options()("queue", po::value<std::string>()->required(), "the queue's folder")(
      "id", po::value<std::string>()->required(), "the request's id (from 'queue submit')");
  pos.add("queue", 1).add("id", 1);
}

const bool registered_queue = register_command({
    .name = "queue",
    .summary = "a queue of proof requests in a spool folder (submit, status, cancel, retry, drain)",
    .synopsis = "submit|status|cancel|retry|drain DIR ...   ('tessera queue COMMAND --help')",
    .declare =
        [](po::options_description& o, po::positional_options_description& pos) {
          o.add_options()("command", po::value<std::vector<std::string>>(), kCommands);
          pos.add("command", -1);
        },
    .run = run_queue,
    .uses_mpi = false,
});

const bool registered_cancel = register_command({
    .name = "queue cancel",
    .summary = "cancel a queued request, or stop a running one at its next shard",
    .synopsis = "DIR ID",
    .declare = declare_queue_and_id,
    .run = run_cancel,
    .uses_mpi = false,
});

const bool registered_retry = register_command({
    .name = "queue retry",
    .summary = "put a failed (or cancelled) request back in its queue",
    .synopsis = "DIR ID",
    .declare = declare_queue_and_id,
    .run = run_retry,
    .uses_mpi = false,
});

}  // namespace
}  // namespace tessera::cli
