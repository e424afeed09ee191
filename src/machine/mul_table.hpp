#pragma once
// The mul table: MUL, MULH, MULHSU, MULHU (register forms only). Adapter: rs1 -> b, rs2 -> c,
// a -> rd.
//
// The 64-bit product P = B * C mod 2^64 of the operands sign-extended to 8 bytes as the opcode
// reads them (mul_gadget.hpp: mul64):
//   B = b sign-extended with sb, C = c sign-extended with sc,
//   sb = b's top bit for MULH and MULHSU, else 0;   sc = c's top bit for MULH, else 0,
// proven by and-lookups (b_3, 128, 128 sb) with multiplicity mulh + mulhsu and (c_3, 128, 128 sc)
// with multiplicity mulh, and sb (1 - mulh - mulhsu) = 0, sc (1 - mulh) = 0. Then P's low word is
// b * c mod 2^32 whatever the signs (MUL uses sb = sc = 0), and its high word is the high word of
// the exact product of the operands read signed/unsigned as the opcode says — RISC-V's MULH,
// MULHSU, MULHU.
//
// The result a is one half of P and `other` the other half, so P is not stored twice:
//   P_k = mul a_k + high other_k,   P_{k+4} = mul other_k + high a_k      (k = 0..3)
// with high = mulh + mulhsu + mulhu (degree-2 bytes of P; the mul64 constraints stay degree 2).
// a and other are range-checked by pair lookups, the carries carry_0..7 by range16 lookups.
//
// Soundness: sb and sc are pinned by their lookups and the two constraints; B and C are then fixed
// byte strings, and mul64 with byte-checked P and 16-bit carries has exactly one solution, the
// true product mod 2^64 (mul_gadget.hpp: no equation wraps mod p and each P_k, carry_k is the
// base-256 split of an integer). So a is the executor's result. On padding rows every column and
// every multiplicity is 0.
//
// Columns: 4 flags + adapter 31 (no immediate) + other (4) + sb, sc + carries (8) = 49;
// interactions: adapter 14 + 2 and-lookups + 4 pair + 8 range16 = 28; constraint degree 2.

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

inline constexpr ZkOp kMulOps[] = {ZkOp::Mul, ZkOp::Mulh, ZkOp::Mulhsu, ZkOp::Mulhu};

struct MulLayout {
  OpFlagCols<4> ops;
  uint32_t low_mask = 0, high_mask = 0, b_signed_mask = 0, c_signed_mask = 0;
  AdapterCols io;
  WordCols other;  // the half of the product that is not the result
  uint32_t sb = 0, sc = 0;
  uint32_t carry[kMul64Bytes] = {};
  uint32_t width = 0;
};

constexpr MulLayout make_mul_layout() {
  ColumnAllocator a;
  MulLayout l;
  l.ops = allocate_op_flags(a, kMulOps);
  l.low_mask = l.ops.mask({ZkOp::Mul});
  l.high_mask = l.ops.mask({ZkOp::Mulh, ZkOp::Mulhsu, ZkOp::Mulhu});
  l.b_signed_mask = l.ops.mask({ZkOp::Mulh, ZkOp::Mulhsu});
  l.c_signed_mask = l.ops.mask({ZkOp::Mulh});
  l.io = allocate_adapter(a, AdapterShape{.imm = false});
  l.other = a.word();
  l.sb = a.col();
  l.sc = a.col();
  a.cols(l.carry);
  l.width = a.width();
  return l;
}

class MulAir : public AirBase {
 public:
  std::string name() const { return "mul"; }
  size_t width() const { return L.width; }

  template <class AB>
  TESSERA_HD void eval(AB& b) const {
    using Expr = typename AB::Expr;
    const auto m = b.main();
    const Expr one(BabyBear::one());
    const Expr is_real = eval_sequential_instruction(b, L.ops, L.io, L.ops.all());

    Expr bw[4], cw[4], aw[4], ow[4], carry[kMul64Bytes];
    load_word(m, L.io.b, bw);
    load_word(m, L.io.c, cw);
    load_word(m, L.io.a, aw);
    load_word(m, L.other, ow);
    for (size_t k = 0; k < kMul64Bytes; ++k) carry[k] = m.local(L.carry[k]);

    // Operand signs.
    const Expr b_signed = flag_sum<Expr>(m, L.ops, L.b_signed_mask);
    const Expr c_signed = flag_sum<Expr>(m, L.ops, L.c_signed_mask);
    const Expr sb = m.local(L.sb), sc = m.local(L.sc);
    sign_bit_lookup(b, bw[3], sb, b_signed);
    sign_bit_lookup(b, cw[3], sc, c_signed);
    b.assert_zero("mul.b_sign", sb * (one - b_signed));
    b.assert_zero("mul.c_sign", sc * (one - c_signed));

    // P = B * C mod 2^64, a = its low (MUL) or high (MULH*) half.
    const Expr low = flag_sum<Expr>(m, L.ops, L.low_mask),
               high = flag_sum<Expr>(m, L.ops, L.high_mask);
    Expr x[kMul64Bytes], y[kMul64Bytes], z[kMul64Bytes], p[kMul64Bytes];
    sign_extend(bw, sb, x);
    sign_extend(cw, sc, y);
    for (size_t k = 0; k < 4; ++k) {
      p[k] = low * aw[k] + high * ow[k];
      p[k + 4] = low * ow[k] + high * aw[k];
      z[k] = z[k + 4] = Expr(BabyBear::zero());
    }
    mul64(b, "mul.product", x, y, z, p, carry);

    byte_pair(b, aw[0], aw[1], is_real);
    byte_pair(b, aw[2], aw[3], is_real);
    byte_pair(b, ow[0], ow[1], is_real);
    byte_pair(b, ow[2], ow[3], is_real);
    for (size_t k = 0; k < kMul64Bytes; ++k) range16(b, carry[k], is_real);
  }

  RowMajorMatrix<BabyBear> generate_trace(const ShardRecord& s, ByteCounts& bytes) const;

  MulLayout L = make_mul_layout();
};

}  // namespace tessera::rv32im

// The CUDA constraint fold (stark/cuda_quotient.hpp; instantiated in kernels/quotient_rv32im*.cu).
namespace tessera {
TESSERA_CUDA_QUOTIENT_AIR(rv32im::MulAir);
}  // namespace tessera
