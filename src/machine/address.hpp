#pragma once
// The byte address of a load or store, shared by the load and store tables:
//   addr = b + imm mod 2^32 byte-wise (add_bytes, boolean carries), exactly the executor's
//   uint32 sum rs1 + imm; addr_1..addr_3 range-checked by pair lookups and addr_0 by the and
//   lookup (addr_0, 3, offset), where offset = o1 + 2 o2 + 3 o3 comes from a one-hot split
//   (o1, o2, o3 boolean with a boolean sum; o0 = is_real - o1 - o2 - o3, boolean on real rows).
// So offset = addr mod 4 and word_address(addr, offset) (gadgets.hpp) = addr >> 2 is an integer
// below 2^30: the word the executor accessed. Alignment is a degree-2 constraint per width.

#include <cstddef>
#include <cstdint>

#include "common/hd.hpp"
#include "field/babybear.hpp"
#include "machine/adapter.hpp"
#include "machine/buses.hpp"
#include "machine/columns.hpp"
#include "machine/gadgets.hpp"
#include "stark/air.hpp"

namespace tessera::rv32im {

struct AddressCols {
  WordCols addr, carry;
  uint32_t o1 = kNoColumn, o2 = kNoColumn, o3 = kNoColumn;
};

inline constexpr AddressCols allocate_address(ColumnAllocator& a) {
  AddressCols c;
  c.addr = a.word();
  c.carry = a.word();
  c.o1 = a.col();
  c.o2 = a.col();
  c.o3 = a.col();
  return c;
}

// The address's expressions for the table's constraints.
template <class Expr>
struct Address {
  Expr addr[4];
  Expr o[4];  // one-hot offset (o[0] = is_real - o1 - o2 - o3)
  Expr word;  // addr >> 2
};

// addr = b + imm with the offset split, its lookups (and (addr_0, 3, offset), pair (addr_1,
// addr_2), pair (addr_3, extra)), and the alignment of the flagged widths: `whole` (4 bytes,
// offset 0) and `half` (2 bytes, even offset). `extra` is a byte the caller wants range-checked
// (the memory access's diff_hi). All with multiplicity is_real.
TESSERA_NO_EXEC_CHECK
template <class AB>
TESSERA_HD Address<typename AB::Expr> eval_address(
    AB& b, const AddressCols& c, const AdapterCols& io, const typename AB::Expr& is_real,
    const typename AB::Expr& whole, const typename AB::Expr& half, const typename AB::Expr& extra) {
  using Expr = typename AB::Expr;
  const auto m = b.main();
  Address<Expr> r;
  Expr bw[4], imm[4], carry[4];
  load_word(m, io.b, bw);
  load_word(m, io.imm, imm);
  load_word(m, c.addr, r.addr);
  load_word(m, c.carry, carry);
  for (size_t i = 0; i < 4; ++i) b.assert_bool("address.carry", carry[i]);
  add_bytes(b, "address.add", is_real, bw, imm, r.addr, carry);
  const Expr o1 = m.local(c.o1), o2 = m.local(c.o2), o3 = m.local(c.o3);
  b.assert_bool("address.o1", o1);
  b.assert_bool("address.o2", o2);
  b.assert_bool("address.o3", o3);
  b.assert_bool("address.one_offset", o1 + o2 + o3);
  r.o[0] = is_real - o1 - o2 - o3;
  r.o[1] = o1;
  r.o[2] = o2;
  r.o[3] = o3;
  const Expr offset = o1 + o2 * Expr(BabyBear::from_u32(2)) + o3 * Expr(BabyBear::from_u32(3));
  byte_lookup(b, kByteAnd, r.addr[0], BabyBear::from_u32(3), offset, is_real);
  byte_pair(b, r.addr[1], r.addr[2], is_real);
  byte_pair(b, r.addr[3], extra, is_real);
  b.assert_zero("address.word_aligned", whole * (o1 + o2 + o3));
  b.assert_zero("address.half_aligned", half * (o1 + o3));
  r.word = word_address(r.addr, offset);
  return r;
}

}  // namespace tessera::rv32im
