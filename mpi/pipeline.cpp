#include "mpi/pipeline.hpp"

#include <omp.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <sstream>
#include <thread>

#include "backend/backend.hpp"
#include "common/check.hpp"
#include "common/nvtx.hpp"
#include "io/checksum.hpp"
#include "io/journal.hpp"
#include "mpi/device_binding.hpp"
#include "mpi/execution_stream.hpp"
#include "mpi/interrupt.hpp"
#include "mpi/messaging.hpp"
#include "mpi/mpi_check.hpp"
#include "mpi/placement.hpp"
#include "mpi/reduction_tree.hpp"
#include "mpi/scheduler.hpp"
#include "mpi/shard_worker.hpp"
#include "mpi/tree_messages.hpp"
#include "mpi/tree_plan.hpp"
#include "mpi/tree_scheduler.hpp"
#include "mpi/tree_step.hpp"
#include "mpi/write_planner.hpp"
#include "shard/sharded_machine.hpp"

namespace tessera::mpi {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr uint64_t kNoShard = ~uint64_t{0};
constexpr uint32_t kMaxText = 1u << 20;
constexpr uint64_t kMaxCheckpointBytes = uint64_t{1} << 31;

double since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// ---- agreeing on errors ------------------------------------------------------------------------

struct Failure {
  ErrorKind kind = ErrorKind::Internal;
  std::string message;
};

// Every rank's local error (if any) becomes the same verdict on every rank: the lowest failing
// rank's error. Collective.
std::optional<Failure> agree(const Communicator& comm, const std::optional<Failure>& mine) {
  ByteWriter w;
  w.u8(mine ? 1 : 0);
  if (mine) {
    w.u32(static_cast<uint32_t>(mine->kind));
    w.str(mine->message);
  }
  for (const auto& bytes : allgather_bytes(comm.get(), w.data())) {
    ByteReader r(bytes);
    if (r.u8("verdict") == 0) continue;
    Failure f;
    f.kind = static_cast<ErrorKind>(r.u32("verdict kind"));
    f.message = r.str("verdict message", kMaxText);
    return f;
  }
  return std::nullopt;
}

// What the execution thread threw, as the run's error.
Failure execution_failure(const std::string& machine, const std::exception_ptr& e) {
  const std::string what = "executing " + machine + " failed: ";
  try {
    std::rethrow_exception(e);
  } catch (const Error& err) {
    return {err.kind(), what + err.what()};
  } catch (const std::exception& err) {
    return {ErrorKind::Internal, what + err.what()};
  } catch (...) {
    return {ErrorKind::Internal, what + "an exception of unknown type"};
  }
}

template <typename F>
std::optional<Failure> capture(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return Failure{e.kind(), e.what()};
  } catch (const fs::filesystem_error& e) {
    return Failure{ErrorKind::InputFile, e.what()};
  }
  return std::nullopt;
}

// ---- messages ----------------------------------------------------------------------------------

struct DoneMsg {
  uint64_t shard = kNoShard;
  uint32_t attempt = 0;
  bool ok = false;
  bool cancelled = false;  // never started: the run stopped before the worker reached it
  ErrorKind kind = ErrorKind::Internal;
  std::string message;
  uint64_t size = 0;
  uint64_t checksum = 0;
};

std::vector<uint8_t> encode(const DoneMsg& m) {
  ByteWriter w;
  w.u64(m.shard);
  w.u32(m.attempt);
  w.u8(m.ok ? 1 : 0);
  w.u8(m.cancelled ? 1 : 0);
  w.u32(static_cast<uint32_t>(m.kind));
  w.str(m.message);
  w.u64(m.size);
  w.u64(m.checksum);
  return w.take();
}

DoneMsg decode_done(const std::vector<uint8_t>& bytes) {
  ByteReader r(bytes);
  DoneMsg m;
  m.shard = r.u64("done shard");
  m.attempt = r.u32("done attempt");
  m.ok = r.u8("done ok") != 0;
  m.cancelled = r.u8("done cancelled") != 0;
  m.kind = static_cast<ErrorKind>(r.u32("done kind"));
  m.message = r.str("done message", kMaxText);
  m.size = r.u64("done size");
  m.checksum = r.u64("done checksum");
  r.expect_end("done message");
  return m;
}

std::vector<uint8_t> encode_assign(uint64_t shard, uint32_t attempt,
                                   const std::vector<uint8_t>& checkpoint) {
  ByteWriter w;
  w.u64(shard);
  w.u32(attempt);
  w.u64(checkpoint.size());
  w.bytes(checkpoint);
  return w.take();
}

ShardJob decode_assign(const std::vector<uint8_t>& bytes) {
  ByteReader r(bytes);
  ShardJob job;
  job.shard = r.u64("assign shard");
  job.attempt = r.u32("assign attempt");
  const uint64_t size = r.u64("assign checkpoint size");
  TESSERA_CHECK(size <= kMaxCheckpointBytes, ErrorKind::Format,
                "checkpoint of " << size << " bytes");
  auto b = r.bytes(static_cast<size_t>(size), "assign checkpoint");
  job.checkpoint.assign(b.begin(), b.end());
  r.expect_end("assign message");
  return job;
}

struct WriteMsg {
  std::vector<AppendEntry> batch;
  std::vector<uint64_t> failed;  // shards to mark Failed
  // Flush the file afterwards (H5Fflush, an fsync underneath: 15-40 ms measured, more than the
  // write). Between flushes the journal is the durable record of every finished shard, and a
  // resume rebuilds whatever the artifact lacks from it.
  bool flush = false;
};

std::vector<uint8_t> encode(const WriteMsg& m) {
  ByteWriter w;
  w.u64(m.batch.size());
  for (const AppendEntry& e : m.batch) {
    w.u64(e.shard);
    w.u64(e.size);
    w.u64(e.checksum);
    w.u32(static_cast<uint32_t>(e.holder));
    w.u32(static_cast<uint32_t>(e.prover_rank));
    w.u32(e.attempts);
  }
  w.u64(m.failed.size());
  for (uint64_t s : m.failed) w.u64(s);
  w.u8(m.flush ? 1 : 0);
  return w.take();
}

WriteMsg decode_write(const std::vector<uint8_t>& bytes) {
  ByteReader r(bytes);
  WriteMsg m;
  const uint64_t count = r.u64("write batch size");
  TESSERA_CHECK(count <= r.remaining() / 36, ErrorKind::Format, "write batch of " << count);
  for (uint64_t i = 0; i < count; ++i) {
    AppendEntry e;
    e.shard = r.u64("write shard");
    e.size = r.u64("write size");
    e.checksum = r.u64("write checksum");
    e.holder = static_cast<int32_t>(r.u32("write holder"));
    e.prover_rank = static_cast<int32_t>(r.u32("write prover"));
    e.attempts = r.u32("write attempts");
    m.batch.push_back(e);
  }
  const uint64_t failed = r.u64("write failed count");
  TESSERA_CHECK(failed <= r.remaining() / 8, ErrorKind::Format, "write failed list of " << failed);
  for (uint64_t i = 0; i < failed; ++i) m.failed.push_back(r.u64("write failed shard"));
  m.flush = r.u8("write flush") != 0;
  r.expect_end("write message");
  return m;
}

struct StopMsg {
  PipelineResult::End end = PipelineResult::End::Complete;
  ErrorKind kind = ErrorKind::Internal;
  std::string message;
};

std::vector<uint8_t> encode(const StopMsg& m) {
  ByteWriter w;
  w.u8(static_cast<uint8_t>(m.end));
  w.u32(static_cast<uint32_t>(m.kind));
  w.str(m.message);
  return w.take();
}

StopMsg decode_stop(const std::vector<uint8_t>& bytes) {
  ByteReader r(bytes);
  StopMsg m;
  m.end = static_cast<PipelineResult::End>(r.u8("stop end"));
  m.kind = static_cast<ErrorKind>(r.u32("stop kind"));
  m.message = r.str("stop message", kMaxText);
  r.expect_end("stop message");
  return m;
}

// ---- the run's decisions before any collective I/O --------------------------------------------

struct Setup {
  bool create = true;  // create a new artifact, else open the existing one
  std::vector<std::string> notes;
  std::optional<Failure> error;
  std::string run_id;  // names this run's journal files
};

std::vector<uint8_t> encode(const Setup& s) {
  ByteWriter w;
  w.u8(s.create ? 1 : 0);
  w.u8(s.error ? 1 : 0);
  if (s.error) {
    w.u32(static_cast<uint32_t>(s.error->kind));
    w.str(s.error->message);
  }
  w.str(s.run_id);
  return w.take();
}

Setup decode_setup(const std::vector<uint8_t>& bytes) {
  ByteReader r(bytes);
  Setup s;
  s.create = r.u8("setup mode") != 0;
  if (r.u8("setup error") != 0) {
    Failure f;
    f.kind = static_cast<ErrorKind>(r.u32("setup kind"));
    f.message = r.str("setup message", kMaxText);
    s.error = f;
  }
  s.run_id = r.str("setup run id", 256);
  return s;
}

bool folder_has_files(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return false;
  return fs::directory_iterator(dir, ec) != fs::directory_iterator();
}

// Rank 0: what to do with the output path, before anyone opens it.
Setup decide(const PipelineOptions& o, const ArtifactRequest& request) {
  Setup s;
  const fs::path& out = o.out;
  const fs::path jdir = journal_dir(out);
  std::error_code ec;
  const bool exists = fs::exists(out, ec);
  const bool journal = folder_has_files(jdir);
  {
    char stamp[32];
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
    // Time, process and a per-process count: unique across runs, reruns and tests that run
    // the pipeline several times in one process.
    static int runs = 0;
    s.run_id = std::string(stamp) + "-" + std::to_string(::getpid()) + "-" + std::to_string(++runs);
  }
  s.error = capture([&] {
    if (!o.resume) {
      if ((exists || journal) && !o.force) {
        if (exists)
          TESSERA_FAIL(ErrorKind::InputFile, "artifact '"
                                                 << out.string()
                                                 << "' already exists (use --resume to "
                                                    "continue it or --force to overwrite it)");
        TESSERA_FAIL(ErrorKind::InputFile,
                     "'" << jdir.string()
                         << "' holds the journal of an unfinished run (use --resume to continue "
                            "it or --force to discard it)");
      }
      if (exists || journal) {
        fs::remove(out);
        fs::remove_all(jdir);
        s.notes.push_back("overwriting '" + out.string() + "' (--force)");
      }
      s.create = true;
      return;
    }
    if (!exists) {
      s.create = true;
      s.notes.push_back(journal ? "'" + out.string() +
                                      "' does not exist; rebuilding it from its journal"
                                : "nothing to resume: '" + out.string() +
                                      "' does not exist; starting a new artifact");
      return;
    }
    try {
      Artifact probe = Artifact::open(out, Artifact::Mode::ReadOnly, std::nullopt);
      if (probe.request().fingerprint() != request.fingerprint())
        TESSERA_FAIL(ErrorKind::ConfigMismatch,
                     "cannot resume '" << out.string() << "': it holds the request '"
                                       << probe.request().describe() << "', this run asks for '"
                                       << request.describe() << "'");
      s.create = false;
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::Format && e.kind() != ErrorKind::Hdf5) throw;
      // The file cannot be trusted (a kill during a metadata write, a truncation): keep it for
      // inspection, and rebuild from the journal, which holds every finished shard.
      fs::path damaged = out.string() + ".damaged";
      for (int k = 1; fs::exists(damaged, ec); ++k)
        damaged = out.string() + ".damaged." + std::to_string(k);
      fs::rename(out, damaged);
      s.notes.push_back("'" + out.string() + "' is unreadable (" + e.what() + "); kept as '" +
                        damaged.string() + "' and rebuilt from its journal");
      s.create = true;
    }
  });
  return s;
}

int omp_threads_for(const Placement& p) {
  if (std::getenv("OMP_NUM_THREADS") != nullptr) return 0;  // the user's choice stands
  const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  return std::max(1, static_cast<int>(hw) / std::max(1, p.node_size));
}

// The whole run on one rank; rank 0 additionally coordinates.
class Run {
 public:
  Run(const Communicator& world, const ShardedMachine& machine, const PipelineOptions& options)
      : comm_(world),
        c_(world.get()),
        me_(world.rank()),
        ranks_(world.size()),
        machine_(machine),
        o_(options),
        request_(request_of(machine)),
        n_(machine.num_shards()),
        plan_(n_),
        step_(machine) {
    phases_.assign(kPhaseCount, 0.0);
  }

  PipelineResult go();

 private:
  void note(const std::string& line) {
    if (me_ != 0 || o_.log == nullptr) return;
    if (progress_ != nullptr) progress_->break_line();
    *o_.log << "tessera: note: " << line << std::endl;
  }
  bool setup(PipelineResult& result);
  void validate_stored();
  void recover_journal();
  void execute_and_scatter();
  StopMsg coordinate();
  StopMsg work();
  void apply_write(const WriteMsg& w);
  void on_result(int rank, const DoneMsg& m);
  DoneMsg take_result(ShardResult& res);
  // The streaming reduction tree (mpi/reduction_tree.hpp), on every rank's main thread.
  void start_tree();
  void dispatch(const TreeOrder& order);  // rank 0
  void on_tree_record(NodeRecord rec);    // rank 0
  void idle_wait(int round);
  bool pump_tree();  // computed nodes reported, ready nodes to the worker; false: nothing to do
  void release_if_done(uint64_t shard);  // drops a held proof once written and taken by the tree
  void finish(PipelineResult& result, const StopMsg& stop);

  const Communicator& comm_;
  MPI_Comm c_;
  int me_;
  int ranks_;
  const ShardedMachine& machine_;
  const PipelineOptions& o_;
  ArtifactRequest request_;
  uint64_t n_;
  TreePlan plan_;
  CoreTreeStep step_;
  Clock::time_point t0_ = Clock::now();
  Clock::time_point t_last_proof_;  // rank 0: when the last proof arrived
  std::vector<double> phases_;
  double worker_busy_ = 0;  // the worker thread's proving, journal and tree-node seconds

  Placement placement_;
  std::unique_ptr<Backend> backend_;
  std::optional<Artifact> art_;
  std::unique_ptr<JournalWriter> journal_;
  std::unique_ptr<ShardWorker> worker_;
  std::unique_ptr<TreeRank> tree_;
  // Tree nodes handed to the worker, by node id: the worker writes the outcome, the main thread
  // takes it once poll_task() reports the node done.
  std::map<int64_t, std::shared_ptr<std::pair<NodeRecord, TreeSlot>>> node_outcomes_;
  Outbox outbox_;  // this rank's nonblocking sends while proving

  // Proofs this rank holds until they are both in the artifact and taken by the tree (unless
  // keep_held_): then released, so a rank's memory holds the proofs in transit, not all it made.
  std::map<uint64_t, std::vector<uint8_t>> held_;
  std::vector<uint8_t> written_;    // [n] this rank's copy of the proof is in the artifact
  std::vector<uint8_t> tree_took_;  // [n] the tree has taken the proof
  bool keep_held_ = false;          // the end may reorder the artifact from held proofs
  std::vector<uint8_t> valid_;      // [n] stored proof verified by checksum
  std::vector<int> holder_;         // rank 0: who holds each proof

  // Rank 0 only.
  std::vector<AppendEntry> recovered_;
  std::unique_ptr<ExecutionStream> execution_;  // the checkpoints, as they are executed
  std::unique_ptr<ShardScheduler> sched_;
  std::unique_ptr<WritePlanner> planner_;
  std::unique_ptr<TreeScheduler> tree_sched_;
  std::vector<NodeRecord> tree_records_;
  std::optional<ShardJob> first_job_;
  std::optional<Failure> fatal_;
  std::vector<uint64_t> failed_shards_;
  std::vector<uint64_t> proven_shards_;
  std::vector<ShardFailure> failures_;
  uint64_t resumed_ = 0;
  bool interrupted_ = false;
  bool stopping_ = false;
  std::vector<bool> steal_asked_;  // a cancel of queued shards was sent, no answer yet
  Progress* progress_ = nullptr;   // rank 0 while proving: notes end its live line first  //
                                   // hand-out stopped and queued shards cancelled
  std::string signal_;             // what interrupted the run, for messages
};

bool Run::setup(PipelineResult& result) {
  TESSERA_RANGE("setup");
  placement_ = place_rank(comm_, [](const char* name) { return std::getenv(name); });
  const int threads = omp_threads_for(placement_);
  if (threads > 0) omp_set_num_threads(threads);

  std::optional<Failure> local = capture([&] {
    bind_thread_to_device(placement_.device);
    backend_ = make_backend(o_.backend);
  });
  if (auto f = agree(comm_, local)) {
    result.kind = f->kind;
    result.message = f->message;
    return false;
  }
  result.backend = backend_->name();

  Setup s;
  if (me_ == 0) s = decide(o_, request_);
  const Setup all =
      decode_setup(broadcast_bytes(c_, 0, me_ == 0 ? encode(s) : std::vector<uint8_t>{}));
  for (const auto& line : s.notes) note(line);
  if (all.error) {
    result.kind = all.error->kind;
    result.message = all.error->message;
    return false;
  }

  const auto t_io = Clock::now();
  local = capture([&] {
    const Artifact::Parallel par{c_, me_};
    art_ = all.create ? Artifact::create(o_.out, request_, par)
                      : Artifact::open(o_.out, Artifact::Mode::ReadWrite, par);
  });
  if (auto f = agree(comm_, local)) {
    result.kind = f->kind;
    result.message = f->message;
    return false;
  }
  local = capture([&] {
    journal_ = std::make_unique<JournalWriter>(journal_dir(o_.out),
                                               all.run_id + "-r" + std::to_string(me_) + ".tsj",
                                               request_.fingerprint(), o_.journal_sync);
  });
  if (auto f = agree(comm_, local)) {
    result.kind = f->kind;
    result.message = f->message;
    return false;
  }
  phases_[kIo] += since(t_io);
  return true;
}

// Every stored proof is read back (by rank i mod P, collectively) and checked against its
// recorded checksum before /shards/status is believed; what fails is proven again.
void Run::validate_stored() {
  TESSERA_RANGE("validate stored shards");
  const auto t_io = Clock::now();
  const auto& table = art_->shards();
  std::vector<uint64_t> mine;
  for (uint64_t i = 0; i < n_; ++i)
    if (table[i].status == ShardStatus::Proven && static_cast<int>(i % ranks_) == me_)
      mine.push_back(i);
  auto bytes = art_->read_proofs(mine);
  valid_.assign(n_, 0);
  for (size_t k = 0; k < mine.size(); ++k) {
    if (fnv1a64(bytes[k]) != table[mine[k]].checksum) continue;
    valid_[mine[k]] = 1;
    held_[mine[k]] = std::move(bytes[k]);
  }
  MPI_Request req;
  MPI_CHECK(MPI_Iallreduce(MPI_IN_PLACE, valid_.data(), static_cast<int>(n_), MPI_UINT8_T, MPI_MAX,
                           c_, &req));
  wait_politely(req);
  std::vector<uint64_t> invalid;
  uint64_t keep_end = 0;
  for (uint64_t i = 0; i < n_; ++i) {
    if (table[i].status != ShardStatus::Proven) continue;
    if (valid_[i]) {
      keep_end = std::max(keep_end, table[i].offset + table[i].size);
      ++resumed_;
    } else {
      invalid.push_back(i);
    }
  }
  if (!invalid.empty()) {
    note(std::to_string(invalid.size()) +
         " stored proof(s) fail their checksum and will be proven again (first: shard " +
         std::to_string(invalid.front()) + ")");
    art_->set_status(invalid, ShardStatus::Missing);
  }
  // Bytes past the last kept proof (a batch cut short by a kill) are dropped, so appends
  // continue right after it and the proofs stay in shard order.
  if (keep_end < art_->proof_bytes_used()) art_->truncate_proofs(keep_end);
  // Stored proofs that are not an in-order prefix (a run that ended with a hole wrote later
  // shards first) make a complete run rewrite them in shard order at the end, from the proofs
  // held: those must then stay held. The table is the same on every rank, so is the decision.
  for (uint64_t i = art_->first_out_of_order(); i < n_; ++i)
    keep_held_ = keep_held_ || art_->shards()[i].status == ShardStatus::Proven;
  written_.assign(n_, 0);
  tree_took_.assign(n_, 0);
  for (const auto& entry : held_) written_[entry.first] = 1;  // the validated stored proofs
  if (resumed_ > 0)
    note("resuming: " + std::to_string(resumed_) + " of " + std::to_string(n_) +
         " shards are stored in '" + o_.out.string() + "'");
  phases_[kIo] += since(t_io);
}

// Rank 0: proofs that reached the journal but not the artifact are taken from the journal.
void Run::recover_journal() {
  if (me_ != 0) return;
  const auto t_io = Clock::now();
  const JournalScan scan = scan_journal(journal_dir(o_.out), request_.fingerprint());
  for (const auto& line : scan.notes) note(line);
  for (const JournalEntry& e : scan.entries) {
    if (e.shard >= n_ || valid_[e.shard]) continue;
    try {
      held_[e.shard] = load_journal_proof(e);
    } catch (const Error& err) {
      note(std::string(err.what()) + "; the shard will be proven again");
      continue;
    }
    recovered_.push_back({e.shard, e.size, e.checksum, 0, e.prover_rank, 1});
  }
  if (!recovered_.empty())
    note("recovered " + std::to_string(recovered_.size()) + " proven shard(s) from the journal '" +
         journal_dir(o_.out).string() + "'");
  phases_[kIo] += since(t_io);
}

void Run::execute_and_scatter() {
  // Rank 0 decides the work and starts executing; the others wait (idle) at a polite barrier
  // until the first checkpoints exist.
  std::vector<std::optional<uint64_t>> initial;
  if (me_ == 0) {
    std::vector<uint64_t> to_prove;
    std::vector<bool> have(n_, false);
    for (uint64_t i = 0; i < n_; ++i) have[i] = valid_[i] != 0;
    for (const auto& e : recovered_) have[e.shard] = true;
    std::vector<bool> stored(n_);
    for (uint64_t i = 0; i < n_; ++i) {
      stored[i] = valid_[i] != 0;
      if (!have[i]) to_prove.push_back(i);
    }
    planner_ = std::make_unique<WritePlanner>(stored);
    for (const auto& e : recovered_) planner_->add(e);
    holder_.assign(n_, -1);
    for (uint64_t i = 0; i < n_; ++i)
      if (valid_[i]) holder_[i] = static_cast<int>(i % ranks_);
    for (const auto& e : recovered_) holder_[e.shard] = 0;
    // Execution runs on its own thread from here on, while the ranks prove: only the first
    // shard of every rank (one scatter) waits for it; the coordinator hands out the others as
    // their checkpoints appear.
    sched_ = std::make_unique<ShardScheduler>(to_prove, ranks_, o_.max_attempts, /*ready_end=*/0);
    initial.assign(static_cast<size_t>(ranks_), std::nullopt);
    if (!to_prove.empty()) {
      std::vector<bool> wanted(n_, false);
      for (uint64_t i : to_prove) wanted[i] = true;
      execution_ = std::make_unique<ExecutionStream>(machine_, std::move(wanted),
                                                     omp_threads_for(placement_));
      const size_t first = std::min(to_prove.size(), static_cast<size_t>(ranks_));
      const uint64_t needed = to_prove[first - 1] + 1;
      const auto t = Clock::now();
      // A failure or an interrupt before then: nobody gets a first shard, and the coordinator
      // ends the run as for any other fatal error or interrupt.
      for (int round = 0;
           execution_->ready() < needed && !execution_->ended() && !InterruptHandlers::requested();
           ++round)
        execution_->wait_for(needed, poll_interval(round));
      phases_[kIdle] += since(t);
      sched_->release_until(execution_->ready());
      if (execution_->ready() >= needed && !InterruptHandlers::requested())
        initial = sched_->initial_assignment();
    }
  }
  {
    const auto t = Clock::now();
    MPI_Request req;
    MPI_CHECK(MPI_Ibarrier(c_, &req));
    wait_politely(req);
    phases_[kIdle] += since(t);
  }
  TESSERA_RANGE("scatter");
  const auto t = Clock::now();
  // Sizes first: (shard or kNoShard, checkpoint bytes) per rank; then the payloads.
  std::vector<uint64_t> header(2 * static_cast<size_t>(ranks_), 0);
  std::vector<int> counts(static_cast<size_t>(ranks_), 0), displs(static_cast<size_t>(ranks_), 0);
  std::vector<uint8_t> payload;
  if (me_ == 0) {
    for (int r = 0; r < ranks_; ++r) {
      const auto& s = initial[static_cast<size_t>(r)];
      header[2 * r] = s ? *s : kNoShard;
      const std::vector<uint8_t>* checkpoint = s ? &execution_->checkpoint(*s) : nullptr;
      header[2 * r + 1] = s ? checkpoint->size() : 0;
      displs[static_cast<size_t>(r)] = static_cast<int>(payload.size());
      counts[static_cast<size_t>(r)] = static_cast<int>(header[2 * r + 1]);
      if (s) payload.insert(payload.end(), checkpoint->begin(), checkpoint->end());
    }
    TESSERA_CHECK(payload.size() <= static_cast<size_t>(std::numeric_limits<int>::max()),
                  ErrorKind::InvalidArgument, "first checkpoints exceed MPI's int count");
  }
  uint64_t mine[2] = {kNoShard, 0};
  MPI_Request req;
  MPI_CHECK(MPI_Iscatter(header.data(), 2, MPI_UINT64_T, mine, 2, MPI_UINT64_T, 0, c_, &req));
  wait_politely(req);
  std::vector<uint8_t> checkpoint(std::max<uint64_t>(1, mine[1]));
  static uint8_t dummy = 0;
  MPI_CHECK(MPI_Iscatterv(payload.empty() ? &dummy : payload.data(), counts.data(), displs.data(),
                          MPI_BYTE, checkpoint.data(), static_cast<int>(mine[1]), MPI_BYTE, 0, c_,
                          &req));
  wait_politely(req);
  checkpoint.resize(mine[1]);
  if (mine[0] != kNoShard) first_job_ = ShardJob{mine[0], 0, std::move(checkpoint)};
  phases_[kScatter] += since(t);
}

void Run::apply_write(const WriteMsg& w) {
  TESSERA_RANGE("artifact write");
  const auto t = Clock::now();
  art_->append_proofs(w.batch, [&](uint64_t s) -> std::span<const uint8_t> {
    auto it = held_.find(s);
    TESSERA_CHECK(
        it != held_.end(), ErrorKind::Internal,
        "rank " << me_ << " was asked to write shard " << s << ", which it does not hold");
    return it->second;
  });
  for (const AppendEntry& e : w.batch) {
    if (e.holder != me_) continue;
    written_[e.shard] = 1;
    release_if_done(e.shard);
  }
  if (!w.failed.empty()) art_->set_status(w.failed, ShardStatus::Failed);
  if (w.flush) art_->flush();
  phases_[kIo] += since(t);
}

DoneMsg Run::take_result(ShardResult& res) {
  phases_[kProve] += res.prove_seconds;
  phases_[kIo] += res.journal_seconds;
  worker_busy_ += res.prove_seconds + res.journal_seconds;
  DoneMsg m;
  m.shard = res.shard;
  m.attempt = res.attempt;
  m.ok = res.ok;
  m.kind = res.kind;
  m.message = res.message;
  m.size = res.proof.size();
  m.checksum = res.checksum;
  if (res.ok) held_[res.shard] = std::move(res.proof);
  return m;
}

void Run::on_result(int rank, const DoneMsg& m) {
  steal_asked_[static_cast<size_t>(rank)] = false;
  if (m.cancelled) {
    sched_->returned(rank, m.shard);
    return;
  }
  if (m.ok) {
    sched_->completed(rank, m.shard);
    planner_->add({m.shard, m.size, m.checksum, rank, rank, sched_->attempts(m.shard)});
    holder_[m.shard] = rank;
    proven_shards_.push_back(m.shard);
    t_last_proof_ = Clock::now();
    if (auto o = tree_sched_->proven(m.shard, rank)) dispatch(*o);
    return;
  }
  const bool retryable = m.kind == ErrorKind::Retryable;
  const auto outcome = sched_->failed(rank, m.shard, retryable);
  const bool retry = outcome == ShardScheduler::Outcome::Retry;
  failures_.push_back({m.shard, rank, retry, m.message});
  if (retry) {
    note("shard " + std::to_string(m.shard) + " failed on rank " + std::to_string(rank) + " (" +
         m.message + "); retrying it" + (ranks_ > 1 ? " on another rank" : ""));
    return;
  }
  failed_shards_.push_back(m.shard);
  if (!fatal_) {
    std::ostringstream os;
    os << "shard " << m.shard << " failed on rank " << rank;
    if (retryable) os << " after " << sched_->attempts(m.shard) << " attempts";
    os << ": " << m.message;
    fatal_ = Failure{m.kind, os.str()};
  }
}

void Run::start_tree() {
  tree_ = std::make_unique<TreeRank>(
      plan_, me_,
      [this](uint64_t s) {
        auto it = held_.find(s);
        TESSERA_CHECK(it != held_.end(), ErrorKind::Internal,
                      "rank " << me_ << " should hold shard " << s << "'s proof");
        tree_took_[s] = 1;
        if (written_[s] && !keep_held_) {
          std::vector<uint8_t> proof = std::move(it->second);
          held_.erase(it);
          return proof;
        }
        return it->second;  // a copy: the proof stays held until it is written
      },
      [this](int dest, std::vector<uint8_t> bytes) {
        outbox_.post(c_, dest, kTagTree, std::move(bytes));
      });
  if (me_ != 0) return;
  tree_sched_ = std::make_unique<TreeScheduler>(plan_);
  // Proofs found stored or in the journal are done from the start.
  for (uint64_t i = 0; i < n_; ++i)
    if (holder_[i] >= 0)
      if (auto o = tree_sched_->proven(i, holder_[i])) dispatch(*o);
}

void Run::dispatch(const TreeOrder& o) {
  const auto bytes = encode_order(o);
  std::vector<int> to{o.owner, o.left_holder};
  if (o.right != TreeOrder::kNone) to.push_back(o.right_holder);
  std::sort(to.begin(), to.end());
  to.erase(std::unique(to.begin(), to.end()), to.end());
  for (int r : to) {
    if (r == 0) {
      tree_->on_order(o);
    } else {
      outbox_.post(c_, r, kTagTreeOrder, bytes);
    }
  }
}

void Run::on_tree_record(NodeRecord rec) {
  const int64_t node = rec.j == NodeRecord::kRootLeaf ? 0 : static_cast<int64_t>(n_ + rec.j);
  tree_records_.push_back(std::move(rec));
  if (auto o = tree_sched_->computed(node)) dispatch(*o);
}

// The main loop's wait when there was nothing to do: it wakes the moment the worker finishes,
// and otherwise polls MPI at poll_interval's backoff — but while the worker has nothing to do
// (a rank waiting for work, or the tree's last nodes hopping between idle ranks) on a node with
// a core per rank, at most every 100 us, so messages are not left waiting for milliseconds. On an
// oversubscribed node the fast polling of idle ranks would take the cores of those still proving.
void Run::idle_wait(int round) {
  auto wait = poll_interval(round);
  const bool core_per_rank =
      placement_.node_size <= static_cast<int>(std::thread::hardware_concurrency());
  if (core_per_rank && worker_->outstanding() == 0)
    wait = std::min(wait, std::chrono::microseconds(100));
  worker_->wait_for_result(wait);
}

void Run::release_if_done(uint64_t shard) {
  if (written_[shard] && tree_took_[shard] && !keep_held_) held_.erase(shard);
}

bool Run::pump_tree() {
  bool did = false;
  while (auto t = worker_->poll_task()) {
    did = true;
    phases_[kTree] += t->seconds;
    worker_busy_ += t->seconds;
    auto it = node_outcomes_.find(t->id);
    TESSERA_CHECK(it != node_outcomes_.end(), ErrorKind::Internal,
                  "rank " << me_ << ": tree node " << t->id << " done but never submitted");
    auto [rec, result] = std::move(*it->second);
    node_outcomes_.erase(it);
    tree_->on_computed(t->id, std::move(result));
    if (me_ == 0) {
      on_tree_record(std::move(rec));
    } else {
      ByteWriter w;
      write_record(w, rec);
      outbox_.post(c_, 0, kTagTreeDone, w.take());
    }
  }
  for (NodeWork& w : tree_->take_ready()) {
    did = true;
    const int64_t node = w.node;
    auto work = std::make_shared<NodeWork>(std::move(w));
    auto outcome = std::make_shared<std::pair<NodeRecord, TreeSlot>>();
    node_outcomes_[node] = outcome;
    worker_->submit_task(node, [this, work, outcome] {
      *outcome = compute_node(plan_, step_, std::move(*work), me_);
    });
  }
  return did;
}

StopMsg Run::coordinate() {
  TESSERA_RANGE("prove (coordinator)");
  if (first_job_) worker_->submit(std::move(*first_job_));

  const uint64_t already = resumed_ + recovered_.size();
  Progress progress(*(o_.log ? o_.log : &std::cerr),
                    o_.log ? o_.progress_style : Progress::Style::Off, o_.progress_interval, n_,
                    already);
  progress_ = &progress;
  steal_asked_.assign(static_cast<size_t>(ranks_), false);
  const auto t_start = Clock::now();
  auto last_write = t_start, last_flush = t_start;
  double last_write_seconds = 0;

  auto write = [&](WriteMsg w) {
    const auto t = Clock::now();
    if (w.flush) last_flush = t;
    const auto bytes = encode(w);
    for (int r = 1; r < ranks_; ++r) outbox_.post(c_, r, kTagWrite, bytes);
    apply_write(w);
    last_write = Clock::now();
    last_write_seconds = std::chrono::duration<double>(last_write - t).count();
  };

  StopMsg stop;
  bool wrote_last = false;
  for (int round = 0;;) {
    bool did = false;
    while (auto res = worker_->poll()) {
      on_result(0, take_result(*res));
      did = true;
    }
    while (auto msg = try_receive(c_, MPI_ANY_SOURCE, MPI_ANY_TAG)) {
      did = true;
      if (msg->tag == kTagDone) {
        on_result(msg->source, decode_done(msg->bytes));
      } else if (msg->tag == kTagTree) {
        tree_->on_child(msg->bytes);
      } else if (msg->tag == kTagTreeDone) {
        ByteReader r(msg->bytes);
        NodeRecord rec = read_record(r);
        r.expect_end("tree record message");
        on_tree_record(std::move(rec));
      } else if (msg->tag == kTagInterrupt) {
        interrupted_ = true;
      } else {
        TESSERA_FAIL(ErrorKind::Internal,
                     "coordinator got message tag " << msg->tag << " from rank " << msg->source);
      }
    }
    if (InterruptHandlers::requested()) interrupted_ = true;
    if (execution_) {
      // Shards whose checkpoints exist by now may go out.
      sched_->release_until(execution_->ready());
      if (!fatal_)
        if (const std::exception_ptr e = execution_->failure())
          fatal_ = execution_failure(machine_.name(), e);
    }
    if ((interrupted_ || fatal_) && !stopping_) {
      stopping_ = true;
      sched_->stop();
      if (execution_) execution_->stop();  // nothing more will be handed out
      // Shards queued on a rank but not started go back: only the ones being proven finish.
      for (uint64_t s : worker_->cancel_queued()) sched_->returned(0, s);
      for (int r = 1; r < ranks_; ++r) outbox_.post(c_, r, kTagCancel, {0});
      if (interrupted_ && !fatal_) {
        signal_ = InterruptHandlers::requested() ? InterruptHandlers::signal_name()
                                                 : "a signal to another rank";
        note("stopping on " + signal_ + ": finishing the shards being proven, then flushing " +
             "the artifact");
      }
    }
    // Hand out work. A rank holds the shard it proves plus, while there is plenty left (to
    // execute too), the next one, so it never waits for a message between two shards; near the
    // end each rank takes one at a time, so no rank sits on a shard another could prove sooner.
    // Ranks without a shard come first: while execution runs, checkpoints are scarce and go
    // where a prover would otherwise wait.
    for (size_t depth = 1; depth <= 2; ++depth) {
      for (int r = 0; r < ranks_; ++r) {
        while (sched_->in_flight_on(r) < depth) {
          if (depth == 2 && sched_->queued() + sched_->waiting() < static_cast<size_t>(ranks_))
            break;
          const auto s = sched_->next_for(r);  // only shards whose checkpoints exist
          if (!s) break;
          const uint32_t attempt = sched_->attempts(*s) - 1;
          const std::vector<uint8_t>& checkpoint = execution_->checkpoint(*s);
          if (r == 0) {
            worker_->submit({*s, attempt, checkpoint});
          } else {
            outbox_.post(c_, r, kTagAssign, encode_assign(*s, attempt, checkpoint));
          }
          did = true;
        }
      }
    }
    // Work stealing at the end: a rank is idle, nothing is queued, and another rank holds a
    // shard it has not started (prefetched behind a slow one) — that rank hands its queued
    // shards back, and the idle rank takes them at the next turn.
    if (!stopping_ && sched_->queued() == 0) {
      bool someone_idle = false;
      for (int r = 0; r < ranks_; ++r) someone_idle = someone_idle || sched_->in_flight_on(r) == 0;
      for (int r = 0; someone_idle && r < ranks_; ++r) {
        if (sched_->in_flight_on(r) < 2 || steal_asked_[static_cast<size_t>(r)]) continue;
        if (r == 0) {
          for (uint64_t sh : worker_->cancel_queued()) sched_->returned(0, sh);
        } else {
          outbox_.post(c_, r, kTagCancel, {0});
          steal_asked_[static_cast<size_t>(r)] = true;
        }
        did = true;
      }
    }
    did = pump_tree() || did;
    // Proving is over: what is left to write goes out now (close() flushes), while the tree's
    // last nodes are computed.
    if (sched_->finished() && !wrote_last) {
      WriteMsg last{planner_->take_all(), failed_shards_};
      if (!last.batch.empty() || !last.failed.empty()) write(std::move(last));
      wrote_last = true;
      did = true;
    }
    // Every ordered node has reported: with every shard proven the tree is complete (a node is
    // in flight until the root is), otherwise nothing more can be ordered.
    if (wrote_last && tree_sched_->in_flight() == 0) {
      const uint64_t have = art_->count(ShardStatus::Proven);
      if (fatal_) {
        stop = {PipelineResult::End::Failed, fatal_->kind,
                fatal_->message + "; " + std::to_string(have) + " of " + std::to_string(n_) +
                    " shards are kept in '" + o_.out.string() + "' (continue with --resume)"};
      } else if (have < n_ && !interrupted_) {
        stop = {
            PipelineResult::End::Failed, ErrorKind::Internal,
            "the scheduler ran out of work with " + std::to_string(n_ - have) + " shards unproven"};
      } else if (have < n_) {
        stop = {PipelineResult::End::Interrupted, ErrorKind::Interrupted,
                "stopped by " + signal_ + ": " + std::to_string(have) + " of " +
                    std::to_string(n_) + " shards are stored in '" + o_.out.string() +
                    "' (continue with --resume)"};
      } else {
        stop = {PipelineResult::End::Complete, ErrorKind::Internal, ""};
      }
      const auto bytes = encode(stop);
      for (int r = 1; r < ranks_; ++r) outbox_.post(c_, r, kTagStop, bytes);
      break;
    }
    const size_t ready = planner_->ready();
    // The journal already holds every finished proof; the artifact catches up as soon as about
    // one proof per rank is ready, so that the write left after the last shard — the only one
    // the run waits for — stays small. A collective write holds every rank's main thread, so
    // writes are spaced at least 4x the duration of the previous one apart (at most ~1/5 of the
    // main threads' time), and none waits longer than write_interval.
    const double since_write = since(last_write);
    if (ready > 0 &&
        (since_write >= o_.write_interval ||
         (ready >= static_cast<size_t>(ranks_) && since_write >= 4 * last_write_seconds))) {
      write({planner_->take_prefix(), {}, since(last_flush) >= o_.write_interval});
      did = true;
    }
    progress.update(proven_shards_.size(), since(t_start));
    outbox_.progress();
    if (did) {
      round = 0;
    } else {
      idle_wait(round++);
    }
  }
  progress.finish(proven_shards_.size(), since(t_start));
  progress_ = nullptr;
  outbox_.drain();
  return stop;
}

StopMsg Run::work() {
  TESSERA_RANGE("prove (worker)");
  if (first_job_) worker_->submit(std::move(*first_job_));
  bool told_interrupt = false;
  for (int round = 0;;) {
    bool did = false;
    while (auto res = worker_->poll()) {
      outbox_.post(c_, 0, kTagDone, encode(take_result(*res)));
      did = true;
    }
    if (InterruptHandlers::requested() && !told_interrupt) {
      outbox_.post(c_, 0, kTagInterrupt, {0});
      told_interrupt = true;
    }
    while (auto msg = try_receive(c_, 0, MPI_ANY_TAG)) {
      did = true;
      switch (msg->tag) {
        case kTagAssign:
          worker_->submit(decode_assign(msg->bytes));
          break;
        case kTagCancel:
          for (uint64_t s : worker_->cancel_queued()) {
            DoneMsg m;
            m.shard = s;
            m.cancelled = true;
            outbox_.post(c_, 0, kTagDone, encode(m));
          }
          break;
        case kTagWrite:
          apply_write(decode_write(msg->bytes));
          break;
        case kTagTreeOrder:
          tree_->on_order(decode_order(msg->bytes));
          break;
        case kTagTree:  // a child shipped by rank 0
          tree_->on_child(msg->bytes);
          break;
        case kTagStop:
          outbox_.drain();
          return decode_stop(msg->bytes);
        default:
          TESSERA_FAIL(ErrorKind::Internal, "worker got message tag " << msg->tag);
      }
    }
    while (auto msg = try_receive(c_, MPI_ANY_SOURCE, kTagTree)) {
      tree_->on_child(msg->bytes);
      did = true;
    }
    did = pump_tree() || did;
    outbox_.progress();
    if (did) {
      round = 0;
    } else {
      idle_wait(round++);
    }
  }
}

void Run::finish(PipelineResult& result, const StopMsg& stop) {
  result.end = stop.end;
  result.kind = stop.kind;
  result.message = stop.message;

  FinalRecord record;
  if (stop.end == PipelineResult::End::Complete) {
    // Everyone learns who holds which proof (for the order check).
    ByteWriter w;
    if (me_ == 0)
      for (int h : holder_) w.u32(static_cast<uint32_t>(h));
    const auto bytes = broadcast_bytes(c_, 0, w.take());
    ByteReader r(bytes);
    std::vector<int> holder(n_);
    for (auto& h : holder) h = static_cast<int>(r.u32("holder"));
    // A run that ended with a hole (a shard failed for good) wrote later shards first; put the
    // proofs back in shard order, so the file is the same as an uninterrupted run's.
    if (const uint64_t from = art_->first_out_of_order(); from < n_) {
      TESSERA_RANGE("artifact reorder");
      const auto t = Clock::now();
      std::vector<AppendEntry> batch;
      for (uint64_t i = from; i < n_; ++i) {
        const ShardEntry& e = art_->shards()[i];
        batch.push_back({i, e.size, e.checksum, holder[i], e.prover_rank, e.attempts});
      }
      art_->rewrite_from(from, batch, [&](uint64_t s) -> std::span<const uint8_t> {
        auto it = held_.find(s);
        TESSERA_CHECK(it != held_.end(), ErrorKind::Internal,
                      "rank " << me_ << " no longer holds shard " << s << " for the reorder");
        return it->second;
      });
      art_->flush();
      phases_[kIo] += since(t);
    }
    // The tree ran while the ranks proved; rank 0 holds every node's record. Everyone assembles
    // the same outcome from the same bytes.
    const auto t = Clock::now();
    const TreeOutcome tree = assemble_tree(
        plan_,
        broadcast_bytes(c_, 0, me_ == 0 ? encode_records(tree_records_) : std::vector<uint8_t>{}));
    phases_[kTree] += since(t);
    record = tree.record;
    if (tree.ok) {
      // The same data on every rank, so the same verdict without a message.
      try {
        machine_.check_root(tree.root);
        result.verified = true;
        result.root = tree.root;
      } catch (const Error& e) {
        result.kind = e.kind();
        result.message = e.what();
      }
    } else {
      result.kind = tree.kind;
      result.message = tree.message;
    }
    record.verified = result.verified;
  }

  phases_[kTotal] = since(t0_);
  ByteWriter mine;
  for (double v : phases_) mine.u64(std::bit_cast<uint64_t>(v));
  RunTimings timings;
  timings.phases.assign(std::begin(kPhaseNames), std::end(kPhaseNames));
  for (const auto& bytes : allgather_bytes(c_, mine.data())) {
    ByteReader r(bytes);
    std::vector<double> row(kPhaseCount);
    for (double& v : row) v = std::bit_cast<double>(r.u64("timing"));
    timings.seconds.push_back(std::move(row));
  }
  // Rank 0's counters reach the file through the broadcast of its values.
  ByteWriter counts;
  counts.u64(proven_shards_.size());
  counts.u64(resumed_);
  counts.u64(sched_ ? sched_->retries() : 0);
  counts.u64(std::bit_cast<uint64_t>(phases_[kTotal]));
  {
    const auto bytes = broadcast_bytes(c_, 0, me_ == 0 ? counts.take() : std::vector<uint8_t>{});
    ByteReader r(bytes);
    timings.shards_proven = r.u64("proven");
    timings.shards_resumed = r.u64("resumed");
    timings.retries = r.u64("retries");
    timings.wall_seconds = std::bit_cast<double>(r.u64("wall"));
  }

  const auto t_io = Clock::now();
  {
    TESSERA_RANGE("artifact finalise");
    if (stop.end == PipelineResult::End::Complete) art_->write_final(record);
    art_->write_timings(timings);
    result.stored = art_->count(ShardStatus::Proven);
    art_->close();
  }
  phases_[kIo] += since(t_io);
  if (me_ == 0 && stop.end == PipelineResult::End::Complete && result.verified) {
    // Every proof and the final statement are in the artifact: the journal has done its job.
    journal_.reset();
    std::error_code ec;
    fs::remove_all(journal_dir(o_.out), ec);
  }
  {
    // When any rank returns, the artifact and journal are in their final state.
    MPI_Request req;
    MPI_CHECK(MPI_Ibarrier(c_, &req));
    wait_politely(req);
  }

  result.timings = std::move(timings);
  result.proven = proven_shards_.size();
  std::sort(proven_shards_.begin(), proven_shards_.end());
  result.proven_shards = proven_shards_;
  result.resumed = resumed_;
  result.recovered = recovered_.size();
  result.retries = sched_ ? sched_->retries() : 0;
  result.failures = failures_;
}

PipelineResult Run::go() {
  TESSERA_RANGE("pipeline");
  PipelineResult result;
  result.artifact = o_.out.string();
  result.request = request_;
  result.ranks = ranks_;
  result.shards = n_;
  result.end = PipelineResult::End::Failed;
  const InterruptHandlers handlers;
  if (!setup(result)) {
    result.wall_seconds = since(t0_);
    return result;
  }
  result.started = true;
  validate_stored();
  recover_journal();
  execute_and_scatter();
  worker_ = std::make_unique<ShardWorker>(machine_, *backend_, journal_.get(), o_.faults,
                                          omp_threads_for(placement_), placement_.device, me_);
  start_tree();
  const auto t_loop = Clock::now();
  t_last_proof_ = t_loop;
  const StopMsg stop = me_ == 0 ? coordinate() : work();
  const double loop_seconds = since(t_loop);
  worker_.reset();  // idle by now: every assigned shard has reported
  if (execution_) {
    phases_[kExecute] = execution_->seconds();
    // Ended by now unless the run stopped early (then it was told to stop): a short join.
    execution_.reset();
  }
  // The worker thread's idle time in the proving phase (proving, journal records and tree nodes
  // were its work).
  phases_[kIdle] += std::max(0.0, loop_seconds - worker_busy_);
  finish(result, stop);
  result.wall_seconds = since(t0_);
  result.tail_seconds = since(t_last_proof_);
  return result;
}

}  // namespace

PipelineResult run_pipeline(const Communicator& world, const ShardedMachine& machine,
                            const PipelineOptions& options) {
  Run run(world, machine, options);
  return run.go();
}

}  // namespace tessera::mpi
