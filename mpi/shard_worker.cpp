#include "mpi/shard_worker.hpp"

#include <omp.h>

#include <chrono>
#include <new>

#include "common/check.hpp"
#include "common/nvtx.hpp"
#include "io/checksum.hpp"
#include "io/journal.hpp"
#include "mpi/device_binding.hpp"
#include "shard/sharded_machine.hpp"

namespace tessera::mpi {

namespace {
double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
}  // namespace

ShardWorker::ShardWorker(Backend& backend, FaultPlan faults, int omp_threads, int device, int rank)
    : backend_(backend),
      faults_(std::move(faults)),
      omp_threads_(omp_threads),
      device_(device),
      rank_(rank),
      thread_([this] { run(); }) {}

ShardWorker::~ShardWorker() {
  {
    std::lock_guard lock(mu_);
    quit_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ShardWorker::submit(ShardJob job) {
  {
    std::lock_guard lock(mu_);
    jobs_.push_back(std::move(job));
  }
  cv_.notify_all();
}

void ShardWorker::submit_task(int64_t id, std::function<void()> task) {
  {
    std::lock_guard lock(mu_);
    tasks_.push_back({id, std::move(task)});
  }
  cv_.notify_all();
}

template <typename T>
std::optional<T> ShardWorker::take_front(std::deque<T>& queue) {
  std::lock_guard lock(mu_);
  if (queue.empty()) return std::nullopt;
  T out = std::move(queue.front());
  queue.pop_front();
  return out;
}

std::optional<TaskDone> ShardWorker::poll_task() {
  return take_front(task_results_);
}

std::optional<ShardResult> ShardWorker::poll() {
  return take_front(results_);
}

void ShardWorker::wait_for_result(std::chrono::microseconds timeout) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, timeout, [&] { return !results_.empty() || !task_results_.empty(); });
}

std::vector<QueuedShard> ShardWorker::cancel_queued(uint32_t request) {
  std::lock_guard lock(mu_);
  std::vector<QueuedShard> out;
  std::deque<ShardJob> kept;
  for (ShardJob& j : jobs_) {
    if (request == kAllRequests || j.request == request) {
      out.push_back({j.request, j.shard});
    } else {
      kept.push_back(std::move(j));
    }
  }
  jobs_ = std::move(kept);
  return out;
}

size_t ShardWorker::outstanding() const {
  std::lock_guard lock(mu_);
  return jobs_.size() + tasks_.size() + (running_ ? 1 : 0) + results_.size() + task_results_.size();
}

void ShardWorker::run() {
  // OpenMP's thread count is per thread: this rank's share of the node, set where it proves.
  if (omp_threads_ > 0) omp_set_num_threads(omp_threads_);
  std::optional<ErrorKind> bind_kind;
  std::string bind_error;
  try {
    bind_thread_to_device(device_);
  } catch (const Error& e) {
    bind_kind = e.kind();
    bind_error = e.what();
  }
  for (;;) {
    ShardJob job;
    std::optional<Task> task;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return quit_ || !jobs_.empty() || !tasks_.empty(); });
      if (quit_) return;  // queued jobs are dropped; a running one has finished
      if (!tasks_.empty()) {
        task = std::move(tasks_.front());
        tasks_.pop_front();
      } else {
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      running_ = true;
    }
    if (task) {
      const auto t0 = std::chrono::steady_clock::now();
      task->run();
      TaskDone done{task->id, seconds_since(t0)};
      {
        std::lock_guard lock(mu_);
        task_results_.push_back(std::move(done));
        running_ = false;
      }
      cv_.notify_all();
      continue;
    }
    ShardResult result;
    if (bind_kind) {
      result.request = job.request;
      result.shard = job.shard;
      result.attempt = job.attempt;
      result.kind = *bind_kind;
      result.message = bind_error;
    } else {
      result = prove(std::move(job));
    }
    {
      std::lock_guard lock(mu_);
      results_.push_back(std::move(result));
      running_ = false;
    }
    cv_.notify_all();
  }
}

ShardResult ShardWorker::prove(ShardJob job) {
  ShardResult r;
  r.request = job.request;
  r.shard = job.shard;
  r.attempt = job.attempt;
  const auto t0 = std::chrono::steady_clock::now();
  try {
    {
      TESSERA_RANGE("prove shard");
      if (const uint64_t ms = faults_.delay_ms(rank_); ms > 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(ms));
      faults_.before_proving(job.shard, job.attempt);
      TESSERA_CHECK(job.machine != nullptr, ErrorKind::Internal,
                    "shard " << job.shard << " was queued without its machine");
      r.proof = job.machine->prove_shard(job.shard, job.checkpoint, backend_);
    }
    r.prove_seconds = seconds_since(t0);
    r.checksum = fnv1a64(r.proof);
    const auto t1 = std::chrono::steady_clock::now();
    if (job.journal != nullptr) {
      TESSERA_RANGE("journal");
      job.journal->append(job.shard, r.proof, r.checksum, rank_);
      r.journaled = true;
    }
    r.journal_seconds = seconds_since(t1);
    r.ok = true;
  } catch (const Error& e) {
    r.kind = e.kind();
    r.message = e.what();
  } catch (const std::bad_alloc&) {
    r.kind = ErrorKind::OutOfMemory;
    r.message = "host memory allocation failed while proving shard " + std::to_string(job.shard);
  } catch (const std::exception& e) {
    r.kind = ErrorKind::Internal;
    r.message = e.what();
  }
  if (!r.ok) {
    r.prove_seconds = seconds_since(t0);
    r.proof.clear();
  }
  return r;
}

}  // namespace tessera::mpi
