#include "mpi/tree_step.hpp"

#include <exception>

#include "common/check.hpp"
#include "shard/sharded_machine.hpp"

namespace tessera::mpi {

namespace {
// A shard proof may be large, but not this large; the limit only stops a corrupt length.
constexpr uint64_t kMaxNodeProofBytes = uint64_t{1} << 36;
}  // namespace

TreeNode TreeNode::shard(uint64_t index, std::vector<uint8_t> proof) {
  TreeNode n;
  n.first_shard = index;
  n.end_shard = index + 1;
  n.leaf = true;
  n.proof = std::move(proof);
  return n;
}

void write_tree_node(ByteWriter& w, const TreeNode& node) {
  w.u64(node.first_shard);
  w.u64(node.end_shard);
  w.u8(node.leaf ? 1 : 0);
  w.u8(node.statement ? 1 : 0);
  if (node.statement) write_statement(w, *node.statement);
  w.u64(node.proof.size());
  w.bytes(node.proof);
}

TreeNode read_tree_node(ByteReader& r) {
  TreeNode n;
  n.first_shard = r.u64("tree node first shard");
  n.end_shard = r.u64("tree node end shard");
  n.leaf = r.u8("tree node kind") != 0;
  if (r.u8("tree node statement flag") != 0) n.statement = read_statement(r);
  const uint64_t size = r.u64("tree node proof length");
  TESSERA_CHECK(size <= kMaxNodeProofBytes, ErrorKind::Format,
                "malformed data: tree node proof of " << size << " bytes");
  auto b = r.bytes(static_cast<size_t>(size), "tree node proof");
  n.proof.assign(b.begin(), b.end());
  return n;
}

ShardStatement CoreTreeStep::verify_child(const TreeNode& child) const {
  if (child.leaf) {
    ShardStatement s = machine_.verify_shard(child.first_shard, child.proof);
    TESSERA_CHECK(s.first_shard == child.first_shard && s.end_shard == child.end_shard,
                  ErrorKind::VerifyFailed,
                  "shard " << child.first_shard << "'s proof states shards [" << s.first_shard
                           << ", " << s.end_shard << ')');
    return s;
  }
  // Core mode: an internal node's statement was established by the merge that made it, which
  // verified that node's children; there is no node proof to check.
  TESSERA_CHECK(
      child.statement.has_value(), ErrorKind::VerifyFailed,
      "tree node [" << child.first_shard << ", " << child.end_shard << ") carries no statement");
  TESSERA_CHECK(child.statement->first_shard == child.first_shard &&
                    child.statement->end_shard == child.end_shard,
                ErrorKind::VerifyFailed,
                "tree node [" << child.first_shard << ", " << child.end_shard
                              << ") carries the statement of another range");
  return *child.statement;
}

MergeOutcome CoreTreeStep::merge(const TreeNode& left, const TreeNode& right) const {
  MergeOutcome out{{}, verify_child(left), verify_child(right)};
  out.parent.first_shard = left.first_shard;
  out.parent.end_shard = right.end_shard;
  out.parent.leaf = false;
  out.parent.statement = merge_statements(out.left, out.right);
  return out;
}

TreeEvaluation evaluate_tree(const TreePlan& plan, const TreeStep& step,
                             const std::function<TreeNode(uint64_t shard)>& leaf) {
  const uint64_t n = plan.num_shards();
  const auto& internal = plan.internal();
  TreeEvaluation ev;
  ev.leaf_statements.resize(n);
  ev.internal_statements.resize(internal.size());
  if (internal.empty()) {
    ev.leaf_statements[0] = step.verify_child(leaf(0));
    ev.root = ev.leaf_statements[0];
    return ev;
  }
  std::vector<std::optional<TreeNode>> nodes(internal.size());
  auto child = [&](int64_t id) -> TreeNode {
    if (plan.is_leaf(id)) return leaf(static_cast<uint64_t>(id));
    return *nodes[static_cast<size_t>(id) - n];
  };
  // Internal nodes are created level by level, so a level is a contiguous range of j.
  size_t begin = 0;
  while (begin < internal.size()) {
    size_t end = begin;
    while (end < internal.size() && internal[end].level == internal[begin].level) ++end;
    std::vector<std::exception_ptr> errors(end - begin);
#pragma omp parallel for schedule(dynamic, 1)
    for (size_t j = begin; j < end; ++j) {
      try {
        const TreePlanNode& t = internal[j];
        MergeOutcome m = step.merge(child(t.left), child(t.right));
        if (plan.is_leaf(t.left)) ev.leaf_statements[static_cast<size_t>(t.left)] = m.left;
        if (plan.is_leaf(t.right)) ev.leaf_statements[static_cast<size_t>(t.right)] = m.right;
        ev.internal_statements[j] = *m.parent.statement;
        nodes[j] = std::move(m.parent);
      } catch (...) {
        errors[j - begin] = std::current_exception();
      }
    }
    for (auto& e : errors)
      if (e) std::rethrow_exception(e);
    begin = end;
  }
  ev.root = ev.internal_statements.back();
  return ev;
}

}  // namespace tessera::mpi
