#include "mpi/scheduler.hpp"

#include <algorithm>

#include "common/check.hpp"

namespace tessera::mpi {

ShardScheduler::ShardScheduler(std::vector<uint64_t> to_prove, int ranks, uint32_t max_attempts,
                               uint64_t ready_end)
    : ranks_(ranks), max_attempts_(max_attempts) {
  TESSERA_CHECK(ranks > 0 && max_attempts > 0, ErrorKind::InvalidArgument,
                "scheduler needs ranks and attempts");
  std::sort(to_prove.begin(), to_prove.end());
  to_prove.erase(std::unique(to_prove.begin(), to_prove.end()), to_prove.end());
  waiting_.assign(to_prove.begin(), to_prove.end());
  release_until(ready_end);
}

ShardScheduler ShardScheduler::open_ended(int ranks, uint32_t max_attempts) {
  ShardScheduler s({}, ranks, max_attempts, 0);
  s.open_ended_ = true;
  return s;
}

void ShardScheduler::close(uint64_t count) {
  TESSERA_CHECK(open_ended_ && released_end_ == count, ErrorKind::Internal,
                "scheduler: closed at " << count << " shards, " << released_end_ << " were released"
                                        << (open_ended_ ? "" : " (and it was not open-ended)"));
  open_ended_ = false;
}

void ShardScheduler::release_until(uint64_t ready_end) {
  // Open-ended: the new shards join the queue's fresh part, above every shard in it.
  if (open_ended_) {
    TESSERA_CHECK(ready_end != kAllReady, ErrorKind::Internal,
                  "scheduler: an open-ended schedule releases the checkpoints that exist");
    for (; released_end_ < ready_end; ++released_end_) queue_.push_back(released_end_);
  }
  // Every waiting shard is above every released one (retried and returned shards included), so
  // appending keeps the queue's fresh part in increasing order.
  while (!waiting_.empty() && waiting_.front() < ready_end) {
    queue_.push_back(waiting_.front());
    waiting_.pop_front();
  }
}

std::vector<std::optional<uint64_t>> ShardScheduler::initial_assignment() {
  std::vector<std::optional<uint64_t>> out(static_cast<size_t>(ranks_));
  for (int r = 0; r < ranks_ && !queue_.empty(); ++r) {
    out[static_cast<size_t>(r)] = queue_.front();
    queue_.pop_front();
    start(r, *out[static_cast<size_t>(r)]);
  }
  return out;
}

void ShardScheduler::start(int rank, uint64_t shard) {
  in_flight_[shard] = rank;
  ++attempts_[shard];
}

bool ShardScheduler::may_take(int rank, uint64_t shard) const {
  auto it = failed_on_.find(shard);
  if (it == failed_on_.end() || !it->second.count(rank)) return true;
  // This rank failed the shard before: leave it to a rank that has not, while there is one.
  return static_cast<int>(it->second.size()) >= ranks_;
}

std::optional<uint64_t> ShardScheduler::next_for(int rank) {
  if (stopped_) return std::nullopt;
  for (auto it = queue_.begin(); it != queue_.end(); ++it) {
    if (!may_take(rank, *it)) continue;
    const uint64_t shard = *it;
    queue_.erase(it);
    start(rank, shard);
    return shard;
  }
  return std::nullopt;
}

void ShardScheduler::completed(int rank, uint64_t shard) {
  auto it = in_flight_.find(shard);
  TESSERA_CHECK(it != in_flight_.end() && it->second == rank, ErrorKind::Internal,
                "rank " << rank << " reported shard " << shard << ", which it was not proving");
  in_flight_.erase(it);
}

void ShardScheduler::returned(int rank, uint64_t shard) {
  completed(rank, shard);
  --attempts_[shard];
  queue_.insert(std::lower_bound(queue_.begin(), queue_.end(), shard), shard);
}

size_t ShardScheduler::in_flight_on(int rank) const {
  return static_cast<size_t>(std::count_if(in_flight_.begin(), in_flight_.end(),
                                           [&](const auto& kv) { return kv.second == rank; }));
}

ShardScheduler::Outcome ShardScheduler::failed(int rank, uint64_t shard, bool retryable) {
  completed(rank, shard);
  failed_on_[shard].insert(rank);
  if (!retryable || attempts_[shard] >= max_attempts_) {
    stopped_ = true;
    return Outcome::GiveUp;
  }
  ++retries_;
  queue_.push_front(shard);  // lowest indices first: a retry is the oldest work
  return Outcome::Retry;
}

uint32_t ShardScheduler::attempts(uint64_t shard) const {
  auto it = attempts_.find(shard);
  return it == attempts_.end() ? 0 : it->second;
}

}  // namespace tessera::mpi
