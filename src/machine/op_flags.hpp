#pragma once
// The opcode flags of an instruction table (README.md, "Rules every table follows"): one boolean
// column per opcode of the family, at most one set per row. Their sum is is_real (1 on a real row,
// 0 on padding), sum_i flag_i * op_id_i is the opcode the row sends to the program table, and
// sums over subsets (the register forms, the right shifts, the signed forms, ...) are degree-1
// selectors that are boolean for the same reason.
//
// The layout records, next to each flag's column, the opcode it stands for, so the AIR and the
// trace generation read one description; subsets are bit masks over the flag positions, built at
// compile time with mask({ZkOp::..., ...}). eval_sequential_instruction joins the flags to the
// adapter for the tables whose instructions continue at pc + 4 (instruction_trace.hpp is its
// trace side).

#include <cstddef>
#include <cstdint>
#include <initializer_list>

#include "common/hd.hpp"
#include "field/babybear.hpp"
#include "machine/adapter.hpp"
#include "machine/columns.hpp"
#include "machine/opcodes.hpp"
#include "stark/air.hpp"

namespace tessera::rv32im {

template <size_t N>
struct OpFlagCols {
  uint32_t col[N] = {};
  uint32_t id[N] = {};  // op_id of the opcode flag i stands for

  // The positions of `ops` as a bit mask (bit i: flag i).
  constexpr uint32_t mask(std::initializer_list<ZkOp> ops) const {
    uint32_t m = 0;
    for (ZkOp op : ops) {
      for (size_t i = 0; i < N; ++i) {
        if (id[i] == op_id(op)) m |= 1u << i;
      }
    }
    return m;
  }
  static constexpr uint32_t all() { return (1u << N) - 1; }
};

template <size_t N>
constexpr OpFlagCols<N> allocate_op_flags(ColumnAllocator& a, const ZkOp (&ops)[N]) {
  OpFlagCols<N> f;
  for (size_t i = 0; i < N; ++i) {
    f.col[i] = a.col();
    f.id[i] = op_id(ops[i]);
  }
  return f;
}

// The sum of the flags in `mask` (degree 1; boolean on every row once eval_op_flags holds). The
// branch is on the layout, the same on every row.
TESSERA_NO_EXEC_CHECK
template <class Expr, class Window, size_t N>
TESSERA_HD Expr flag_sum(const Window& m, const OpFlagCols<N>& f, uint32_t mask) {
  Expr s(BabyBear::zero());
  for (size_t i = 0; i < N; ++i) {
    if ((mask >> i) & 1u) s = s + Expr(m.local(f.col[i]));
  }
  return s;
}

// sum_i flag_i * op_id_i: the row's opcode (0 on padding).
TESSERA_NO_EXEC_CHECK
template <class Expr, class Window, size_t N>
TESSERA_HD Expr flag_opcode(const Window& m, const OpFlagCols<N>& f) {
  Expr s(BabyBear::zero());
  for (size_t i = 0; i < N; ++i)
    s = s + Expr(m.local(f.col[i])) * Expr(BabyBear::from_u32(f.id[i]));
  return s;
}

// Every flag boolean and their sum boolean (so at most one is set); returns the sum, is_real.
TESSERA_NO_EXEC_CHECK
template <class AB, size_t N>
TESSERA_HD typename AB::Expr eval_op_flags(AB& b, const OpFlagCols<N>& f) {
  using Expr = typename AB::Expr;
  const auto m = b.main();
  for (size_t i = 0; i < N; ++i) b.assert_bool("op_flags.flag", Expr(m.local(f.col[i])));
  const Expr is_real = flag_sum<Expr>(m, f, OpFlagCols<N>::all());
  b.assert_bool("op_flags.one_op", is_real);
  return is_real;
}

// The flags and the adapter of an instruction that continues at pc + 4: eval_op_flags, then
// eval_adapter with is_real, the flags' opcode, the flags in `reads_rs2_mask` as reads_rs2 and
// next_pc = pc + 4. Returns is_real.
TESSERA_NO_EXEC_CHECK
template <class AB, size_t N>
TESSERA_HD typename AB::Expr eval_sequential_instruction(AB& b, const OpFlagCols<N>& f,
                                                         const AdapterCols& io,
                                                         uint32_t reads_rs2_mask) {
  using Expr = typename AB::Expr;
  const auto m = b.main();
  const Expr is_real = eval_op_flags(b, f);
  const InstructionRow<Expr> row{is_real, flag_opcode<Expr>(m, f),
                                 flag_sum<Expr>(m, f, reads_rs2_mask),
                                 Expr(m.local(io.pc)) + Expr(BabyBear::from_u32(4))};
  eval_adapter(b, io, row);
  return is_real;
}

// Trace generation: the flag of `op` set, the others clear.
template <size_t N>
inline void set_op_flags(BabyBear* row, const OpFlagCols<N>& f, ZkOp op) {
  for (size_t i = 0; i < N; ++i)
    row[f.col[i]] = f.id[i] == op_id(op) ? BabyBear::one() : BabyBear::zero();
}

}  // namespace tessera::rv32im
