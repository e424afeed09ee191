#include "mpi/rank_loop.hpp"

#include <omp.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstdlib>
#include <map>
#include <thread>

#include "backend/backend.hpp"
#include "common/check.hpp"
#include "common/nvtx.hpp"
#include "io/byte_io.hpp"
#include "mpi/balanced_policy.hpp"
#include "mpi/device_binding.hpp"
#include "mpi/interrupt.hpp"
#include "mpi/messaging.hpp"
#include "mpi/placement.hpp"
#include "mpi/request_run.hpp"
#include "mpi/shard_worker.hpp"
#include "mpi/tree_messages.hpp"

namespace tessera::mpi {

namespace {

int omp_threads_for(const Placement& p) {
  if (std::getenv("OMP_NUM_THREADS") != nullptr) return 0;  // the user's choice stands
  const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  return std::max(1, static_cast<int>(hw) / std::max(1, p.node_size));
}

class RankLoop {
 public:
  RankLoop(const Communicator& world, const MachineMaker& maker, RequestFeed* feed,
           const EngineOptions& options)
      : comm_(world),
        c_(world.get()),
        me_(world.rank()),
        ranks_(world.size()),
        maker_(maker),
        feed_(me_ == 0 ? feed : nullptr),
        o_(options),
        max_active_(options.max_active > 0 ? options.max_active
                                           : static_cast<size_t>(world.size()) + 2) {}

  EngineResult run();

 private:
  bool setup();
  void coordinate();
  void work();
  // Rank 0: opens the feed's request on every rank.
  void open_request(RequestTicket ticket);
  // Every rank: the collective opening of request `slot`.
  void open_here(uint32_t slot, RequestTicket ticket, bool scatter);
  // Every rank: the collective end of request `slot`.
  void end_here(uint32_t slot, const StopMsg& stop);
  RequestRun& need(uint32_t slot);
  RequestRun::Post post_for(uint32_t slot);
  void deliver_child(uint32_t slot, const std::vector<uint8_t>& payload);
  // Rank 0's shares of the coordination: interrupts and cancels, hand-out, stealing.
  bool stop_requests();
  bool hand_out();
  bool steal();
  void assign(RequestRun& run, int rank, uint64_t shard);
  std::vector<size_t> in_flight_per_rank();
  void note(const std::string& line);
  bool pump_tree();
  void idle_wait(int round);

  const Communicator& comm_;
  MPI_Comm c_;
  int me_;
  int ranks_;
  const MachineMaker& maker_;
  RequestFeed* feed_;
  const EngineOptions& o_;
  size_t max_active_;
  RankContext ctx_;
  std::unique_ptr<Backend> backend_;
  std::unique_ptr<ShardWorker> worker_;
  Outbox outbox_;           // this rank's nonblocking sends
  double worker_busy_ = 0;  // the worker thread's proving, journal and tree-node seconds

  std::map<uint32_t, std::unique_ptr<RequestRun>> runs_;  // the open requests by slot
  std::vector<uint32_t> order_;                           // rank 0: slots in opening order
  uint32_t next_slot_ = 0;
  // Tree nodes handed to the worker, by task id: the worker writes the outcome, the main thread
  // takes it once poll_task() reports the task done.
  struct NodeTask {
    uint32_t slot = 0;
    int64_t node = 0;
    std::shared_ptr<std::pair<NodeRecord, TreeSlot>> outcome;
  };
  std::map<int64_t, NodeTask> tasks_;
  int64_t next_task_ = 0;
  // Workers: tree children of a request whose opening has not reached this rank yet (a child
  // from another rank may overtake rank 0's open message).
  std::map<uint32_t, std::vector<std::vector<uint8_t>>> early_children_;

  bool interrupted_ = false;
  std::string signal_;             // what interrupted the run, for messages
  std::vector<bool> steal_asked_;  // a cancel of queued shards was sent, no answer yet
  EngineResult result_;
};

EngineResult RankLoop::run() {
  TESSERA_RANGE("pipeline");
  const InterruptHandlers handlers;
  const auto t0 = std::chrono::steady_clock::now();
  if (!setup()) return std::move(result_);
  if (me_ == 0) {
    coordinate();
  } else {
    work();
  }
  worker_.reset();  // idle by now: every request has ended
  result_.interrupted = interrupted_;
  result_.signal = signal_;
  ByteWriter w;
  w.u64(std::bit_cast<uint64_t>(worker_busy_));
  w.u64(std::bit_cast<uint64_t>(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()));
  const auto all = allgather_bytes(c_, w.data());
  for (const auto& bytes : all) {
    ByteReader r(bytes);
    result_.busy_seconds.push_back(std::bit_cast<double>(r.u64("busy")));
  }
  ByteReader r0(all.front());
  r0.u64("busy");
  result_.wall_seconds = std::bit_cast<double>(r0.u64("wall"));
  return std::move(result_);
}

bool RankLoop::setup() {
  TESSERA_RANGE("setup");
  ctx_.comm = &comm_;
  ctx_.me = me_;
  ctx_.ranks = ranks_;
  ctx_.options = &o_;
  ctx_.placement = place_rank(comm_, [](const char* name) { return std::getenv(name); });
  ctx_.omp_threads = omp_threads_for(ctx_.placement);
  if (ctx_.omp_threads > 0) omp_set_num_threads(ctx_.omp_threads);
  std::optional<Failure> local = capture([&] {
    bind_thread_to_device(ctx_.placement.device);
    backend_ = make_backend(o_.backend);
  });
  if (auto f = agree(comm_, local)) {
    result_.setup_error = f;
    return false;
  }
  ctx_.backend = backend_->name();
  worker_ = std::make_unique<ShardWorker>(*backend_, o_.faults, ctx_.omp_threads,
                                          ctx_.placement.device, me_);
  steal_asked_.assign(static_cast<size_t>(ranks_), false);
  return true;
}

RequestRun& RankLoop::need(uint32_t slot) {
  auto it = runs_.find(slot);
  TESSERA_CHECK(
      it != runs_.end(), ErrorKind::Internal,
      "rank " << me_ << " got a message of request slot " << slot << ", which is not open");
  return *it->second;
}

RequestRun::Post RankLoop::post_for(uint32_t slot) {
  return [this, slot](int dest, int tag, std::vector<uint8_t> bytes) {
    outbox_.post(c_, dest, tag, frame(slot, bytes));
  };
}

void RankLoop::note(const std::string& line) {
  if (me_ != 0 || o_.log == nullptr) return;
  for (auto& [slot, run] : runs_) run->break_line();
  *o_.log << "tessera: note: " << line << std::endl;
}

void RankLoop::open_request(RequestTicket ticket) {
  const uint32_t slot = next_slot_++;
  // On idle ranks (nothing else open) the first shard of every rank goes out by one scatter.
  OpenMsg m{std::move(ticket), runs_.empty()};
  const auto bytes = frame(slot, encode(m));
  for (int r = 1; r < ranks_; ++r) outbox_.post(c_, r, kTagOpen, bytes);
  open_here(slot, std::move(m.ticket), m.scatter);
}

void RankLoop::open_here(uint32_t slot, RequestTicket ticket, bool scatter) {
  auto run = std::make_unique<RequestRun>(ctx_, slot, std::move(ticket), post_for(slot));
  if (!run->open(maker_, scatter, worker_busy_)) {
    // Nothing was opened (the same verdict on every rank): the request ends here.
    PipelineResult r = run->take_result();
    if (feed_ != nullptr) feed_->finished(run->ticket(), r);
    result_.requests.push_back(std::move(r));
    return;
  }
  if (auto job = run->take_first_job()) worker_->submit(std::move(*job));
  RequestRun& opened = *run;
  runs_[slot] = std::move(run);
  if (me_ == 0) order_.push_back(slot);
  if (auto it = early_children_.find(slot); it != early_children_.end()) {
    for (const auto& bytes : it->second) opened.on_child(bytes);
    early_children_.erase(it);
  }
}

void RankLoop::end_here(uint32_t slot, const StopMsg& stop) {
  RequestRun& run = need(slot);
  run.finish(stop, worker_busy_);
  PipelineResult r = run.take_result();
  if (feed_ != nullptr) feed_->finished(run.ticket(), r);
  result_.requests.push_back(std::move(r));
  runs_.erase(slot);
  order_.erase(std::remove(order_.begin(), order_.end(), slot), order_.end());
}

void RankLoop::deliver_child(uint32_t slot, const std::vector<uint8_t>& payload) {
  if (auto it = runs_.find(slot); it != runs_.end()) {
    it->second->on_child(payload);
  } else {
    early_children_[slot].push_back(payload);
  }
}

std::vector<size_t> RankLoop::in_flight_per_rank() {
  std::vector<size_t> per(static_cast<size_t>(ranks_), 0);
  for (auto& [slot, run] : runs_)
    for (int r = 0; r < ranks_; ++r)
      per[static_cast<size_t>(r)] += run->scheduler().in_flight_on(r);
  return per;
}

void RankLoop::assign(RequestRun& run, int rank, uint64_t shard) {
  const uint32_t attempt = run.scheduler().attempts(shard) - 1;
  const std::vector<uint8_t>& checkpoint = run.checkpoint(shard);
  if (rank == 0) {
    worker_->submit(run.job(shard, attempt, checkpoint));
  } else {
    outbox_.post(c_, rank, kTagAssign,
                 frame(run.slot(), encode_assign(shard, attempt, checkpoint)));
  }
}

// Interrupts (this rank's signal or another rank's report) stop every open request; the feed
// stops single requests (cancelled, claim lost). A stopping request's queued shards come back
// from every rank; only the ones being proven finish.
bool RankLoop::stop_requests() {
  if (InterruptHandlers::requested()) interrupted_ = true;
  if (interrupted_ && signal_.empty()) {
    signal_ = InterruptHandlers::requested() ? InterruptHandlers::signal_name()
                                             : "a signal to another rank";
    note("stopping on " + signal_ + ": finishing the shards being proven, then flushing the " +
         (runs_.size() > 1 ? "artifacts" : "artifact"));
  }
  std::vector<ActiveRequest> active;
  for (uint32_t slot : order_) active.push_back(runs_[slot]->active());
  const std::vector<StopRequest> stops = feed_->poll(active);
  bool did = false;
  for (uint32_t slot : order_) {
    RequestRun& run = *runs_[slot];
    if (interrupted_) run.request_stop("stopped by " + signal_);
    for (const StopRequest& s : stops)
      if (s.key == run.ticket().key) run.request_stop(s.reason);
    run.poll_execution();
    if (!run.stop_due()) continue;
    run.begin_stop();
    for (const QueuedShard& q : worker_->cancel_queued(slot)) run.scheduler().returned(0, q.shard);
    for (int r = 1; r < ranks_; ++r) outbox_.post(c_, r, kTagCancel, frame(slot, {0}));
    did = true;
  }
  return did;
}

// Hand out work. A rank holds the shard it proves plus, while there is plenty left (to execute
// too), the next one, so it never waits for a message between two shards; near the end each rank
// takes one at a time, so no rank sits on a shard another could prove sooner. Ranks without a
// shard come first: while execution runs, checkpoints are scarce and go where a prover would
// otherwise wait. Which request a rank's shard comes from is the Balanced policy's choice.
bool RankLoop::hand_out() {
  if (runs_.empty()) return false;
  std::vector<RequestRun*> runs;
  std::vector<RequestLoad> loads;
  for (uint32_t slot : order_) {
    runs.push_back(runs_[slot].get());
    loads.push_back(runs.back()->load());
  }
  std::vector<size_t> per_rank = in_flight_per_rank();
  bool did = false;
  for (size_t depth = 1; depth <= 2; ++depth) {
    for (int r = 0; r < ranks_; ++r) {
      while (per_rank[static_cast<size_t>(r)] < depth) {
        if (depth == 2 && !BalancedPolicy::may_prefetch(loads, ranks_)) break;
        bool got = false;
        for (size_t i : BalancedPolicy::candidates(loads)) {
          const auto s = runs[i]->scheduler().next_for(r);  // only shards whose checkpoints exist
          if (!s) continue;
          assign(*runs[i], r, *s);
          loads[i] = runs[i]->load();
          ++per_rank[static_cast<size_t>(r)];
          got = true;
          break;
        }
        if (!got) break;
        did = true;
      }
    }
  }
  return did;
}

// Work stealing at the end: a rank is idle, nothing is queued, and another rank holds a shard it
// has not started (prefetched behind a slow one) — that rank hands its queued shards back, and
// the idle rank takes them at the next turn.
bool RankLoop::steal() {
  for (auto& [slot, run] : runs_) {
    const RequestLoad l = run->load();
    if (!l.stopping && l.queued > 0) return false;
  }
  const std::vector<size_t> per_rank = in_flight_per_rank();
  if (std::find(per_rank.begin(), per_rank.end(), size_t{0}) == per_rank.end()) return false;
  bool did = false;
  for (int r = 0; r < ranks_; ++r) {
    if (per_rank[static_cast<size_t>(r)] < 2 || steal_asked_[static_cast<size_t>(r)]) continue;
    if (r == 0) {
      for (const QueuedShard& q : worker_->cancel_queued())
        need(q.request).scheduler().returned(0, q.shard);
    } else {
      outbox_.post(c_, r, kTagCancel, frame(kAllSlots, {0}));
      steal_asked_[static_cast<size_t>(r)] = true;
    }
    did = true;
  }
  return did;
}

// The main loop's wait when there was nothing to do: it wakes the moment the worker finishes,
// and otherwise polls MPI at poll_interval's backoff — but while the worker has nothing to do
// (a rank waiting for work, or the tree's last nodes hopping between idle ranks) on a node with
// a core per rank, at most every 100 us, so messages are not left waiting for milliseconds. On an
// oversubscribed node the fast polling of idle ranks would take the cores of those still proving.
void RankLoop::idle_wait(int round) {
  auto wait = poll_interval(round);
  const bool core_per_rank =
      ctx_.placement.node_size <= static_cast<int>(std::thread::hardware_concurrency());
  if (core_per_rank && worker_->outstanding() == 0 && !runs_.empty())
    wait = std::min(wait, std::chrono::microseconds(100));
  worker_->wait_for_result(wait);
}

bool RankLoop::pump_tree() {
  bool did = false;
  while (auto t = worker_->poll_task()) {
    did = true;
    worker_busy_ += t->seconds;
    auto it = tasks_.find(t->id);
    TESSERA_CHECK(it != tasks_.end(), ErrorKind::Internal,
                  "rank " << me_ << ": tree task " << t->id << " done but never submitted");
    NodeTask task = std::move(it->second);
    tasks_.erase(it);
    auto [rec, result] = std::move(*task.outcome);
    need(task.slot).on_computed(task.node, std::move(rec), std::move(result), t->seconds);
  }
  for (auto& [slot, run] : runs_) {
    for (NodeWork& w : run->take_ready_nodes()) {
      did = true;
      const int64_t id = next_task_++;
      auto work = std::make_shared<NodeWork>(std::move(w));
      auto outcome = std::make_shared<std::pair<NodeRecord, TreeSlot>>();
      tasks_[id] = {slot, work->node, outcome};
      // The request outlives the task: it ends only once every ordered node has reported.
      RequestRun* r = run.get();
      worker_->submit_task(id, [r, work, outcome, me = me_] {
        *outcome = compute_node(r->plan(), r->step(), std::move(*work), me);
      });
    }
  }
  return did;
}

void RankLoop::coordinate() {
  TESSERA_RANGE("prove (coordinator)");
  // The feed's first request opens even if an interrupt is already pending.
  if (auto t = feed_->next()) open_request(std::move(*t));
  for (int round = 0;;) {
    bool did = false;
    while (auto res = worker_->poll()) {
      did = true;
      worker_busy_ += res->prove_seconds + res->journal_seconds;
      RequestRun& run = need(res->request);
      run.on_result(0, run.take_result(*res));
    }
    while (auto msg = try_receive(c_, MPI_ANY_SOURCE, MPI_ANY_TAG)) {
      did = true;
      if (msg->tag == kTagInterrupt) {
        interrupted_ = true;
        continue;
      }
      auto [slot, payload] = unframe(msg->bytes);
      RequestRun& run = need(slot);
      if (msg->tag == kTagDone) {
        steal_asked_[static_cast<size_t>(msg->source)] = false;
        run.on_result(msg->source, decode_done(payload));
      } else if (msg->tag == kTagTree) {
        run.on_child(payload);
      } else if (msg->tag == kTagTreeDone) {
        ByteReader r(payload);
        NodeRecord rec = read_record(r);
        r.expect_end("tree record message");
        run.on_remote_record(std::move(rec));
      } else {
        TESSERA_FAIL(ErrorKind::Internal,
                     "coordinator got message tag " << msg->tag << " from rank " << msg->source);
      }
    }
    did = stop_requests() || did;
    did = hand_out() || did;
    did = steal() || did;
    did = pump_tree() || did;
    // Counts learned, writes, and the end of every request that is over.
    for (uint32_t slot : std::vector<uint32_t>(order_)) {
      RequestRun& run = *runs_[slot];
      if (run.count_due()) {
        const auto bytes = frame(slot, encode(CountMsg{run.learned_count(), std::nullopt}));
        for (int r = 1; r < ranks_; ++r) outbox_.post(c_, r, kTagCount, bytes);
        run.establish(run.learned_count());
        did = true;
      }
      did = run.write_if_due() || did;
      if (const auto stop = run.over()) {
        for (int r = 1; r < ranks_; ++r) outbox_.post(c_, r, kTagStop, frame(slot, encode(*stop)));
        end_here(slot, *stop);
        did = true;
        continue;
      }
      run.update_progress();
    }
    if (!interrupted_) {
      std::vector<RequestLoad> loads;
      for (uint32_t slot : order_) loads.push_back(runs_[slot]->load());
      if (BalancedPolicy::should_open(loads, ranks_, max_active_))
        if (auto t = feed_->next()) {
          open_request(std::move(*t));
          did = true;
        }
    }
    if (runs_.empty() && (interrupted_ || feed_->exhausted())) {
      // The end tells every rank whether (and by what) the loop was interrupted.
      ByteWriter w;
      w.u8(interrupted_ ? 1 : 0);
      w.str(signal_);
      for (int r = 1; r < ranks_; ++r) outbox_.post(c_, r, kTagEnd, w.data());
      break;
    }
    outbox_.progress();
    if (did) {
      round = 0;
    } else {
      idle_wait(round++);
    }
  }
  outbox_.drain();
}

void RankLoop::work() {
  TESSERA_RANGE("prove (worker)");
  bool told_interrupt = false;
  for (int round = 0;;) {
    bool did = false;
    while (auto res = worker_->poll()) {
      did = true;
      worker_busy_ += res->prove_seconds + res->journal_seconds;
      const uint32_t slot = res->request;
      outbox_.post(c_, 0, kTagDone, frame(slot, encode(need(slot).take_result(*res))));
    }
    if (InterruptHandlers::requested() && !told_interrupt) {
      outbox_.post(c_, 0, kTagInterrupt, {0});
      told_interrupt = true;
    }
    while (auto msg = try_receive(c_, 0, MPI_ANY_TAG)) {
      did = true;
      if (msg->tag == kTagEnd) {
        ByteReader r(msg->bytes);
        interrupted_ = r.u8("end interrupted") != 0;
        signal_ = r.str("end signal", 64);
        outbox_.drain();
        return;
      }
      auto [slot, payload] = unframe(msg->bytes);
      switch (msg->tag) {
        case kTagOpen: {
          OpenMsg m = decode_open(payload);
          open_here(slot, std::move(m.ticket), m.scatter);
          break;
        }
        case kTagAssign: {
          ShardJob j = decode_assign(payload);
          worker_->submit(need(slot).job(j.shard, j.attempt, std::move(j.checkpoint)));
          break;
        }
        case kTagCancel:
          for (const QueuedShard& q :
               worker_->cancel_queued(slot == kAllSlots ? ShardWorker::kAllRequests : slot)) {
            DoneMsg m;
            m.shard = q.shard;
            m.cancelled = true;
            outbox_.post(c_, 0, kTagDone, frame(q.request, encode(m)));
          }
          break;
        case kTagCount:
          need(slot).establish(decode_count(payload).count);
          break;
        case kTagWrite:
          need(slot).apply_write(decode_write(payload));
          break;
        case kTagTreeOrder:
          need(slot).on_order(decode_order(payload));
          break;
        case kTagTree:  // a child shipped by rank 0
          deliver_child(slot, payload);
          break;
        case kTagStop:
          end_here(slot, decode_stop(payload));
          break;
        default:
          TESSERA_FAIL(ErrorKind::Internal, "worker got message tag " << msg->tag);
      }
    }
    while (auto msg = try_receive(c_, MPI_ANY_SOURCE, kTagTree)) {
      auto [slot, payload] = unframe(msg->bytes);
      deliver_child(slot, payload);
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

}  // namespace

EngineResult run_requests(const Communicator& world, const MachineMaker& maker, RequestFeed* feed,
                          const EngineOptions& options) {
  TESSERA_CHECK(world.rank() != 0 || feed != nullptr, ErrorKind::Internal,
                "rank 0 needs a request feed");
  RankLoop loop(world, maker, feed, options);
  return loop.run();
}

}  // namespace tessera::mpi
