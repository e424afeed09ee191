#include "mpi/request_run.hpp"

#include <algorithm>
#include <bit>
#include <iostream>
#include <sstream>

#include "common/check.hpp"
#include "common/nvtx.hpp"
#include "mpi/messaging.hpp"
#include "mpi/mpi_check.hpp"
#include "mpi/tree_messages.hpp"
#include "shard/sharded_machine.hpp"

namespace tessera::mpi {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double RequestRun::since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

RequestRun::RequestRun(const RankContext& ctx, uint32_t slot, RequestTicket ticket, Post post)
    : ctx_(ctx), o_(*ctx.options), slot_(slot), ticket_(std::move(ticket)), post_(std::move(post)) {
  phases_.assign(kPhaseCount, 0.0);
  result_.artifact = ticket_.out.string();
  result_.ranks = ctx_.ranks;
  result_.backend = ctx_.backend;
  result_.end = PipelineResult::End::Failed;
}

RequestRun::~RequestRun() = default;

void RequestRun::note(const std::string& line) {
  if (ctx_.me != 0 || o_.log == nullptr) return;
  if (progress_ != nullptr) progress_->break_line();
  *o_.log << "tessera: note: " << (o_.label_notes ? "[" + ticket_.key + "] " : "") << line
          << std::endl;
}

std::optional<ShardJob> RequestRun::take_first_job() {
  std::optional<ShardJob> out = std::move(first_job_);
  first_job_.reset();
  return out;
}

ShardJob RequestRun::job(uint64_t shard, uint32_t attempt, std::vector<uint8_t> checkpoint) {
  return {slot_, shard, attempt, std::move(checkpoint), machine_.get(), journal_.get()};
}

const std::vector<uint8_t>& RequestRun::checkpoint(uint64_t shard) const {
  return execution_->checkpoint(shard);
}

void RequestRun::start_tree() {
  tree_ = std::make_unique<TreeRank>(
      *plan_, ctx_.me,
      [this](uint64_t s) {
        auto it = held_.find(s);
        TESSERA_CHECK(it != held_.end(), ErrorKind::Internal,
                      "rank " << ctx_.me << " should hold shard " << s << "'s proof");
        tree_took_[s] = 1;
        if (written_[s] && !keep_held_) {
          std::vector<uint8_t> proof = std::move(it->second);
          held_.erase(it);
          return proof;
        }
        return it->second;  // a copy: the proof stays held until it is written
      },
      [this](int dest, std::vector<uint8_t> bytes) { post_(dest, kTagTree, std::move(bytes)); });
  if (ctx_.me != 0) return;
  tree_sched_ = std::make_unique<TreeScheduler>(*plan_);
  // Proofs found stored or in the journal are done from the start.
  for (uint64_t i = 0; i < n_; ++i)
    if (holder_[i] >= 0)
      if (auto o = tree_sched_->proven(i, holder_[i])) dispatch(*o);
}

void RequestRun::dispatch(const TreeOrder& o) {
  const auto bytes = encode_order(o);
  std::vector<int> to{o.owner, o.left_holder};
  if (o.right != TreeOrder::kNone) to.push_back(o.right_holder);
  std::sort(to.begin(), to.end());
  to.erase(std::unique(to.begin(), to.end()), to.end());
  for (int r : to) {
    if (r == 0) {
      tree_->on_order(o);
    } else {
      post_(r, kTagTreeOrder, bytes);
    }
  }
}

void RequestRun::on_tree_record(NodeRecord rec) {
  const int64_t node = rec.j == NodeRecord::kRootLeaf ? 0 : static_cast<int64_t>(n_ + rec.j);
  tree_records_.push_back(std::move(rec));
  if (auto o = tree_sched_->computed(node)) dispatch(*o);
}

void RequestRun::on_order(const TreeOrder& order) {
  tree_->on_order(order);
}

void RequestRun::on_child(const std::vector<uint8_t>& bytes) {
  // A child from another rank may overtake rank 0's kTagCount to this rank.
  if (counting_) {
    early_children_.push_back(bytes);
    return;
  }
  tree_->on_child(bytes);
}

std::vector<NodeWork> RequestRun::take_ready_nodes() {
  if (tree_ == nullptr) return {};  // (the count is being learned)
  return tree_->take_ready();
}

void RequestRun::on_computed(int64_t node, NodeRecord record, TreeSlot result, double seconds) {
  phases_[kTree] += seconds;
  tree_->on_computed(node, std::move(result));
  if (ctx_.me == 0) {
    on_tree_record(std::move(record));
  } else {
    ByteWriter w;
    write_record(w, record);
    post_(0, kTagTreeDone, w.take());
  }
}

void RequestRun::release_if_done(uint64_t shard) {
  if (written_[shard] && tree_took_[shard] && !keep_held_) held_.erase(shard);
}

void RequestRun::apply_write(const WriteMsg& w) {
  TESSERA_RANGE("artifact write");
  const auto t = Clock::now();
  art_->append_proofs(w.batch, [&](uint64_t s) -> std::span<const uint8_t> {
    auto it = held_.find(s);
    TESSERA_CHECK(
        it != held_.end(), ErrorKind::Internal,
        "rank " << ctx_.me << " was asked to write shard " << s << ", which it does not hold");
    return it->second;
  });
  for (const AppendEntry& e : w.batch) {
    if (e.holder != ctx_.me) continue;
    written_[e.shard] = 1;
    release_if_done(e.shard);
  }
  if (!w.failed.empty()) art_->set_status(w.failed, ShardStatus::Failed);
  if (w.flush) art_->flush();
  phases_[kIo] += since(t);
}

DoneMsg RequestRun::take_result(ShardResult& res) {
  phases_[kProve] += res.prove_seconds;
  phases_[kIo] += res.journal_seconds;
  DoneMsg m;
  m.shard = res.shard;
  m.attempt = res.attempt;
  m.ok = res.ok;
  m.kind = res.kind;
  m.message = res.message;
  m.size = res.proof.size();
  m.checksum = res.checksum;
  if (res.ok) {
    // A job queued while the count was being learned had no journal to append to: its proof is
    // journaled here (or, before the journal exists, in establish()).
    if (!res.journaled && journal_) journal_->append(res.shard, res.proof, res.checksum, ctx_.me);
    held_[res.shard] = std::move(res.proof);
  }
  return m;
}

// ---- rank 0 ------------------------------------------------------------------------------------

RequestLoad RequestRun::load() const {
  return {sched_->queued(), sched_->waiting(), sched_->in_flight(), stopping_};
}

ActiveRequest RequestRun::active() const {
  return {ticket_.key, n_, resumed_ + recovered_.size() + proven_shards_.size()};
}

void RequestRun::on_result(int rank, const DoneMsg& m) {
  if (m.cancelled) {
    sched_->returned(rank, m.shard);
    return;
  }
  if (m.ok) {
    sched_->completed(rank, m.shard);
    const AppendEntry entry{m.shard, m.size, m.checksum, rank, rank, sched_->attempts(m.shard)};
    if (holder_.size() <= m.shard) holder_.resize(m.shard + 1, -1);  // (the count is learned)
    holder_[m.shard] = rank;
    proven_shards_.push_back(m.shard);
    t_last_proof_ = Clock::now();
    if (counting_) {
      early_entries_.push_back(entry);  // written and joined to the tree once established
      return;
    }
    planner_->add(entry);
    if (auto o = tree_sched_->proven(m.shard, rank)) dispatch(*o);
    return;
  }
  const bool retryable = m.kind == ErrorKind::Retryable;
  const auto outcome = sched_->failed(rank, m.shard, retryable);
  const bool retry = outcome == ShardScheduler::Outcome::Retry;
  failures_.push_back({m.shard, rank, retry, m.message});
  if (retry) {
    note("shard " + std::to_string(m.shard) + " failed on rank " + std::to_string(rank) + " (" +
         m.message + "); retrying it" + (ctx_.ranks > 1 ? " on another rank" : ""));
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

void RequestRun::poll_execution() {
  if (!execution_) return;
  // Shards whose checkpoints exist by now may go out.
  sched_->release_until(execution_->ready());
  const std::exception_ptr e = execution_->failure();
  if (!e) return;
  if (counting_ && !never_stored_) {
    // While the count is learned a failed execution leaves nothing to store: the shards proven
    // so far belong to a run that does not end (a trap, no halt within --max-cycles). Its error
    // is the request's, even over a shard that failed first.
    never_stored_ = true;
    fatal_ = execution_failure(machine_->name(), e);
  } else if (!fatal_) {
    fatal_ = execution_failure(machine_->name(), e);
  }
}

void RequestRun::request_stop(std::string what) {
  if (!stop_what_) stop_what_ = std::move(what);
}

void RequestRun::begin_stop() {
  stopping_ = true;
  sched_->stop();
  // Nothing more will be handed out. While the count is learned the execution goes on to its end
  // (bounded by the request's cycle limit): the artifact that keeps the proofs made so far needs
  // the count.
  if (execution_ && !counting_) execution_->stop();
}

void RequestRun::broadcast(int tag, const std::vector<uint8_t>& bytes) {
  for (int r = 1; r < ctx_.ranks; ++r) post_(r, tag, bytes);
}

void RequestRun::write(WriteMsg w) {
  const auto t = Clock::now();
  if (w.flush) last_flush_ = t;
  broadcast(kTagWrite, encode(w));
  apply_write(w);
  last_write_ = Clock::now();
  last_write_seconds_ = std::chrono::duration<double>(last_write_ - t).count();
}

bool RequestRun::write_if_due() {
  if (counting_ || never_stored_) return false;  // no artifact (yet)
  // Proving is over: what is left to write goes out now (close() flushes), while the tree's
  // last nodes are computed.
  if (sched_->finished() && !wrote_last_) {
    WriteMsg last{planner_->take_all(), failed_shards_};
    if (!last.batch.empty() || !last.failed.empty()) write(std::move(last));
    wrote_last_ = true;
    return true;
  }
  const size_t ready = planner_->ready();
  // The journal already holds every finished proof; the artifact catches up as soon as about
  // one proof per rank is ready, so that the write left after the last shard — the only one
  // the request waits for — stays small. A collective write holds every rank's main thread, so
  // writes are spaced at least 4x the duration of the previous one apart (at most ~1/5 of the
  // main threads' time), and none waits longer than write_interval.
  const double since_write = since(last_write_);
  if (ready > 0 && (since_write >= o_.write_interval || (ready >= static_cast<size_t>(ctx_.ranks) &&
                                                         since_write >= 4 * last_write_seconds_))) {
    write({planner_->take_prefix(), {}, since(last_flush_) >= o_.write_interval});
    return true;
  }
  return false;
}

std::optional<StopMsg> RequestRun::over() {
  // A request without an artifact ends once its shards in flight are done; while the count is
  // learned it waits for the count.
  if (never_stored_ && sched_->finished())
    return StopMsg{PipelineResult::End::Failed, fatal_->kind, fatal_->message};
  if (counting_ || never_stored_) return std::nullopt;
  // Every ordered node has reported: with every shard proven the tree is complete (a node is in
  // flight until the root is), otherwise nothing more can be ordered.
  if (!wrote_last_ || tree_sched_->in_flight() != 0) return std::nullopt;
  const uint64_t have = art_->count(ShardStatus::Proven);
  const std::string where = std::to_string(have) + " of " + std::to_string(n_) + " shards are ";
  const std::string out = "'" + ticket_.out.string() + "' (" + ticket_.resume_hint + ")";
  if (fatal_)
    return StopMsg{PipelineResult::End::Failed, fatal_->kind,
                   fatal_->message + "; " + where + "kept in " + out};
  if (have < n_ && !stop_what_)
    return StopMsg{
        PipelineResult::End::Failed, ErrorKind::Internal,
        "the scheduler ran out of work with " + std::to_string(n_ - have) + " shards unproven"};
  if (have < n_)
    return StopMsg{PipelineResult::End::Interrupted, ErrorKind::Interrupted,
                   *stop_what_ + ": " + where + "stored in " + out};
  return StopMsg{PipelineResult::End::Complete, ErrorKind::Internal, ""};
}

void RequestRun::update_progress() {
  if (progress_ != nullptr) progress_->update(proven_shards_.size(), since(t_start_));
}

void RequestRun::break_line() {
  if (progress_ != nullptr) progress_->break_line();
}

// ---- the end -----------------------------------------------------------------------------------

void RequestRun::finish(const StopMsg& stop, double worker_busy) {
  const int me = ctx_.me;
  const MPI_Comm c = ctx_.comm->get();
  // The worker's idle time while this request was proven (its proving, journal records and tree
  // nodes — of any open request — were its work).
  phases_[kIdle] += std::max(0.0, since(t_loop_) - (worker_busy - busy_at_loop_));
  if (me == 0) {
    if (progress_ != nullptr) progress_->finish(proven_shards_.size(), since(t_start_));
    progress_.reset();
    if (execution_) {
      phases_[kExecute] = execution_->seconds();
      // Ended by now unless the request stopped early (then it was told to stop): a short join.
      execution_.reset();
    }
  }
  PipelineResult& result = result_;
  result.end = stop.end;
  result.kind = stop.kind;
  result.message = stop.message;
  if (never_stored_ || counting_) {
    // The request never had an artifact: nothing to write, nothing is kept (the same on every
    // rank: the count and the artifact's creation are collective).
    result.started = false;
    result.proven = proven_shards_.size();
    result.failures = failures_;
    result.wall_seconds = since(t0_);
    return;
  }

  FinalRecord record;
  if (stop.end == PipelineResult::End::Complete) {
    // Everyone learns who holds which proof (for the order check).
    ByteWriter w;
    if (me == 0)
      for (int h : holder_) w.u32(static_cast<uint32_t>(h));
    const auto bytes = broadcast_bytes(c, 0, w.take());
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
                      "rank " << me << " no longer holds shard " << s << " for the reorder");
        return it->second;
      });
      art_->flush();
      phases_[kIo] += since(t);
    }
    // The tree ran while the ranks proved; rank 0 holds every node's record. Everyone assembles
    // the same outcome from the same bytes.
    const auto t = Clock::now();
    const TreeOutcome tree = assemble_tree(
        *plan_,
        broadcast_bytes(c, 0, me == 0 ? encode_records(tree_records_) : std::vector<uint8_t>{}));
    phases_[kTree] += since(t);
    record = tree.record;
    {
      // The run's public output (rv32im: what the guest wrote to fd 1), as rank 0's machine saw
      // it: every rank writes /final with the same arguments.
      ByteWriter ow;
      if (me == 0) {
        const auto out = machine_->public_output();
        ow.u8(out ? 1 : 0);
        if (out) ow.bytes(*out);
      }
      const auto output = broadcast_bytes(c, 0, ow.take());
      if (!output.empty() && output[0] == 1)
        record.public_output.emplace(output.begin() + 1, output.end());
    }
    if (tree.ok) {
      // The same data on every rank, so the same verdict without a message.
      try {
        machine_->check_root(tree.root);
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
  for (const auto& bytes : allgather_bytes(c, mine.data())) {
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
    const auto bytes = broadcast_bytes(c, 0, me == 0 ? counts.take() : std::vector<uint8_t>{});
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
  if (me == 0 && stop.end == PipelineResult::End::Complete && result.verified) {
    // Every proof and the final statement are in the artifact: the journal has done its job.
    journal_.reset();
    std::error_code ec;
    fs::remove_all(journal_dir(ticket_.out), ec);
  }
  {
    // When any rank leaves, the artifact and journal are in their final state.
    MPI_Request req;
    MPI_CHECK(MPI_Ibarrier(c, &req));
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
  result.wall_seconds = since(t0_);
  result.tail_seconds = since(t_last_proof_);
}

}  // namespace tessera::mpi
