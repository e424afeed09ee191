#pragma once
// The divrem table: DIV, DIVU, REM, REMU (register forms only). Adapter: rs1 -> b (dividend),
// rs2 -> c (divisor), a -> rd (the quotient q for DIV/DIVU, the remainder r for REM/REMU).
//
// The prover supplies q and r; the row proves that they are the executor's (RISC-V's) quotient and
// remainder, including division by zero (q = 2^32 - 1, r = b) and the signed overflow
// INT_MIN / -1 (q = INT_MIN, r = 0).
//
// ---- Values ------------------------------------------------------------------------------------
// signed = div + rem (a flag sum). Sign bits, from and-lookups (x_3, 128, 128 s):
//   sb = top bit of b and sc = top bit of c on signed rows (multiplicity signed; s (1 - signed) = 0
//   makes them 0 on unsigned rows); rtop = top bit of r on every real row (the lookup also proves
//   r_3 a byte), and sr = signed * rtop (an expression).
// Integers read from the bytes (u = the unsigned value of the word):
//   B = b_u - 2^32 sb,  C = c_u - 2^32 sc,  R = r_u - 2^32 sr,  Q = q_u - 2^32 sq,
// where sq is a boolean column, 0 on unsigned rows. Q is the mathematical quotient, which for
// INT_MIN / -1 is +2^31 (q = 0x80000000, sq = 0): its low word is what rd receives.
// cz: boolean, 1 exactly when c = 0 (division by zero).
//
// ---- Constraints -------------------------------------------------------------------------------
//  divrem.product   mul64 (mul_gadget.hpp) of X = q sign-extended with sq, Y = c with sc,
//                   Z = r with sr, P = b with sb:   Q C + R = B  (mod 2^64)
//  divrem.zero_c    cz (c_0 + c_1 + c_2 + c_3) = 0          cz = 1 => c = 0
//  divrem.zero_q    cz (1020 - q_0 - q_1 - q_2 - q_3) = 0   cz = 1 => q = 0xffffffff (bytes)
//  divrem.zero_sq   cz (sq - signed) = 0                    pins sq when c = 0 (Q = -1 signed)
//  divrem.r_sign    (sr - sb)(r_0 + r_1 + r_2 + r_3) = 0    r = 0 or sign(R) = sign(B)
//  divrem.bound_lo  sigma_c cL - sigma_r rL - is_real = DL + 2^16 beta
//  divrem.bound_hi  sigma_c cH - sigma_r rH + 2^16 (sc - sr + cz) + beta = DH
//                   with sigma_x = 1 - 2 s_x, xL = x_0 + 256 x_1, xH = x_2 + 256 x_3, DL and DH
//                   range16-looked-up, beta = beta_a - 2 beta_b in {-2, -1, 0, 1} (two booleans).
//                   lo + 2^16 hi reads  |C| - |R| - 1 + 2^32 cz = DL + 2^16 DH  in [0, 2^32),
//                   since |C| = sigma_c c_u + 2^32 sc and |R| = sigma_r r_u + 2^32 sr.
//  divrem.result    a_j = (div + divu) q_j + (rem + remu) r_j
// Range checks: q, r bytes (pairs (r_0, r_1), (r_2, q_0), (q_1, q_2), (q_3, carry_0); r_3 by its
// sign lookup), carry_0 a byte (it is at most 255), carry_1..7 < 2^16 (range16), DL, DH < 2^16.
//
// ---- Why q and r are unique (what a malicious prover cannot do) ---------------------------------
// 1. sb, sc, rtop, hence sr, are the sign bits the lookups say (or 0 on unsigned rows); sq and cz
//    are booleans. The bytes of q and r are bytes.
// 2. mul64 gives Q C + R = B mod 2^64 exactly (mul_gadget.hpp). Signed rows: Q in [-2^32, 2^32),
//    C, R, B in [-2^31, 2^31), so |Q C| <= 2^63 and |Q C + R - B| < 2^64: the congruence is an
//    integer equation. Unsigned rows (sq = sc = sr = sb = 0): 0 <= Q C + R < 2^64 and 0 <= B <
//    2^32, same conclusion. So B = Q C + R over the integers.
// 3. cz = 1: c = 0 and q = 0xffffffff (bytes in range, so their sum 1020 forces each to 255), and
//    B = R gives r = b: exactly the spec's division by zero, for both quotient and remainder.
// 4. cz = 0: bound_lo and bound_hi are integer equations (every term is below 2^18 in size, far
//    below p), and 2^16 bound_hi + bound_lo gives |C| - |R| - 1 = DL + 2^16 DH >= 0: |R| < |C|,
//    so C != 0 — a prover cannot claim cz = 0 for c = 0. With r_sign, R = 0 or R has B's sign.
//    B = Q C + R with |R| < |C| and R = 0 or sign(R) = sign(B) is truncated division, whose
//    (Q, R) is unique: two solutions give (Q - Q') C = R' - R with R, R' on the same side of 0
//    and |R' - R| < |C|, so Q = Q'. Unsigned rows are the special case R >= 0. For INT_MIN / -1
//    the unique Q is +2^31 (q = 0x80000000, sq = 0) and R = 0: the spec's overflow result. Q
//    determines (q, sq) since Q = q_u - 2^32 sq is a bijection onto [-2^32, 2^32).
// 5. The remaining columns are splits of determined integers (DL, beta, DH, the carries; unique by
//    their ranges), and a is q or r by divrem.result. On padding rows everything is 0 (bound_lo
//    uses is_real rather than 1 so that the all-zero row satisfies it) and every multiplicity is
//    0.
//
// Columns: 4 flags + adapter 31 + q (4), r (4), sb, sc, rtop, sq, cz, carries (8), DL, DH,
// beta_a, beta_b = 60; interactions: adapter 14 + 3 and-lookups + 4 pairs + 9 range16 = 30;
// constraint degree 3 (sigma_r rL, (sr - sb) sum r).

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

inline constexpr ZkOp kDivRemOps[] = {ZkOp::Div, ZkOp::Divu, ZkOp::Rem, ZkOp::Remu};

struct DivRemLayout {
  OpFlagCols<4> ops;
  uint32_t signed_mask = 0, quotient_mask = 0, remainder_mask = 0;
  AdapterCols io;
  WordCols q, r;
  uint32_t sb = 0, sc = 0, rtop = 0, sq = 0, cz = 0;
  uint32_t carry[kMul64Bytes] = {};
  uint32_t dl = 0, dh = 0, beta_a = 0, beta_b = 0;
  uint32_t width = 0;
};

constexpr DivRemLayout make_divrem_layout() {
  ColumnAllocator a;
  DivRemLayout l;
  l.ops = allocate_op_flags(a, kDivRemOps);
  l.signed_mask = l.ops.mask({ZkOp::Div, ZkOp::Rem});
  l.quotient_mask = l.ops.mask({ZkOp::Div, ZkOp::Divu});
  l.remainder_mask = l.ops.mask({ZkOp::Rem, ZkOp::Remu});
  l.io = allocate_adapter(a, AdapterShape{.imm = false});
  l.q = a.word();
  l.r = a.word();
  l.sb = a.col();
  l.sc = a.col();
  l.rtop = a.col();
  l.sq = a.col();
  l.cz = a.col();
  a.cols(l.carry);
  l.dl = a.col();
  l.dh = a.col();
  l.beta_a = a.col();
  l.beta_b = a.col();
  l.width = a.width();
  return l;
}

class DivRemAir : public AirBase {
 public:
  std::string name() const { return "divrem"; }
  size_t width() const { return L.width; }

  template <class AB>
  TESSERA_HD void eval(AB& b) const {
    using Expr = typename AB::Expr;
    const auto m = b.main();
    const Expr one(BabyBear::one()), two(BabyBear::from_u32(2));
    const Expr radix(BabyBear::from_u32(256)), half(BabyBear::from_u32(1u << 16));
    const Expr is_real = eval_sequential_instruction(b, L.ops, L.io, L.ops.all());
    const Expr is_signed = flag_sum<Expr>(m, L.ops, L.signed_mask);

    Expr bw[4], cw[4], aw[4], qw[4], rw[4], carry[kMul64Bytes];
    load_word(m, L.io.b, bw);
    load_word(m, L.io.c, cw);
    load_word(m, L.io.a, aw);
    load_word(m, L.q, qw);
    load_word(m, L.r, rw);
    for (size_t k = 0; k < kMul64Bytes; ++k) carry[k] = m.local(L.carry[k]);

    // Signs.
    const Expr sb = m.local(L.sb), sc = m.local(L.sc), rtop = m.local(L.rtop), sq = m.local(L.sq);
    sign_bit_lookup(b, bw[3], sb, is_signed);
    sign_bit_lookup(b, cw[3], sc, is_signed);
    sign_bit_lookup(b, rw[3], rtop, is_real);
    b.assert_zero("divrem.b_sign", sb * (one - is_signed));
    b.assert_zero("divrem.c_sign", sc * (one - is_signed));
    b.assert_bool("divrem.q_sign", sq);
    b.assert_zero("divrem.q_sign", sq * (one - is_signed));
    const Expr sr = is_signed * rtop;

    // Q C + R = B (mod 2^64, hence over the integers).
    Expr x[kMul64Bytes], y[kMul64Bytes], z[kMul64Bytes], p[kMul64Bytes];
    sign_extend(qw, sq, x);
    sign_extend(cw, sc, y);
    sign_extend(rw, sr, z);
    sign_extend(bw, sb, p);
    mul64(b, "divrem.product", x, y, z, p, carry);

    // Division by zero.
    const Expr cz = m.local(L.cz);
    b.assert_bool("divrem.zero_flag", cz);
    b.assert_zero("divrem.zero_c", cz * (cw[0] + cw[1] + cw[2] + cw[3]));
    b.assert_zero("divrem.zero_q",
                  cz * (Expr(BabyBear::from_u32(4 * 255)) - qw[0] - qw[1] - qw[2] - qw[3]));
    b.assert_zero("divrem.zero_sq", cz * (sq - is_signed));

    // r = 0 or sign(r) = sign(b).
    b.assert_zero("divrem.r_sign", (sr - sb) * (rw[0] + rw[1] + rw[2] + rw[3]));

    // |R| < |C| unless c = 0, in 16-bit halves.
    const Expr sigma_c = one - two * sc, sigma_r = one - two * sr;
    const Expr c_lo = cw[0] + cw[1] * radix, c_hi = cw[2] + cw[3] * radix;
    const Expr r_lo = rw[0] + rw[1] * radix, r_hi = rw[2] + rw[3] * radix;
    const Expr dl = m.local(L.dl), dh = m.local(L.dh);
    const Expr beta_a = m.local(L.beta_a), beta_b = m.local(L.beta_b);
    b.assert_bool("divrem.beta", beta_a);
    b.assert_bool("divrem.beta", beta_b);
    const Expr beta = beta_a - two * beta_b;
    b.assert_eq("divrem.bound_lo", sigma_c * c_lo - sigma_r * r_lo - is_real, dl + beta * half);
    b.assert_eq("divrem.bound_hi", sigma_c * c_hi - sigma_r * r_hi + (sc - sr + cz) * half + beta,
                dh);

    // The result.
    const Expr quot = flag_sum<Expr>(m, L.ops, L.quotient_mask),
               rem = flag_sum<Expr>(m, L.ops, L.remainder_mask);
    for (size_t j = 0; j < 4; ++j) b.assert_eq("divrem.result", aw[j], quot * qw[j] + rem * rw[j]);

    // Range checks.
    byte_pair(b, rw[0], rw[1], is_real);
    byte_pair(b, rw[2], qw[0], is_real);
    byte_pair(b, qw[1], qw[2], is_real);
    byte_pair(b, qw[3], carry[0], is_real);
    for (size_t k = 1; k < kMul64Bytes; ++k) range16(b, carry[k], is_real);
    range16(b, dl, is_real);
    range16(b, dh, is_real);
  }

  RowMajorMatrix<BabyBear> generate_trace(const ShardRecord& s, ByteCounts& bytes) const;

  // The columns of a row for dividend b, divisor c and the prover's choice of quotient q (with
  // sq), remainder r and zero flag cz — all but the flags, the adapter and a: q, r, the signs,
  // the product's carries and the remainder bound, computed as the constraints read them; the
  // lookups are recorded in `bytes` when given. Returns false when the product or the remainder
  // bound fails for this choice (the constraints judge the rest: the flags cz, sq and the sign
  // of r). Trace generation calls it with the true division; tests with other choices.
  bool fill_division(BabyBear* row, uint32_t b, uint32_t c, bool is_signed, uint32_t q, uint32_t r,
                     bool sq, bool cz, ByteCounts* bytes) const;

  DivRemLayout L = make_divrem_layout();
};

}  // namespace tessera::rv32im

// The CUDA constraint fold (stark/cuda_quotient.hpp; instantiated in kernels/quotient_rv32im*.cu).
namespace tessera {
TESSERA_CUDA_QUOTIENT_AIR(rv32im::DivRemAir);
}  // namespace tessera
