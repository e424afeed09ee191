#pragma once
// Trace-generation helpers shared by the zkVM tables: writing words and flags into a row, and the
// witness side of the gadgets in gadgets.hpp / adapter.hpp (which lookups a filled row makes must
// match exactly what the AIR sends, or the shard does not balance — the debug check says where).

#include <algorithm>
#include <bit>
#include <cstdint>
#include <exception>
#include <vector>

#include <omp.h>

#include "matrix/row_major_matrix.hpp"

#include "field/babybear.hpp"
#include "machine/adapter.hpp"
#include "machine/byte_table.hpp"
#include "machine/columns.hpp"
#include "machine/gadgets.hpp"
#include "machine/program_table.hpp"

namespace tessera::rv32im {

inline void set_col(BabyBear* row, uint32_t col, uint32_t v) {
  row[col] = BabyBear::from_u32(v);
}
inline void set_flag(BabyBear* row, uint32_t col, bool v) {
  row[col] = v ? BabyBear::one() : BabyBear::zero();
}
inline void set_word(BabyBear* row, const WordCols& w, uint32_t v) {
  for (uint32_t i = 0; i < 4; ++i) row[w[i]] = BabyBear::from_u32((v >> (8 * i)) & 0xff);
}
inline uint32_t byte_of(uint32_t v, uint32_t i) {
  return (v >> (8 * i)) & 0xff;
}

// An active access at `ts` whose previous token has `prev_ts`; returns diff_hi, which the caller
// range-checks in pairs.
inline uint32_t fill_access(BabyBear* row, const AccessCols& c, uint32_t ts, uint32_t prev_ts,
                            ByteCounts& bytes) {
  const uint32_t d = ts - prev_ts - 1;
  set_col(row, c.prev_ts, prev_ts);
  set_col(row, c.diff_lo, d & 0xffff);
  set_col(row, c.diff_hi, d >> 16);
  bytes.range16(d & 0xffff);
  return d >> 16;
}

// The witness of add_bytes (gadgets.hpp): z = x + y mod 2^32 into `sum`, its byte carries into
// `carry`; returns z.
inline uint32_t fill_add_bytes(BabyBear* row, const WordCols& sum, const WordCols& carry, uint32_t x,
                               uint32_t y) {
  uint32_t c = 0;
  for (uint32_t k = 0; k < 4; ++k) {
    c = (byte_of(x, k) + byte_of(y, k) + c) >> 8;
    set_flag(row, carry[k], c != 0);
  }
  set_word(row, sum, x + y);
  return x + y;
}

// What an instruction row's adapter needs.
struct AdapterWitness {
  uint32_t clk = 0;
  const ProgramRow* program = nullptr;
  uint32_t b = 0, c = 0, a = 0, rd_prev = 0;
  bool reads_rs2 = false;
  uint32_t rs1_prev_ts = 0, rs2_prev_ts = 0, rd_prev_ts = 0;
};

// Fills the adapter columns of a real row (eval_adapter's witness) and records its lookups.
inline void fill_adapter(BabyBear* row, const AdapterCols& c, const AdapterWitness& w,
                         ByteCounts& bytes) {
  const ProgramRow& p = *w.program;
  set_col(row, c.clk, w.clk);
  set_col(row, c.pc, p.pc);
  uint32_t hi[3];
  uint32_t n_hi = 0;
  if (c.rs1 != kNoColumn) {
    set_col(row, c.rs1, p.rs1);
    set_word(row, c.b, w.b);
    hi[n_hi++] = fill_access(row, c.rs1_access, timestamp(w.clk, kSlotRs1), w.rs1_prev_ts, bytes);
  }
  if (c.rs2 != kNoColumn) {
    set_col(row, c.rs2, p.rs2);
    set_word(row, c.c, w.c);
    hi[n_hi++] = w.reads_rs2
                     ? fill_access(row, c.rs2_access, timestamp(w.clk, kSlotRs2), w.rs2_prev_ts, bytes)
                     : 0;
  }
  if (c.imm.present()) set_word(row, c.imm, p.imm);
  if (c.target != kNoColumn) set_col(row, c.target, p.target);
  if (c.rd != kNoColumn) {
    set_col(row, c.rd, p.rd);
    set_flag(row, c.writes_rd, p.writes_rd);
    set_word(row, c.a, w.a);
    if (p.writes_rd) {
      set_word(row, c.rd_prev, w.rd_prev);
      hi[n_hi++] = fill_access(row, c.rd_access, timestamp(w.clk, kSlotRd), w.rd_prev_ts, bytes);
    } else {
      hi[n_hi++] = 0;
    }
  }
  for (uint32_t i = 0; i < n_hi; i += 2) bytes.pair(hi[i], i + 1 < n_hi ? hi[i + 1] : 0);
}

// The height of a table with `rows` real rows: a power of two, at least 4.
inline size_t table_height(size_t rows) {
  return std::bit_ceil(std::max<size_t>(rows, 4));
}

// Fills rows 0 .. n-1 of `trace` with fill(i, row, bytes), in parallel with one ByteCounts per
// thread, merged into `bytes` (sums: the result does not depend on the thread count).
template <class Fill>
void fill_rows(RowMajorMatrix<BabyBear>& trace, size_t n, ByteCounts& bytes, const Fill& fill) {
  constexpr size_t kChunk = 1 << 12;
  const size_t chunks = (n + kChunk - 1) / kChunk;
  const size_t threads = std::min<size_t>(chunks, static_cast<size_t>(omp_get_max_threads()));
  if (threads <= 1) {
    for (size_t i = 0; i < n; ++i) fill(i, trace.row(i).data(), bytes);
    return;
  }
  std::vector<ByteCounts> partial(threads);
  // An exception must not leave an OpenMP region (that would terminate): the first one is kept
  // and rethrown after it.
  std::exception_ptr error;
#pragma omp parallel num_threads(static_cast<int>(threads))
  {
    ByteCounts& mine = partial[static_cast<size_t>(omp_get_thread_num())];
#pragma omp for schedule(dynamic, 1)
    for (size_t c = 0; c < chunks; ++c) {
      try {
        for (size_t i = c * kChunk; i < std::min(n, (c + 1) * kChunk); ++i) {
          fill(i, trace.row(i).data(), mine);
        }
      } catch (...) {
#pragma omp critical(tessera_fill_rows_error)
        if (!error) error = std::current_exception();
      }
    }
  }
  if (error) std::rethrow_exception(error);
  for (const ByteCounts& p : partial) bytes.merge(p);
}

}  // namespace tessera::rv32im
