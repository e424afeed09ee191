#include "mpi/reduction_tree.hpp"

#include <new>

#include "common/check.hpp"
#include "common/nvtx.hpp"

namespace tessera::mpi {

std::pair<NodeRecord, TreeSlot> compute_node(const TreePlan& plan, const TreeStep& step,
                                             NodeWork work, int owner) {
  NodeRecord rec;
  TreeSlot result;
  rec.owner = owner;
  const bool root_leaf = !work.right.has_value();
  rec.j = root_leaf ? NodeRecord::kRootLeaf : static_cast<uint64_t>(work.node) - plan.num_shards();
  auto fail = [&](ErrorKind kind, std::string message, bool original) {
    rec.failed = result.failed = true;
    rec.original = original;
    rec.kind = result.kind = kind;
    rec.message = result.message = std::move(message);
  };
  // A failed child: its failure goes on up, recorded here as not originating here.
  if (work.left.failed || (work.right && work.right->failed)) {
    const TreeSlot& f = work.left.failed ? work.left : *work.right;
    fail(f.kind, f.message, false);
    return {std::move(rec), std::move(result)};
  }
  try {
    TESSERA_RANGE("tree node");
    if (root_leaf) {
      rec.statement = statement_bytes(step.verify_child(work.left.node));
      rec.left_leaf = rec.statement;
    } else {
      const TreePlanNode& t = plan.node(work.node);
      MergeOutcome m = step.merge(work.left.node, work.right->node);
      rec.statement = statement_bytes(*m.parent.statement);
      if (plan.is_leaf(t.left)) rec.left_leaf = statement_bytes(m.left);
      if (plan.is_leaf(t.right)) rec.right_leaf = statement_bytes(m.right);
      result.node = std::move(m.parent);
    }
  } catch (const Error& e) {
    std::string message = e.what();
    // A shard proof of this request that does not verify: a damaged stored proof, or a prover
    // bug, which `--debug-check` names (the constraint and row its witness breaks).
    if (e.kind() == ErrorKind::VerifyFailed)
      message += " (if this run made the proof, --debug-check names what its witness breaks)";
    fail(e.kind(), std::move(message), true);
  } catch (const std::bad_alloc&) {
    fail(ErrorKind::OutOfMemory, "host memory allocation failed at a tree node", true);
  } catch (const std::exception& e) {
    fail(ErrorKind::Internal, e.what(), true);
  }
  return {std::move(rec), std::move(result)};
}

// ---- TreeRank -----------------------------------------------------------------------------------

TreeRank::TreeRank(const TreePlan& plan, int me, LeafProof leaf, Send send)
    : plan_(plan), me_(me), leaf_(std::move(leaf)), send_(std::move(send)) {}

TreeSlot TreeRank::take_child(int64_t id) {
  if (auto it = children_.find(id); it != children_.end()) {
    TreeSlot s = std::move(it->second);
    children_.erase(it);
    return s;
  }
  TESSERA_CHECK(plan_.is_leaf(id), ErrorKind::Internal,
                "tree: rank " << me_ << " should hold node " << id);
  TreeSlot s;
  s.node = TreeNode::shard(static_cast<uint64_t>(id), leaf_(static_cast<uint64_t>(id)));
  return s;
}

void TreeRank::on_order(const TreeOrder& o) {
  if (o.owner == me_) waiting_[o.node] = o;
  auto ship = [&](int64_t child, int holder) {
    if (child != TreeOrder::kNone && holder == me_ && o.owner != me_)
      send_(o.owner, encode_child(child, take_child(child)));
  };
  ship(o.left, o.left_holder);
  ship(o.right, o.right_holder);
}

void TreeRank::on_child(const std::vector<uint8_t>& bytes) {
  auto [id, slot] = decode_child(bytes);
  TESSERA_CHECK(id >= 0 && static_cast<uint64_t>(id) < plan_.num_nodes() && !children_.count(id),
                ErrorKind::Internal, "tree: unexpected child " << id << " on rank " << me_);
  children_[id] = std::move(slot);
}

void TreeRank::on_computed(int64_t node, TreeSlot result) {
  children_[node] = std::move(result);
}

std::vector<NodeWork> TreeRank::take_ready() {
  auto here = [&](int64_t id, int holder) {
    return children_.count(id) > 0 || (holder == me_ && plan_.is_leaf(id));
  };
  std::vector<NodeWork> out;
  for (auto it = waiting_.begin(); it != waiting_.end();) {
    const TreeOrder& o = it->second;
    const bool alone = o.right == TreeOrder::kNone;
    if (!here(o.left, o.left_holder) || (!alone && !here(o.right, o.right_holder))) {
      ++it;
      continue;
    }
    NodeWork w;
    w.node = o.node;
    w.left = take_child(o.left);
    if (!alone) w.right = take_child(o.right);
    out.push_back(std::move(w));
    it = waiting_.erase(it);
  }
  return out;
}

// ---- the outcome
// ---------------------------------------------------------------------------------

std::vector<uint8_t> encode_records(const std::vector<NodeRecord>& records) {
  ByteWriter w;
  w.u64(records.size());
  for (const auto& rec : records) write_record(w, rec);
  return w.take();
}

TreeOutcome assemble_tree(const TreePlan& plan, const std::vector<uint8_t>& encoded_records) {
  const uint64_t n = plan.num_shards();
  const auto& internal = plan.internal();
  TreeOutcome out;
  out.record.leaf_statements.assign(n, {});
  out.record.tree.resize(internal.size());
  std::vector<bool> seen(internal.size(), false);
  for (size_t j = 0; j < internal.size(); ++j) {
    const TreePlanNode& t = internal[j];
    out.record.tree[j] = {t.level, t.first_shard, t.end_shard, t.left, t.right, -1, {}};
  }
  bool any_failure = false;
  uint64_t first_original = NodeRecord::kRootLeaf;
  ByteReader r(encoded_records);
  const uint64_t count = r.u64("tree record count");
  for (uint64_t k = 0; k < count; ++k) {
    NodeRecord rec = read_record(r);
    if (rec.j == NodeRecord::kRootLeaf) {
      TESSERA_CHECK(internal.empty(), ErrorKind::Internal, "tree: a root-leaf record for n > 1");
      out.record.leaf_statements[0] = rec.left_leaf;
      out.record.root_statement = rec.statement;
    } else {
      TESSERA_CHECK(rec.j < internal.size() && !seen[rec.j], ErrorKind::Internal,
                    "tree record " << rec.j << " out of range or repeated");
      seen[rec.j] = true;
      const TreePlanNode& t = internal[rec.j];
      out.record.tree[rec.j].owner_rank = rec.owner;
      out.record.tree[rec.j].statement = rec.statement;
      if (plan.is_leaf(t.left))
        out.record.leaf_statements[static_cast<size_t>(t.left)] = rec.left_leaf;
      if (plan.is_leaf(t.right))
        out.record.leaf_statements[static_cast<size_t>(t.right)] = rec.right_leaf;
    }
    if (rec.failed) {
      any_failure = true;
      // The lowest node where a failure originated: a deterministic, most specific report.
      const uint64_t key = rec.j == NodeRecord::kRootLeaf ? 0 : rec.j;
      if (rec.original && (first_original == NodeRecord::kRootLeaf || key < first_original)) {
        first_original = key;
        out.kind = rec.kind;
        out.message = rec.message;
      }
    }
  }
  r.expect_end("tree records");
  const size_t expected = internal.empty() ? 1 : internal.size();
  TESSERA_CHECK(count == expected, ErrorKind::Internal,
                "tree: " << count << " node records for " << expected << " nodes");
  out.ok = !any_failure;
  if (out.ok) {
    if (!internal.empty()) out.record.root_statement = out.record.tree.back().statement;
    out.root = statement_from_bytes(out.record.root_statement);
  } else if (out.message.empty()) {
    out.kind = ErrorKind::Internal;
    out.message = "the reduction tree failed without a reported cause";
  }
  return out;
}

}  // namespace tessera::mpi
