#include "machine/memory_tree.hpp"

#include <algorithm>
#include <cstring>
#include <map>

#include "common/check.hpp"
#include "hash/sponge.hpp"

namespace tessera::rv32im {

namespace {

uint32_t load_u32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

std::array<Digest, kPageLevels + 1> compute_defaults() {
  std::array<Digest, kPageLevels + 1> d{};
  PageBytes zero{};
  PageClasses writable;
  writable.fill(static_cast<uint8_t>(kClassWritable));
  d[kPageLevels] = page_digest(zero, writable);
  for (int l = static_cast<int>(kPageLevels) - 1; l >= 0; --l) {
    d[static_cast<size_t>(l)] = compress(d[static_cast<size_t>(l) + 1], d[static_cast<size_t>(l) + 1]);
  }
  return d;
}

}  // namespace

WordClasses::WordClasses(const vm::Program& program) : read_only_(program.read_only()) {}

uint8_t WordClasses::of_word(uint32_t word_addr) const {
  if (word_addr < kWordsPerPage) return static_cast<uint8_t>(kClassRegister);
  const uint64_t lo = uint64_t{word_addr} * 4, hi = lo + 4;
  for (const auto& r : read_only_) {
    if (lo < r.end && r.begin < hi) return static_cast<uint8_t>(kClassReadOnly);
  }
  return static_cast<uint8_t>(kClassWritable);
}

PageClasses WordClasses::of_page(uint32_t page) const {
  PageClasses c;
  for (uint32_t k = 0; k < kWordsPerPage; ++k) c[k] = of_word(page * kWordsPerPage + k);
  return c;
}

std::array<BabyBear, 8> page_chunk_elements(const PageBytes& bytes, const PageClasses& classes,
                                            uint32_t chunk) {
  std::array<BabyBear, 8> e;
  for (uint32_t k = 0; k < 4; ++k) {
    const uint32_t word = chunk * 4 + k;
    const uint32_t w = load_u32(bytes.data() + 4 * word);
    e[2 * k] = BabyBear::from_u32(w & 0xffffu);
    e[2 * k + 1] = BabyBear::from_u32((w >> 16) + (uint32_t{classes[word]} << 16));
  }
  return e;
}

Digest page_digest(const PageBytes& bytes, const PageClasses& classes) {
  Poseidon2State s{};
  for (uint32_t j = 0; j < kPageChunks; ++j) {
    const auto e = page_chunk_elements(bytes, classes, j);
    std::copy(e.begin(), e.end(), s.begin());
    poseidon2_permute_one(s);
  }
  Digest d;
  std::copy(s.begin(), s.begin() + kDigestElems, d.begin());
  return d;
}

const Digest& default_node(uint32_t level) {
  static const std::array<Digest, kPageLevels + 1> defaults = compute_defaults();
  TESSERA_ASSERT(level <= kPageLevels);
  return defaults[level];
}

MemoryTree::MemoryTree() : levels_(kPageLevels + 1) {}

Digest MemoryTree::node(NodeId id) const {
  TESSERA_ASSERT(id.level <= kPageLevels);
  const auto& level = levels_[id.level];
  const auto it = level.find(id.index);
  return it == level.end() ? default_node(id.level) : it->second;
}

void MemoryTree::set_pages(std::span<const std::pair<uint32_t, Digest>> pages) {
  std::vector<uint32_t> dirty;
  dirty.reserve(pages.size());
  for (const auto& [page, digest] : pages) {
    TESSERA_ASSERT(page < vm::kPageCount);
    levels_[kPageLevels][page] = digest;
    dirty.push_back(page);
  }
  for (int l = static_cast<int>(kPageLevels) - 1; l >= 0; --l) {
    for (uint32_t& i : dirty) i >>= 1;
    std::sort(dirty.begin(), dirty.end());
    dirty.erase(std::unique(dirty.begin(), dirty.end()), dirty.end());
    const auto level = static_cast<uint32_t>(l);
    for (const uint32_t i : dirty) {
      levels_[level][i] = compress(node({level + 1, 2 * i}), node({level + 1, 2 * i + 1}));
    }
  }
}

MemoryTree initial_memory_tree(const vm::Program& program, const WordClasses& classes) {
  std::map<uint32_t, PageBytes> pages;
  pages[vm::kRegisterPage] = PageBytes{};
  for (const auto& s : program.image().segments) {
    // Zero-filled writable pages (bss, heap, stack) are the default page: only pages with file
    // bytes, or with read-only words, differ from it.
    if (!s.writable && s.memsz > 0) {
      const uint64_t first = s.vaddr >> vm::kPageBits, last = (s.end() - 1) >> vm::kPageBits;
      for (uint64_t p = first; p <= last; ++p) pages.try_emplace(static_cast<uint32_t>(p));
    }
    for (size_t off = 0; off < s.bytes.size(); ++off) {
      const uint32_t addr = s.vaddr + static_cast<uint32_t>(off);
      pages[addr >> vm::kPageBits][addr & (vm::kPageSize - 1)] = s.bytes[off];
    }
  }
  std::vector<std::pair<uint32_t, Digest>> leaves;
  leaves.reserve(pages.size());
  for (const auto& [page, bytes] : pages) leaves.emplace_back(page, page_digest(bytes, classes.of_page(page)));
  MemoryTree tree;
  tree.set_pages(leaves);
  return tree;
}

std::vector<PathNode> path_union(std::span<const uint32_t> pages) {
  std::vector<PathNode> out;
  std::vector<uint32_t> below(pages.begin(), pages.end());  // indices on a path at level l + 1
  TESSERA_ASSERT(std::is_sorted(below.begin(), below.end()) &&
                 std::adjacent_find(below.begin(), below.end()) == below.end());
  for (int l = static_cast<int>(kPageLevels) - 1; l >= 0; --l) {
    std::vector<uint32_t> here;
    for (size_t k = 0; k < below.size();) {
      const uint32_t parent = below[k] >> 1;
      PathNode n{{static_cast<uint32_t>(l), parent}, false, false};
      while (k < below.size() && (below[k] >> 1) == parent) {
        ((below[k] & 1) ? n.has_right : n.has_left) = true;
        ++k;
      }
      out.push_back(n);
      here.push_back(parent);
    }
    below = std::move(here);
  }
  return out;
}

std::vector<Digest> path_siblings(const MemoryTree& tree, std::span<const PathNode> nodes) {
  std::vector<Digest> out;
  for (const PathNode& n : nodes) {
    if (!n.has_left) out.push_back(tree.node({n.id.level + 1, 2 * n.id.index}));
    if (!n.has_right) out.push_back(tree.node({n.id.level + 1, 2 * n.id.index + 1}));
  }
  return out;
}

}  // namespace tessera::rv32im
