// The reduction tree's shape: binary over shard indices, level by level with an odd node carried
// up, n - 1 internal nodes, children before parents, every node covering the union of its
// children — for every shard count; and the owner assignment is a pure function of (n, ranks)
// that spreads the shard-merging nodes round-robin.
#include <gtest/gtest.h>

#include <map>

#include "common/error.hpp"
#include "mpi/tree_plan.hpp"

namespace tessera::mpi {
namespace {

TEST(TreePlan, ShapeForEveryShardCount) {
  for (uint64_t n = 1; n <= 70; ++n) {
    const TreePlan plan(n);
    ASSERT_EQ(plan.internal().size(), n - 1) << n;
    EXPECT_EQ(plan.first_shard(plan.root()), 0u);
    EXPECT_EQ(plan.end_shard(plan.root()), n);
    EXPECT_EQ(plan.parent(plan.root()), -1);
    std::vector<int> parents_seen(plan.num_nodes(), 0);
    for (size_t j = 0; j < plan.internal().size(); ++j) {
      const TreePlanNode& t = plan.internal()[j];
      const auto id = static_cast<int64_t>(n + j);
      ASSERT_LT(t.left, id);
      ASSERT_LT(t.right, id);
      EXPECT_EQ(t.first_shard, plan.first_shard(t.left));
      EXPECT_EQ(t.end_shard, plan.end_shard(t.right));
      EXPECT_EQ(plan.end_shard(t.left), plan.first_shard(t.right)) << "children must be adjacent";
      EXPECT_EQ(plan.parent(t.left), id);
      EXPECT_EQ(plan.parent(t.right), id);
      ++parents_seen[static_cast<size_t>(t.left)];
      ++parents_seen[static_cast<size_t>(t.right)];
      // Levels: one above the higher child.
      const uint32_t child_level = std::max(plan.is_leaf(t.left) ? 0u : plan.node(t.left).level,
                                            plan.is_leaf(t.right) ? 0u : plan.node(t.right).level);
      EXPECT_EQ(t.level, child_level + 1);
    }
    for (int64_t id = 0; id < plan.root(); ++id) EXPECT_EQ(parents_seen[id], 1) << "node " << id;
  }
}

TEST(TreePlan, LevelOnePairsAdjacentShardsAndCarriesTheOddOne) {
  const TreePlan plan(5);
  // Level 1: (0,1) (2,3), 4 carried; level 2: ((0,1),(2,3)); level 3: (that, 4).
  ASSERT_EQ(plan.internal().size(), 4u);
  EXPECT_EQ(plan.internal()[0].left, 0);
  EXPECT_EQ(plan.internal()[0].right, 1);
  EXPECT_EQ(plan.internal()[1].left, 2);
  EXPECT_EQ(plan.internal()[1].right, 3);
  EXPECT_EQ(plan.internal()[2].left, 5);
  EXPECT_EQ(plan.internal()[2].right, 6);
  EXPECT_EQ(plan.internal()[3].left, 7);
  EXPECT_EQ(plan.internal()[3].right, 4);
  EXPECT_EQ(plan.internal()[3].level, 3u);
}

TEST(TreePlan, RejectsZeroShards) {
  EXPECT_THROW(TreePlan(0), Error);
}

}  // namespace
}  // namespace tessera::mpi
