#include "mpi/tree_plan.hpp"

#include "common/check.hpp"

namespace tessera::mpi {

TreePlan::TreePlan(uint64_t num_shards) : n_(num_shards) {
  TESSERA_CHECK(num_shards > 0, ErrorKind::InvalidArgument, "a reduction tree needs a shard");
  parent_.assign(2 * n_ - 1, -1);
  std::vector<int64_t> level_nodes;
  for (uint64_t i = 0; i < n_; ++i) level_nodes.push_back(static_cast<int64_t>(i));
  for (uint32_t level = 1; level_nodes.size() > 1; ++level) {
    std::vector<int64_t> next;
    for (size_t i = 0; i < level_nodes.size(); i += 2) {
      if (i + 1 == level_nodes.size()) {
        next.push_back(level_nodes[i]);  // odd one out: carried up unchanged
        continue;
      }
      const int64_t l = level_nodes[i], r = level_nodes[i + 1];
      const int64_t id = static_cast<int64_t>(n_ + internal_.size());
      internal_.push_back({level, first_shard(l), end_shard(r), l, r});
      parent_[static_cast<size_t>(l)] = id;
      parent_[static_cast<size_t>(r)] = id;
      next.push_back(id);
    }
    level_nodes = std::move(next);
  }
}

uint64_t TreePlan::first_shard(int64_t id) const {
  return is_leaf(id) ? static_cast<uint64_t>(id) : node(id).first_shard;
}

uint64_t TreePlan::end_shard(int64_t id) const {
  return is_leaf(id) ? static_cast<uint64_t>(id) + 1 : node(id).end_shard;
}

}  // namespace tessera::mpi
