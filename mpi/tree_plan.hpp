#pragma once
// The shape of the reduction tree (DESIGN.md §5): binary over shard indices, built level by
// level — level 1 pairs shards (0,1), (2,3), ...; each further level pairs the nodes of the one
// below in order; an odd node at the end of a level is carried up unchanged. The shape depends
// on the shard count alone, so the root's statement (and, with recursion, its proof) is the same
// whatever the number of ranks. n shards give n - 1 internal nodes.
//
// Node ids: 0 .. n-1 are the shards (leaves), n + j is internal node j (in creation order, so
// children always have smaller ids than their parent and the root is the last id).
//
// Which rank computes a node is a separate, performance-only choice (TreeScheduler, at run
// time): it never changes a result. This file has no MPI: `tessera verify` evaluates the same plan
// in one process.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tessera::mpi {

struct TreePlanNode {
  uint32_t level = 0;  // 1 for the nodes that merge two shards
  uint64_t first_shard = 0;
  uint64_t end_shard = 0;  // covers [first_shard, end_shard)
  int64_t left = 0;
  int64_t right = 0;
};

class TreePlan {
 public:
  explicit TreePlan(uint64_t num_shards);

  uint64_t num_shards() const { return n_; }
  const std::vector<TreePlanNode>& internal() const { return internal_; }
  uint64_t num_nodes() const { return n_ + internal_.size(); }
  bool is_leaf(int64_t id) const { return id >= 0 && static_cast<uint64_t>(id) < n_; }
  const TreePlanNode& node(int64_t id) const { return internal_[static_cast<size_t>(id) - n_]; }
  int64_t root() const { return static_cast<int64_t>(num_nodes()) - 1; }
  // Parent id of any node; -1 for the root.
  int64_t parent(int64_t id) const { return parent_[static_cast<size_t>(id)]; }
  uint64_t first_shard(int64_t id) const;
  uint64_t end_shard(int64_t id) const;

 private:
  uint64_t n_;
  std::vector<TreePlanNode> internal_;
  std::vector<int64_t> parent_;
};

}  // namespace tessera::mpi
