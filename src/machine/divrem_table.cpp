// Trace generation of the divrem table (divrem_table.hpp).
#include "machine/divrem_table.hpp"

#include <climits>

#include "common/check.hpp"
#include "machine/instruction_trace.hpp"

namespace tessera::rv32im {

namespace {

// The executor's quotient and remainder (vm/executor.cpp), and the sign of the mathematical
// quotient Q (divrem_table.hpp: Q = q_u - 2^32 sq).
struct Division {
  uint32_t q = 0, r = 0;
  bool sq = false;
};

Division divide(uint32_t b, uint32_t c, bool is_signed) {
  if (c == 0) return {~0u, b, is_signed};  // Q = -1 signed, 2^32 - 1 unsigned
  if (!is_signed) return {b / c, b % c, false};
  const int32_t sb = static_cast<int32_t>(b), sc = static_cast<int32_t>(c);
  if (sb == INT32_MIN && sc == -1) return {b, 0, false};  // Q = +2^31
  const int32_t q = sb / sc;
  return {static_cast<uint32_t>(q), static_cast<uint32_t>(sb % sc), q < 0};
}

int64_t floor_div(int64_t x, int64_t d) {
  return x >= 0 ? x / d : -((-x + d - 1) / d);
}

}  // namespace

bool DivRemAir::fill_division(BabyBear* row, uint32_t b, uint32_t c, bool is_signed, uint32_t q,
                              uint32_t r, bool sq, bool cz, ByteCounts* bytes) const {
  const bool sb = is_signed && (b >> 31) != 0, sc = is_signed && (c >> 31) != 0;
  const bool rtop = (r >> 31) != 0, sr = is_signed && rtop;
  bool ok = true;
  set_word(row, L.q, q);
  set_word(row, L.r, r);
  set_flag(row, L.sb, sb);
  set_flag(row, L.sc, sc);
  set_flag(row, L.rtop, rtop);
  set_flag(row, L.sq, sq);
  set_flag(row, L.cz, cz);

  // Q C + R = B (mod 2^64).
  uint32_t x[kMul64Bytes], y[kMul64Bytes], z[kMul64Bytes], want[kMul64Bytes];
  extended_bytes(q, sq, x);
  extended_bytes(c, sc, y);
  extended_bytes(r, sr, z);
  extended_bytes(b, sb, want);
  const Mul64Witness w = mul64_witness(x, y, z);
  for (uint32_t k = 0; k < kMul64Bytes; ++k) {
    ok = ok && w.p[k] == want[k];
    set_col(row, L.carry[k], w.carry[k]);
  }

  // |C| - |R| - 1 + 2^32 cz = DL + 2^16 DH, in 16-bit halves with the borrow beta.
  const int64_t sigma_c = sc ? -1 : 1, sigma_r = sr ? -1 : 1;
  const int64_t lo = sigma_c * (c & 0xffff) - sigma_r * (r & 0xffff) - 1;
  const int64_t beta = floor_div(lo, int64_t{1} << 16);
  const int64_t dl = lo - beta * (int64_t{1} << 16);
  const int64_t dh = sigma_c * (c >> 16) - sigma_r * (r >> 16) +
                     (int64_t{sc} - int64_t{sr} + int64_t{cz}) * (int64_t{1} << 16) + beta;
  ok = ok && beta >= -2 && beta <= 1 && dh >= 0 && dh < (int64_t{1} << 16);
  row[L.dl] = BabyBear::from_i64(dl);
  row[L.dh] = BabyBear::from_i64(dh);
  set_flag(row, L.beta_a, beta == 1 || beta == -1);  // beta = beta_a - 2 beta_b
  set_flag(row, L.beta_b, beta < 0);

  if (bytes != nullptr && ok) {
    if (is_signed) {
      bytes->op(kByteAnd, byte_of(b, 3), 128);
      bytes->op(kByteAnd, byte_of(c, 3), 128);
    }
    bytes->op(kByteAnd, byte_of(r, 3), 128);
    bytes->pair(byte_of(r, 0), byte_of(r, 1));
    bytes->pair(byte_of(r, 2), byte_of(q, 0));
    bytes->pair(byte_of(q, 1), byte_of(q, 2));
    bytes->pair(byte_of(q, 3), w.carry[0]);
    for (uint32_t k = 1; k < kMul64Bytes; ++k) bytes->range16(w.carry[k]);
    bytes->range16(static_cast<uint32_t>(dl));
    bytes->range16(static_cast<uint32_t>(dh));
  }
  return ok;
}

RowMajorMatrix<BabyBear> DivRemAir::generate_trace(const ShardRecord& s, ByteCounts& bytes) const {
  return sequential_instruction_trace(
      s, Family::DivRem, L.width, L.ops, L.io, bytes,
      [this](BabyBear* row, const ProgramRow& p, uint32_t b, uint32_t c, ByteCounts& bc) {
        const bool is_signed = p.op == ZkOp::Div || p.op == ZkOp::Rem;
        const Division d = divide(b, c, is_signed);
        TESSERA_ASSERT(fill_division(row, b, c, is_signed, d.q, d.r, d.sq, c == 0, &bc));
        return p.op == ZkOp::Div || p.op == ZkOp::Divu ? d.q : d.r;
      });
}

}  // namespace tessera::rv32im
