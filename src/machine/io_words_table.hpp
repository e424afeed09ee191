#pragma once
// The io_words table: the memory side of read(0, ...) and write(1, ...), one row per word of the
// call's buffer (system_table.hpp hands the buffer over as a chain token).
//
// A row consumes (clk, kind, word, offset, remaining, seq) and produces
// (clk, kind, word + 1, 0, remaining - count, seq + count): it covers the bytes offset ..
// offset + count - 1 of its word (a contiguous mask m starting at the one-hot offset), and when
// the mask stops before byte 3 the buffer ends here (remaining - count = 0). The system row sends
// the first token with the buffer's first word and offset and receives the last with remaining 0,
// so the rows cover the buffer exactly, in order (remaining only decreases and cannot wrap: it
// starts below 2^30 and falls by 1..4 per row).
//
// Memory: the word is accessed at slot 2 of the call's cycle (the words are distinct, so one
// timestamp serves them all): an input row writes the masked bytes (class 1 only: writable
// memory), an output row reads (classes 0 and 1, never the register page). Each masked byte goes
// to the absorb table of its stream as (kind, seq + k - offset, byte), which range-checks it and
// hashes the stream in seq order.

#include <cstdint>
#include <string>

#include "machine/adapter.hpp"
#include "machine/buses.hpp"
#include "machine/columns.hpp"
#include "machine/gadgets.hpp"
#include "matrix/row_major_matrix.hpp"
#include "stark/air.hpp"
#include "stark/cuda_quotient.hpp"

namespace tessera::rv32im {

struct ShardRecord;
class ByteCounts;
class WordClasses;
struct IoState;

struct IoWordsLayout {
  uint32_t is_real = 0, clk = 0, kind = 0, word = 0, rem = 0, seq = 0, cls = 0;
  uint32_t offset[4] = {}, mask[4] = {};
  WordCols old_word, new_word;
  AccessCols access;
  uint32_t width = 0;
};

constexpr IoWordsLayout make_io_words_layout() {
  ColumnAllocator a;
  IoWordsLayout l;
  l.is_real = a.col();
  l.clk = a.col();
  l.kind = a.col();
  l.word = a.col();
  l.rem = a.col();
  l.seq = a.col();
  l.cls = a.col();
  a.cols(l.offset);
  a.cols(l.mask);
  l.old_word = a.word();
  l.new_word = a.word();
  l.access = allocate_access(a);
  l.width = a.width();
  return l;
}

class IoWordsAir : public AirBase {
 public:
  std::string name() const { return "io_words"; }
  size_t width() const { return L.width; }

  template <class AB>
  TESSERA_HD void eval(AB& b) const {
    using Expr = typename AB::Expr;
    const auto m = b.main();
    const Expr one(BabyBear::one()), zero(BabyBear::zero());
    const Expr is_real = m.local(L.is_real), kind = m.local(L.kind), cls = m.local(L.cls);
    const Expr rem = m.local(L.rem), seq = m.local(L.seq), word = m.local(L.word);
    const Expr clk = m.local(L.clk);
    b.assert_bool("io_words.is_real", is_real);
    b.assert_bool("io_words.kind", kind);
    b.assert_zero("io_words.kind_real", kind * (one - is_real));

    // One-hot offset and a contiguous mask starting at it.
    Expr off[4], mask[4], offset_value = zero, count = zero, at_offset = zero;
    for (uint32_t k = 0; k < 4; ++k) {
      off[k] = m.local(L.offset[k]);
      mask[k] = m.local(L.mask[k]);
      b.assert_bool("io_words.offset_flag", off[k]);
      b.assert_bool("io_words.mask", mask[k]);
      b.assert_zero("io_words.mask_real", mask[k] * (one - is_real));
      offset_value = offset_value + off[k] * Expr(BabyBear::from_u32(k));
      count = count + mask[k];
      at_offset = at_offset + off[k] * mask[k];
    }
    b.assert_eq("io_words.offset_one_hot", off[0] + off[1] + off[2] + off[3], is_real);
    b.assert_eq("io_words.mask_starts_at_offset", at_offset, is_real);
    Expr before = zero, from = zero;  // sum of off[j] for j > k / j <= k
    for (uint32_t k = 0; k < 4; ++k) {
      before = zero;
      for (uint32_t j = k + 1; j < 4; ++j) before = before + off[j];
      b.assert_zero("io_words.mask_before_offset", mask[k] * before);
      from = from + off[k];
      if (k < 3) {
        b.assert_zero("io_words.mask_contiguous", mask[k + 1] * (one - mask[k]) * from);
      }
    }
    const Expr rem_next = rem - count;
    b.assert_zero("io_words.ends_in_word", (one - mask[3]) * rem_next * is_real);

    // The chain.
    b.receive(kBusIoWords, {clk, kind, word, offset_value, rem, seq}, is_real);
    b.send(kBusIoWords, {clk, kind, word + one, zero, rem_next, seq + count}, is_real);

    // Memory: inputs write the masked bytes into writable words, outputs read.
    Expr old_w[4], new_w[4];
    load_word(m, L.old_word, old_w);
    load_word(m, L.new_word, new_w);
    b.assert_zero("io_words.input_writable", (is_real - kind) * (cls - one));
    b.assert_bool("io_words.class", cls);
    for (uint32_t k = 0; k < 4; ++k) {
      b.assert_zero("io_words.unmasked_unchanged", (one - mask[k]) * (new_w[k] - old_w[k]));
      b.assert_zero("io_words.output_reads", kind * (new_w[k] - old_w[k]));
      b.send(kBusAbsorb, {kind, seq + Expr(BabyBear::from_u32(k)) - offset_value, new_w[k]},
             mask[k]);
    }
    memory_access(b, L.access, is_real, word, timestamp_expr(clk, kSlotMemory), old_w, new_w, cls);
    byte_pair(b, Expr(m.local(L.access.diff_hi)), zero, is_real);
  }

  // One row per buffer word of the shard's read and write(1) calls, in order; `io` is the I/O
  // state at the shard's start (the streams' byte counts number the bytes).
  RowMajorMatrix<BabyBear> generate_trace(const ShardRecord& s, const WordClasses& classes,
                                          IoState io, ByteCounts& bytes) const;

  IoWordsLayout L = make_io_words_layout();
};

}  // namespace tessera::rv32im

// The CUDA constraint fold (stark/cuda_quotient.hpp; instantiated in kernels/quotient_rv32im*.cu).
namespace tessera {
TESSERA_CUDA_QUOTIENT_AIR(rv32im::IoWordsAir);
}  // namespace tessera
