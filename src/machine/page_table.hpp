#pragma once
// The page table: paging in and out every page a shard touches (DESIGN.md §4).
//
// Each touched page is a block of 64 rows, row j holding words 4j .. 4j+3 with their value at
// the shard's start (init), their value at its end (final), the timestamp of their last access
// (final_ts, 0 if none) and their class. For every word the row
//   sends    (addr, 0, init, class)          its first memory token, and
//   receives (addr, final_ts, final, class)  its last one,
// so, with every access in between receiving the previous token and sending the next with a larger
// timestamp, the memory bus balances only if each word's accesses form one chain from its initial
// to its final value. Words are addressed 256 page + 4 j + k, so a page block covers its page and
// nothing else.
//
// The block also hashes the page (machine/memory_tree.hpp): row j absorbs its 8 elements into a
// Poseidon2 sponge through a p2_full lookup (input: elements and the capacity carried from row
// j - 1, zero at j = 0; output: 16 columns whose last 8 are row j+1's capacity). Row 63's output
// starts with the page digest; it sends the leaf (22, page, old digest, new digest) to the merkle
// table, which proves the old digests against the shard's start root and the new ones into its
// end root. Init bytes are range-checked (the start root binds only the 16-bit elements they
// form); final bytes are bytes because every write range-checks what it writes.
//
// A page the shard did not write (dirty = 0) has final = init and needs no second hash: its new
// sponge columns equal the old ones and the second lookup's multiplicity is dirty = 0.
// Padding rows are whole blocks of 64 with is_real = 0.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "field/babybear.hpp"
#include "machine/buses.hpp"
#include "machine/byte_table.hpp"
#include "machine/columns.hpp"
#include "machine/gadgets.hpp"
#include "machine/memory_tree.hpp"
#include "matrix/row_major_matrix.hpp"
#include "stark/air.hpp"
#include "stark/cuda_quotient.hpp"

namespace tessera::rv32im {

struct PageWordCols {
  WordCols init, fin;
  uint32_t final_ts = kNoColumn;
  uint32_t cls = kNoColumn;
};

struct PageLayout {
  uint32_t page = 0, j = 0, last = 0, leaf = 0, is_real = 0, dirty = 0;
  PageWordCols words[4];
  uint32_t cap_old[8] = {}, out_old[16] = {}, cap_new[8] = {}, out_new[16] = {};
  uint32_t width = 0;
};

constexpr PageLayout make_page_layout() {
  ColumnAllocator a;
  PageLayout l;
  l.page = a.col();
  l.j = a.col();
  l.last = a.col();
  l.leaf = a.col();
  l.is_real = a.col();
  l.dirty = a.col();
  for (auto& w : l.words) {
    w.init = a.word();
    w.fin = a.word();
    w.final_ts = a.col();
    w.cls = a.col();
  }
  a.cols(l.cap_old);
  a.cols(l.out_old);
  a.cols(l.cap_new);
  a.cols(l.out_new);
  l.width = a.width();
  return l;
}

// One touched page as trace generation sees it.
struct PageWitness {
  uint32_t page = 0;
  PageBytes init{}, fin{};
  PageClasses classes{};
  std::array<uint32_t, kWordsPerPage> final_ts{};
  bool dirty = false;
};

class Poseidon2Requests;

class PageAir : public AirBase {
 public:
  std::string name() const { return "pages"; }
  size_t width() const { return L.width; }

  template <class AB>
  TESSERA_HD void eval(AB& b) const {
    using Expr = typename AB::Expr;
    const auto m = b.main();
    const Expr one(BabyBear::one()), zero(BabyBear::zero());
    const Expr is_real = m.local(L.is_real), dirty = m.local(L.dirty), last = m.local(L.last);
    const Expr j = m.local(L.j), page = m.local(L.page);
    const Expr not_last = one - last, clean = one - dirty;

    b.assert_bool("pages.is_real", is_real);
    b.assert_bool("pages.dirty", dirty);
    b.assert_bool("pages.last", last);
    b.assert_zero("pages.dirty_real", dirty * (one - is_real));
    b.assert_eq("pages.leaf", m.local(L.leaf), last * is_real);

    // Blocks of exactly 64 rows: j = 0, 1, ..., 63, last exactly at j = 63.
    b.when_first_row().assert_zero("pages.first_j", j);
    b.when_last_row().assert_eq("pages.last_row_ends_block", last, one);
    b.assert_zero("pages.last_at_63", last * (j - Expr(BabyBear::from_u32(kPageChunks - 1))));
    b.when_transition().assert_eq("pages.j_step", m.next(L.j), (j + one) * not_last);
    b.when_transition().assert_zero("pages.same_page", not_last * (Expr(m.next(L.page)) - page));
    b.when_transition().assert_zero("pages.same_real", not_last * (Expr(m.next(L.is_real)) - is_real));
    b.when_transition().assert_zero("pages.same_dirty", not_last * (Expr(m.next(L.dirty)) - dirty));

    // The two sponges: zero capacity at a block's start, carried from row to row within it.
    for (uint32_t i = 0; i < 8; ++i) {
      b.when_first_row().assert_zero("pages.first_capacity", m.local(L.cap_old[i]));
      b.when_first_row().assert_zero("pages.first_capacity", m.local(L.cap_new[i]));
      b.when_transition().assert_zero("pages.block_capacity", last * Expr(m.next(L.cap_old[i])));
      b.when_transition().assert_zero("pages.block_capacity", last * Expr(m.next(L.cap_new[i])));
      b.when_transition().assert_zero(
          "pages.capacity_chain", not_last * (Expr(m.next(L.cap_old[i])) - m.local(L.out_old[8 + i])));
      b.when_transition().assert_zero(
          "pages.capacity_chain", not_last * (Expr(m.next(L.cap_new[i])) - m.local(L.out_new[8 + i])));
      b.assert_zero("pages.clean_capacity", clean * (Expr(m.local(L.cap_new[i])) - m.local(L.cap_old[i])));
    }
    for (uint32_t i = 0; i < 16; ++i) {
      b.assert_zero("pages.clean_output", clean * (Expr(m.local(L.out_new[i])) - m.local(L.out_old[i])));
    }

    // Words: tokens, range checks, clean pages unchanged, the sponge inputs.
    Expr old_in[16], new_in[16];
    const BabyBear k8 = BabyBear::from_u32(1u << 8), k16 = BabyBear::from_u32(1u << 16);
    for (uint32_t k = 0; k < 4; ++k) {
      const PageWordCols& w = L.words[k];
      Expr init[4], fin[4];
      load_word(m, w.init, init);
      load_word(m, w.fin, fin);
      const Expr cls = m.local(w.cls);
      const Expr addr = page * Expr(BabyBear::from_u32(kWordsPerPage)) +
                        j * Expr(BabyBear::from_u32(4)) + Expr(BabyBear::from_u32(k));
      b.send(kBusMemory, {addr, zero, init[0], init[1], init[2], init[3], cls}, is_real);
      b.receive(kBusMemory, {addr, Expr(m.local(w.final_ts)), fin[0], fin[1], fin[2], fin[3], cls},
                is_real);
      byte_pair(b, init[0], init[1], is_real);
      byte_pair(b, init[2], init[3], is_real);
      for (uint32_t i = 0; i < 4; ++i) b.assert_zero("pages.clean_word", clean * (fin[i] - init[i]));
      old_in[2 * k] = init[0] + init[1] * Expr(k8);
      old_in[2 * k + 1] = init[2] + init[3] * Expr(k8) + cls * Expr(k16);
      new_in[2 * k] = fin[0] + fin[1] * Expr(k8);
      new_in[2 * k + 1] = fin[2] + fin[3] * Expr(k8) + cls * Expr(k16);
    }
    for (uint32_t i = 0; i < 8; ++i) {
      old_in[8 + i] = m.local(L.cap_old[i]);
      new_in[8 + i] = m.local(L.cap_new[i]);
    }
    send_permutation(b, old_in, L.out_old, is_real);
    send_permutation(b, new_in, L.out_new, dirty);

    // The leaf: (22, page, old digest, new digest) on the last row of a real block.
    Expr leaf[kMerkleArity];
    leaf[0] = Expr(BabyBear::from_u32(kPageLevels));
    leaf[1] = page;
    for (uint32_t i = 0; i < 8; ++i) {
      leaf[2 + i] = m.local(L.out_old[i]);
      leaf[10 + i] = m.local(L.out_new[i]);
    }
    b.interact(InteractionKind::Send, kBusMerkle, leaf, kMerkleArity, Expr(m.local(L.leaf)));
  }

  // The trace of `pages` (sorted by page index), padded with zero blocks to a power-of-two number
  // of blocks (at least one); byte lookups and permutations are recorded.
  RowMajorMatrix<BabyBear> generate_trace(const std::vector<PageWitness>& pages, ByteCounts& bytes,
                                          Poseidon2Requests& p2) const;

  PageLayout L = make_page_layout();

 private:
  template <class AB, class Expr>
  TESSERA_HD static void send_permutation(AB& b, const Expr (&in)[16], const uint32_t (&out)[16],
                                          const Expr& mult) {
    const auto m = b.main();
    Expr message[32];
    for (uint32_t i = 0; i < 16; ++i) {
      message[i] = in[i];
      message[16 + i] = m.local(out[i]);
    }
    b.interact(InteractionKind::Send, kBusP2Full, message, 32, mult);
  }
};

}  // namespace tessera::rv32im

// The CUDA constraint fold (stark/cuda_quotient.hpp; instantiated in kernels/quotient_rv32im*.cu).
namespace tessera {
TESSERA_CUDA_QUOTIENT_AIR(rv32im::PageAir);
}  // namespace tessera
