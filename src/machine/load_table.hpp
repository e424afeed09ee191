#pragma once
// The load table: LB, LH, LW, LBU, LHU.
//
// Address   addr = b + imm mod 2^32 with offset = addr mod 4 one-hot (o0..o3) and the word
//           address addr >> 2 (address.hpp: the executor's word, whatever the wrap-around).
// Alignment LW: o1 + o2 + o3 = 0; LH, LHU: o1 + o3 = 0 (the executor traps otherwise, and these
//           rows then have no witness).
// Memory    memory_access(word, 4 clk + kSlotMemory, read: next = prev = w, class cls) with cls
//           boolean: the token must be one of class 0 (read-only) or 1 (writable), never the
//           register page's 2, so a load from [0, 0x400) cannot balance. w is a byte word by
//           induction (every token's bytes are: initial pages are range-checked, every write
//           range-checks or composes bytes).
// Result    selected byte  sel = o0 w0 + o1 w1 + o2 w2 + o3 w3, half (hl, hh) = o0 (w0, w1) +
//           o2 (w2, w3) (degree 2, used only under a flag: degree 3, so no columns); the sign bit
//           `sign` of top = lb sel + lh hh (a column: lookup values have degree 1) by the and
//           lookup (top, 128, 128 sign) on LB and LH rows, ext = 255 sign, and
//             a0 = lw w0 + (lh + lhu) hl + (lb + lbu) sel
//             a1 = lw w1 + (lh + lhu) hh + lb ext
//             a2 = a3 = lw w_k + (lh + lb) ext
//           Every a_i is then a byte (a byte, or 0/255), so rd needs no range check.
//
// Columns: 5 flags + the adapter without rs2 (27) + address (11) + word, access, cls, top, sign
// = 53; interactions: the adapter's 10 + the access's 3 + the address's 3 + 1 and = 17;
// degree <= 3.

#include <cstdint>
#include <string>

#include "machine/adapter.hpp"
#include "machine/address.hpp"
#include "machine/columns.hpp"
#include "machine/gadgets.hpp"
#include "machine/op_flags.hpp"
#include "machine/opcodes.hpp"
#include "matrix/row_major_matrix.hpp"
#include "stark/air.hpp"
#include "stark/cuda_quotient.hpp"

namespace tessera::rv32im {

struct ShardRecord;
class ByteCounts;
class WordClasses;

inline constexpr ZkOp kLoadOps[] = {ZkOp::Lb, ZkOp::Lh, ZkOp::Lw, ZkOp::Lbu, ZkOp::Lhu};

struct LoadLayout {
  OpFlagCols<5> ops;
  uint32_t lb_mask = 0, lh_mask = 0, lw_mask = 0, lbu_mask = 0, lhu_mask = 0;
  AdapterCols io;
  AddressCols address;
  WordCols word;  // the memory word read
  AccessCols access;
  uint32_t cls = 0;
  uint32_t top = 0, sign = 0;
  uint32_t width = 0;
};

constexpr LoadLayout make_load_layout() {
  ColumnAllocator a;
  LoadLayout l;
  l.ops = allocate_op_flags(a, kLoadOps);
  l.lb_mask = l.ops.mask({ZkOp::Lb});
  l.lh_mask = l.ops.mask({ZkOp::Lh});
  l.lw_mask = l.ops.mask({ZkOp::Lw});
  l.lbu_mask = l.ops.mask({ZkOp::Lbu});
  l.lhu_mask = l.ops.mask({ZkOp::Lhu});
  l.io = allocate_adapter(a, AdapterShape{.rs2 = false});
  l.address = allocate_address(a);
  l.word = a.word();
  l.access = allocate_access(a);
  l.cls = a.col();
  l.top = a.col();
  l.sign = a.col();
  l.width = a.width();
  return l;
}

class LoadAir : public AirBase {
 public:
  std::string name() const { return "load"; }
  size_t width() const { return L.width; }

  template <class AB>
  TESSERA_HD void eval(AB& b) const {
    using Expr = typename AB::Expr;
    const auto m = b.main();
    const Expr is_real = eval_sequential_instruction(b, L.ops, L.io, 0);
    const Expr lb = flag_sum<Expr>(m, L.ops, L.lb_mask), lh = flag_sum<Expr>(m, L.ops, L.lh_mask),
               lw = flag_sum<Expr>(m, L.ops, L.lw_mask), lbu = flag_sum<Expr>(m, L.ops, L.lbu_mask),
               lhu = flag_sum<Expr>(m, L.ops, L.lhu_mask);
    const Expr clk = m.local(L.io.clk);

    const Address<Expr> ad =
        eval_address(b, L.address, L.io, is_real, lw, lh + lhu, Expr(m.local(L.access.diff_hi)));
    Expr w[4], aw[4];
    load_word(m, L.word, w);
    load_word(m, L.io.a, aw);
    const Expr cls = m.local(L.cls);
    b.assert_bool("load.class", cls);
    memory_access(b, L.access, is_real, ad.word, timestamp_expr(clk, kSlotMemory), w, w, cls);

    const Expr* o = ad.o;
    const Expr sel_byte = o[0] * w[0] + o[1] * w[1] + o[2] * w[2] + o[3] * w[3];
    const Expr half_lo = o[0] * w[0] + o[2] * w[2], half_hi = o[0] * w[1] + o[2] * w[3];
    const Expr top = m.local(L.top), sign = m.local(L.sign);
    const Expr k128(BabyBear::from_u32(128));
    b.assert_zero("load.top", top - lb * sel_byte - lh * half_hi);
    byte_lookup(b, kByteAnd, top, k128, sign * k128, lb + lh);
    const Expr ext = sign * Expr(BabyBear::from_u32(255));
    b.assert_zero("load.byte0", aw[0] - lw * w[0] - (lh + lhu) * half_lo - (lb + lbu) * sel_byte);
    b.assert_zero("load.byte1", aw[1] - lw * w[1] - (lh + lhu) * half_hi - lb * ext);
    b.assert_zero("load.byte2", aw[2] - lw * w[2] - (lh + lb) * ext);
    b.assert_zero("load.byte3", aw[3] - lw * w[3] - (lh + lb) * ext);
  }

  RowMajorMatrix<BabyBear> generate_trace(const ShardRecord& s, const WordClasses& classes,
                                          ByteCounts& bytes) const;

  LoadLayout L = make_load_layout();
};

}  // namespace tessera::rv32im

// The CUDA constraint fold (stark/cuda_quotient.hpp; instantiated in kernels/quotient_rv32im*.cu).
namespace tessera {
TESSERA_CUDA_QUOTIENT_AIR(rv32im::LoadAir);
}  // namespace tessera
