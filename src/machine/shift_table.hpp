#pragma once
// The shift table: SLL, SRL, SRA and the immediate forms SLLI, SRLI, SRAI. Adapter: rs1 -> b,
// rs2 or the immediate -> c, a -> rd.
//
// ---- The computation ---------------------------------------------------------------------------
// The shift amount is s = c_0 & 31 (one and-lookup (c_0, 31, s); for immediate forms c_0 is the
// 5-bit shamt already). Every shift is done as a bit shift t in [0, 8) followed by a whole-byte
// move d in [-3, 4]:
//   left  (SLL):      s = t - 8 d        (t = s mod 8, d = -(s div 8) in [-3, 0])
//   right (SRL, SRA): s = 8 d - t        (t = -s mod 8, d = (s + t) / 8 in [0, 4])
// i.e. b >> s = (b << t) >> 8 d: shifting left by t first loses nothing (the word is widened to
// 5 bytes). With P = 2^t, each byte splits as
//   b_i * P = 256 high_i + low_i         low_i = (b_i << t) mod 256,  high_i = b_i >> (8 - t),
// and the bytes of the widened, bit-shifted word are
//   v_0 = low_0,  v_i = low_i + high_{i-1} (i = 1..3),  v_4 = high_3 + sign (256 - P),
//   v_5 = v_6 = v_7 = 255 sign,  v_j = 0 for j < 0,
// where sign = 1 only for SRA of a negative b: the sign-extension bytes 0xff of b, shifted left by
// t, contribute (0xff << t) mod 256 = 256 - P to byte 4 and 0xff to every byte above. The result
// takes bytes d apart:
//   a_j = sum_d D_d v_{j+d},   D_d the one-hot flag of the byte move d (8 flags, d = -3..4),
// so left shifts (d <= 0) fill zeros from below and right shifts (d >= 0) take from above,
// zeros or sign bytes. (For s = 0: t = 0, d = 0, P = 1, low = b, high = 0, a = b.)
//
// ---- Constraints and why each has one solution -------------------------------------------------
//   shift.amount     and-lookup (c_0, 31, s):                 s = c_0 & 31 in [0, 31]
//   shift.t_bit      t_0, t_1, t_2 boolean, t = t_0 + 2 t_1 + 4 t_2 in [0, 7]
//   shift.offset     D_d boolean, sum_d D_d = is_real          one-hot (none on padding)
//   shift.split      is_real s + (left - right)(8 sum_d d D_d - t) = 0
//                    left row: s = t - 8 d: with s in [0, 31], t in [0, 7], d in [-3, 4] (integers
//                    far below p) only t = s mod 8, d = -(s div 8); right row: s = 8 d - t forces
//                    t = -s mod 8, d = (s + t) / 8. So t and the flag D_d are unique.
//   shift.pow        pow_m1 = (1 + t_0)(1 + 3 t_1)(1 + 15 t_2) - 1 = 2^t - 1 (degree 3; 0 on an
//                    all-zero padding row, hence 2^t - 1 rather than 2^t)
//   shift.byte_split b_i (pow_m1 + 1) = low_i + 256 high_i, with (high_i, low_i) pair-looked-up:
//                    both bytes and b_i 2^t < 2^15 < p, so (high_i, low_i) is the unique base-256
//                    split of the integer b_i 2^t
//   shift.sign       and-lookup (b_3, 128, 128 sign) with multiplicity sra + srai, and
//                    sign (1 - sra - srai) = 0: sign is b's top bit on SRA rows, 0 elsewhere
//   shift.result     a_j = sum_d D_d v_{j+d} (degree 3: D_d sign pow_m1 in v_4)
// Every column is thus a function of b, c and the opcode, and a is the executor's result (a byte
// by construction, so it needs no range check of its own).
//
// Columns: 6 flags + adapter 35 + s, t (3), pow_m1, D (8), sign, high (4), low (4) = 63;
// interactions: adapter 14 + 2 and-lookups + 4 pair lookups = 20; constraint degree <= 3.

#include <cstdint>
#include <string>

#include "machine/adapter.hpp"
#include "machine/columns.hpp"
#include "machine/gadgets.hpp"
#include "machine/mul_gadget.hpp"
#include "machine/op_flags.hpp"
#include "machine/opcodes.hpp"
#include "matrix/row_major_matrix.hpp"
#include "stark/air.hpp"
#include "stark/cuda_quotient.hpp"

namespace tessera::rv32im {

struct ShardRecord;
class ByteCounts;

inline constexpr ZkOp kShiftOps[] = {ZkOp::Sll,    ZkOp::Srl,    ZkOp::Sra,
                                     ZkOp::SllImm, ZkOp::SrlImm, ZkOp::SraImm};
// Byte moves d = -3..4, flag index d + kShiftMoveBias.
inline constexpr uint32_t kShiftMoves = 8;
inline constexpr int32_t kShiftMoveBias = 3;

struct ShiftLayout {
  OpFlagCols<6> ops;
  uint32_t left_mask = 0, right_mask = 0, arith_mask = 0, reg_mask = 0;
  AdapterCols io;
  uint32_t s = 0;                      // c_0 & 31
  uint32_t t[3] = {};                  // bits of the bit shift t
  uint32_t pow_m1 = 0;                 // 2^t - 1
  uint32_t move[kShiftMoves] = {};     // one-hot byte move d (index d + 3)
  uint32_t sign = 0;                   // SRA: b's top bit
  uint32_t high[4] = {}, low[4] = {};  // b_i 2^t = low_i + 256 high_i
  uint32_t width = 0;
};

constexpr ShiftLayout make_shift_layout() {
  ColumnAllocator a;
  ShiftLayout l;
  l.ops = allocate_op_flags(a, kShiftOps);
  l.left_mask = l.ops.mask({ZkOp::Sll, ZkOp::SllImm});
  l.right_mask = l.ops.mask({ZkOp::Srl, ZkOp::Sra, ZkOp::SrlImm, ZkOp::SraImm});
  l.arith_mask = l.ops.mask({ZkOp::Sra, ZkOp::SraImm});
  l.reg_mask = l.ops.mask({ZkOp::Sll, ZkOp::Srl, ZkOp::Sra});
  l.io = allocate_adapter(a, AdapterShape{});
  l.s = a.col();
  a.cols(l.t);
  l.pow_m1 = a.col();
  a.cols(l.move);
  l.sign = a.col();
  a.cols(l.high);
  a.cols(l.low);
  l.width = a.width();
  return l;
}

class ShiftAir : public AirBase {
 public:
  std::string name() const { return "shift"; }
  size_t width() const { return L.width; }

  template <class AB>
  TESSERA_HD void eval(AB& b) const {
    using Expr = typename AB::Expr;
    const auto m = b.main();
    const Expr one(BabyBear::one());
    const Expr is_real = eval_sequential_instruction(b, L.ops, L.io, L.reg_mask);
    const Expr left = flag_sum<Expr>(m, L.ops, L.left_mask),
               right = flag_sum<Expr>(m, L.ops, L.right_mask);
    const Expr arith = flag_sum<Expr>(m, L.ops, L.arith_mask);

    // s = c_0 & 31.
    const Expr s = m.local(L.s);
    byte_lookup(b, kByteAnd, Expr(m.local(L.io.c[0])), BabyBear::from_u32(31), s, is_real);

    // The bit shift t and the byte move d.
    const Expr t0 = m.local(L.t[0]), t1 = m.local(L.t[1]), t2 = m.local(L.t[2]);
    b.assert_bool("shift.t_bit", t0);
    b.assert_bool("shift.t_bit", t1);
    b.assert_bool("shift.t_bit", t2);
    const Expr t = t0 + t1 * Expr(BabyBear::from_u32(2)) + t2 * Expr(BabyBear::from_u32(4));
    Expr moves(BabyBear::zero()), move_value(BabyBear::zero());
    for (uint32_t k = 0; k < kShiftMoves; ++k) {
      const Expr f = m.local(L.move[k]);
      b.assert_bool("shift.offset", f);
      moves = moves + f;
      move_value =
          move_value + f * Expr(BabyBear::from_i64(static_cast<int64_t>(k) - kShiftMoveBias));
    }
    b.assert_eq("shift.offset", moves, is_real);
    b.assert_zero("shift.split",
                  is_real * s + (left - right) * (move_value * Expr(BabyBear::from_u32(8)) - t));

    // P = 2^t.
    const Expr pow_m1 = m.local(L.pow_m1);
    b.assert_eq("shift.pow", pow_m1,
                (one + t0) * (one + t1 * Expr(BabyBear::from_u32(3))) *
                        (one + t2 * Expr(BabyBear::from_u32(15))) -
                    one);
    const Expr pow = pow_m1 + one;

    // SRA's sign.
    const Expr sign = m.local(L.sign);
    sign_bit_lookup(b, Expr(m.local(L.io.b[3])), sign, arith);
    b.assert_zero("shift.sign", sign * (one - arith));

    // b_i 2^t = low_i + 256 high_i, both bytes.
    Expr high[4], low[4];
    for (size_t i = 0; i < 4; ++i) {
      high[i] = m.local(L.high[i]);
      low[i] = m.local(L.low[i]);
      b.assert_eq("shift.byte_split", Expr(m.local(L.io.b[i])) * pow,
                  low[i] + high[i] * Expr(BabyBear::from_u32(256)));
      byte_pair(b, high[i], low[i], is_real);
    }

    // The widened, bit-shifted word and the byte move.
    const Expr sign_byte = sign * Expr(BabyBear::from_u32(255));
    const Expr v[8] = {low[0],
                       low[1] + high[0],
                       low[2] + high[1],
                       low[3] + high[2],
                       high[3] + sign * (Expr(BabyBear::from_u32(255)) - pow_m1),
                       sign_byte,
                       sign_byte,
                       sign_byte};
    for (int32_t j = 0; j < 4; ++j) {
      Expr sum(BabyBear::zero());
      for (int32_t k = 0; k < static_cast<int32_t>(kShiftMoves); ++k) {
        const int32_t src = j + k - kShiftMoveBias;
        if (src >= 0) sum = sum + Expr(m.local(L.move[k])) * v[src];
      }
      b.assert_eq("shift.result", Expr(m.local(L.io.a[j])), sum);
    }
  }

  RowMajorMatrix<BabyBear> generate_trace(const ShardRecord& s, ByteCounts& bytes) const;

  ShiftLayout L = make_shift_layout();
};

}  // namespace tessera::rv32im

// The CUDA constraint fold (stark/cuda_quotient.hpp; instantiated in kernels/quotient_rv32im*.cu).
namespace tessera {
TESSERA_CUDA_QUOTIENT_AIR(rv32im::ShiftAir);
}  // namespace tessera
