#pragma once
// What the ranks tell each other about the reduction tree, and its byte encodings (no MPI here;
// the pipeline sends these bytes point-to-point):
//
//   order   0 -> owner and holders   compute this node / ship this child to its owner
//   child   holder -> owner          a child node (a shard proof or a computed node), or the
//                                    failure that replaces it
//   record  owner -> 0               what the owner established at a node (or how it failed)
//
// A node whose step fails is reported, not thrown: its failure travels up in place of a result,
// so that every node is still accounted for and no rank waits forever; the run then names the
// lowest node where a failure originated.

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "mpi/tree_scheduler.hpp"
#include "mpi/tree_step.hpp"

namespace tessera::mpi {

// A child on its way to its parent: the node, or the failure that replaces it.
struct TreeSlot {
  bool failed = false;
  ErrorKind kind = ErrorKind::Internal;
  std::string message;
  TreeNode node;
};

// What a rank reports about one node it computed.
struct NodeRecord {
  static constexpr uint64_t kRootLeaf = std::numeric_limits<uint64_t>::max();
  uint64_t j = 0;  // internal index, or kRootLeaf: the single shard verified as the root
  int owner = 0;   // the rank that computed it
  bool failed = false;
  bool original = false;  // the failure happened here (not in a child)
  ErrorKind kind = ErrorKind::Internal;
  std::string message;
  std::vector<uint8_t> statement;
  std::vector<uint8_t> left_leaf;  // statement of a leaf child, as verified here
  std::vector<uint8_t> right_leaf;
};

std::vector<uint8_t> encode_order(const TreeOrder& o);
TreeOrder decode_order(const std::vector<uint8_t>& bytes);

std::vector<uint8_t> encode_child(int64_t id, const TreeSlot& s);
std::pair<int64_t, TreeSlot> decode_child(const std::vector<uint8_t>& bytes);

void write_record(ByteWriter& w, const NodeRecord& rec);
NodeRecord read_record(ByteReader& r);

}  // namespace tessera::mpi
