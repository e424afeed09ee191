#pragma once
// One request on one rank while it is open (mpi/rank_loop.hpp runs several at once): its
// machine, its artifact and journal, the proofs this rank holds for it and its part of the
// reduction tree — and, on rank 0, its coordination: the shard scheduler, the execution stream,
// the write planner, the tree scheduler, its failures and how it ends.
//
// Life of a request, on every rank in the order rank 0 announces the collective steps:
//   open()        collective: build the machine, decide about the output path (rank 0: create,
//                 resume, refuse), create or open the artifact, start the journal, check the
//                 stored proofs, take proofs found only in the journal (rank 0), start executing
//                 (rank 0) and, on idle ranks, scatter the first shard of every rank;
//   ...           shards and tree nodes flow through the rank loop; apply_write() joins each
//                 collective write rank 0 decides (write_if_due / the last write);
//   finish()      collective: reorder stored proofs if a hole was filled, assemble the tree, check
//                 the root, write /shards/statements, /tree, /final and /timings, close; the
//                 journal goes once the artifact holds everything.
// The artifact is written exactly as for a request proven alone (docs/ARTIFACT.md). Opening (and
// establishing) is in request_open.cpp, the rest in request_run.cpp.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "io/artifact.hpp"
#include "io/journal.hpp"
#include "mpi/balanced_policy.hpp"
#include "mpi/execution_stream.hpp"
#include "mpi/pipeline_messages.hpp"
#include "mpi/placement.hpp"
#include "mpi/rank_loop.hpp"
#include "mpi/reduction_tree.hpp"
#include "mpi/scheduler.hpp"
#include "mpi/shard_worker.hpp"
#include "mpi/tree_scheduler.hpp"
#include "mpi/tree_step.hpp"
#include "mpi/write_planner.hpp"

namespace tessera::mpi {

// What the rank loop lends every request.
struct RankContext {
  const Communicator* comm = nullptr;
  int me = 0;
  int ranks = 1;
  const EngineOptions* options = nullptr;
  Placement placement;
  int omp_threads = 0;  // OpenMP threads of the execution thread (0: the process default)
  std::string backend;  // the backend's name, for the summary
};

class RequestRun {
 public:
  using Clock = std::chrono::steady_clock;
  // Sends one of this request's messages (the caller frames it with the slot).
  using Post = std::function<void(int dest, int tag, std::vector<uint8_t> bytes)>;

  RequestRun(const RankContext& ctx, uint32_t slot, RequestTicket ticket, Post post);
  ~RequestRun();
  RequestRun(const RequestRun&) = delete;
  RequestRun& operator=(const RequestRun&) = delete;

  uint32_t slot() const { return slot_; }
  const RequestTicket& ticket() const { return ticket_; }

  // Collective. false: the request could not start (result() says why; there is nothing to
  // finish). `worker_busy`: the rank's worker-busy seconds so far (for the idle phase).
  bool open(const MachineMaker& maker, bool scatter, double worker_busy);
  // A machine that learns its shard count by executing (a new artifact): the request proves
  // while rank 0 executes, without an artifact, until the count is known. Rank 0: count_due()
  // says the execution has ended and learned_count() is the count; it tells the other ranks
  // (kTagCount) and everyone joins establish() — collective: the artifact and the journal are
  // created, the proofs held so far journaled, the tree started — and the request goes on as
  // any other.
  bool count_due() const;
  uint64_t learned_count() const;
  void establish(uint64_t count);
  // The first shard scattered to this rank, once (with its machine and journal filled in).
  std::optional<ShardJob> take_first_job();
  // A job of this request for the worker (its checkpoint, machine and journal filled in).
  ShardJob job(uint64_t shard, uint32_t attempt, std::vector<uint8_t> checkpoint);

  // ---- every rank --------------------------------------------------------------------------
  // A finished job of this request: the proof is held, the phases counted; the report to send.
  DoneMsg take_result(ShardResult& res);
  // Collective: joins a write rank 0 decided.
  void apply_write(const WriteMsg& w);
  // The tree: orders, children, nodes ready for the worker, nodes computed by it.
  void on_order(const TreeOrder& order);
  void on_child(const std::vector<uint8_t>& bytes);
  std::vector<NodeWork> take_ready_nodes();
  // A node this rank's worker computed (in `seconds`): kept for its parent; its record goes to
  // rank 0 (on rank 0: straight to the tree scheduler).
  void on_computed(int64_t node, NodeRecord record, TreeSlot result, double seconds);
  const TreePlan& plan() const { return *plan_; }
  const TreeStep& step() const { return *step_; }
  // Collective: the request's end (see above). `worker_busy`: as for open().
  void finish(const StopMsg& stop, double worker_busy);
  const PipelineResult& result() const { return result_; }
  PipelineResult take_result() { return std::move(result_); }

  // ---- rank 0 ------------------------------------------------------------------------------
  ShardScheduler& scheduler() { return *sched_; }
  RequestLoad load() const;
  ActiveRequest active() const;
  // A shard's checkpoint (it exists: the scheduler hands out only those).
  const std::vector<uint8_t>& checkpoint(uint64_t shard) const;
  // A worker reported a shard of this request.
  void on_result(int rank, const DoneMsg& m);
  // Releases the shards whose checkpoints exist by now; an execution failure becomes fatal.
  void poll_execution();
  // An interrupt or a cancel: the request stops (see stop_due) and ends with `what` unless all
  // its shards are stored by then.
  void request_stop(std::string what);
  // The request must stop handing out work and has not started stopping yet.
  bool stop_due() const { return (fatal_ || stop_what_) && !stopping_; }
  // Starts stopping: nothing more is handed out or executed (the caller cancels the queued
  // shards on every rank).
  void begin_stop();
  // The writes rank 0 decides: the last one once proving is over, otherwise one as soon as about
  // one proof per rank is ready (see write_if_due in the .cpp). Returns whether it wrote.
  bool write_if_due();
  // The request is over (last write done, every ordered tree node reported): how it ended.
  std::optional<StopMsg> over();
  void update_progress();
  // Ends the live progress line, so that a note starts on a line of its own.
  void break_line();
  // A tree node's record reported by another rank.
  void on_remote_record(NodeRecord rec) { on_tree_record(std::move(rec)); }

 private:
  static double since(Clock::time_point t0);  // seconds
  // Opening (request_open.cpp).
  void note(const std::string& line);
  void fail_open(const Failure& f);
  void set_count(uint64_t n);
  bool learn_count(bool scatter, double worker_busy);
  void start_loop(double worker_busy);
  void start_progress();
  bool setup();
  void validate_stored();
  void recover_journal();
  void prepare_schedule();
  void execute_and_scatter(bool scatter);
  void start_tree();
  void dispatch(const TreeOrder& order);
  void on_tree_record(NodeRecord rec);
  void release_if_done(uint64_t shard);
  void write(WriteMsg w);
  void broadcast(int tag, const std::vector<uint8_t>& bytes);

  RankContext ctx_;
  const EngineOptions& o_;
  uint32_t slot_;
  RequestTicket ticket_;
  Post post_;
  PipelineResult result_;
  Clock::time_point t0_ = Clock::now();
  Clock::time_point t_loop_;        // when proving began on this rank (after open)
  Clock::time_point t_last_proof_;  // rank 0: when the last proof arrived
  std::vector<double> phases_;
  double busy_at_loop_ = 0;  // the rank's worker-busy seconds when proving began

  std::shared_ptr<const ShardedMachine> machine_;
  ArtifactRequest request_;
  uint64_t n_ = 0;
  std::unique_ptr<TreePlan> plan_;
  std::unique_ptr<CoreTreeStep> step_;
  std::optional<Artifact> art_;
  std::unique_ptr<JournalWriter> journal_;
  std::unique_ptr<TreeRank> tree_;

  // Proofs this rank holds until they are both in the artifact and taken by the tree (unless
  // keep_held_): then released, so a rank's memory holds the proofs in transit, not all it made.
  std::map<uint64_t, std::vector<uint8_t>> held_;
  std::vector<uint8_t> written_;    // [n] this rank's copy of the proof is in the artifact
  std::vector<uint8_t> tree_took_;  // [n] the tree has taken the proof
  bool keep_held_ = false;          // the end may reorder the artifact from held proofs
  std::vector<uint8_t> valid_;      // [n] stored proof verified by checksum
  std::optional<ShardJob> first_job_;
  uint64_t resumed_ = 0;
  // The count is being learned (see count_due()): no artifact, journal or tree yet.
  bool counting_ = false;
  // The request ends without an artifact: its execution failed while the count was learned, or
  // the artifact could not be created.
  bool never_stored_ = false;
  std::vector<std::vector<uint8_t>> early_children_;  // tree children before the tree exists

  // Rank 0 only.
  std::vector<int> holder_;  // who holds each proof
  std::vector<AppendEntry> recovered_;
  std::vector<AppendEntry> early_entries_;  // proofs reported while the count was learned
  std::vector<uint64_t> to_prove_;
  std::unique_ptr<ExecutionStream> execution_;  // the checkpoints, as they are executed
  std::unique_ptr<ShardScheduler> sched_;
  std::unique_ptr<WritePlanner> planner_;
  std::unique_ptr<TreeScheduler> tree_sched_;
  std::vector<NodeRecord> tree_records_;
  std::optional<Failure> fatal_;
  std::optional<std::string> stop_what_;  // interrupted or cancelled: how the end says it
  bool stopping_ = false;
  std::vector<uint64_t> failed_shards_;
  std::vector<uint64_t> proven_shards_;
  std::vector<ShardFailure> failures_;
  std::unique_ptr<Progress> progress_;
  Clock::time_point t_start_;  // proving began (progress rate)
  Clock::time_point last_write_, last_flush_;
  double last_write_seconds_ = 0;
  bool wrote_last_ = false;
};

}  // namespace tessera::mpi
