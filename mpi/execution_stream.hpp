#pragma once
// Rank 0's execution of the request, overlapped with proving (DESIGN.md §5). The machine runs on
// a thread of its own (ShardedMachine::execute_each) and each checkpoint lands in a store the
// moment it exists; the pipeline's main thread reads the store to scatter the first shards and
// then hand out each further shard as soon as its checkpoint is there. The execution thread makes
// no MPI or HDF5 call: the main thread stays the only one that does.
//
// Only the shards to prove matter (`wanted`; on a resume the others are proven already): their
// checkpoints are kept, the others dropped, and the execution stops once the last wanted one
// exists. A machine whose shard count is learned by executing wants every shard (no `wanted`):
// the stream then keeps every checkpoint and the count is ready() once it has ended without a
// failure. An exception from the machine is captured (failure()) for the main thread to end the
// run with; stop() (an interrupt, a fatal error) ends the execution at its next checkpoint, and
// the destructor stops and joins, so no path leaves the thread running.
//
// No MPI: the pipeline drives it from its message loop, the unit tests directly.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace tessera {
class ShardedMachine;
}

namespace tessera::mpi {

class ExecutionStream {
 public:
  // Starts executing `machine` (wanted.size() == num_shards(); none: every shard, however many
  // there are). `omp_threads` > 0: the OpenMP threads of the execution thread (0: the process
  // default stands).
  ExecutionStream(const ShardedMachine& machine, std::optional<std::vector<bool>> wanted,
                  int omp_threads);
  // Stops the execution at its next checkpoint and joins the thread.
  ~ExecutionStream();
  ExecutionStream(const ExecutionStream&) = delete;
  ExecutionStream& operator=(const ExecutionStream&) = delete;

  // Checkpoints of shards [0, ready()) exist (they come in shard order).
  uint64_t ready() const;
  // Shard `index`'s checkpoint: index < ready() and wanted. Stays valid and unchanged for the
  // stream's lifetime (retries hand it out again).
  const std::vector<uint8_t>& checkpoint(uint64_t index) const;
  // Blocks until ready() >= count, the execution has ended, or `timeout` has passed.
  void wait_for(uint64_t count, std::chrono::microseconds timeout) const;
  // The execution has ended: every wanted checkpoint exists, or it failed, or it was stopped.
  bool ended() const;
  // Every shard was wanted and the execution ran to its end: ready() is the shard count.
  bool complete() const;
  // What the machine threw (null if nothing; an exception after stop() is not a failure).
  std::exception_ptr failure() const;
  // Asks the execution to end at its next checkpoint; returns at once.
  void stop();
  // Seconds the execution thread has run (up to its end, once ended).
  double seconds() const;

 private:
  struct Stopped {};  // thrown through the machine to end the execution early
  void run();
  void accept(uint64_t index, std::vector<uint8_t> checkpoint);

  bool wanted(uint64_t index) const { return all_ || wanted_[index]; }

  const ShardedMachine& machine_;
  const bool all_;  // every shard is wanted, however many
  const std::vector<bool> wanted_;
  const uint64_t wanted_end_;  // one past the last wanted shard (all_: unbounded)
  const int omp_threads_;
  const std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();

  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  // One slot per shard, appended as the shards come (a deque: appending leaves references to
  // the earlier slots valid): a slot is written once, before ready_ passes it, and never again,
  // so a reference to it stays valid while later slots fill.
  std::deque<std::vector<uint8_t>> slots_;
  uint64_t ready_ = 0;
  bool ended_ = false;
  bool ran_to_end_ = false;  // execute_each returned: every shard's checkpoint was emitted
  bool stop_ = false;
  std::exception_ptr failure_;
  double seconds_ = 0;
  std::thread thread_;  // last: started once everything above is initialised
};

}  // namespace tessera::mpi
