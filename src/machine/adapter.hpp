#pragma once
// The instruction adapter: the part every instruction table shares (after OpenVM's
// adapter/core split). An instruction row is one executed instruction, and the adapter proves
// that it is the next step of the shard's execution and that it reads and writes the right
// registers:
//
//   state    receive (clk, pc, 0, 0, 0) and send (clk + 1, next_pc, 0, 0, 0): with the shard
//            table's injection of (0, start_pc) and removal of (K, end_pc), the rows form one
//            chain clk = 0, 1, ..., K-1 (clk rises by exactly one per step and fewer than p rows
//            exist, so no row can sit outside the chain), each at the pc its predecessor left.
//   program  send (pc, opcode, rd, rs1, rs2, imm, target, writes_rd): the instruction at pc is
//            the one this row executes (the program table is preprocessed: the verifying key).
//   rs1      read at ts = 4 clk + 1 (value b);  rs2: read at 4 clk + 2 (value c), only when the
//            instruction is not an immediate form, else c = imm;  rd: written at 4 clk + 3 (value
//            a) when the program says so (writes_rd = 0 for rd = x0: x0 is never written, so it
//            stays 0 from the initial memory and every read of it returns 0).
//
// The family (ALU, loads, ...) supplies is_real (the sum of its boolean opcode flags), the opcode
// (sum of flag * opcode id), whether rs2 is read, next_pc, and constrains a from b, c, imm.

#include <cstdint>

#include "common/hd.hpp"
#include "field/babybear.hpp"
#include "machine/buses.hpp"
#include "machine/columns.hpp"
#include "machine/gadgets.hpp"
#include "stark/air.hpp"

namespace tessera::rv32im {

// Which parts of the adapter a family uses (absent parts cost no columns).
struct AdapterShape {
  bool rs1 = true;
  bool rs2 = true;
  bool rd = true;
  bool imm = true;
  bool target = false;
};

struct AdapterCols {
  uint32_t clk = kNoColumn, pc = kNoColumn;
  uint32_t rd = kNoColumn, rs1 = kNoColumn, rs2 = kNoColumn;  // register indices
  WordCols imm;                                               // immediate bytes (program)
  uint32_t target = kNoColumn;                                // program's target / link field
  uint32_t writes_rd = kNoColumn;
  WordCols b, c, a, rd_prev;  // rs1 value, rs2 value or immediate, result, rd before
  AccessCols rs1_access, rs2_access, rd_access;
};

inline constexpr AdapterCols allocate_adapter(ColumnAllocator& al, AdapterShape s) {
  AdapterCols c;
  c.clk = al.col();
  c.pc = al.col();
  if (s.rs1) {
    c.rs1 = al.col();
    c.b = al.word();
    c.rs1_access = allocate_access(al);
  }
  if (s.rs2) {
    c.rs2 = al.col();
    c.c = al.word();
    c.rs2_access = allocate_access(al);
  }
  if (s.imm) c.imm = al.word();
  if (s.target) c.target = al.col();
  if (s.rd) {
    c.rd = al.col();
    c.writes_rd = al.col();
    c.a = al.word();
    c.rd_prev = al.word();
    c.rd_access = allocate_access(al);
  }
  return c;
}

// What the family tells the adapter about the current row (expressions of degree <= 1).
template <class Expr>
struct InstructionRow {
  Expr is_real;    // 1 on a real row, 0 on padding (sum of the family's boolean flags)
  Expr opcode;     // sum of flag * op_id: the opcode sent to the program table
  Expr reads_rs2;  // 1 when rs2 is read (not an immediate form); ignored without rs2
  Expr next_pc;    // the pc after this instruction
};

// 4 clk + slot.
TESSERA_NO_EXEC_CHECK
template <class Expr>
TESSERA_HD Expr timestamp_expr(const Expr& clk, uint32_t slot) {
  return clk * Expr(BabyBear::from_u32(4)) + Expr(BabyBear::from_u32(slot));
}

// The column's value, or 0 for a column the layout does not have.
TESSERA_NO_EXEC_CHECK
template <class Expr, class Window>
TESSERA_HD Expr column_or_zero(const Window& m, uint32_t col) {
  return col == kNoColumn ? Expr(BabyBear::zero()) : Expr(m.local(col));
}

TESSERA_NO_EXEC_CHECK
template <class AB>
TESSERA_HD void eval_adapter(AB& b, const AdapterCols& c,
                             const InstructionRow<typename AB::Expr>& row) {
  using Expr = typename AB::Expr;
  const auto m = b.main();
  const Expr zero(BabyBear::zero()), one(BabyBear::one());
  const Expr clk = m.local(c.clk), pc = m.local(c.pc);
  const Expr reg_class(BabyBear::from_u32(kClassRegister));

  // The execution step.
  b.receive(kBusState, {clk, pc, zero, zero, zero}, row.is_real);
  b.send(kBusState, {clk + one, row.next_pc, zero, zero, zero}, row.is_real);

  // The instruction at pc.
  b.send(kBusProgram,
         {pc, row.opcode, column_or_zero<Expr>(m, c.rd), column_or_zero<Expr>(m, c.rs1), column_or_zero<Expr>(m, c.rs2),
          column_or_zero<Expr>(m, c.imm.b[0]), column_or_zero<Expr>(m, c.imm.b[1]), column_or_zero<Expr>(m, c.imm.b[2]),
          column_or_zero<Expr>(m, c.imm.b[3]), column_or_zero<Expr>(m, c.target), column_or_zero<Expr>(m, c.writes_rd)},
         row.is_real);

  // Registers.
  AccessCols hi[3];
  size_t n_hi = 0;
  if (c.rs1 != kNoColumn) {
    Expr v[4];
    load_word(m, c.b, v);
    memory_access(b, c.rs1_access, row.is_real, Expr(m.local(c.rs1)), timestamp_expr(clk, kSlotRs1), v, v,
                  reg_class);
    hi[n_hi++] = c.rs1_access;
  }
  if (c.rs2 != kNoColumn) {
    Expr v[4];
    load_word(m, c.c, v);
    memory_access(b, c.rs2_access, row.reads_rs2, Expr(m.local(c.rs2)), timestamp_expr(clk, kSlotRs2), v, v,
                  reg_class);
    hi[n_hi++] = c.rs2_access;
  }
  if (c.imm.present() && c.rs2 != kNoColumn) {
    // Immediate forms: c is the immediate.
    const Expr is_imm = row.is_real - row.reads_rs2;
    for (size_t i = 0; i < 4; ++i) {
      b.assert_zero("adapter.c_is_imm", is_imm * (Expr(m.local(c.c[i])) - Expr(m.local(c.imm[i]))));
    }
  }
  if (c.rd != kNoColumn) {
    const Expr writes = m.local(c.writes_rd);
    b.assert_zero("adapter.writes_only_real", writes * (one - row.is_real));
    Expr prev[4], next[4];
    load_word(m, c.rd_prev, prev);
    load_word(m, c.a, next);
    memory_access(b, c.rd_access, writes, Expr(m.local(c.rd)), timestamp_expr(clk, kSlotRd), prev, next, reg_class);
    hi[n_hi++] = c.rd_access;
  }
  for (size_t i = 0; i < n_hi; i += 2) {
    const Expr x = m.local(hi[i].diff_hi);
    const Expr y = i + 1 < n_hi ? Expr(m.local(hi[i + 1].diff_hi)) : zero;
    byte_pair(b, x, y, row.is_real);
  }
}

}  // namespace tessera::rv32im
