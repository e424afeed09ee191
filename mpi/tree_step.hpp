#pragma once
// The operation at an internal node of the reduction tree, as one replaceable step.
//
// A tree node carries what it claims (a statement over [first, end)) and the evidence for it (a
// proof). Leaves are shard proofs whose statement is only known once verified. In `core` mode
// (CoreTreeStep, now) a node verifies both children — a shard proof through the machine's
// verify_shard, an internal child by the merge that produced it — and merges their statements,
// which checks that the left child ends where the right one starts; the node carries no proof of
// its own. With recursion, a different TreeStep will produce a proof of both verifications, and
// nothing else in the pipeline changes. No MPI here: `tessera verify` uses the same step.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "io/byte_io.hpp"
#include "mpi/tree_plan.hpp"
#include "shard/statement.hpp"

namespace tessera {
class ShardedMachine;
}

namespace tessera::mpi {

struct TreeNode {
  uint64_t first_shard = 0;
  uint64_t end_shard = 0;
  bool leaf = false;
  std::optional<ShardStatement> statement;  // internal nodes: established by their merge
  std::vector<uint8_t> proof;               // leaves: the shard proof; internal: the node proof

  static TreeNode shard(uint64_t index, std::vector<uint8_t> proof);
};
void write_tree_node(ByteWriter& w, const TreeNode& node);
TreeNode read_tree_node(ByteReader& r);

struct MergeOutcome {
  TreeNode parent;
  ShardStatement left;  // the children's statements as verified (leaves: their shard statement)
  ShardStatement right;
};

class TreeStep {
 public:
  virtual ~TreeStep() = default;
  // The statement a child establishes, verified; throws ErrorKind::VerifyFailed / Format.
  virtual ShardStatement verify_child(const TreeNode& child) const = 0;
  // The node operation: verify both children and merge (throws like verify_child, or when the
  // statements do not chain).
  virtual MergeOutcome merge(const TreeNode& left, const TreeNode& right) const = 0;
};

class CoreTreeStep final : public TreeStep {
 public:
  explicit CoreTreeStep(const ShardedMachine& machine) : machine_(machine) {}
  ShardStatement verify_child(const TreeNode& child) const override;
  MergeOutcome merge(const TreeNode& left, const TreeNode& right) const override;

 private:
  const ShardedMachine& machine_;
};

// The whole tree in one process (tessera verify; tests). Nodes of one level are independent and
// are evaluated in parallel; the result does not depend on the thread count. On failure throws
// the error of the lowest failing node.
struct TreeEvaluation {
  std::vector<ShardStatement> leaf_statements;      // [n]
  std::vector<ShardStatement> internal_statements;  // [n - 1], plan order
  ShardStatement root;
};
TreeEvaluation evaluate_tree(const TreePlan& plan, const TreeStep& step,
                             const std::function<TreeNode(uint64_t shard)>& leaf);

}  // namespace tessera::mpi
