#include "mpi/write_planner.hpp"

#include "common/check.hpp"

namespace tessera::mpi {

WritePlanner::WritePlanner(std::vector<bool> stored) : stored_(std::move(stored)) {
  while (prefix_ < stored_.size() && stored_[prefix_]) ++prefix_;
}

void WritePlanner::add(const AppendEntry& finished) {
  TESSERA_CHECK(finished.shard < stored_.size() && !stored_[finished.shard] &&
                    !pending_.count(finished.shard),
                ErrorKind::Internal, "shard " << finished.shard << " finished twice");
  pending_[finished.shard] = finished;
}

size_t WritePlanner::ready() const {
  size_t count = 0;
  for (uint64_t i = prefix_; i < stored_.size(); ++i) {
    if (stored_[i]) continue;
    if (!pending_.count(i)) break;
    ++count;
  }
  return count;
}

std::vector<AppendEntry> WritePlanner::take_prefix() {
  std::vector<AppendEntry> out;
  while (prefix_ < stored_.size()) {
    if (!stored_[prefix_]) {
      auto it = pending_.find(prefix_);
      if (it == pending_.end()) break;
      out.push_back(it->second);
      pending_.erase(it);
      stored_[prefix_] = true;
    }
    ++prefix_;
  }
  return out;
}

std::vector<AppendEntry> WritePlanner::take_all() {
  std::vector<AppendEntry> out = take_prefix();
  for (auto& [shard, entry] : pending_) {
    out.push_back(entry);
    stored_[shard] = true;
  }
  pending_.clear();
  return out;
}

}  // namespace tessera::mpi
