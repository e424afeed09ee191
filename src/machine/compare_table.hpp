#pragma once
// The compare table: SLT, SLTU, SLTI, SLTIU and the branches BEQ, BNE, BLT, BGE, BLTU, BGEU.
//
// One subtraction decides every comparison. With b = rs1 and c = rs2 (or the immediate), the
// difference d = b - c mod 2^32 is held as two 16-bit limbs (range16 lookups) and
//     c_lo + d_lo = b_lo + 2^16 borrow_lo,      c_hi + d_hi + borrow_lo = b_hi + 2^16 ltu
// (x_lo = x_0 + 256 x_1, x_hi = x_2 + 256 x_3), borrow_lo and ltu boolean. Both sides are below
// 2^18 < p, so these are integer equations with a unique solution, and ltu = 1 iff c + d >= 2^32
// iff b < c as unsigned words.
//   signed    with b_neg, c_neg the sign bits (and lookups b_3 & 128 = 128 b_neg, c_3 likewise),
//             lt = ltu + b_neg - c_neg: equal signs compare like unsigned words; b_neg = 1,
//             c_neg = 0 gives b < c and ltu = 0 (lt = 1); b_neg = 0, c_neg = 1 gives ltu = 1
//             (lt = 0). Degree 1, no column.
//   equal     d = 0 iff d_lo + d_hi = 0 (both limbs in [0, 2^16), the sum is below p). With an
//             inverse column: eq = 1 - (d_lo + d_hi) inv and (d_lo + d_hi) eq = 0, so eq = 1 when
//             the sum is 0 (whatever inv) and, when it is not, inv must be its inverse and eq = 0.
// The decision of the row's opcode is a_0 (rd = (cond, 0, 0, 0) for the SLT forms):
//     a_0 = (slt + slti + blt) lt + (sltu + sltiu + bltu) ltu + bge (1 - lt) + bgeu (1 - ltu)
//           + beq eq + bne (1 - eq)                                             (degree 3)
// For a branch a_0 is `taken`: the program table says writes_rd = 0 for branches, so it never
// reaches a register. The branch moves the pc by the column delta = taken (target - pc - 4)
// (constrained with the sum of the branch flags, degree 3), and the row sends
// next_pc = pc + 4 + delta, degree 1.
//
// Targets: a branch's target is the program table's field pc + offset. A misaligned offset
// (offset = 2 mod 4; B-type offsets are even) or one that leaves the text gives a target that is
// not a text pc modulo p (program_table.hpp: text < 0x70000000, |offset| < 2^12), so the state
// (clk + 1, target) this row sends can only be received by the shard table, as the shard's end
// pc: such a shard has no successor (every row's pc is a text pc) and is not halted (only the
// exit call halts), so a chain of statements that ends halted never contains it — the executor
// traps there. The untaken successor pc + 4 is a text pc or likewise unreceivable.
//
// Columns: 10 flags + the adapter with target (36) + d_lo, d_hi, borrow_lo, ltu, b_neg, c_neg,
// inv, delta = 54; interactions: the adapter's 14 + 2 range16 + 2 and = 18; degree <= 3.

#include <cstdint>
#include <string>

#include "machine/adapter.hpp"
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

inline constexpr ZkOp kCompareOps[] = {ZkOp::Slt,  ZkOp::Sltu, ZkOp::SltImm, ZkOp::SltuImm,
                                       ZkOp::Beq,  ZkOp::Bne,  ZkOp::Blt,    ZkOp::Bge,
                                       ZkOp::Bltu, ZkOp::Bgeu};

struct CompareLayout {
  OpFlagCols<10> ops;
  // Flag subsets: register forms, branches, and which comparison decides the row.
  uint32_t reg_mask = 0, branch_mask = 0, lt_mask = 0, ltu_mask = 0, ge_mask = 0, geu_mask = 0,
           eq_mask = 0, ne_mask = 0;
  AdapterCols io;                   // a_0 is the decision (rd for SLT forms, `taken` for branches)
  uint32_t d_lo = 0, d_hi = 0;      // b - c mod 2^32, 16-bit limbs
  uint32_t borrow_lo = 0, ltu = 0;  // carries of c + d = b (+ 2^32 ltu)
  uint32_t b_neg = 0, c_neg = 0;    // sign bits
  uint32_t inv = 0;                 // (d_lo + d_hi)^-1, or 0
  uint32_t delta = 0;               // taken (target - pc - 4)
  uint32_t width = 0;
};

constexpr CompareLayout make_compare_layout() {
  ColumnAllocator a;
  CompareLayout l;
  l.ops = allocate_op_flags(a, kCompareOps);
  l.reg_mask = l.ops.mask(
      {ZkOp::Slt, ZkOp::Sltu, ZkOp::Beq, ZkOp::Bne, ZkOp::Blt, ZkOp::Bge, ZkOp::Bltu, ZkOp::Bgeu});
  l.branch_mask = l.ops.mask({ZkOp::Beq, ZkOp::Bne, ZkOp::Blt, ZkOp::Bge, ZkOp::Bltu, ZkOp::Bgeu});
  l.lt_mask = l.ops.mask({ZkOp::Slt, ZkOp::SltImm, ZkOp::Blt});
  l.ltu_mask = l.ops.mask({ZkOp::Sltu, ZkOp::SltuImm, ZkOp::Bltu});
  l.ge_mask = l.ops.mask({ZkOp::Bge});
  l.geu_mask = l.ops.mask({ZkOp::Bgeu});
  l.eq_mask = l.ops.mask({ZkOp::Beq});
  l.ne_mask = l.ops.mask({ZkOp::Bne});
  l.io = allocate_adapter(a, AdapterShape{.target = true});
  l.d_lo = a.col();
  l.d_hi = a.col();
  l.borrow_lo = a.col();
  l.ltu = a.col();
  l.b_neg = a.col();
  l.c_neg = a.col();
  l.inv = a.col();
  l.delta = a.col();
  l.width = a.width();
  return l;
}

class CompareAir : public AirBase {
 public:
  std::string name() const { return "compare"; }
  size_t width() const { return L.width; }

  template <class AB>
  TESSERA_HD void eval(AB& b) const {
    using Expr = typename AB::Expr;
    const auto m = b.main();
    const Expr one(BabyBear::one());
    const Expr is_real = eval_op_flags(b, L.ops);
    const Expr branch = flag_sum<Expr>(m, L.ops, L.branch_mask);
    const Expr pc = m.local(L.io.pc), delta = m.local(L.delta);
    const Expr four(BabyBear::from_u32(4));
    const InstructionRow<Expr> row{is_real, flag_opcode<Expr>(m, L.ops),
                                   flag_sum<Expr>(m, L.ops, L.reg_mask), pc + four + delta};
    eval_adapter(b, L.io, row);

    Expr bw[4], cw[4], aw[4];
    load_word(m, L.io.b, bw);
    load_word(m, L.io.c, cw);
    load_word(m, L.io.a, aw);
    const Expr k8(BabyBear::from_u32(1u << 8)), k16(BabyBear::from_u32(1u << 16));
    const Expr d_lo = m.local(L.d_lo), d_hi = m.local(L.d_hi);
    const Expr borrow_lo = m.local(L.borrow_lo), ltu = m.local(L.ltu);
    b.assert_bool("compare.borrow", borrow_lo);
    b.assert_bool("compare.ltu", ltu);
    b.assert_zero("compare.sub_lo",
                  is_real * (cw[0] + cw[1] * k8 + d_lo - bw[0] - bw[1] * k8 - borrow_lo * k16));
    b.assert_zero("compare.sub_hi", is_real * (cw[2] + cw[3] * k8 + d_hi + borrow_lo - bw[2] -
                                               bw[3] * k8 - ltu * k16));
    range16(b, d_lo, is_real);
    range16(b, d_hi, is_real);

    // Signs (the and lookup also proves b_neg, c_neg boolean: x & 128 is 0 or 128).
    const Expr b_neg = m.local(L.b_neg), c_neg = m.local(L.c_neg);
    const Expr k128(BabyBear::from_u32(128));
    byte_lookup(b, kByteAnd, bw[3], k128, b_neg * k128, is_real);
    byte_lookup(b, kByteAnd, cw[3], k128, c_neg * k128, is_real);
    const Expr lt = ltu + b_neg - c_neg;

    // Equality.
    const Expr sum = d_lo + d_hi;
    const Expr eq = one - sum * Expr(m.local(L.inv));
    b.assert_zero("compare.is_zero", sum * eq);

    b.assert_zero("compare.result", aw[0] - flag_sum<Expr>(m, L.ops, L.lt_mask) * lt -
                                        flag_sum<Expr>(m, L.ops, L.ltu_mask) * ltu -
                                        flag_sum<Expr>(m, L.ops, L.ge_mask) * (one - lt) -
                                        flag_sum<Expr>(m, L.ops, L.geu_mask) * (one - ltu) -
                                        flag_sum<Expr>(m, L.ops, L.eq_mask) * eq -
                                        flag_sum<Expr>(m, L.ops, L.ne_mask) * (one - eq));
    for (size_t i = 1; i < 4; ++i) b.assert_zero("compare.result_high", aw[i]);
    const Expr target = m.local(L.io.target);
    b.assert_zero("compare.branch", delta - branch * aw[0] * (target - pc - four));
  }

  RowMajorMatrix<BabyBear> generate_trace(const ShardRecord& s, ByteCounts& bytes) const;

  CompareLayout L = make_compare_layout();
};

}  // namespace tessera::rv32im

// The CUDA constraint fold (stark/cuda_quotient.hpp; instantiated in kernels/quotient_rv32im*.cu).
namespace tessera {
TESSERA_CUDA_QUOTIENT_AIR(rv32im::CompareAir);
}  // namespace tessera
