// Merkle witness and trace generation (merkle_table.hpp).
#include "machine/merkle_table.hpp"

#include <algorithm>
#include <bit>
#include <map>

#include "common/check.hpp"
#include "hash/sponge.hpp"
#include "machine/poseidon2_table.hpp"

namespace tessera::rv32im {

namespace {

struct NodeDigests {
  Digest old_digest{}, new_digest{};
  bool dirty = false;
};

uint64_t key(uint32_t level, uint32_t index) {
  return (uint64_t{level} << 32) | index;
}

Poseidon2State concat(const Digest& l, const Digest& r) {
  Poseidon2State s;
  std::copy(l.begin(), l.end(), s.begin());
  std::copy(r.begin(), r.end(), s.begin() + kDigestElems);
  return s;
}

void set_digest(BabyBear* row, const uint32_t (&cols)[8], const Digest& d) {
  for (uint32_t i = 0; i < 8; ++i) row[cols[i]] = d[i];
}

}  // namespace

MerkleWitness build_merkle_witness(std::span<const PageLeaf> leaves,
                                   std::span<const Digest> siblings) {
  std::vector<uint32_t> pages;
  std::map<uint64_t, NodeDigests> known;
  for (const PageLeaf& leaf : leaves) {
    pages.push_back(leaf.page);
    known[key(kPageLevels, leaf.page)] = {leaf.old_digest, leaf.new_digest, leaf.dirty};
  }
  const std::vector<PathNode> path = path_union(pages);
  MerkleWitness w;
  size_t next_sibling = 0;
  const auto child = [&](uint32_t level, uint32_t index, bool on_path) {
    if (on_path) return known.at(key(level, index));
    TESSERA_CHECK(next_sibling < siblings.size(), ErrorKind::Format,
                  "malformed checkpoint: too few memory-tree siblings for the shard's pages");
    const Digest& d = siblings[next_sibling++];
    return NodeDigests{d, d, false};
  };
  for (const PathNode& n : path) {
    const NodeDigests l = child(n.id.level + 1, 2 * n.id.index, n.has_left);
    const NodeDigests r = child(n.id.level + 1, 2 * n.id.index + 1, n.has_right);
    MerkleNodeWitness nw{n, l.old_digest, r.old_digest, l.new_digest, r.new_digest, l.dirty || r.dirty};
    const Digest old_parent = compress(l.old_digest, r.old_digest);
    const Digest new_parent = nw.dirty ? compress(l.new_digest, r.new_digest) : old_parent;
    known[key(n.id.level, n.id.index)] = {old_parent, new_parent, nw.dirty};
    w.nodes.push_back(nw);
  }
  TESSERA_CHECK(next_sibling == siblings.size(), ErrorKind::Format,
                "malformed checkpoint: " << siblings.size() - next_sibling
                                         << " memory-tree siblings more than the shard's pages need");
  const NodeDigests& root = known.at(key(0, 0));
  w.old_root = root.old_digest;
  w.new_root = root.new_digest;
  return w;
}

RowMajorMatrix<BabyBear> MerkleAir::generate_trace(const std::vector<MerkleNodeWitness>& nodes,
                                                   Poseidon2Requests& p2) const {
  const size_t height = std::bit_ceil(std::max<size_t>(nodes.size(), 4));
  RowMajorMatrix<BabyBear> trace(L.width, height);
  trace.at(0, L.first) = BabyBear::one();
  for (size_t r = 0; r < nodes.size(); ++r) {
    const MerkleNodeWitness& n = nodes[r];
    BabyBear* row = trace.row(r).data();
    row[L.level] = BabyBear::from_u32(n.node.id.level);
    row[L.index] = BabyBear::from_u32(n.node.id.index);
    row[L.is_real] = BabyBear::one();
    row[L.has_left] = n.node.has_left ? BabyBear::one() : BabyBear::zero();
    row[L.has_right] = n.node.has_right ? BabyBear::one() : BabyBear::zero();
    row[L.dirty] = n.dirty ? BabyBear::one() : BabyBear::zero();
    set_digest(row, L.old_left, n.old_left);
    set_digest(row, L.old_right, n.old_right);
    set_digest(row, L.new_left, n.new_left);
    set_digest(row, L.new_right, n.new_right);
    const Poseidon2State old_out = p2.compress(concat(n.old_left, n.old_right));
    const Poseidon2State new_out = n.dirty ? p2.compress(concat(n.new_left, n.new_right)) : old_out;
    for (uint32_t i = 0; i < 8; ++i) {
      row[L.old_parent[i]] = old_out[i];
      row[L.new_parent[i]] = new_out[i];
    }
  }
  return trace;
}

}  // namespace tessera::rv32im
