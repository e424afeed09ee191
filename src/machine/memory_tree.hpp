#pragma once
// The commitment to guest memory between shards (DESIGN.md §4): a Poseidon2 Merkle tree over the
// 2^22 pages of 1 KiB of the 32-bit address space. Registers are page 0 (vm/guest_abi.hpp).
//
// Every word carries a class (machine/buses.hpp): 2 for the register page, 0 for a word holding
// any byte of a read-only segment (text, read-only data), 1 otherwise. The class is fixed by the
// program and hashed with the word, so the memory tokens of a shard inherit it from the start
// root and the AIRs can tell stores to read-only words and guest accesses to registers apart.
//
// Page digest: the page's 256 words as 512 field elements, word k giving
//     e[2k] = w_k mod 2^16,   e[2k+1] = (w_k >> 16) + 2^16 class_k,
// absorbed by a Poseidon2 sponge in overwrite mode, 8 elements per permutation:
//     s = 0;  for j in 0..63: s[0..8) = e[8j..8j+8); s = P(s);   digest = s[0..8).
// (Each element is < 2^18, so the map from (bytes, classes) to elements is injective.)
// Tree: leaves are the page digests (level 22, index = page), node (l, i) = compress(node(l+1, 2i),
// node(l+1, 2i+1)), root (0, 0). Pages never touched are zero pages of class 1, so untouched
// subtrees have a default digest per level and the tree is stored sparsely.

#include <array>
#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "hash/digest.hpp"
#include "hash/poseidon2.hpp"
#include "machine/buses.hpp"
#include "vm/guest_abi.hpp"
#include "vm/program.hpp"

namespace tessera::rv32im {

inline constexpr uint32_t kPageChunks = 64;  // sponge absorptions per page (4 words each)

using PageBytes = std::array<uint8_t, vm::kPageSize>;
using PageClasses = std::array<uint8_t, kWordsPerPage>;

// The class of every word, from the program's read-only segments.
class WordClasses {
 public:
  WordClasses() = default;
  explicit WordClasses(const vm::Program& program);
  uint8_t of_word(uint32_t word_addr) const;
  PageClasses of_page(uint32_t page) const;

 private:
  std::vector<vm::ReadOnlyRange> read_only_;
};

// The 8 field elements absorbed by chunk j (words 4j .. 4j+3) of a page.
std::array<BabyBear, 8> page_chunk_elements(const PageBytes& bytes, const PageClasses& classes,
                                            uint32_t chunk);
Digest page_digest(const PageBytes& bytes, const PageClasses& classes);

// The default digest of an untouched node at `level` (22: a zero page of writable words).
const Digest& default_node(uint32_t level);

// A node position in the page tree.
struct NodeId {
  uint32_t level = 0;
  uint32_t index = 0;
  friend bool operator==(const NodeId&, const NodeId&) = default;
};

// The sparse tree. Not thread-safe for writes.
class MemoryTree {
 public:
  MemoryTree();
  Digest root() const { return node({0, 0}); }
  Digest node(NodeId id) const;
  // Sets the leaves of `pages` and recomputes their paths (one pass per level).
  void set_pages(std::span<const std::pair<uint32_t, Digest>> pages);

 private:
  std::vector<std::unordered_map<uint32_t, Digest>> levels_;  // level -> index -> digest
};

// The tree of the program's initial memory: the ELF image (segments, zero-filled tails) with the
// program's word classes, and the register page (all zero, class 2).
MemoryTree initial_memory_tree(const vm::Program& program, const WordClasses& classes);

// The internal nodes on the paths from `pages` (sorted, distinct) to the root, by level from 21
// down to 0, indices ascending within a level; and for each, which children lie on a path.
struct PathNode {
  NodeId id;
  bool has_left = false;
  bool has_right = false;
};
std::vector<PathNode> path_union(std::span<const uint32_t> pages);

// The digests of the children of path nodes that are not themselves on a path (the siblings a
// shard needs to recompute the root from its pages), in path_union order, left before right.
std::vector<Digest> path_siblings(const MemoryTree& tree, std::span<const PathNode> nodes);

}  // namespace tessera::rv32im
