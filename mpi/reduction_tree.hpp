#pragma once
// The reduction tree, distributed and streaming (DESIGN.md §5). It runs during the proving
// phase: rank 0's TreeScheduler orders each node as soon as its two children are done; the
// ranks involved carry the order out through their TreeRank — the holder of a child that lives
// elsewhere ships it to the owner (point-to-point), the owner's worker thread applies the
// TreeStep (verify both children, merge) ahead of its queued shards and keeps the result for
// the parent's order. Owners report a NodeRecord per node to rank 0, which at the end
// assembles the FinalRecord that every rank writes collectively and checks the root against the
// request.
//
// Nothing here calls MPI: TreeRank sends through a callback, so the unit tests wire several of
// them together in one process.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "io/artifact.hpp"
#include "mpi/tree_messages.hpp"
#include "mpi/tree_plan.hpp"
#include "mpi/tree_scheduler.hpp"
#include "mpi/tree_step.hpp"

namespace tessera::mpi {

// A node whose inputs are all here, ready for the worker thread.
struct NodeWork {
  int64_t node = 0;
  TreeSlot left;
  std::optional<TreeSlot> right;  // none: the single shard verified as the root
};

// The TreeStep at one node (or the verification of a single-shard root). Never throws: a
// failure becomes the record's and the result's. `owner` is recorded.
std::pair<NodeRecord, TreeSlot> compute_node(const TreePlan& plan, const TreeStep& step,
                                             NodeWork work, int owner);

// This rank's part of the tree: the children it holds and the nodes ordered to it.
class TreeRank {
 public:
  // A copy of a shard proof this rank holds (it stays held for the artifact writes).
  using LeafProof = std::function<std::vector<uint8_t>(uint64_t shard)>;
  // Sends an encoded child (encode_child) to another rank.
  using Send = std::function<void(int dest, std::vector<uint8_t> bytes)>;

  TreeRank(const TreePlan& plan, int me, LeafProof leaf, Send send);

  // An order in which this rank is the owner and/or holds a child.
  void on_order(const TreeOrder& order);
  // A child shipped by another rank.
  void on_child(const std::vector<uint8_t>& bytes);
  // A node this rank computed: its result waits here for the parent's order.
  void on_computed(int64_t node, TreeSlot result);
  // Ordered nodes whose inputs have all arrived (each returned once).
  std::vector<NodeWork> take_ready();

 private:
  TreeSlot take_child(int64_t id);

  const TreePlan& plan_;
  int me_;
  LeafProof leaf_;
  Send send_;
  std::map<int64_t, TreeSlot> children_;  // arrived children and kept results, by node id
  std::map<int64_t, TreeOrder> waiting_;  // nodes ordered to this rank, inputs incomplete
};

struct TreeOutcome {
  bool ok = false;  // every node merged
  ErrorKind kind = ErrorKind::Internal;
  std::string message;  // the lowest node's failure where one originated
  FinalRecord record;   // `verified` is left false (the caller checks the root)
  ShardStatement root;  // valid when ok
};

// The whole tree's outcome from every node's record (rank 0 gathers them; every rank assembles
// the same outcome from the same bytes).
std::vector<uint8_t> encode_records(const std::vector<NodeRecord>& records);
TreeOutcome assemble_tree(const TreePlan& plan, const std::vector<uint8_t>& encoded_records);

}  // namespace tessera::mpi
