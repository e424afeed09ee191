// Trace generation of the mul table (mul_table.hpp).
#include "machine/mul_table.hpp"

#include "machine/instruction_trace.hpp"

namespace tessera::rv32im {

RowMajorMatrix<BabyBear> MulAir::generate_trace(const ShardRecord& s, ByteCounts& bytes) const {
  return sequential_instruction_trace(
      s, Family::Mul, L.width, L.ops, L.io, bytes,
      [this](BabyBear* row, const ProgramRow& p, uint32_t b, uint32_t c, ByteCounts& bc) {
        const bool b_signed = p.op == ZkOp::Mulh || p.op == ZkOp::Mulhsu,
                   c_signed = p.op == ZkOp::Mulh;
        const bool sb = b_signed && (b >> 31) != 0, sc = c_signed && (c >> 31) != 0;
        uint32_t x[kMul64Bytes], y[kMul64Bytes], z[kMul64Bytes] = {};
        extended_bytes(b, sb, x);
        extended_bytes(c, sc, y);
        const Mul64Witness w = mul64_witness(x, y, z);
        uint32_t low = 0, high = 0;
        for (uint32_t k = 0; k < 4; ++k) {
          low |= w.p[k] << (8 * k);
          high |= w.p[k + 4] << (8 * k);
        }
        const bool is_low = p.op == ZkOp::Mul;
        const uint32_t a = is_low ? low : high, other = is_low ? high : low;
        set_word(row, L.other, other);
        set_flag(row, L.sb, sb);
        set_flag(row, L.sc, sc);
        if (b_signed) bc.op(kByteAnd, byte_of(b, 3), 128);
        if (c_signed) bc.op(kByteAnd, byte_of(c, 3), 128);
        bc.pair(byte_of(a, 0), byte_of(a, 1));
        bc.pair(byte_of(a, 2), byte_of(a, 3));
        bc.pair(byte_of(other, 0), byte_of(other, 1));
        bc.pair(byte_of(other, 2), byte_of(other, 3));
        for (uint32_t k = 0; k < kMul64Bytes; ++k) {
          set_col(row, L.carry[k], w.carry[k]);
          bc.range16(w.carry[k]);
        }
        return a;
      });
}

}  // namespace tessera::rv32im
