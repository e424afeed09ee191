// Opening a request (RequestRun, mpi/request_run.hpp): building its machine, deciding about the
// output path, creating or opening the artifact and the journal, checking the stored proofs,
// taking proofs from the journal, the schedule and the first scatter — and, for a machine whose
// shard count is learned by executing, proving before the count is known and establishing the
// artifact once it is (DESIGN.md §5).
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <limits>

#include "common/check.hpp"
#include "common/nvtx.hpp"
#include "io/checksum.hpp"
#include "mpi/interrupt.hpp"
#include "mpi/messaging.hpp"
#include "mpi/mpi_check.hpp"
#include "mpi/request_run.hpp"
#include "shard/sharded_machine.hpp"

namespace tessera::mpi {

namespace fs = std::filesystem;

namespace {

bool folder_has_files(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return false;
  return fs::directory_iterator(dir, ec) != fs::directory_iterator();
}

// Time, process and a per-process count: unique across runs, reruns, tests that run the pipeline
// several times in one process, and requests opened by one drain.
std::string new_run_id() {
  char stamp[32];
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
  static int runs = 0;
  return std::string(stamp) + "-" + std::to_string(::getpid()) + "-" + std::to_string(++runs);
}

// What is at the output path already.
struct OutputPath {
  bool exists = false;   // the artifact
  bool journal = false;  // a journal of an unfinished run
  explicit OutputPath(const fs::path& out) {
    std::error_code ec;
    exists = fs::exists(out, ec);
    journal = folder_has_files(journal_dir(out));
  }
};

// A new run (no --resume) does not overwrite an artifact or a journal without --force.
void refuse_to_overwrite(const RequestTicket& t, const OutputPath& at) {
  if (t.resume || t.force || !(at.exists || at.journal)) return;
  if (at.exists)
    TESSERA_FAIL(ErrorKind::InputFile, "artifact '" << t.out.string()
                                                    << "' already exists (use --resume to "
                                                       "continue it or --force to overwrite it)");
  TESSERA_FAIL(ErrorKind::InputFile,
               "'" << journal_dir(t.out).string()
                   << "' holds the journal of an unfinished run (use --resume to continue "
                      "it or --force to discard it)");
}

// Rank 0, before a machine that learns its shard count executes: whether the run starts a new
// artifact (create) — it may then prove while it learns the count — or continues one (its stored
// shards must be known first). Nothing is touched: decide() acts once the count is known.
Setup decide_before_count(const RequestTicket& t) {
  Setup s;
  const OutputPath at(t.out);
  s.error = capture([&] { refuse_to_overwrite(t, at); });
  s.create = !t.resume || !(at.exists || at.journal);
  return s;
}

// Rank 0: what to do with the output path, before anyone opens it.
Setup decide(const RequestTicket& t, const ArtifactRequest& request) {
  Setup s;
  const fs::path& out = t.out;
  const fs::path jdir = journal_dir(out);
  std::error_code ec;
  const OutputPath at(out);
  const bool exists = at.exists;
  const bool journal = at.journal;
  s.run_id = new_run_id();
  s.error = capture([&] {
    if (!t.resume) {
      refuse_to_overwrite(t, at);
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
}  // namespace

void RequestRun::fail_open(const Failure& f) {
  result_.kind = f.kind;
  result_.message = f.message;
  result_.wall_seconds = since(t0_);
}

bool RequestRun::open(const MachineMaker& maker, bool scatter, double worker_busy) {
  TESSERA_RANGE("open request");
  // Every rank builds the machine from the ticket; a request that cannot be built (an unknown
  // machine, a bad ELF) fails here, on every rank alike, before any file is touched.
  std::optional<Failure> local = capture([&] {
    try {
      machine_ = maker(ticket_);
    } catch (const Error&) {
      throw;
    } catch (const fs::filesystem_error&) {
      throw;  // an input file problem (capture says so)
    } catch (const std::exception& e) {
      // Whatever else a machine's constructor throws fails this request, not the whole run.
      TESSERA_FAIL(ErrorKind::Internal,
                   "building the machine of '" << ticket_.key << "' failed: " << e.what());
    }
    TESSERA_CHECK(machine_ != nullptr, ErrorKind::Internal,
                  "no machine for '" << ticket_.key << "'");
    if (machine_->shard_count_known()) set_count(machine_->num_shards());
  });
  if (auto f = agree(*ctx_.comm, local)) {
    fail_open(*f);
    return false;
  }
  if (!machine_->shard_count_known()) {
    if (!learn_count(scatter, worker_busy)) return false;
    if (counting_) return true;  // proving has begun; count_due() says when to go on
  }
  if (!setup()) return false;
  result_.started = true;
  validate_stored();
  recover_journal();
  prepare_schedule();
  execute_and_scatter(scatter);
  start_tree();
  start_loop(worker_busy);
  start_progress();
  return true;
}

void RequestRun::set_count(uint64_t n) {
  n_ = n;
  request_ = request_of(*machine_);
  plan_ = std::make_unique<TreePlan>(n_);
  step_ = std::make_unique<CoreTreeStep>(*machine_);
  result_.request = request_;
  result_.shards = n_;
}

void RequestRun::start_loop(double worker_busy) {
  t_loop_ = t_last_proof_ = Clock::now();
  busy_at_loop_ = worker_busy;
  if (ctx_.me == 0) t_start_ = last_write_ = last_flush_ = Clock::now();
}

void RequestRun::start_progress() {
  if (ctx_.me != 0) return;
  progress_ = std::make_unique<Progress>(*(o_.log ? o_.log : &std::cerr),
                                         o_.log ? o_.progress_style : Progress::Style::Off,
                                         o_.progress_interval, n_, resumed_ + recovered_.size());
}

// A machine that learns its shard count by executing (a guest program: DESIGN.md §5). Rank 0
// starts the execution at once. A new artifact: the first shard of every rank is scattered as
// soon as its checkpoint exists and proving begins, with an open-ended schedule that hands out
// each further shard as the execution reaches it; the artifact and the journal are created in
// establish() once the count is known (the proofs finished by then are held, then journaled). A
// resume: the stored shards are known only from the artifact, which needs the count — the ranks
// wait for the execution's end (rank 0 executes, the others wait politely) and go on as for a
// known count.
bool RequestRun::learn_count(bool scatter, double worker_busy) {
  TESSERA_RANGE("learn shard count");
  const MPI_Comm c = ctx_.comm->get();
  Setup s;
  if (ctx_.me == 0) s = decide_before_count(ticket_);
  const Setup all =
      decode_setup(broadcast_bytes(c, 0, ctx_.me == 0 ? encode(s) : std::vector<uint8_t>{}));
  if (all.error) {
    fail_open(*all.error);
    return false;
  }
  if (ctx_.me == 0)
    execution_ = std::make_unique<ExecutionStream>(*machine_, std::nullopt, ctx_.omp_threads);
  if (all.create) {
    counting_ = true;
    result_.started = true;
    if (ctx_.me == 0)
      sched_ =
          std::make_unique<ShardScheduler>(ShardScheduler::open_ended(ctx_.ranks, o_.max_attempts));
    execute_and_scatter(scatter);
    start_loop(worker_busy);
    return true;
  }
  // Resume: the count first.
  CountMsg count;
  if (ctx_.me == 0) {
    const auto t = Clock::now();
    for (int round = 0; !execution_->ended(); ++round)
      execution_->wait_for(~uint64_t{0}, poll_interval(round));
    phases_[kIdle] += since(t);
    if (const std::exception_ptr e = execution_->failure()) {
      count.failure = execution_failure(machine_->name(), e);
    } else {
      count.count = execution_->ready();
    }
  }
  {
    const auto t = Clock::now();
    MPI_Request req;
    MPI_CHECK(MPI_Ibarrier(c, &req));
    wait_politely(req);
    phases_[kIdle] += since(t);
  }
  count =
      decode_count(broadcast_bytes(c, 0, ctx_.me == 0 ? encode(count) : std::vector<uint8_t>{}));
  if (count.failure) {
    fail_open(*count.failure);
    return false;
  }
  if (ctx_.me != 0) machine_->adopt_shard_count(count.count);
  set_count(count.count);
  return true;
}

bool RequestRun::setup() {
  TESSERA_RANGE("setup");
  const MPI_Comm c = ctx_.comm->get();
  Setup s;
  if (ctx_.me == 0) s = decide(ticket_, request_);
  const Setup all =
      decode_setup(broadcast_bytes(c, 0, ctx_.me == 0 ? encode(s) : std::vector<uint8_t>{}));
  for (const auto& line : s.notes) note(line);
  if (all.error) {
    fail_open(*all.error);
    return false;
  }

  const auto t_io = Clock::now();
  std::optional<Failure> local = capture([&] {
    const Artifact::Parallel par{c, ctx_.me};
    art_ = all.create ? Artifact::create(ticket_.out, request_, par)
                      : Artifact::open(ticket_.out, Artifact::Mode::ReadWrite, par);
  });
  if (auto f = agree(*ctx_.comm, local)) {
    fail_open(*f);
    return false;
  }
  local = capture([&] {
    journal_ = std::make_unique<JournalWriter>(journal_dir(ticket_.out),
                                               all.run_id + "-r" + std::to_string(ctx_.me) + ".tsj",
                                               request_.fingerprint(), o_.journal_sync);
  });
  if (auto f = agree(*ctx_.comm, local)) {
    fail_open(*f);
    return false;
  }
  phases_[kIo] += since(t_io);
  return true;
}

// Every stored proof is read back (by rank i mod P, collectively) and checked against its
// recorded checksum before /shards/status is believed; what fails is proven again.
void RequestRun::validate_stored() {
  TESSERA_RANGE("validate stored shards");
  const auto t_io = Clock::now();
  const auto& table = art_->shards();
  std::vector<uint64_t> mine;
  for (uint64_t i = 0; i < n_; ++i)
    if (table[i].status == ShardStatus::Proven && static_cast<int>(i % ctx_.ranks) == ctx_.me)
      mine.push_back(i);
  auto bytes = art_->read_proofs(mine);
  valid_.assign(n_, 0);
  std::vector<uint64_t> read_here;  // the stored proofs this rank now holds
  for (size_t k = 0; k < mine.size(); ++k) {
    if (fnv1a64(bytes[k]) != table[mine[k]].checksum) continue;
    valid_[mine[k]] = 1;
    held_[mine[k]] = std::move(bytes[k]);
    read_here.push_back(mine[k]);
  }
  MPI_Request req;
  MPI_CHECK(MPI_Iallreduce(MPI_IN_PLACE, valid_.data(), static_cast<int>(n_), MPI_UINT8_T, MPI_MAX,
                           ctx_.comm->get(), &req));
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
  // (Not every held proof: one proven while the count was learned is not written yet.)
  for (uint64_t shard : read_here) written_[shard] = 1;
  if (resumed_ > 0)
    note("resuming: " + std::to_string(resumed_) + " of " + std::to_string(n_) +
         " shards are stored in '" + ticket_.out.string() + "'");
  phases_[kIo] += since(t_io);
}

// Rank 0: proofs that reached the journal but not the artifact are taken from the journal.
void RequestRun::recover_journal() {
  if (ctx_.me != 0) return;
  const auto t_io = Clock::now();
  const JournalScan scan = scan_journal(journal_dir(ticket_.out), request_.fingerprint());
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
         journal_dir(ticket_.out).string() + "'");
  phases_[kIo] += since(t_io);
}

// Rank 0: what is left to prove, and the execution that makes its checkpoints (on a thread of
// its own from here on, while the ranks prove).
void RequestRun::prepare_schedule() {
  if (ctx_.me != 0) return;
  std::vector<bool> have(n_, false);
  for (uint64_t i = 0; i < n_; ++i) have[i] = valid_[i] != 0;
  for (const auto& e : recovered_) have[e.shard] = true;
  std::vector<bool> stored(n_);
  for (uint64_t i = 0; i < n_; ++i) {
    stored[i] = valid_[i] != 0;
    if (!have[i]) to_prove_.push_back(i);
  }
  planner_ = std::make_unique<WritePlanner>(stored);
  for (const auto& e : recovered_) planner_->add(e);
  holder_.resize(n_, -1);  // (the shards proven while the count was learned are in it already)
  for (uint64_t i = 0; i < n_; ++i)
    if (valid_[i]) holder_[i] = static_cast<int>(i % ctx_.ranks);
  for (const auto& e : recovered_) holder_[e.shard] = 0;
  if (counting_) {
    // The new artifact's schedule has run since the request opened: the proofs reported so far
    // wait for their first write, and the schedule learns its size.
    for (const auto& e : early_entries_) planner_->add(e);
    early_entries_.clear();
    sched_->release_until(n_);
    sched_->close(n_);
    return;
  }
  sched_ = std::make_unique<ShardScheduler>(to_prove_, ctx_.ranks, o_.max_attempts,
                                            /*ready_end=*/0);
  if (to_prove_.empty()) return;
  // A machine that learned its count (a resume) has its execution already: every checkpoint.
  if (execution_) return;
  std::vector<bool> wanted(n_, false);
  for (uint64_t i : to_prove_) wanted[i] = true;
  execution_ = std::make_unique<ExecutionStream>(*machine_, std::move(wanted), ctx_.omp_threads);
}

// With `scatter` (every rank idle: the request opens alone), rank 0 waits only for the first
// shard of every rank and hands those out by one MPI_Scatterv; the others wait (idle) at a polite
// barrier meanwhile. Otherwise the ranks are busy with other requests, and this request's shards
// go out one by one as their checkpoints appear, like every later shard.
void RequestRun::execute_and_scatter(bool scatter) {
  if (!scatter) return;
  const int me = ctx_.me, ranks = ctx_.ranks;
  const MPI_Comm c = ctx_.comm->get();
  std::vector<std::optional<uint64_t>> initial(static_cast<size_t>(ranks), std::nullopt);
  if (me == 0 && (counting_ || !to_prove_.empty())) {
    // The checkpoints up to the first shard of the last rank (a new artifact whose count is still
    // to be learned: shards 0 .. ranks-1, or all there are, when the execution ends before).
    uint64_t needed = static_cast<uint64_t>(ranks);
    if (!counting_)
      needed = to_prove_[std::min(to_prove_.size(), static_cast<size_t>(ranks)) - 1] + 1;
    const auto t = Clock::now();
    // A failure or an interrupt before then: nobody gets a first shard, and the coordinator
    // ends the request as for any other fatal error or interrupt.
    for (int round = 0;
         execution_->ready() < needed && !execution_->ended() && !InterruptHandlers::requested();
         ++round)
      execution_->wait_for(needed, poll_interval(round));
    phases_[kIdle] += since(t);
    sched_->release_until(execution_->ready());
    if ((execution_->ready() >= needed || execution_->complete()) &&
        !InterruptHandlers::requested())
      initial = sched_->initial_assignment();
  }
  {
    const auto t = Clock::now();
    MPI_Request req;
    MPI_CHECK(MPI_Ibarrier(c, &req));
    wait_politely(req);
    phases_[kIdle] += since(t);
  }
  TESSERA_RANGE("scatter");
  const auto t = Clock::now();
  // Sizes first: (shard or kNoShard, checkpoint bytes) per rank; then the payloads.
  std::vector<uint64_t> header(2 * static_cast<size_t>(ranks), 0);
  std::vector<int> counts(static_cast<size_t>(ranks), 0), displs(static_cast<size_t>(ranks), 0);
  std::vector<uint8_t> payload;
  if (me == 0) {
    for (int r = 0; r < ranks; ++r) {
      const auto& s = initial[static_cast<size_t>(r)];
      header[2 * r] = s ? *s : kNoShard;
      const std::vector<uint8_t>* cp = s ? &execution_->checkpoint(*s) : nullptr;
      header[2 * r + 1] = s ? cp->size() : 0;
      displs[static_cast<size_t>(r)] = static_cast<int>(payload.size());
      counts[static_cast<size_t>(r)] = static_cast<int>(header[2 * r + 1]);
      if (s) payload.insert(payload.end(), cp->begin(), cp->end());
    }
    TESSERA_CHECK(payload.size() <= static_cast<size_t>(std::numeric_limits<int>::max()),
                  ErrorKind::InvalidArgument, "first checkpoints exceed MPI's int count");
  }
  uint64_t mine[2] = {kNoShard, 0};
  MPI_Request req;
  MPI_CHECK(MPI_Iscatter(header.data(), 2, MPI_UINT64_T, mine, 2, MPI_UINT64_T, 0, c, &req));
  wait_politely(req);
  std::vector<uint8_t> cp(std::max<uint64_t>(1, mine[1]));
  static uint8_t dummy = 0;
  MPI_CHECK(MPI_Iscatterv(payload.empty() ? &dummy : payload.data(), counts.data(), displs.data(),
                          MPI_BYTE, cp.data(), static_cast<int>(mine[1]), MPI_BYTE, 0, c, &req));
  wait_politely(req);
  cp.resize(mine[1]);
  if (mine[0] != kNoShard) first_job_ = job(mine[0], 0, std::move(cp));
  phases_[kScatter] += since(t);
}

// ---- the shard count learned ------------------------------------------------------------------

bool RequestRun::count_due() const {
  return counting_ && !never_stored_ && execution_ && execution_->complete();
}

uint64_t RequestRun::learned_count() const {
  return execution_->ready();
}

void RequestRun::establish(uint64_t count) {
  TESSERA_RANGE("establish request");
  std::optional<Failure> local = capture([&] {
    if (ctx_.me != 0) machine_->adopt_shard_count(count);
    TESSERA_CHECK(machine_->num_shards() == count, ErrorKind::Internal,
                  "machine " << machine_->name() << " has " << machine_->num_shards()
                             << " shards, rank 0 learned " << count);
    set_count(count);
  });
  if (const auto f = agree(*ctx_.comm, local); f || !setup()) {
    // No artifact (someone created the file meanwhile, an HDF5 error): the request ends with
    // the error once its shards in flight are done.
    never_stored_ = true;
    if (f) fail_open(*f);
    if (ctx_.me == 0) fatal_ = Failure{result_.kind, result_.message};
    return;
  }
  // A new artifact (validate_stored sizes the bookkeeping): no journal of an earlier run either
  // — there was none, or --force removed it — so recover_journal has nothing to find, and must
  // not look: the other ranks are journaling their held proofs right now.
  validate_stored();
  {
    // The proofs this rank took before the journal existed.
    const auto t = Clock::now();
    for (const auto& [shard, proof] : held_)
      journal_->append(shard, proof, fnv1a64(proof), ctx_.me);
    phases_[kIo] += since(t);
  }
  prepare_schedule();
  counting_ = false;
  start_tree();
  for (const auto& bytes : early_children_) tree_->on_child(bytes);
  early_children_.clear();
  start_progress();
  if (ctx_.me == 0) progress_->update(proven_shards_.size(), since(t_start_));
}

}  // namespace tessera::mpi
