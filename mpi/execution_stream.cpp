#include "mpi/execution_stream.hpp"

#include <omp.h>

#include <algorithm>
#include <limits>

#include "common/check.hpp"
#include "common/nvtx.hpp"
#include "shard/sharded_machine.hpp"

namespace tessera::mpi {

namespace {
uint64_t end_of_wanted(bool all, const std::vector<bool>& wanted) {
  if (all) return std::numeric_limits<uint64_t>::max();
  for (uint64_t i = wanted.size(); i > 0; --i)
    if (wanted[i - 1]) return i;
  return 0;
}

// Checked before the thread starts (a constructor that throws after would leave it running).
std::vector<bool> checked(std::optional<std::vector<bool>> wanted, const ShardedMachine& machine) {
  if (!wanted) return {};
  TESSERA_CHECK(machine.shard_count_known() && wanted->size() == machine.num_shards(),
                ErrorKind::Internal,
                "execution stream: " << wanted->size() << " wanted flags for "
                                     << machine.num_shards() << " shards");
  return std::move(*wanted);
}
}  // namespace

ExecutionStream::ExecutionStream(const ShardedMachine& machine,
                                 std::optional<std::vector<bool>> wanted, int omp_threads)
    : machine_(machine),
      all_(!wanted.has_value()),
      wanted_(checked(std::move(wanted), machine)),
      wanted_end_(end_of_wanted(all_, wanted_)),
      omp_threads_(omp_threads),
      thread_([this] { run(); }) {}

ExecutionStream::~ExecutionStream() {
  stop();
  if (thread_.joinable()) thread_.join();
}

void ExecutionStream::run() {
  TESSERA_RANGE("execute");
  // OpenMP's thread count is per thread: the rank's share, as for the prover thread.
  if (omp_threads_ > 0) omp_set_num_threads(omp_threads_);
  std::exception_ptr failure;
  bool to_the_end = false;
  if (wanted_end_ > 0) {
    try {
      machine_.execute_each([this](uint64_t index, std::vector<uint8_t> checkpoint) {
        accept(index, std::move(checkpoint));
      });
      to_the_end = true;
    } catch (const Stopped&) {
      // stop(), or every wanted checkpoint exists: the execution is over, nothing failed.
    } catch (...) {
      failure = std::current_exception();
    }
  }
  {
    std::lock_guard lock(mu_);
    // A machine may wrap what the sink throws into an error of its own: after stop() that is
    // no failure.
    if (!stop_) failure_ = failure;
    ended_ = true;
    ran_to_end_ = to_the_end;
    seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  }
  cv_.notify_all();
}

void ExecutionStream::accept(uint64_t index, std::vector<uint8_t> checkpoint) {
  // execute_each guarantees index == ready_ < num_shards().
  {
    std::lock_guard lock(mu_);
    if (stop_) throw Stopped{};
    slots_.emplace_back(wanted(index) ? std::move(checkpoint) : std::vector<uint8_t>{});
    ready_ = index + 1;
  }
  cv_.notify_all();
  // Past the last wanted shard nothing needs executing. (When that is the last shard,
  // execute_each returns by itself and checks the machine's checkpoint count.)
  if (!all_ && index + 1 == wanted_end_ && wanted_end_ < wanted_.size()) throw Stopped{};
}

uint64_t ExecutionStream::ready() const {
  std::lock_guard lock(mu_);
  return ready_;
}

const std::vector<uint8_t>& ExecutionStream::checkpoint(uint64_t index) const {
  std::lock_guard lock(mu_);
  TESSERA_CHECK(index < ready_ && wanted(index), ErrorKind::Internal,
                "the checkpoint of shard " << index << " was asked for, but "
                                           << (index < ready_ ? "it was not kept (not to prove)"
                                                              : "it does not exist yet"));
  return slots_[index];
}

void ExecutionStream::wait_for(uint64_t count, std::chrono::microseconds timeout) const {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, timeout, [&] { return ready_ >= count || ended_; });
}

bool ExecutionStream::ended() const {
  std::lock_guard lock(mu_);
  return ended_;
}

bool ExecutionStream::complete() const {
  std::lock_guard lock(mu_);
  return all_ && ended_ && ran_to_end_;
}

std::exception_ptr ExecutionStream::failure() const {
  std::lock_guard lock(mu_);
  return failure_;
}

void ExecutionStream::stop() {
  std::lock_guard lock(mu_);
  stop_ = true;
}

double ExecutionStream::seconds() const {
  std::lock_guard lock(mu_);
  if (ended_) return seconds_;
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
}

}  // namespace tessera::mpi
