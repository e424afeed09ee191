#pragma once
// Rank 0's bookkeeping of who proves what (the coordinator of DESIGN.md §1): an initial
// assignment of one shard per rank (sent with MPI_Scatterv), then shards handed out one at a
// time to whichever rank asks, lowest index first, so no rank idles while shards remain and a
// slow rank holds at most the shard it is on.
//
// Shards wait for their checkpoints: the pipeline executes while it proves, and a shard is
// handed out (initial assignment included) only once release_until() says its checkpoint exists.
//
// When the shard count is learned only by executing (DESIGN.md §5), the schedule is open-ended:
// every shard is to be proven, release_until() adds each new shard to the queue as its checkpoint
// appears, and close() says how many there are once the execution has ended; until then the
// schedule is not finished.
//
// Failures: a retryable failure puts the shard back at the front of the queue, to be taken by a
// rank that has not failed it yet (while such a rank exists); after `max_attempts` attempts, or
// on a non-retryable failure, the scheduler stops handing out work and the run ends once the
// shards in flight are done. stop() does the same on an interrupt.
//
// Pure bookkeeping, no MPI: the pipeline drives it from its message loop, the unit tests drive
// it directly.

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace tessera::mpi {

class ShardScheduler {
 public:
  // `to_prove`: the shards to prove, any order (handed out in increasing order). Shards below
  // `ready_end` have their checkpoints already; the others wait for release_until().
  static constexpr uint64_t kAllReady = ~uint64_t{0};
  ShardScheduler(std::vector<uint64_t> to_prove, int ranks, uint32_t max_attempts,
                 uint64_t ready_end = kAllReady);

  // Every shard, however many: see close().
  static ShardScheduler open_ended(int ranks, uint32_t max_attempts);

  // The checkpoints of every shard below `ready_end` exist now (checkpoints come in shard order,
  // so readiness is a prefix); those shards may be handed out. Never lowers what was released.
  void release_until(uint64_t ready_end);
  // An open-ended schedule learns its size: `count` shards, every one released by now.
  void close(uint64_t count);
  bool open_ended() const { return open_ended_; }

  // The first shard of each rank among the released ones (nullopt: more ranks than shards
  // released). Call once, before any next_for().
  std::vector<std::optional<uint64_t>> initial_assignment();

  // The next shard for an idle rank, or nullopt when there is nothing it should take now (the
  // queue is empty or stopped, or only holds retries that another rank should take).
  std::optional<uint64_t> next_for(int rank);

  void completed(int rank, uint64_t shard);
  // A shard handed to `rank` that never started (cancelled when the run stopped): back to the
  // queue, its attempt not counted.
  void returned(int rank, uint64_t shard);
  // Shards handed to `rank` and not reported yet.
  size_t in_flight_on(int rank) const;
  enum class Outcome { Retry, GiveUp };
  // A failed attempt; GiveUp (and stop()) when not retryable or out of attempts.
  Outcome failed(int rank, uint64_t shard, bool retryable);

  void stop() { stopped_ = true; }
  bool stopped() const { return stopped_; }
  // Nothing in flight and nothing more to hand out (released, still waiting, or — open-ended —
  // still to come).
  bool finished() const {
    return in_flight_.empty() && (stopped_ || (queue_.empty() && waiting_.empty() && !open_ended_));
  }

  uint32_t attempts(uint64_t shard) const;  // attempts started so far
  uint64_t retries() const { return retries_; }
  size_t in_flight() const { return in_flight_.size(); }
  size_t queued() const { return queue_.size(); }     // released, not handed out
  size_t waiting() const { return waiting_.size(); }  // not released: no checkpoint yet
  // Shards that failed on a rank, with every rank they failed on (for the summary and tests).
  const std::map<uint64_t, std::set<int>>& failed_on() const { return failed_on_; }

 private:
  void start(int rank, uint64_t shard);
  bool may_take(int rank, uint64_t shard) const;

  int ranks_;
  uint32_t max_attempts_;
  std::deque<uint64_t> queue_;
  std::deque<uint64_t> waiting_;       // ascending, all above every released shard
  std::map<uint64_t, int> in_flight_;  // shard -> rank
  std::map<uint64_t, uint32_t> attempts_;
  std::map<uint64_t, std::set<int>> failed_on_;
  uint64_t retries_ = 0;
  bool stopped_ = false;
  bool open_ended_ = false;
  uint64_t released_end_ = 0;  // open-ended: shards below it are in the schedule
};

}  // namespace tessera::mpi
