// The memory commitment: page digests and the sparse tree against independent computations.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "hash/sponge.hpp"
#include "machine/memory_tree.hpp"

namespace tessera::rv32im::test {
namespace {

// The page digest written out from its definition (memory_tree.hpp), with the scalar permutation.
Digest naive_page_digest(const PageBytes& bytes, const PageClasses& classes) {
  std::vector<BabyBear> e;
  for (uint32_t k = 0; k < kWordsPerPage; ++k) {
    const uint32_t w = uint32_t{bytes[4 * k]} | uint32_t{bytes[4 * k + 1]} << 8 |
                       uint32_t{bytes[4 * k + 2]} << 16 | uint32_t{bytes[4 * k + 3]} << 24;
    e.push_back(BabyBear::from_u32(w & 0xffff));
    e.push_back(BabyBear::from_u32((w >> 16) + 65536u * classes[k]));
  }
  Poseidon2State s{};
  for (size_t j = 0; j < e.size(); j += 8) {
    for (size_t i = 0; i < 8; ++i) s[i] = e[j + i];
    poseidon2_permute(s);
  }
  Digest d;
  for (size_t i = 0; i < 8; ++i) d[i] = s[i];
  return d;
}

// The root by recursion over the whole tree, defaults where no leaf is set.
Digest naive_root(const std::map<uint32_t, Digest>& leaves, uint32_t level, uint32_t index) {
  const uint32_t span = kPageLevels - level;
  const uint64_t lo = uint64_t{index} << span, hi = (uint64_t{index} + 1) << span;
  const auto it = leaves.lower_bound(static_cast<uint32_t>(lo));
  if (it == leaves.end() || it->first >= hi) {
    PageBytes zero{};
    PageClasses writable;
    writable.fill(1);
    Digest d = naive_page_digest(zero, writable);
    for (uint32_t l = 0; l < span; ++l) d = compress(d, d);
    return d;
  }
  if (level == kPageLevels) return it->second;
  return compress(naive_root(leaves, level + 1, 2 * index), naive_root(leaves, level + 1, 2 * index + 1));
}

TEST(MemoryTree, PageDigestMatchesDefinition) {
  std::mt19937 rng(7);
  PageBytes bytes;
  PageClasses classes;
  for (auto& b : bytes) b = static_cast<uint8_t>(rng());
  for (auto& c : classes) c = static_cast<uint8_t>(rng() % 3);
  EXPECT_EQ(page_digest(bytes, classes), naive_page_digest(bytes, classes));
  // The class is part of the digest.
  PageClasses other = classes;
  other[17] = static_cast<uint8_t>((other[17] + 1) % 3);
  EXPECT_NE(page_digest(bytes, classes), page_digest(bytes, other));
}

TEST(MemoryTree, SparseTreeMatchesRecursionAndSiblingsRebuildTheRoot) {
  std::mt19937 rng(11);
  MemoryTree tree;
  std::map<uint32_t, Digest> leaves;
  for (int round = 0; round < 3; ++round) {
    std::vector<std::pair<uint32_t, Digest>> batch;
    for (int i = 0; i < 6; ++i) {
      const uint32_t page = (rng() % 2 == 0) ? rng() % 64 : rng() % vm::kPageCount;
      Digest d;
      for (auto& x : d) x = BabyBear::from_u32(rng() % BabyBear::kModulus);
      batch.emplace_back(page, d);
    }
    std::map<uint32_t, Digest> unique(batch.begin(), batch.end());
    batch.assign(unique.begin(), unique.end());
    tree.set_pages(batch);
    for (const auto& [p, d] : batch) leaves[p] = d;
    EXPECT_EQ(tree.root(), naive_root(leaves, 0, 0));

    // From the siblings of a set of pages and those pages' leaves alone, the root follows.
    std::vector<uint32_t> pages;
    for (const auto& [p, d] : unique) pages.push_back(p);
    const std::vector<PathNode> path = path_union(pages);
    const std::vector<Digest> siblings = path_siblings(tree, path);
    std::map<std::pair<uint32_t, uint32_t>, Digest> known;
    for (const auto& [p, d] : unique) known[{kPageLevels, p}] = d;
    size_t next = 0;
    for (const PathNode& n : path) {
      const Digest l = n.has_left ? known.at({n.id.level + 1, 2 * n.id.index}) : siblings[next++];
      const Digest r = n.has_right ? known.at({n.id.level + 1, 2 * n.id.index + 1}) : siblings[next++];
      known[{n.id.level, n.id.index}] = compress(l, r);
    }
    EXPECT_EQ(next, siblings.size());
    EXPECT_EQ(known.at({0, 0}), tree.root());
  }
}

}  // namespace
}  // namespace tessera::rv32im::test
