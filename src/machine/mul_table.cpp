// Trace generation of the mul table (mul_table.hpp).
#include "machine/mul_table.hpp"

#include "machine/shard_record.hpp"
#include "machine/trace_util.hpp"

namespace tessera::rv32im {

RowMajorMatrix<BabyBear> MulAir::generate_trace(const ShardRecord& s, ByteCounts& bytes) const {
  const auto& cycles = s.by_family[static_cast<size_t>(Family::Mul)];
  RowMajorMatrix<BabyBear> trace(L.width, table_height(cycles.size()));
  fill_rows(trace, cycles.size(), bytes, [&](size_t i, BabyBear* row, ByteCounts& bc) {
    const uint32_t cycle = cycles[i];
    const ProgramRow& p = s.program_row(cycle);
    const vm::CycleEvent& e = s.record.cycles[cycle];
    const uint32_t b = e.rs1_value, c = e.rs2_value;
    const bool sb = (p.op == ZkOp::Mulh || p.op == ZkOp::Mulhsu) && (b >> 31) != 0;
    const bool sc = p.op == ZkOp::Mulh && (c >> 31) != 0;
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
    const uint32_t a = is_low ? low : high;

    set_op_flags(row, L.ops, p.op);
    fill_adapter(row, L.io, adapter_witness(s, cycle, a), bc);
    set_word(row, L.other, is_low ? high : low);
    set_flag(row, L.sb, sb);
    set_flag(row, L.sc, sc);
    if (p.op == ZkOp::Mulh || p.op == ZkOp::Mulhsu) bc.op(kByteAnd, byte_of(b, 3), 128);
    if (p.op == ZkOp::Mulh) bc.op(kByteAnd, byte_of(c, 3), 128);
    bc.pair(byte_of(a, 0), byte_of(a, 1));
    bc.pair(byte_of(a, 2), byte_of(a, 3));
    const uint32_t o = is_low ? high : low;
    bc.pair(byte_of(o, 0), byte_of(o, 1));
    bc.pair(byte_of(o, 2), byte_of(o, 3));
    for (uint32_t k = 0; k < kMul64Bytes; ++k) {
      set_col(row, L.carry[k], w.carry[k]);
      bc.range16(w.carry[k]);
    }
  });
  return trace;
}

}  // namespace tessera::rv32im
