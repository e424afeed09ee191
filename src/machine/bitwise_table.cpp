// Trace generation of the bitwise table (bitwise_table.hpp).
#include "machine/bitwise_table.hpp"

#include "machine/shard_record.hpp"
#include "machine/trace_util.hpp"

namespace tessera::rv32im {

RowMajorMatrix<BabyBear> BitwiseAir::generate_trace(const ShardRecord& s, ByteCounts& bytes) const {
  const auto& cycles = s.by_family[static_cast<size_t>(Family::Bitwise)];
  RowMajorMatrix<BabyBear> trace(L.width, table_height(cycles.size()));
  fill_rows(trace, cycles.size(), bytes, [&](size_t i, BabyBear* row, ByteCounts& bc) {
    const uint32_t cycle = cycles[i];
    const ProgramRow& p = s.program_row(cycle);
    const vm::CycleEvent& e = s.record.cycles[cycle];
    const uint32_t b = e.rs1_value, c = reads_rs2(p.op) ? e.rs2_value : p.imm;
    uint32_t a = 0, op = 0;
    switch (p.op) {
      case ZkOp::And:
      case ZkOp::AndImm:
        a = b & c;
        op = kByteAnd;
        break;
      case ZkOp::Or:
      case ZkOp::OrImm:
        a = b | c;
        op = kByteOr;
        break;
      default:  // Xor, XorImm
        a = b ^ c;
        op = kByteXor;
        break;
    }
    set_op_flags(row, L.ops, p.op);
    fill_adapter(row, L.io, adapter_witness(s, cycle, a), bc);
    for (uint32_t k = 0; k < 4; ++k) bc.op(op, byte_of(b, k), byte_of(c, k));
  });
  return trace;
}

}  // namespace tessera::rv32im
