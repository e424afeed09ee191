#pragma once
// The trace side of the load and store tables: address.hpp's columns, and one row per cycle of
// the family with its opcode flag, its adapter and its memory access filled here and the table's
// own columns by a callback (instruction_trace.hpp's loop, with the cycle's memory event).

#include <cstddef>
#include <cstdint>

#include "field/babybear.hpp"
#include "machine/adapter.hpp"
#include "machine/address.hpp"
#include "machine/byte_table.hpp"
#include "machine/op_flags.hpp"
#include "machine/opcodes.hpp"
#include "machine/program_table.hpp"
#include "machine/shard_record.hpp"
#include "machine/trace_util.hpp"
#include "matrix/row_major_matrix.hpp"

namespace tessera::rv32im {

// Fills the address columns of a real row for rs1 value b and immediate imm, records the three
// lookups eval_address makes (`extra` is addr_3's pair partner) and returns the address.
inline uint32_t fill_address(BabyBear* row, const AddressCols& c, uint32_t b, uint32_t imm,
                             uint32_t extra, ByteCounts& bytes) {
  const uint32_t addr = fill_add_bytes(row, c.addr, c.carry, b, imm);
  const uint32_t offset = addr & 3;
  set_flag(row, c.o1, offset == 1);
  set_flag(row, c.o2, offset == 2);
  set_flag(row, c.o3, offset == 3);
  bytes.op(kByteAnd, byte_of(addr, 0), 3);
  bytes.pair(byte_of(addr, 1), byte_of(addr, 2));
  bytes.pair(byte_of(addr, 3), extra);
  return addr;
}

// One load or store as its table's callback sees it.
struct MemoryInstruction {
  const ProgramRow* program = nullptr;
  uint32_t b = 0, c = 0;                   // rs1's value; rs2's value (stores)
  const vm::MemoryEvent* event = nullptr;  // the word accessed, before and after
  uint32_t ts = 0, prev_ts = 0;            // the access's timestamp and its previous token's
};

// The trace of `family`'s rows (loads or stores, whose memory access is at `slot`): for each of
// its cycles, in order, a = fill(row, instruction, bytes) fills the table's own columns and
// records their lookups and returns rd's new value (ignored for stores); then the opcode flag and
// the adapter columns are set.
template <size_t N, class Fill>
RowMajorMatrix<BabyBear> memory_instruction_trace(const ShardRecord& s, Family family,
                                                  uint32_t slot, size_t width,
                                                  const OpFlagCols<N>& ops, const AdapterCols& io,
                                                  ByteCounts& bytes, const Fill& fill) {
  const auto& cycles = s.by_family[static_cast<size_t>(family)];
  RowMajorMatrix<BabyBear> trace(width, table_height(cycles.size()));
  fill_rows(trace, cycles.size(), bytes, [&](size_t i, BabyBear* row, ByteCounts& bc) {
    const uint32_t cycle = cycles[i];
    const ProgramRow& p = s.program_row(cycle);
    const vm::CycleEvent& e = s.record.cycles[cycle];
    const MemoryInstruction m{&p,
                              e.rs1_value,
                              e.rs2_value,
                              &s.record.memory[e.memory_begin],
                              timestamp(s.clk(cycle), slot),
                              s.memory_prev_ts[e.memory_begin]};
    const uint32_t a = fill(row, m, bc);
    set_op_flags(row, ops, p.op);
    fill_adapter(row, io, adapter_witness(s, cycle, a), bc);
  });
  return trace;
}

}  // namespace tessera::rv32im
