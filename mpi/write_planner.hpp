#pragma once
// Which finished proofs go into the artifact's next collective write, and in what order.
//
// Proofs reach the artifact in shard order: a batch is the run of finished shards that directly
// follows what the artifact already holds (the "prefix"), so /shards/proofs ends up as the
// proofs of shards 0, 1, 2, ... back to back — the same bytes for any number of ranks, and the
// same after a resume. A shard finished out of order waits (in memory and, durably, in the
// journal) until the shards before it are done. Only a run that ends with a hole (a shard that
// failed for good, or an interrupt) writes what it has out of order (take_all), so that nothing
// proven is left outside the artifact.

#include <cstdint>
#include <map>
#include <vector>

#include "io/artifact.hpp"

namespace tessera::mpi {

class WritePlanner {
 public:
  // `stored[i]`: shard i is already in the artifact.
  explicit WritePlanner(std::vector<bool> stored);

  void add(const AppendEntry& finished);
  // Finished shards that extend the prefix (what take_prefix would return).
  size_t ready() const;
  size_t pending() const { return pending_.size(); }
  std::vector<AppendEntry> take_prefix();
  // Every pending shard, in shard order (the last write of a run).
  std::vector<AppendEntry> take_all();

 private:
  std::vector<bool> stored_;
  uint64_t prefix_ = 0;  // shards [0, prefix_) are stored
  std::map<uint64_t, AppendEntry> pending_;
};

}  // namespace tessera::mpi
