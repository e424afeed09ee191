#pragma once
// Constraint gadgets shared by the zkVM tables, written once over any AIR builder (stark/air.hpp):
// byte-table lookups, memory accesses with their timestamp check, byte-wise addition, words.
//
// Conventions: a "word" is 4 byte expressions, least significant first; `Expr` is the builder's
// expression type; every gadget emits the same constraints and interactions on every row (a
// gadget that is not active on a row is switched off by a multiplicity or a gate expression, never
// by a branch), as AIRs must.

#include <cstddef>
#include <cstdint>

#include "common/hd.hpp"
#include "field/babybear.hpp"
#include "machine/buses.hpp"
#include "machine/columns.hpp"
#include "stark/air.hpp"

namespace tessera::rv32im {

inline constexpr uint32_t kRadix = 256;
// 1/4 in Montgomery form, computed at compile time (inverse() is a long exponentiation; the fold
// must not run it per point). A scalar constant, so device code may use it.
inline constexpr uint32_t kQuarterRaw = BabyBear::from_u32(4).inverse().raw();

// ---- byte-table lookups (machine/byte_table.hpp) ------------------------------------------------

TESSERA_NO_EXEC_CHECK
template <class AB, class X, class Y, class Z, class M>
TESSERA_HD void byte_lookup(AB& b, uint32_t op, const X& x, const Y& y, const Z& z, const M& mult) {
  using Expr = typename AB::Expr;
  b.send(kBusBytes, {Expr(BabyBear::from_u32(op)), Expr(x), Expr(y), Expr(z)}, Expr(mult));
}
// x < 2^16.
TESSERA_NO_EXEC_CHECK
template <class AB, class X, class M>
TESSERA_HD void range16(AB& b, const X& x, const M& mult) {
  byte_lookup(b, kByteRange16, x, BabyBear::zero(), BabyBear::zero(), mult);
}
// x, y < 2^8.
TESSERA_NO_EXEC_CHECK
template <class AB, class X, class Y, class M>
TESSERA_HD void byte_pair(AB& b, const X& x, const Y& y, const M& mult) {
  byte_lookup(b, kBytePair, x, y, BabyBear::zero(), mult);
}

// ---- words --------------------------------------------------------------------------------------

TESSERA_NO_EXEC_CHECK
template <class Window, class Expr>
TESSERA_HD void load_word(const Window& m, const WordCols& c, Expr (&out)[4]) {
  for (size_t i = 0; i < 4; ++i) out[i] = Expr(m.local(c[i]));
}

// sum_i w_i 256^i as a field element. Injective on words only below p: callers use it for values
// known to be < 2^31 (addresses of text, counts) or as one side of an equation whose other side
// pins the bytes.
TESSERA_NO_EXEC_CHECK
template <class Expr>
TESSERA_HD Expr word_value(const Expr (&w)[4]) {
  const BabyBear k8 = BabyBear::from_u32(1u << 8), k16 = BabyBear::from_u32(1u << 16),
                 k24 = BabyBear::from_u32(1u << 24);
  return w[0] + w[1] * Expr(k8) + w[2] * Expr(k16) + w[3] * Expr(k24);
}

// The word address of a byte address whose low byte is split as w0 = 4 q + offset (offset is the
// value of the two low bits): q + 64 w1 + 2^14 w2 + 2^22 w3 = (w - offset) / 4.
TESSERA_NO_EXEC_CHECK
template <class Expr>
TESSERA_HD Expr word_address(const Expr (&w)[4], const Expr& offset) {
  const BabyBear quarter = BabyBear::from_raw(kQuarterRaw);
  return (w[0] - offset) * Expr(quarter) + w[1] * Expr(BabyBear::from_u32(1u << 6)) +
         w[2] * Expr(BabyBear::from_u32(1u << 14)) + w[3] * Expr(BabyBear::from_u32(1u << 22));
}

// ---- byte-wise addition -------------------------------------------------------------------------

// gate * (x_i + y_i + carry_{i-1} - z_i - 256 carry_i) = 0 for i = 0..3 (carry_{-1} = 0), carries
// boolean: with x, y, z bytes this is z = x + y mod 2^32 and carry_3 the carry out. The gate is
// degree <= 1 so every constraint has degree 2.
TESSERA_NO_EXEC_CHECK
template <class AB, class Expr>
TESSERA_HD void add_bytes(AB& b, const char* name, const Expr& gate, const Expr (&x)[4],
                          const Expr (&y)[4], const Expr (&z)[4], const Expr (&carry)[4]) {
  const BabyBear radix = BabyBear::from_u32(kRadix);
  Expr carry_in(BabyBear::zero());
  for (size_t i = 0; i < 4; ++i) {
    b.assert_zero(name, gate * (x[i] + y[i] + carry_in - z[i] - carry[i] * Expr(radix)));
    carry_in = carry[i];
  }
}

// ---- memory accesses ----------------------------------------------------------------------------

// The columns of one access: the previous token's timestamp and the split of ts - prev_ts - 1.
struct AccessCols {
  uint32_t prev_ts = kNoColumn;
  uint32_t diff_lo = kNoColumn;
  uint32_t diff_hi = kNoColumn;
};
inline constexpr AccessCols allocate_access(ColumnAllocator& a) {
  AccessCols c;
  c.prev_ts = a.col();
  c.diff_lo = a.col();
  c.diff_hi = a.col();
  return c;
}

// One access of word `addr` at timestamp `ts` when `active` (a boolean expression of degree 1):
// receives the word's previous token (addr, prev_ts, prev, cls) and sends (addr, ts, next, cls),
// and proves prev_ts < ts by ts - prev_ts - 1 = diff_lo + 2^16 diff_hi with diff_lo < 2^16 (looked
// up here) and diff_hi < 2^8 (the caller looks its diff_hi columns up in pairs: access_hi_pairs).
// A read passes next = prev. Inactive accesses send and receive nothing; their columns are zero.
TESSERA_NO_EXEC_CHECK
template <class AB, class Expr>
TESSERA_HD void memory_access(AB& b, const AccessCols& c, const Expr& active, const Expr& addr,
                              const Expr& ts, const Expr (&prev)[4], const Expr (&next)[4],
                              const Expr& cls) {
  const auto m = b.main();
  const Expr prev_ts = m.local(c.prev_ts);
  const Expr lo = m.local(c.diff_lo), hi = m.local(c.diff_hi);
  b.receive(kBusMemory, {addr, prev_ts, prev[0], prev[1], prev[2], prev[3], cls}, active);
  b.send(kBusMemory, {addr, ts, next[0], next[1], next[2], next[3], cls}, active);
  range16(b, lo, active);
  b.assert_zero("memory.timestamp_order",
                active * (ts - prev_ts - Expr(BabyBear::one()) - lo -
                          hi * Expr(BabyBear::from_u32(1u << 16))));
}

// Range-checks the diff_hi byte of every access of a row in pairs (one lookup per two accesses);
// `mult` is the row's is_real. Inactive accesses keep diff_hi = 0, which passes.
TESSERA_NO_EXEC_CHECK
template <class AB, class Expr, size_t N>
TESSERA_HD void access_hi_pairs(AB& b, const AccessCols (&accesses)[N], const Expr& mult) {
  const auto m = b.main();
  for (size_t i = 0; i < N; i += 2) {
    const Expr x = m.local(accesses[i].diff_hi);
    const Expr y = i + 1 < N ? Expr(m.local(accesses[i + 1].diff_hi)) : Expr(BabyBear::zero());
    byte_pair(b, x, y, mult);
  }
}

// The canonical-element check of a word v (bytes w) on rows where `gate` is 1: v < p = 0x78000001
// as an integer, so that the field element word_value(w) has exactly these bytes. With a boolean
// column `lt`:
//   lt = 1: w3 <= 0x77, proven by the byte 0x77 - w3 (returned for the caller's pair lookup);
//   lt = 0: w3 = 0x78 and w0 = w1 = w2 = 0 (v = p - 1), and the returned 0x177 - w3 = 0xff.
TESSERA_NO_EXEC_CHECK
template <class AB, class Expr>
TESSERA_HD Expr canonical_word(AB& b, const Expr (&w)[4], const Expr& lt, const Expr& gate) {
  b.assert_bool("canonical.flag", lt);
  const Expr not_lt = gate * (Expr(BabyBear::one()) - lt);
  b.assert_zero("canonical.top", not_lt * (w[3] - Expr(BabyBear::from_u32(0x78))));
  b.assert_zero("canonical.low", not_lt * (w[0] + w[1] + w[2]));
  return Expr(BabyBear::from_u32(0x177)) - w[3] - lt * Expr(BabyBear::from_u32(256));
}

}  // namespace tessera::rv32im
