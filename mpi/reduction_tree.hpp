#pragma once
// The reduction tree, distributed (DESIGN.md §5). Every rank sends the shard proofs it holds to
// the owner of their parent node (TreePlan::owners), owners apply the TreeStep to each node whose
// two children have arrived and send the result on to the parent's owner — all point-to-point,
// nonblocking. The records (leaf statements, node statements, failures) are then all-gathered,
// so every rank assembles the same FinalRecord for the collective artifact write, and rank 0
// checks the root against the request.
//
// A node whose step fails (a proof that does not verify, statements that do not chain) is
// reported, not thrown: its failure travels up in place of a result so that no rank waits
// forever, and the outcome names the lowest failing node's error.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "io/artifact.hpp"
#include "mpi/communicator.hpp"
#include "mpi/tree_plan.hpp"
#include "mpi/tree_step.hpp"

namespace tessera::mpi {

struct TreeOutcome {
  bool ok = false;  // every node merged (identical on every rank)
  ErrorKind kind = ErrorKind::Internal;
  std::string message;  // the first failure
  FinalRecord record;   // identical on every rank; verified is left false (the caller checks
                        // the root against the request)
  ShardStatement root;  // valid when ok
  double seconds = 0;   // this rank's time in the tree
};

// `holder[i]`: the rank holding shard i's proof; `take_proof(i)` is called on that rank (once)
// and hands the bytes over.
TreeOutcome reduce_tree(const Communicator& comm, const TreePlan& plan, const TreeStep& step,
                        const std::vector<int>& holder,
                        const std::function<std::vector<uint8_t>(uint64_t)>& take_proof);

}  // namespace tessera::mpi
