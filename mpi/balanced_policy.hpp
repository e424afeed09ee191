#pragma once
// Which open request a rank's next shard comes from, and when rank 0 opens another request: the
// Balanced policy of SP1's cluster coordinator, on MPI ranks.
//
// A queue drain proves several requests at once. Every rank proves one shard and holds the next
// (so it never waits for a message between two shards); when a rank has room, it takes a shard
// from the open request with the fewest shards in flight — the ranks spread evenly over the
// requests that have work — and from any request that has a shard ready, so that no rank idles
// while an open request has an unproven shard whose checkpoint exists. Ties go to the request
// opened first (the queue opens them by priority, then age).
//
// Rank 0 opens another request while the open ones cannot keep every rank busy for the next two
// hand-outs (fewer shards left to hand out than twice the ranks), up to `max_active`: a request's
// start (opening its artifact, executing its first shard) and its end (the last tree nodes, the
// final writes) then overlap with other requests' shards instead of idling the ranks. The count
// of shards left is what the requests know so far (shards ready plus shards still executing),
// never a total fixed when the request was opened, so a request whose shard count is known only
// when its execution ends fits the same rule.
//
// Pure bookkeeping, no MPI: the rank loop (mpi/rank_loop.hpp) drives it, the unit tests directly.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tessera::mpi {

// One open request as the policy sees it.
struct RequestLoad {
  size_t queued = 0;      // shards whose checkpoints exist, not handed out
  size_t waiting = 0;     // shards still to execute (no checkpoint yet)
  size_t in_flight = 0;   // handed out to any rank, not reported yet
  bool stopping = false;  // hands out nothing more (failed, cancelled, interrupted)
};

class BalancedPolicy {
 public:
  // Indices into `loads` (given in opening order) of the requests to take a shard from, best
  // first: those with a shard ready and not stopping, fewest shards in flight first, then in
  // opening order. The caller takes the first one whose scheduler gives this rank a shard.
  static std::vector<size_t> candidates(const std::vector<RequestLoad>& loads);
  // Shards left to hand out (ready or still executing) over the requests that are not stopping.
  static size_t unassigned(const std::vector<RequestLoad>& loads);
  // A rank may hold a second shard ahead only while at least a shard per rank is left to hand
  // out; near the end each rank takes one at a time, so none sits on a shard another could prove
  // sooner.
  static bool may_prefetch(const std::vector<RequestLoad>& loads, int ranks);
  // Whether rank 0 should open another request now.
  static bool should_open(const std::vector<RequestLoad>& loads, int ranks, size_t max_active);
};

}  // namespace tessera::mpi
