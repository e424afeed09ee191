// The streaming reduction tree in one process: TreeScheduler (rank 0's orders), TreeRank (each
// rank's children, shipments and ready nodes) and compute_node, wired together through an
// in-memory network and driven in random interleavings — shards finishing in any order on any
// rank, messages delivered late, ready nodes computed late. The outcome must be the tree of
// evaluate_tree (the one-process reference tessera verify uses), every node computed exactly
// once and only once both children were done, on the rank that finished the last child; and a
// tampered shard proof must fail the tree with the lowest failing node's error.
#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <map>
#include <memory>
#include <random>
#include <set>

#include "mpi/reduction_tree.hpp"
#include "mpi/tree_scheduler.hpp"
#include "tests/pipeline/recompute_chain_machine.hpp"

namespace tessera::mpi {
namespace {

using tessera::testing::prove_every_shard;
using tessera::testing::RecomputeChainMachine;

// P simulated ranks and rank 0's scheduler; every step of the protocol is checked as it happens.
class Cluster {
 public:
  Cluster(const TreePlan& plan, const TreeStep& step, int ranks,
          const std::vector<std::vector<uint8_t>>& proofs, uint32_t seed)
      : plan_(plan), step_(step), ranks_(ranks), proofs_(proofs), sched_(plan), rng_(seed) {
    held_.resize(static_cast<size_t>(ranks));
    for (int r = 0; r < ranks; ++r) {
      tree_.push_back(std::make_unique<TreeRank>(
          plan, r, [this, r](uint64_t s) { return held_[static_cast<size_t>(r)].at(s); },
          [this](int dest, std::vector<uint8_t> bytes) {
            network_.emplace_back(dest, std::move(bytes));
          }));
    }
  }

  // Proves every shard in a random order on random ranks, with everything else interleaved at
  // random, until the tree is complete. Returns the assembled outcome.
  TreeOutcome run() {
    std::vector<uint64_t> order(plan_.num_shards());
    for (uint64_t i = 0; i < order.size(); ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), rng_);
    size_t next = 0;
    for (int guard = 0; guard < 1'000'000; ++guard) {
      const bool shards_left = next < order.size();
      if (!shards_left && network_.empty() && ready_.empty() && sched_.in_flight() == 0) break;
      switch (std::uniform_int_distribution<int>(0, 2)(rng_)) {
        case 0:
          if (shards_left) prove(order[next++]);
          break;
        case 1:
          deliver_one();
          break;
        default:
          compute_one();
      }
      collect_ready();
    }
    EXPECT_TRUE(sched_.complete());
    EXPECT_EQ(sched_.in_flight(), 0u);
    const size_t nodes = std::max<size_t>(1, plan_.internal().size());
    EXPECT_EQ(computed_.size(), nodes);
    return assemble_tree(plan_, encode_records(records_));
  }

 private:
  void prove(uint64_t shard) {
    const int r = std::uniform_int_distribution<int>(0, ranks_ - 1)(rng_);
    held_[static_cast<size_t>(r)][shard] = proofs_[shard];
    holder_[static_cast<int64_t>(shard)] = r;
    if (auto o = sched_.proven(shard, r)) dispatch(*o, r);
  }

  void dispatch(const TreeOrder& o, int finished_by) {
    // Ordered only once both children are done, on the rank that finished the last one, with
    // the holders as they are.
    EXPECT_EQ(o.owner, finished_by);
    EXPECT_EQ(holder_.at(o.left), o.left_holder);
    if (o.right == TreeOrder::kNone) {
      EXPECT_EQ(plan_.num_shards(), 1u);
    } else {
      EXPECT_EQ(holder_.at(o.right), o.right_holder);
      const TreePlanNode& t = plan_.node(o.node);
      EXPECT_EQ(t.left, o.left);
      EXPECT_EQ(t.right, o.right);
    }
    EXPECT_TRUE(ordered_.insert(o.node).second) << "node " << o.node << " ordered twice";
    std::set<int> to{o.owner, o.left_holder};
    if (o.right != TreeOrder::kNone) to.insert(o.right_holder);
    for (int r : to) tree_[static_cast<size_t>(r)]->on_order(o);
  }

  void deliver_one() {
    if (network_.empty()) return;
    const size_t k = std::uniform_int_distribution<size_t>(0, network_.size() - 1)(rng_);
    auto [dest, bytes] = std::move(network_[k]);
    network_.erase(network_.begin() + static_cast<ptrdiff_t>(k));
    tree_[static_cast<size_t>(dest)]->on_child(bytes);
  }

  void collect_ready() {
    for (int r = 0; r < ranks_; ++r)
      for (NodeWork& w : tree_[static_cast<size_t>(r)]->take_ready())
        ready_.emplace_back(r, std::move(w));
  }

  void compute_one() {
    if (ready_.empty()) return;
    const size_t k = std::uniform_int_distribution<size_t>(0, ready_.size() - 1)(rng_);
    auto [r, work] = std::move(ready_[k]);
    ready_.erase(ready_.begin() + static_cast<ptrdiff_t>(k));
    const int64_t node = work.node;
    auto [rec, result] = compute_node(plan_, step_, std::move(work), r);
    EXPECT_EQ(rec.owner, r);
    EXPECT_TRUE(computed_.insert(node).second) << "node " << node << " computed twice";
    tree_[static_cast<size_t>(r)]->on_computed(node, std::move(result));
    records_.push_back(rec);
    holder_[node] = r;
    if (auto o = sched_.computed(node)) dispatch(*o, r);
  }

  const TreePlan& plan_;
  const TreeStep& step_;
  int ranks_;
  const std::vector<std::vector<uint8_t>>& proofs_;
  TreeScheduler sched_;
  std::mt19937 rng_;
  std::vector<std::map<uint64_t, std::vector<uint8_t>>> held_;
  std::vector<std::unique_ptr<TreeRank>> tree_;
  std::deque<std::pair<int, std::vector<uint8_t>>> network_;
  std::deque<std::pair<int, NodeWork>> ready_;
  std::map<int64_t, int> holder_;  // node id -> rank holding it once done
  std::set<int64_t> ordered_, computed_;
  std::vector<NodeRecord> records_;
};

TEST(StreamingTree, AnyInterleavingGivesTheReferenceTree) {
  for (uint64_t n : {1, 2, 3, 5, 8, 13, 33}) {
    RecomputeChainMachine m(n, 4, n);
    const auto proofs = prove_every_shard(m);
    const TreePlan plan(n);
    const CoreTreeStep step(m);
    const TreeEvaluation ref =
        evaluate_tree(plan, step, [&](uint64_t s) { return TreeNode::shard(s, proofs[s]); });
    for (int ranks : {1, 2, 3, 4}) {
      for (uint32_t seed = 0; seed < 4; ++seed) {
        SCOPED_TRACE(::testing::Message() << n << " shards, " << ranks << " ranks, seed " << seed);
        Cluster cluster(plan, step, ranks, proofs, seed);
        const TreeOutcome out = cluster.run();
        ASSERT_TRUE(out.ok) << out.message;
        EXPECT_EQ(out.root, ref.root);
        EXPECT_EQ(out.record.root_statement, statement_bytes(ref.root));
        for (uint64_t s = 0; s < n; ++s)
          EXPECT_EQ(out.record.leaf_statements[s], statement_bytes(ref.leaf_statements[s]));
        ASSERT_EQ(out.record.tree.size(), plan.internal().size());
        for (size_t j = 0; j < plan.internal().size(); ++j) {
          EXPECT_EQ(out.record.tree[j].statement, statement_bytes(ref.internal_statements[j]));
          EXPECT_GE(out.record.tree[j].owner_rank, 0);
          EXPECT_LT(out.record.tree[j].owner_rank, ranks);
        }
      }
    }
  }
}

TEST(StreamingTree, TamperedProofsFailTheTreeWithTheLowestNodesError) {
  RecomputeChainMachine m(8, 4, 7);
  auto proofs = prove_every_shard(m);
  proofs[5][20] ^= 1;  // node j = 2 (shards 4, 5)
  proofs[2][20] ^= 1;  // node j = 1 (shards 2, 3): the lowest failing node
  const TreePlan plan(8);
  const CoreTreeStep step(m);
  for (uint32_t seed = 0; seed < 6; ++seed) {
    Cluster cluster(plan, step, 3, proofs, seed);
    const TreeOutcome out = cluster.run();
    EXPECT_FALSE(out.ok);
    EXPECT_EQ(out.kind, ErrorKind::VerifyFailed);
    EXPECT_NE(out.message.find("shard 2"), std::string::npos) << out.message;
  }
}

TEST(StreamingTree, SingleShardIsVerifiedAlone) {
  RecomputeChainMachine m(1, 4, 9);
  auto proofs = prove_every_shard(m);
  const TreePlan plan(1);
  const CoreTreeStep step(m);
  TreeScheduler sched(plan);
  const auto o = sched.proven(0, 2);
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o->owner, 2);
  EXPECT_EQ(o->right, TreeOrder::kNone);
  EXPECT_EQ(sched.in_flight(), 1u);
  EXPECT_FALSE(sched.computed(0).has_value());
  EXPECT_TRUE(sched.complete());

  proofs[0][20] ^= 1;
  Cluster cluster(plan, step, 2, proofs, 1);
  const TreeOutcome out = cluster.run();
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.kind, ErrorKind::VerifyFailed);
}

TEST(TreeScheduler, RefusesWhatTheProtocolNeverDoes) {
  const TreePlan plan(4);
  TreeScheduler sched(plan);
  EXPECT_THROW(sched.computed(4), Error);  // never ordered
  EXPECT_FALSE(sched.proven(0, 0).has_value());
  EXPECT_THROW(sched.proven(0, 1), Error);  // a shard proven twice
  EXPECT_THROW(sched.proven(4, 0), Error);  // no such shard
  const auto o = sched.proven(1, 1);
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o->node, 4);
  EXPECT_EQ(o->owner, 1);
  EXPECT_EQ(o->left_holder, 0);
  EXPECT_EQ(o->right_holder, 1);
  EXPECT_FALSE(sched.computed(4).has_value());  // its sibling (shards 2, 3) is not done
  EXPECT_THROW(sched.computed(4), Error);       // reported twice
  EXPECT_FALSE(sched.complete());
}

TEST(TreeMessages, AnOrderRoundTrips) {
  const TreeOrder o{70, 3, 12, 1, 65, 2};
  const TreeOrder back = decode_order(encode_order(o));
  EXPECT_EQ(back.node, o.node);
  EXPECT_EQ(back.owner, o.owner);
  EXPECT_EQ(back.left, o.left);
  EXPECT_EQ(back.left_holder, o.left_holder);
  EXPECT_EQ(back.right, o.right);
  EXPECT_EQ(back.right_holder, o.right_holder);
  std::vector<uint8_t> bytes = encode_order(o);
  bytes.pop_back();
  EXPECT_THROW(decode_order(bytes), Error);
}

}  // namespace
}  // namespace tessera::mpi
