#include "mpi/reduction_tree.hpp"

#include <chrono>
#include <limits>
#include <map>

#include "common/check.hpp"
#include "common/nvtx.hpp"
#include "mpi/messaging.hpp"

namespace tessera::mpi {

namespace {

constexpr uint64_t kRootLeaf = std::numeric_limits<uint64_t>::max();  // record id when n == 1
constexpr uint32_t kMaxMessage = 1u << 20;
constexpr uint32_t kMaxStatementBytes = 1u << 24;

// What travels to a parent's owner: the child node, or the failure that replaces it.
struct Slot {
  bool failed = false;
  ErrorKind kind = ErrorKind::Internal;
  std::string message;
  TreeNode node;
};

std::vector<uint8_t> encode_slot(int64_t id, const Slot& s) {
  ByteWriter w;
  w.u64(static_cast<uint64_t>(id));
  w.u8(s.failed ? 1 : 0);
  if (s.failed) {
    w.u32(static_cast<uint32_t>(s.kind));
    w.str(s.message);
  } else {
    write_tree_node(w, s.node);
  }
  return w.take();
}

std::pair<int64_t, Slot> decode_slot(const std::vector<uint8_t>& bytes) {
  ByteReader r(bytes);
  const auto id = static_cast<int64_t>(r.u64("tree message node"));
  Slot s;
  s.failed = r.u8("tree message kind") != 0;
  if (s.failed) {
    s.kind = static_cast<ErrorKind>(r.u32("tree failure kind"));
    s.message = r.str("tree failure message", kMaxMessage);
  } else {
    s.node = read_tree_node(r);
  }
  r.expect_end("tree message");
  return {id, std::move(s)};
}

// What a rank reports about each node it computed.
struct NodeRecord {
  uint64_t j = 0;  // internal index, or kRootLeaf
  bool failed = false;
  bool original = false;  // the failure happened here (not in a child)
  ErrorKind kind = ErrorKind::Internal;
  std::string message;
  std::vector<uint8_t> statement;
  std::vector<uint8_t> left_leaf;  // statement of a leaf child, as verified here
  std::vector<uint8_t> right_leaf;
};

void write_blob(ByteWriter& w, const std::vector<uint8_t>& b) {
  w.u32(static_cast<uint32_t>(b.size()));
  w.bytes(b);
}
std::vector<uint8_t> read_blob(ByteReader& r, const char* what) {
  auto b = r.bytes(r.length(what, kMaxStatementBytes), what);
  return {b.begin(), b.end()};
}

void write_record(ByteWriter& w, const NodeRecord& rec) {
  w.u64(rec.j);
  w.u8(rec.failed ? 1 : 0);
  w.u8(rec.original ? 1 : 0);
  w.u32(static_cast<uint32_t>(rec.kind));
  w.str(rec.message);
  write_blob(w, rec.statement);
  write_blob(w, rec.left_leaf);
  write_blob(w, rec.right_leaf);
}

NodeRecord read_record(ByteReader& r) {
  NodeRecord rec;
  rec.j = r.u64("tree record node");
  rec.failed = r.u8("tree record failed") != 0;
  rec.original = r.u8("tree record original") != 0;
  rec.kind = static_cast<ErrorKind>(r.u32("tree record kind"));
  rec.message = r.str("tree record message", kMaxMessage);
  rec.statement = read_blob(r, "tree record statement");
  rec.left_leaf = read_blob(r, "tree record left leaf");
  rec.right_leaf = read_blob(r, "tree record right leaf");
  return rec;
}

}  // namespace

TreeOutcome reduce_tree(const Communicator& comm, const TreePlan& plan, const TreeStep& step,
                        const std::vector<int>& holder,
                        const std::function<std::vector<uint8_t>(uint64_t)>& take_proof) {
  TESSERA_RANGE("reduction tree");
  const auto t0 = std::chrono::steady_clock::now();
  const MPI_Comm c = comm.get();
  const int me = comm.rank();
  const int ranks = comm.size();
  const uint64_t n = plan.num_shards();
  const auto& internal = plan.internal();
  TESSERA_CHECK(holder.size() == n, ErrorKind::Internal, "tree: a holder per shard is needed");
  const std::vector<int> owners = plan.owners(ranks);

  auto owner_of_parent = [&](int64_t id) {
    const int64_t p = plan.parent(id);
    return p < 0 ? 0 : owners[static_cast<size_t>(p) - n];
  };
  Outbox outbox;
  std::map<int64_t, Slot> inbox;
  auto deliver = [&](int64_t id, Slot s) {
    const int dest = owner_of_parent(id);
    if (dest == me) {
      inbox[id] = std::move(s);
    } else {
      outbox.post(c, dest, kTagTree, encode_slot(id, s));
    }
  };
  for (uint64_t i = 0; i < n; ++i) {
    if (holder[i] != me) continue;
    Slot s;
    s.node = TreeNode::shard(i, take_proof(i));
    deliver(static_cast<int64_t>(i), std::move(s));
  }

  std::vector<size_t> todo;
  for (size_t j = 0; j < internal.size(); ++j)
    if (owners[j] == me) todo.push_back(j);
  bool root_leaf_pending = internal.empty() && me == 0;

  std::vector<NodeRecord> records;
  // The merge of one node whose children have arrived (no MPI: run on OpenMP threads).
  auto compute = [&](size_t j, Slot left, Slot right, Slot& result) {
    const TreePlanNode& t = internal[j];
    NodeRecord rec;
    rec.j = j;
    if (left.failed || right.failed) {
      const Slot& f = left.failed ? left : right;
      rec.failed = result.failed = true;
      rec.kind = result.kind = f.kind;
      rec.message = result.message = f.message;
      return rec;
    }
    try {
      TESSERA_RANGE("tree node");
      MergeOutcome m = step.merge(left.node, right.node);
      rec.statement = statement_bytes(*m.parent.statement);
      if (plan.is_leaf(t.left)) rec.left_leaf = statement_bytes(m.left);
      if (plan.is_leaf(t.right)) rec.right_leaf = statement_bytes(m.right);
      result.node = std::move(m.parent);
    } catch (const Error& e) {
      rec.failed = rec.original = result.failed = true;
      rec.kind = result.kind = e.kind();
      rec.message = result.message = e.what();
    } catch (const std::exception& e) {
      rec.failed = rec.original = result.failed = true;
      rec.kind = result.kind = ErrorKind::Internal;
      rec.message = result.message = e.what();
    }
    return rec;
  };
  for (int idle = 0; !todo.empty() || root_leaf_pending;) {
    bool did = false;
    while (auto m = try_receive(c, MPI_ANY_SOURCE, kTagTree)) {
      auto [id, slot] = decode_slot(m->bytes);
      inbox[id] = std::move(slot);
      did = true;
    }
    // Every node whose children are here, at once: the nodes are independent, and running them
    // side by side (each verification single-threaded inside) uses this rank's cores far better
    // than one verification at a time with many short parallel regions.
    std::vector<size_t> ready;
    std::vector<std::pair<Slot, Slot>> inputs;
    for (auto it = todo.begin(); it != todo.end();) {
      const TreePlanNode& t = internal[*it];
      auto l = inbox.find(t.left), r = inbox.find(t.right);
      if (l == inbox.end() || r == inbox.end()) {
        ++it;
        continue;
      }
      inputs.emplace_back(std::move(l->second), std::move(r->second));
      inbox.erase(t.left);
      inbox.erase(t.right);
      ready.push_back(*it);
      it = todo.erase(it);
    }
    if (!ready.empty()) {
      std::vector<NodeRecord> done(ready.size());
      std::vector<Slot> results(ready.size());
#pragma omp parallel for schedule(dynamic, 1)
      for (size_t k = 0; k < ready.size(); ++k)
        done[k] =
            compute(ready[k], std::move(inputs[k].first), std::move(inputs[k].second), results[k]);
      for (size_t k = 0; k < ready.size(); ++k) {
        const auto id = static_cast<int64_t>(n + ready[k]);
        if (plan.parent(id) >= 0) deliver(id, std::move(results[k]));
        records.push_back(std::move(done[k]));
      }
      did = true;
    }
    if (root_leaf_pending && inbox.count(0)) {
      // One shard: the root is the shard itself, checked on rank 0.
      Slot s = std::move(inbox[0]);
      inbox.erase(0);
      NodeRecord rec;
      rec.j = kRootLeaf;
      try {
        rec.statement = statement_bytes(step.verify_child(s.node));
        rec.left_leaf = rec.statement;
      } catch (const Error& e) {
        rec.failed = rec.original = true;
        rec.kind = e.kind();
        rec.message = e.what();
      }
      records.push_back(std::move(rec));
      root_leaf_pending = false;
      did = true;
    }
    outbox.progress();
    if (did) {
      idle = 0;
    } else {
      sleep_briefly(idle++);
    }
  }
  outbox.drain();

  // Everyone learns everything (statements are small), so every rank builds the same record.
  ByteWriter mine;
  mine.u64(records.size());
  for (const auto& rec : records) write_record(mine, rec);
  const auto all = allgather_bytes(c, mine.data());

  TreeOutcome out;
  out.record.leaf_statements.assign(n, {});
  out.record.tree.resize(internal.size());
  for (size_t j = 0; j < internal.size(); ++j) {
    const TreePlanNode& t = internal[j];
    out.record.tree[j] = {t.level, t.first_shard, t.end_shard, t.left, t.right, owners[j], {}};
  }
  bool any_failure = false;
  uint64_t first_original = kRootLeaf;
  for (const auto& bytes : all) {
    ByteReader r(bytes);
    const uint64_t count = r.u64("tree record count");
    for (uint64_t k = 0; k < count; ++k) {
      NodeRecord rec = read_record(r);
      if (rec.j == kRootLeaf) {
        out.record.leaf_statements[0] = rec.left_leaf;
        out.record.root_statement = rec.statement;
      } else {
        TESSERA_CHECK(rec.j < internal.size(), ErrorKind::Internal, "tree record out of range");
        const TreePlanNode& t = internal[rec.j];
        out.record.tree[rec.j].statement = rec.statement;
        if (plan.is_leaf(t.left))
          out.record.leaf_statements[static_cast<size_t>(t.left)] = rec.left_leaf;
        if (plan.is_leaf(t.right))
          out.record.leaf_statements[static_cast<size_t>(t.right)] = rec.right_leaf;
      }
      if (rec.failed) {
        any_failure = true;
        // The lowest node where a failure originated: a deterministic, most specific report.
        const uint64_t key = rec.j == kRootLeaf ? 0 : rec.j;
        if (rec.original && (first_original == kRootLeaf || key < first_original)) {
          first_original = key;
          out.kind = rec.kind;
          out.message = rec.message;
        }
      }
    }
    r.expect_end("tree records");
  }
  out.ok = !any_failure;
  if (out.ok) {
    if (!internal.empty()) out.record.root_statement = out.record.tree.back().statement;
    out.root = statement_from_bytes(out.record.root_statement);
  } else if (out.message.empty()) {
    out.kind = ErrorKind::Internal;
    out.message = "the reduction tree failed without a reported cause";
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace tessera::mpi
