#pragma once
// The merkle table: the shard's start and end memory roots from its page digests.
//
// One row per internal node (level l in 0..21, index i) on the paths from the touched pages to
// the root. The row holds both children's digests before (old) and after (new) the shard, and
//   receives (l + 1, 2 i,     old_left,  new_left)   when has_left  (the child is on a path)
//   receives (l + 1, 2 i + 1, old_right, new_right)  when has_right
//   sends    (l, i, compress(old_left, old_right), compress(new_left, new_right))
// with the compressions looked up in the Poseidon2 table (p2_comp). A child not on a path is a
// sibling: the shard did not touch anything below it, so old = new. The table's first row
// (column first) receives (0, 0, start_root, end_root) from its public values.
//
// Why this proves the roots: the root message is received exactly once, so exactly one row sends
// level 0; each row receives its children exactly once, so by induction every node position is
// sent by at most one row, and every message sent at level l + 1 must be received by the row of
// its parent. Every real row has at least one child on a path, so a chain of rows can only end at
// a leaf message, which only the page table sends, at level 22: no row can invent a subtree.
// The pages are therefore distinct leaves of a depth-22 tree whose old digests hash to the start
// root and whose new digests, with the same siblings, hash to the end root.
//
// A node with no written page below it (dirty = 0) keeps new = old without a second compression.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "field/babybear.hpp"
#include "hash/digest.hpp"
#include "machine/buses.hpp"
#include "machine/columns.hpp"
#include "machine/memory_tree.hpp"
#include "matrix/row_major_matrix.hpp"
#include "stark/air.hpp"
#include "stark/cuda_quotient.hpp"

namespace tessera::rv32im {

struct MerkleLayout {
  uint32_t level = 0, index = 0, is_real = 0, has_left = 0, has_right = 0, dirty = 0, first = 0;
  uint32_t old_left[8] = {}, old_right[8] = {}, new_left[8] = {}, new_right[8] = {};
  uint32_t old_parent[8] = {}, new_parent[8] = {};
  uint32_t width = 0;
};

constexpr MerkleLayout make_merkle_layout() {
  ColumnAllocator a;
  MerkleLayout l;
  l.level = a.col();
  l.index = a.col();
  l.is_real = a.col();
  l.has_left = a.col();
  l.has_right = a.col();
  l.dirty = a.col();
  l.first = a.col();
  a.cols(l.old_left);
  a.cols(l.old_right);
  a.cols(l.new_left);
  a.cols(l.new_right);
  a.cols(l.old_parent);
  a.cols(l.new_parent);
  l.width = a.width();
  return l;
}

// Public values: start root (8), end root (8).
inline constexpr uint32_t kMerklePublicValues = 16;

// One node row as trace generation sees it.
struct MerkleNodeWitness {
  PathNode node;
  Digest old_left{}, old_right{}, new_left{}, new_right{};
  bool dirty = false;
};

// The node rows of a shard from its touched pages' old and new digests (leaves, sorted by page)
// and the siblings of path_siblings(), computed bottom-up; also the two roots.
struct PageLeaf {
  uint32_t page = 0;
  Digest old_digest{}, new_digest{};
  bool dirty = false;
};
struct MerkleWitness {
  std::vector<MerkleNodeWitness> nodes;
  Digest old_root{}, new_root{};
};
MerkleWitness build_merkle_witness(std::span<const PageLeaf> leaves, std::span<const Digest> siblings);

class Poseidon2Requests;

class MerkleAir : public AirBase {
 public:
  std::string name() const { return "merkle"; }
  size_t width() const { return L.width; }
  size_t num_public_values() const { return kMerklePublicValues; }

  template <class AB>
  TESSERA_HD void eval(AB& b) const {
    using Expr = typename AB::Expr;
    const auto m = b.main();
    const Expr one(BabyBear::one());
    const Expr is_real = m.local(L.is_real), dirty = m.local(L.dirty);
    const Expr has_left = m.local(L.has_left), has_right = m.local(L.has_right);
    const Expr level = m.local(L.level), index = m.local(L.index);
    b.assert_bool("merkle.is_real", is_real);
    b.assert_bool("merkle.dirty", dirty);
    b.assert_bool("merkle.has_left", has_left);
    b.assert_bool("merkle.has_right", has_right);
    b.assert_eq("merkle.has_child", has_left + has_right - has_left * has_right, is_real);
    b.assert_zero("merkle.dirty_real", dirty * (one - is_real));
    for (uint32_t i = 0; i < 8; ++i) {
      b.assert_zero("merkle.left_sibling",
                    (one - has_left) * (Expr(m.local(L.new_left[i])) - m.local(L.old_left[i])));
      b.assert_zero("merkle.right_sibling",
                    (one - has_right) * (Expr(m.local(L.new_right[i])) - m.local(L.old_right[i])));
      b.assert_zero("merkle.clean_left",
                    (one - dirty) * (Expr(m.local(L.new_left[i])) - m.local(L.old_left[i])));
      b.assert_zero("merkle.clean_right",
                    (one - dirty) * (Expr(m.local(L.new_right[i])) - m.local(L.old_right[i])));
      b.assert_zero("merkle.clean_parent",
                    (one - dirty) * (Expr(m.local(L.new_parent[i])) - m.local(L.old_parent[i])));
    }
    const Expr child_level = level + one;
    const Expr left_index = index + index;
    node_message(b, InteractionKind::Receive, child_level, left_index, L.old_left, L.new_left, has_left);
    node_message(b, InteractionKind::Receive, child_level, left_index + one, L.old_right,
                 L.new_right, has_right);
    node_message(b, InteractionKind::Send, level, index, L.old_parent, L.new_parent, is_real);
    compression(b, L.old_left, L.old_right, L.old_parent, is_real);
    compression(b, L.new_left, L.new_right, L.new_parent, dirty);

    // The roots.
    Expr root[kMerkleArity];
    root[0] = Expr(BabyBear::zero());
    root[1] = Expr(BabyBear::zero());
    for (uint32_t i = 0; i < 16; ++i) root[2 + i] = b.public_value(i);
    // `first` is 1 on row 0 only (a column: the selector is unnormalised in the quotient).
    const Expr first = m.local(L.first);
    b.when_first_row().assert_eq("merkle.first", first, one);
    b.when_transition().assert_zero("merkle.only_first", m.next(L.first));
    b.interact(InteractionKind::Receive, kBusMerkle, root, kMerkleArity, first);
  }

  // The trace of `nodes` (any order), padded with zero rows to a power of two >= 4; compressions
  // are recorded in `p2`.
  RowMajorMatrix<BabyBear> generate_trace(const std::vector<MerkleNodeWitness>& nodes,
                                          Poseidon2Requests& p2) const;

  MerkleLayout L = make_merkle_layout();

 private:
  template <class AB, class Expr>
  TESSERA_HD void node_message(AB& b, InteractionKind kind, const Expr& level, const Expr& index,
                               const uint32_t (&old_d)[8], const uint32_t (&new_d)[8],
                               const Expr& mult) const {
    const auto m = b.main();
    Expr message[kMerkleArity];
    message[0] = level;
    message[1] = index;
    for (uint32_t i = 0; i < 8; ++i) {
      message[2 + i] = m.local(old_d[i]);
      message[10 + i] = m.local(new_d[i]);
    }
    b.interact(kind, kBusMerkle, message, kMerkleArity, mult);
  }
  template <class AB, class Expr>
  TESSERA_HD void compression(AB& b, const uint32_t (&left)[8], const uint32_t (&right)[8],
                              const uint32_t (&parent)[8], const Expr& mult) const {
    const auto m = b.main();
    Expr message[24];
    for (uint32_t i = 0; i < 8; ++i) {
      message[i] = m.local(left[i]);
      message[8 + i] = m.local(right[i]);
      message[16 + i] = m.local(parent[i]);
    }
    b.interact(InteractionKind::Send, kBusP2Comp, message, 24, mult);
  }
};

}  // namespace tessera::rv32im

// The CUDA constraint fold (stark/cuda_quotient.hpp; instantiated in kernels/quotient_rv32im*.cu).
namespace tessera {
TESSERA_CUDA_QUOTIENT_AIR(rv32im::MerkleAir);
}  // namespace tessera
