#pragma once
// Gadgets of the shift, mul and divrem tables: the sign bit of a byte, sign extension to 64 bits,
// and the 64-bit product X * Y + Z = P (mod 2^64) byte by byte, written once for the mul table
// (P = b * c) and the divrem table (q * c + r = b). Constraint side over any builder, witness side
// (plain integers) for trace generation.
//
// ---- The product -------------------------------------------------------------------------------
// X, Y, Z, P are 8 bytes each (least significant first), carry_0..7 witness columns:
//
//     sum_{i+j=k} X_i Y_j + Z_k + carry_{k-1} = P_k + 256 carry_k       k = 0..7, carry_{-1} = 0.
//
// Multiplying equation k by 256^k and summing telescopes to
//     sum_{i+j<=7} X_i Y_j 256^(i+j) + Z = P + 2^64 carry_7,
// and the terms with i + j >= 8 are multiples of 2^64, so P = X * Y + Z mod 2^64 — provided every
// equation holds over the integers, not just mod p. The caller range-checks the P bytes (and Z,
// X, Y are bytes) and every carry below 2^16 (range16 lookups; a carry known to be below 2^8 may
// share a pair lookup instead). Then:
//   - no equation wraps: the left side is at most 8 * 255^2 + 255 + (2^16 - 1) = 585 990 and the
//     right side at most 255 + 256 (2^16 - 1) < 2^24, both far below p ~ 2^31, so the field
//     equation is an integer equation;
//   - the honest carries fit: the column sum of k is at most (k + 1) 255^2 + 255, so
//     carry_k <= ((k + 1) 255^2 + 255 + carry_{k-1}) / 256, which gives carry_0 <= 255 and at most
//     2040 for carry_7 (11 bits; 16 are checked);
//   - unique: by induction on k, P_k is the integer left side mod 256 and carry_k its quotient.
// Degree: X_i Y_j is the product of two operand expressions (degree 2 for columns; the caller may
// pass degree-2 bytes on one side, keeping the constraint at degree 3).

#include <cstddef>
#include <cstdint>

#include "common/hd.hpp"
#include "field/babybear.hpp"
#include "machine/buses.hpp"
#include "machine/gadgets.hpp"
#include "stark/air.hpp"

namespace tessera::rv32im {

inline constexpr size_t kMul64Bytes = 8;

// The top bit of a byte: the and-lookup (x, 128, 128 sign) proves x < 256 and sign = x >> 7 (the
// table's third value is x & 128, so 128 sign is 0 or 128).
TESSERA_NO_EXEC_CHECK
template <class AB, class X, class S, class M>
TESSERA_HD void sign_bit_lookup(AB& b, const X& byte, const S& sign, const M& mult) {
  using Expr = typename AB::Expr;
  byte_lookup(b, kByteAnd, Expr(byte), BabyBear::from_u32(128),
              Expr(sign) * Expr(BabyBear::from_u32(128)), Expr(mult));
}

// A word sign-extended to 8 bytes: w_0..w_3, then 255 * sign four times (two's complement of the
// word read as signed when sign is its top bit, as unsigned when sign = 0).
TESSERA_NO_EXEC_CHECK
template <class Expr>
TESSERA_HD void sign_extend(const Expr (&w)[4], const Expr& sign, Expr (&out)[kMul64Bytes]) {
  for (size_t i = 0; i < 4; ++i) {
    out[i] = w[i];
    out[i + 4] = sign * Expr(BabyBear::from_u32(255));
  }
}

// The 8 constraints sum_{i+j=k} x_i y_j + z_k + carry_{k-1} - p_k - 256 carry_k = 0 (see above).
TESSERA_NO_EXEC_CHECK
template <class AB, class Expr>
TESSERA_HD void mul64(AB& b, const char* name, const Expr (&x)[kMul64Bytes],
                      const Expr (&y)[kMul64Bytes], const Expr (&z)[kMul64Bytes],
                      const Expr (&p)[kMul64Bytes], const Expr (&carry)[kMul64Bytes]) {
  const BabyBear radix = BabyBear::from_u32(kRadix);
  Expr carry_in(BabyBear::zero());
  for (size_t k = 0; k < kMul64Bytes; ++k) {
    Expr sum = z[k] + carry_in;
    for (size_t i = 0; i <= k; ++i) sum = sum + x[i] * y[k - i];
    b.assert_zero(name, sum - p[k] - carry[k] * Expr(radix));
    carry_in = carry[k];
  }
}

// ---- witness side ------------------------------------------------------------------------------

// The 8 bytes of v (a 32-bit word, sign-extended when `sign`).
inline void extended_bytes(uint32_t v, bool sign, uint32_t (&out)[kMul64Bytes]) {
  for (size_t i = 0; i < 4; ++i) {
    out[i] = (v >> (8 * i)) & 0xff;
    out[i + 4] = sign ? 0xff : 0;
  }
}

struct Mul64Witness {
  uint32_t p[kMul64Bytes] = {};
  uint32_t carry[kMul64Bytes] = {};
};

// The product bytes and carries of x * y + z (mod 2^64), exactly as mul64 constrains them.
inline Mul64Witness mul64_witness(const uint32_t (&x)[kMul64Bytes],
                                  const uint32_t (&y)[kMul64Bytes],
                                  const uint32_t (&z)[kMul64Bytes]) {
  Mul64Witness w;
  uint64_t carry = 0;
  for (size_t k = 0; k < kMul64Bytes; ++k) {
    uint64_t sum = z[k] + carry;
    for (size_t i = 0; i <= k; ++i) sum += uint64_t{x[i]} * y[k - i];
    w.p[k] = static_cast<uint32_t>(sum & 0xff);
    carry = sum >> 8;
    w.carry[k] = static_cast<uint32_t>(carry);
  }
  return w;
}

}  // namespace tessera::rv32im
