#pragma once
// The trace side of op_flags.hpp's eval_sequential_instruction: one row per cycle of a family,
// with the opcode flags and the adapter filled here and the table's own columns by a callback.

#include <cstddef>
#include <cstdint>

#include "field/babybear.hpp"
#include "machine/adapter.hpp"
#include "machine/byte_table.hpp"
#include "machine/op_flags.hpp"
#include "machine/opcodes.hpp"
#include "machine/program_table.hpp"
#include "machine/shard_record.hpp"
#include "machine/trace_util.hpp"
#include "matrix/row_major_matrix.hpp"

namespace tessera::rv32im {

// The trace of `family`'s rows: for each of its cycles, in order,
//     a = fill(row, program_row, b, c, bytes)
// fills the table's own columns of `row` and records their lookups, given the operands b (rs1's
// value) and c (rs2's value, or the immediate for immediate forms), and returns the result a
// (rd's new value); then the row's opcode flag and its adapter columns are set.
template <size_t N, class Fill>
RowMajorMatrix<BabyBear> sequential_instruction_trace(const ShardRecord& s, Family family,
                                                      size_t width, const OpFlagCols<N>& ops,
                                                      const AdapterCols& io, ByteCounts& bytes,
                                                      const Fill& fill) {
  const auto& cycles = s.by_family[static_cast<size_t>(family)];
  RowMajorMatrix<BabyBear> trace(width, table_height(cycles.size()));
  fill_rows(trace, cycles.size(), bytes, [&](size_t i, BabyBear* row, ByteCounts& bc) {
    const uint32_t cycle = cycles[i];
    const ProgramRow& p = s.program_row(cycle);
    const vm::CycleEvent& e = s.record.cycles[cycle];
    const uint32_t a = fill(row, p, e.rs1_value, reads_rs2(p.op) ? e.rs2_value : p.imm, bc);
    set_op_flags(row, ops, p.op);
    fill_adapter(row, io, adapter_witness(s, cycle, a), bc);
  });
  return trace;
}

}  // namespace tessera::rv32im
