#pragma once
// The distributed proving pipeline (DESIGN.md §5) over any number of requests: every rank of
// `world` runs one loop, and rank 0 coordinates. `tessera prove` runs it with one request
// (mpi/pipeline.hpp); `tessera queue drain` with a feed that claims requests from a spool.
//
//   rank 0   opens requests (one at a time, from the feed, while the open ones cannot keep every
//            rank busy — mpi/balanced_policy.hpp), executes each on a thread of its own
//            (ExecutionStream) and hands out their shards as their checkpoints appear
//            (request/assign, point-to-point; the first shard of every rank by one MPI_Scatterv
//            when a request opens on idle ranks), spreading the ranks over the open requests;
//            retries retryable failures on another rank; announces a request's shard count
//            when its execution has learned it (a guest: the artifact is created then, while
//            its first shards are being proven); decides when each request's finished proofs are
//            written; orders each tree node as soon as its two children are done; and ends each
//            request on its own when its last node is in.
//   all      prove on a worker thread (ShardWorker) while the main thread runs the message loop
//            (so rank 0 proves while it coordinates, and only the main thread calls MPI/HDF5);
//            journal every proof; join every collective step of every request in the order rank
//            0 announces them (open, count, writes, end); ship tree children and compute the tree
//            nodes ordered to them on the worker, ahead of queued shards (mpi/reduction_tree.hpp).
//
// One request's state on a rank is a RequestRun (mpi/request_run.hpp): its machine, artifact,
// journal, held proofs and tree. Its artifact is the same file `tessera prove` writes for it
// alone: same writes, same journal, same resume.
//
// Errors that every rank can see the same way (a request that cannot start, a resume of another
// request, a failed execution, a shard that failed for good, an interrupt, a tree node that does
// not verify) end that request in order: its artifact is flushed and closed on every rank and its
// result carries the error, identical on every rank; the other requests go on (an interrupt ends
// them all). Anything else (an MPI or HDF5 failure on one rank) is thrown and aborts the job;
// the journals still hold every finished shard.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "mpi/communicator.hpp"
#include "mpi/fault_injection.hpp"
#include "mpi/pipeline_messages.hpp"
#include "mpi/progress.hpp"
#include "mpi/request_result.hpp"

namespace tessera {
class ShardedMachine;
}

namespace tessera::mpi {

struct EngineOptions {
  std::string backend = "auto";
  uint32_t max_attempts = 3;  // per shard, retryable failures included
  FaultPlan faults;
  // Rank 0 writes notes (resume decisions, retries) and progress here; null: silent.
  std::ostream* log = nullptr;
  Progress::Style progress_style = Progress::Style::Plain;  // per request
  double progress_interval = 10;
  // Finished proofs go into the artifact by collective writes, as soon as about one per rank is
  // ready (writes spaced at least 4x the last one's duration apart) and at the latest this long
  // after the previous write; the journal holds them meanwhile.
  double write_interval = 5;
  // fdatasync every journal record: a finished shard then survives the loss of the node too,
  // not only the death of the process (one sync per shard).
  bool journal_sync = false;
  // At most this many requests open at once (0: ranks + 2).
  size_t max_active = 0;
  // Notes name their request ("[ID] resuming: ..."): several are open at once.
  bool label_notes = false;
};

// Builds a request's machine on every rank (the same machine from the same ticket everywhere).
// Throws tessera::Error for a request that cannot be built (unknown machine, bad ELF, ...): the
// request then fails and the loop goes on.
using MachineMaker = std::function<std::shared_ptr<const ShardedMachine>(const RequestTicket&)>;

// An open request as the feed sees it (for heartbeats and status).
struct ActiveRequest {
  std::string key;
  uint64_t shards = 0;
  uint64_t done = 0;  // stored before this run, recovered, or proven by it
};

struct StopRequest {
  std::string key;
  std::string reason;  // "cancelled", "lost its claim", ... (the request's end message)
};

// Where requests come from and where their outcomes go. Called on rank 0 only, from its main
// loop (between messages: keep each call short).
class RequestFeed {
 public:
  virtual ~RequestFeed() = default;
  // The next request to open now, if any.
  virtual std::optional<RequestTicket> next() = 0;
  // No request will come any more: the loop ends once the open ones are over.
  virtual bool exhausted() = 0;
  // Called at every turn of the loop with the open requests; returns those to stop (their
  // shards being proven finish, their artifact is flushed, they end Interrupted with the
  // reason).
  virtual std::vector<StopRequest> poll(const std::vector<ActiveRequest>& active) = 0;
  // A request ended (also one that could not start: result.started is false). Its artifact is
  // closed on every rank.
  virtual void finished(const RequestTicket& ticket, const PipelineResult& result) = 0;
};

struct EngineResult {
  // Every request that was opened, in the order they ended (identical outcomes on every rank;
  // rank 0's holds its account).
  std::vector<PipelineResult> requests;
  // The ranks could not start at all (no backend, ...): no request was opened.
  std::optional<Failure> setup_error;
  bool interrupted = false;
  std::string signal;  // what interrupted it ("SIGUSR1", ...)
  // How long the loop ran (rank 0's), and each rank's worker-busy seconds in it (proving,
  // journal records, tree nodes): the share of the ranks' time spent on work.
  double wall_seconds = 0;
  std::vector<double> busy_seconds;  // [rank]
};

// Every rank of `world`. `feed` is rank 0's (ignored elsewhere). The feed's first request is
// opened even if an interrupt is already pending (it then ends at once, Interrupted), so that a
// single-request run always reports on its request.
EngineResult run_requests(const Communicator& world, const MachineMaker& maker, RequestFeed* feed,
                          const EngineOptions& options);

}  // namespace tessera::mpi
