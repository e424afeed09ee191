#pragma once
// The distributed proving pipeline (DESIGN.md §5) for one request: `tessera prove`. It is the
// rank loop of mpi/rank_loop.hpp with a single request — execute → scatter → prove (dynamic
// hand-out), with the collective artifact writes and the reduction tree running beside proving →
// root check, on every rank of `world` — and the machine the caller built on every rank.
//
//   rank 0   executes the request once on a thread of its own (ExecutionStream: checkpoints in
//            shard order as the computation advances), waits only for the checkpoints of the first
//            shard of every rank and MPI_Scatterv's them, then runs the coordinator: a message
//            loop that hands out the remaining shards one by one as ranks report
//            (request/assign, point-to-point) and as their checkpoints appear — execution
//            overlaps proving —, retries retryable failures on another rank, decides when the
//            finished proofs are written, and orders each tree node as soon as its two children
//            are done (TreeScheduler). A machine whose shard count is learned by executing (a
//            guest program) proves while the count is unknown; its artifact is created, on every
//            rank at once, when the execution ends (RequestRun::establish, DESIGN.md §5).
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
#include <ostream>
#include <string>

#include "mpi/communicator.hpp"
#include "mpi/fault_injection.hpp"
#include "mpi/progress.hpp"
#include "mpi/request_result.hpp"

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

PipelineResult run_pipeline(const Communicator& world, const ShardedMachine& machine,
                            const PipelineOptions& options);

}  // namespace tessera::mpi
