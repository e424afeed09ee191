#include "mpi/tree_scheduler.hpp"

#include "common/check.hpp"

namespace tessera::mpi {

TreeScheduler::TreeScheduler(const TreePlan& plan)
    : plan_(plan),
      holder_(plan.num_nodes(), -1),
      owners_(plan.internal().size(), -1),
      ordered_(plan.num_nodes(), false) {}

std::optional<TreeOrder> TreeScheduler::proven(uint64_t shard, int rank) {
  TESSERA_CHECK(shard < plan_.num_shards() && rank >= 0, ErrorKind::Internal,
                "tree: shard " << shard << " proven on rank " << rank);
  const auto id = static_cast<int64_t>(shard);
  TESSERA_CHECK(holder_[shard] < 0, ErrorKind::Internal, "tree: shard " << shard << " twice");
  if (plan_.root() == id) {
    // One shard: the root is the shard itself, verified alone.
    holder_[shard] = rank;
    ordered_[shard] = true;
    ++in_flight_;
    return TreeOrder{id, rank, id, rank, TreeOrder::kNone, -1};
  }
  return done(id, rank);
}

std::optional<TreeOrder> TreeScheduler::computed(int64_t node) {
  TESSERA_CHECK(node >= 0 && static_cast<uint64_t>(node) < plan_.num_nodes() &&
                    ordered_[static_cast<size_t>(node)] && in_flight_ > 0,
                ErrorKind::Internal, "tree: node " << node << " computed but never ordered");
  --in_flight_;
  ordered_[static_cast<size_t>(node)] = false;
  if (node == plan_.root()) {
    complete_ = true;
    return std::nullopt;
  }
  return done(node, owners_[static_cast<size_t>(node) - plan_.num_shards()]);
}

std::optional<TreeOrder> TreeScheduler::done(int64_t id, int rank) {
  holder_[static_cast<size_t>(id)] = rank;
  const int64_t p = plan_.parent(id);
  if (p < 0) return std::nullopt;
  const TreePlanNode& t = plan_.node(p);
  const int lh = holder_[static_cast<size_t>(t.left)], rh = holder_[static_cast<size_t>(t.right)];
  if (lh < 0 || rh < 0) return std::nullopt;
  owners_[static_cast<size_t>(p) - plan_.num_shards()] = rank;
  ordered_[static_cast<size_t>(p)] = true;
  ++in_flight_;
  return TreeOrder{p, rank, t.left, lh, t.right, rh};
}

}  // namespace tessera::mpi
