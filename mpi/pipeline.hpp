#pragma once
// The distributed proving pipeline (DESIGN.md §5), machine-independent: it drives any
// ShardedMachine through execute → scatter → prove (dynamic hand-out), with the collective
// artifact writes and the reduction tree running beside proving → root check, on every rank of
// `world`.
//
//   rank 0   executes the request once on a thread of its own (ExecutionStream: checkpoints in
//            shard order as the computation advances), waits only for the checkpoints of the first
//            shard of every rank and MPI_Scatterv's them, then runs the coordinator: a message
//            loop that hands out the remaining shards one by one as ranks report
//            (request/assign, point-to-point) and as their checkpoints appear — execution
//            overlaps proving —, retries retryable failures on another rank, decides when the
//            finished proofs are written, and orders each tree node as soon as its two children
//            are done (TreeScheduler).
//   all      prove on a worker thread (ShardWorker) while the main thread runs the message loop
//            (so rank 0 proves while it coordinates, and only the main thread calls MPI/HDF5);
//            journal every proof; join the collective artifact writes; ship tree children and
//            compute the tree nodes ordered to them on the worker, ahead of queued shards
//            (mpi/reduction_tree.hpp). After the last proof only the last write, the last tree
//            nodes (that shard's ancestors) and the final collective writes remain.
//
// Errors that every rank can see the same way (a resume of another request, a failed execution,
// a shard that failed for good, an interrupt, a tree node that does not verify) end the pipeline
// in order: the artifact is flushed and closed on every rank and the result carries the error,
// identical on every rank, for the caller to report once. Anything else (an MPI or HDF5 failure
// on one rank) is thrown and aborts the job; the journal still holds every finished shard.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "io/artifact.hpp"
#include "mpi/communicator.hpp"
#include "mpi/fault_injection.hpp"
#include "mpi/progress.hpp"
#include "shard/statement.hpp"

namespace tessera {
class ShardedMachine;
}

namespace tessera::mpi {

struct PipelineOptions {
  std::filesystem::path out;
  bool resume = false;  // continue an existing artifact (or start one if there is none)
  bool force = false;   // overwrite an existing artifact and journal
  std::string backend = "auto";
  uint32_t max_attempts = 3;  // per shard, retryable failures included
  FaultPlan faults;
  // Rank 0 writes notes (resume decisions, retries) and progress here; null: silent.
  std::ostream* log = nullptr;
  Progress::Style progress_style = Progress::Style::Plain;
  double progress_interval = 10;
  // Finished proofs go into the artifact by collective writes, as soon as about one per rank is
  // ready (writes spaced at least 4x the last one's duration apart) and at the latest this long
  // after the previous write; the journal holds them meanwhile.
  double write_interval = 5;
  // fdatasync every journal record: a finished shard then survives the loss of the node too,
  // not only the death of the process (one sync per shard).
  bool journal_sync = false;
};

// Per-rank phases recorded in /timings (seconds). execute (rank 0 only): how long rank 0's
// execution thread ran, from its start to its last needed checkpoint — it runs while the ranks
// prove, so it is not time the run waited for; what the run did wait for is the execution of the
// first shard of every rank, which shows as idle (on every rank, before the scatter). prove: the
// worker thread inside prove_shard; tree: the worker thread computing the tree nodes ordered to
// this rank, plus assembling the tree's outcome at the end; io: artifact and journal I/O; idle:
// the worker thread without a shard or node while this rank waited (for the first checkpoints,
// for work — a checkpoint not executed yet, for instance —, for the last shards); total: the
// rank's wall time up to the gathering of the timings. Execution, tree and I/O overlap proving,
// so phases need not sum to total; PipelineResult::tail_seconds is what the run waited for.
enum Phase { kExecute, kScatter, kProve, kTree, kIo, kIdle, kTotal, kPhaseCount };
inline constexpr const char* kPhaseNames[kPhaseCount] = {"execute", "scatter", "prove", "tree",
                                                         "io",      "idle",    "total"};

struct ShardFailure {
  uint64_t shard = 0;
  int rank = 0;
  bool retried = false;  // false: it ended the run
  std::string message;
};

struct PipelineResult {
  enum class End { Complete, Interrupted, Failed };
  // Identical on every rank.
  End end = End::Failed;
  ErrorKind kind = ErrorKind::Internal;  // when end != Complete or !verified
  std::string message;
  bool verified = false;  // the root statement was checked against the request
  bool started = false;   // setup succeeded (artifact opened): there is a run to summarise

  // Rank 0's account of the run.
  std::string artifact;
  ArtifactRequest request;
  int ranks = 1;
  std::string backend;
  uint64_t shards = 0;
  uint64_t resumed = 0;    // valid proofs found in the artifact
  uint64_t recovered = 0;  // valid proofs found only in the journal
  uint64_t proven = 0;     // proven by this run
  uint64_t stored = 0;     // in the artifact when the run ended
  uint64_t retries = 0;
  std::vector<uint64_t> proven_shards;  // ascending
  std::vector<ShardFailure> failures;
  std::optional<ShardStatement> root;
  RunTimings timings;
  double wall_seconds = 0;
  // From the last proof reaching rank 0 (or the start of proving, if none was needed) to the
  // end: what the run waited for beyond proving — the last write, the tree's last nodes, the
  // final collective writes and the close.
  double tail_seconds = 0;
};

PipelineResult run_pipeline(const Communicator& world, const ShardedMachine& machine,
                            const PipelineOptions& options);

}  // namespace tessera::mpi
