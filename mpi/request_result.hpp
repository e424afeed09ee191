#pragma once
// What proving one request produced: the outcome every rank agrees on, and rank 0's account of
// the run (counts, failures, timings) for the summary. Shared by `tessera prove` (one request,
// mpi/pipeline.hpp) and `tessera queue drain` (many, mpi/rank_loop.hpp).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "io/artifact.hpp"
#include "shard/statement.hpp"

namespace tessera::mpi {

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
// With several requests open at once (a queue drain), each request's row covers its own
// lifetime on the rank: prove, tree and io are its own work, idle the worker's idle time while
// it was open (the worker may have proven other requests' shards meanwhile).
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

// "complete", "interrupted", "failed" (summaries, JSON).
inline const char* outcome_name(PipelineResult::End e) {
  switch (e) {
    case PipelineResult::End::Complete:
      return "complete";
    case PipelineResult::End::Interrupted:
      return "interrupted";
    case PipelineResult::End::Failed:
      return "failed";
  }
  return "unknown";
}

}  // namespace tessera::mpi
