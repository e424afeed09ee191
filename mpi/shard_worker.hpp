#pragma once
// Proves shards one at a time on a thread of its own, so that the rank's main thread stays free
// for MPI: answering the coordinator, joining collective artifact writes, reporting progress. The
// main thread is the only one that calls MPI or HDF5 (MPI_THREAD_FUNNELED suffices). Jobs queue
// up (the coordinator sends the next shard before the current one ends, so the worker never
// waits for a message between shards); jobs not yet started can be cancelled.
//
// A job is: re-execute the shard from its checkpoint and prove it (machine.prove_shard), then
// append the proof to this rank's journal file, and only then report it done — so a shard
// reported done survives a kill of the whole job. Tasks — the nodes of the reduction tree — are
// short jobs that run ahead of every queued shard, so the tree keeps pace with proving.
//
// Several requests may be open at once (a queue drain): a job names its request (the slot rank 0
// gave it), that request's machine and journal; the worker proves whatever comes next, whichever
// request it belongs to.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/error.hpp"
#include "mpi/fault_injection.hpp"

namespace tessera {
class Backend;
class ShardedMachine;
class JournalWriter;
}  // namespace tessera

namespace tessera::mpi {

struct ShardJob {
  uint32_t request = 0;  // the request's slot
  uint64_t shard = 0;
  uint32_t attempt = 0;  // 0 for the first attempt
  std::vector<uint8_t> checkpoint;
  const ShardedMachine* machine = nullptr;  // the request's machine (outlives the job)
  JournalWriter* journal = nullptr;         // the request's journal on this rank; null: none
};

struct ShardResult {
  uint32_t request = 0;
  uint64_t shard = 0;
  uint32_t attempt = 0;
  bool ok = false;
  ErrorKind kind = ErrorKind::Internal;  // when !ok
  std::string message;                   // when !ok
  std::vector<uint8_t> proof;
  uint64_t checksum = 0;
  double prove_seconds = 0;    // in prove_shard (with any injected delay)
  double journal_seconds = 0;  // appending and syncing the journal record
  // The proof is in the journal (a job queued before its request had a journal is not: its
  // request journals it when it takes the result).
  bool journaled = false;
};

struct TaskDone {
  int64_t id = 0;
  double seconds = 0;
};

// A queued job handed back by cancel_queued().
struct QueuedShard {
  uint32_t request = 0;
  uint64_t shard = 0;
};

class ShardWorker {
 public:
  static constexpr uint32_t kAllRequests = ~uint32_t{0};
  // `omp_threads`: OpenMP threads for proving (the rank's share of its node's cores); `device`:
  // the GPU this rank is bound to (-1 for none).
  ShardWorker(Backend& backend, FaultPlan faults, int omp_threads, int device, int rank);
  // Waits for a shard in progress, then stops the thread.
  ~ShardWorker();
  ShardWorker(const ShardWorker&) = delete;
  ShardWorker& operator=(const ShardWorker&) = delete;

  // Queues a job.
  void submit(ShardJob job);
  // Queues a task ahead of every queued shard (after the tasks already queued). It must not
  // throw and leaves its outcome where its submitter looks for it; poll_task() says when it is
  // done (what the task wrote is then visible to the polling thread).
  void submit_task(int64_t id, std::function<void()> task);
  // The oldest finished job's result, once; nullopt if none is waiting.
  std::optional<ShardResult> poll();
  std::optional<TaskDone> poll_task();
  // Blocks until a result (of a job or a task) is waiting or `timeout` has passed (the main
  // loop's idle wait: it wakes the moment a shard or a task is done).
  void wait_for_result(std::chrono::microseconds timeout);
  // Drops the queued jobs of `request` (or of every request) that have not started; returns
  // them.
  std::vector<QueuedShard> cancel_queued(uint32_t request = kAllRequests);
  // Jobs and tasks queued or running, plus results not yet polled.
  size_t outstanding() const;

 private:
  void run();
  ShardResult prove(ShardJob job);

  Backend& backend_;
  FaultPlan faults_;
  int omp_threads_;
  int device_;
  int rank_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  struct Task {
    int64_t id;
    std::function<void()> run;
  };
  // The oldest entry of a result queue, once (under mu_).
  template <typename T>
  std::optional<T> take_front(std::deque<T>& queue);
  std::deque<ShardJob> jobs_;
  std::deque<Task> tasks_;
  std::deque<ShardResult> results_;
  std::deque<TaskDone> task_results_;
  bool running_ = false;
  bool quit_ = false;
  std::thread thread_;  // last: started once everything above is initialised
};

}  // namespace tessera::mpi
