// Trace generation of the ALU table (alu_table.hpp).
#include "machine/alu_table.hpp"

#include "machine/shard_record.hpp"
#include "machine/trace_util.hpp"

namespace tessera::rv32im {

RowMajorMatrix<BabyBear> AluAir::generate_trace(const ShardRecord& s, ByteCounts& bytes) const {
  const auto& cycles = s.by_family[static_cast<size_t>(Family::Alu)];
  RowMajorMatrix<BabyBear> trace(L.width, table_height(cycles.size()));
  fill_rows(trace, cycles.size(), bytes, [&](size_t i, BabyBear* row, ByteCounts& bc) {
    const uint32_t cycle = cycles[i];
    const ProgramRow& p = s.program_row(cycle);
    const vm::CycleEvent& e = s.record.cycles[cycle];
    const uint32_t b = e.rs1_value, c = p.op == ZkOp::AddImm ? p.imm : e.rs2_value;
    const bool sub = p.op == ZkOp::Sub;
    const uint32_t a = sub ? b - c : b + c;
    set_flag(row, L.add, p.op == ZkOp::Add);
    set_flag(row, L.sub, sub);
    set_flag(row, L.addi, p.op == ZkOp::AddImm);
    fill_adapter(row, L.io, adapter_witness(s, cycle, a), bc);
    // Carries of x + y = z: (b, c, a) for additions, (a, c, b) for the subtraction.
    const uint32_t x = sub ? a : b;
    uint32_t carry = 0;
    for (uint32_t k = 0; k < 4; ++k) {
      const uint32_t sum = byte_of(x, k) + byte_of(c, k) + carry;
      carry = sum >> 8;
      set_flag(row, L.carry[k], carry != 0);
    }
    bc.pair(byte_of(a, 0), byte_of(a, 1));
    bc.pair(byte_of(a, 2), byte_of(a, 3));
  });
  return trace;
}

}  // namespace tessera::rv32im
