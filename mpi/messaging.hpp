#pragma once
// Point-to-point plumbing of the pipeline, built so that no rank ever blocks in a way that could
// deadlock or steal a core from the provers:
//
// - every send is nonblocking (Outbox): a rank that is inside a collective artifact write can
//   never leave another rank stuck in a rendezvous send to it;
// - every wait polls and sleeps (wait_politely): Open MPI's blocking calls spin, and on a node
//   whose cores are all proving, a spinning rank would take a core from its own prover thread
//   (or, oversubscribed, from another rank's).

#include <mpi.h>

#include <chrono>
#include <cstdint>
#include <list>
#include <optional>
#include <vector>

namespace tessera::mpi {

// Message tags of the pipeline (on its own duplicated communicator). Every message but
// kTagInterrupt and kTagEnd belongs to one request and carries its slot in front
// (mpi/pipeline_messages.hpp: frame).
enum Tag : int {
  kTagDone = 101,       // worker -> 0: a shard's outcome (also: "give me work")
  kTagAssign = 102,     // 0 -> worker: a shard and its checkpoint
  kTagWrite = 103,      // 0 -> worker: join the collective write of this batch
  kTagStop = 104,       // 0 -> worker: the request is over (and how it ended): join its end
  kTagInterrupt = 105,  // worker -> 0: this rank received an interrupting signal
  kTagCancel = 106,     // 0 -> worker: drop the queued shards (of one request, or all) not started
  kTagOpen = 107,       // 0 -> worker: join the opening of a request
  kTagEnd = 108,        // 0 -> worker: no request is open and none will come: leave the loop
  kTagCount = 109,  // 0 -> worker: the request's shard count is known: join its artifact's creation
  kTagTree = 110,   // a tree node's child (or its failure), holder -> the node's owner
  kTagTreeOrder = 111,  // 0 -> owner and holders: compute a tree node / ship a child
  kTagTreeDone = 112,   // owner -> 0: the record of a computed tree node
};

// The polling interval: short right after activity, longer when idle (50 us .. 2 ms).
std::chrono::microseconds poll_interval(int idle_rounds);
void sleep_briefly(int idle_rounds);

// Completes `request` (MPI_Test in a loop with sleeps).
void wait_politely(MPI_Request& request);

class Outbox {
 public:
  Outbox() = default;
  ~Outbox();  // waits for pending sends (never abandons a buffer MPI still reads)
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  void post(MPI_Comm comm, int dest, int tag, std::vector<uint8_t> bytes);
  void progress();  // frees completed sends
  void drain();     // waits for all
  size_t pending() const { return sends_.size(); }

 private:
  struct Send {
    MPI_Request request;
    std::vector<uint8_t> bytes;
  };
  std::list<Send> sends_;  // list: MPI holds pointers into each element's buffer
};

struct Message {
  int source = 0;
  int tag = 0;
  std::vector<uint8_t> bytes;
};
// A waiting message from `source` (or MPI_ANY_SOURCE) with `tag` (or MPI_ANY_TAG), if any.
std::optional<Message> try_receive(MPI_Comm comm, int source, int tag);

// Root's bytes on every rank (size, then payload), waiting politely.
std::vector<uint8_t> broadcast_bytes(MPI_Comm comm, int root, std::vector<uint8_t> bytes);
// Every rank's bytes on every rank, in rank order.
std::vector<std::vector<uint8_t>> allgather_bytes(MPI_Comm comm, const std::vector<uint8_t>& mine);

}  // namespace tessera::mpi
