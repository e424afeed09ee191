// Trace generation of the page table (page_table.hpp).
#include "machine/page_table.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

#include "common/check.hpp"
#include "machine/poseidon2_table.hpp"

namespace tessera::rv32im {

namespace {

// Absorbs chunk j of a page into the sponge whose capacity is `cap` and writes the capacity and
// the permutation's output into the row; returns the output.
Poseidon2State absorb_chunk(const PageBytes& bytes, const PageClasses& classes, uint32_t j,
                            const Poseidon2State& previous, const uint32_t (&cap_cols)[8],
                            const uint32_t (&out_cols)[16], BabyBear* row, Poseidon2Requests& p2) {
  Poseidon2State in{};
  const auto e = page_chunk_elements(bytes, classes, j);
  for (uint32_t i = 0; i < 8; ++i) {
    in[i] = e[i];
    in[8 + i] = j == 0 ? BabyBear::zero() : previous[8 + i];
    row[cap_cols[i]] = in[8 + i];
  }
  const Poseidon2State out = p2.full(in);
  for (uint32_t i = 0; i < 16; ++i) row[out_cols[i]] = out[i];
  return out;
}

void set_word(BabyBear* row, const WordCols& cols, const uint8_t* bytes) {
  for (uint32_t i = 0; i < 4; ++i) row[cols[i]] = BabyBear::from_u32(bytes[i]);
}

}  // namespace

RowMajorMatrix<BabyBear> PageAir::generate_trace(const std::vector<PageWitness>& pages,
                                                 ByteCounts& bytes, Poseidon2Requests& p2) const {
  const size_t blocks = std::bit_ceil(std::max<size_t>(pages.size(), 1));
  RowMajorMatrix<BabyBear> trace(L.width, blocks * kPageChunks);
  for (size_t r = 0; r < trace.height(); ++r) {
    const uint32_t j = static_cast<uint32_t>(r % kPageChunks);
    trace.at(r, L.j) = BabyBear::from_u32(j);
    trace.at(r, L.last) = j + 1 == kPageChunks ? BabyBear::one() : BabyBear::zero();
  }
  for (size_t p = 0; p < pages.size(); ++p) {
    const PageWitness& pw = pages[p];
    TESSERA_ASSERT(p == 0 || pages[p - 1].page < pw.page);
    Poseidon2State old_state{}, new_state{};
    for (uint32_t j = 0; j < kPageChunks; ++j) {
      BabyBear* row = trace.row(p * kPageChunks + j).data();
      row[L.page] = BabyBear::from_u32(pw.page);
      row[L.is_real] = BabyBear::one();
      row[L.dirty] = pw.dirty ? BabyBear::one() : BabyBear::zero();
      row[L.leaf] = row[L.last];
      for (uint32_t k = 0; k < 4; ++k) {
        const uint32_t word = 4 * j + k;
        const PageWordCols& w = L.words[k];
        const uint8_t* init = pw.init.data() + 4 * word;
        set_word(row, w.init, init);
        set_word(row, w.fin, pw.fin.data() + 4 * word);
        row[w.final_ts] = BabyBear::from_u32(pw.final_ts[word]);
        row[w.cls] = BabyBear::from_u32(pw.classes[word]);
        bytes.pair(init[0], init[1]);
        bytes.pair(init[2], init[3]);
      }
      old_state = absorb_chunk(pw.init, pw.classes, j, old_state, L.cap_old, L.out_old, row, p2);
      if (pw.dirty) {
        new_state = absorb_chunk(pw.fin, pw.classes, j, new_state, L.cap_new, L.out_new, row, p2);
      } else {
        for (uint32_t i = 0; i < 8; ++i) row[L.cap_new[i]] = row[L.cap_old[i]];
        for (uint32_t i = 0; i < 16; ++i) row[L.out_new[i]] = row[L.out_old[i]];
      }
    }
  }
  return trace;
}

}  // namespace tessera::rv32im
