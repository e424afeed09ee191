#pragma once
// When each node of the reduction tree can be computed, and where (rank 0's bookkeeping; no MPI).
//
// The tree runs while the ranks prove: the moment both children of a node are done — two proven
// shards, or two computed nodes — the node is ordered, on the rank that holds the child finished
// last (its worker has just come free, and it already holds one input; the other child is
// shipped to it when it lives elsewhere). So the tree's work, mostly the verification of shard
// proofs at its first level, is spread over the proving phase instead of following it, and after
// the last shard only that shard's ancestors are left. The shape of the tree (TreePlan) fixes
// every result; the owners are a performance choice and only appear in /tree/owner_rank.
//
// A single shard has no internal node: its proof is verified on its own (an order whose `right`
// is kNone) and that verification completes the tree.

#include <cstdint>
#include <optional>
#include <vector>

#include "mpi/tree_plan.hpp"

namespace tessera::mpi {

struct TreeOrder {
  static constexpr int64_t kNone = -1;
  int64_t node = 0;  // the node to compute: internal node n + j, or shard 0 when it is the root
  int owner = 0;     // the rank that computes it
  int64_t left = 0;  // child node ids and the ranks that hold them
  int left_holder = 0;
  int64_t right = kNone;
  int right_holder = -1;
};

class TreeScheduler {
 public:
  explicit TreeScheduler(const TreePlan& plan);

  // Shard `shard` is proven and its proof is held by `rank` (also for proofs found stored).
  std::optional<TreeOrder> proven(uint64_t shard, int rank);
  // An ordered node is computed; its result is held by its owner.
  std::optional<TreeOrder> computed(int64_t node);

  size_t in_flight() const { return in_flight_; }
  bool complete() const { return complete_; }

 private:
  std::optional<TreeOrder> done(int64_t id, int rank);

  const TreePlan& plan_;
  std::vector<int> holder_;  // per node id: the rank holding it once done, else -1
  std::vector<int> owners_;  // per internal node: the rank ordered to compute it
  std::vector<bool> ordered_;
  size_t in_flight_ = 0;
  bool complete_ = false;
};

}  // namespace tessera::mpi
