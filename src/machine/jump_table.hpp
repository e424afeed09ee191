#pragma once
// The jump table: JAL and JALR.
//
// JAL rd, offset   next_pc = the program's target field (pc + offset as a field element) and
//                  rd = the program's imm bytes, which hold the link pc + 4: preprocessed, so
//                  trusted bytes. Like LUI (= ADDI rd, x0, ..) JAL reads its rs1 field, which the
//                  decoder leaves 0: a read of x0 that costs no column and keeps the adapter's
//                  rs1 access unconditional.
// JALR rd, rs1, o  s = b + o mod 2^32 byte-wise (add_bytes, boolean carries); the target t clears
//                  bit 0: t_0 = s_0 - bit0 with bit0 boolean, and t_0 & 3 = 0 by an and lookup
//                  (t_0, 3, 0), which also proves t_0 a byte. s_0 = t_0 + bit0 is then a byte with
//                  s_0 mod 4 in {0, 1}: the executor's target (s & ~1) is 4-aligned exactly then,
//                  and a misaligned one (s_0 mod 4 in {2, 3}) has no witness. t_1..t_3 = s_1..s_3
//                  are range-checked. next_pc = word_value(t) = t mod p, which for an aligned t is
//                  t, t - p = 3 mod 4 or t - 2p = 2 mod 4 (p = 1 mod 4, t < 2^32 < 3p): aligned
//                  only when it is t, so an aligned text pc only if t is that pc
//                  (program_table.hpp); any other t cannot be received by a row.
//                  The link: word_value(a) = the program's target field (pc + 4 for JALR), bytes
//                  a range-checked and a_3 <= 0x77 (the byte 0x77 - a_3), so a < p and the field
//                  equation is an integer one: a = pc + 4. (a_3 < 128 would not do: pc + 4 + p
//                  is below 2^31 for every pc below 0x07ffffff, e.g. the usual 0x10000.)
// x0 as rd: the program's writes_rd = 0, the link is computed and not written.
//
// Columns: 2 flags + the adapter without rs2 (28) + s, carry, bit0, next_pc = 40; interactions:
// the adapter's 10 + 1 and + 4 pairs = 15; degree <= 2.

#include <cstdint>
#include <string>

#include "machine/adapter.hpp"
#include "machine/columns.hpp"
#include "machine/gadgets.hpp"
#include "machine/op_flags.hpp"
#include "machine/opcodes.hpp"
#include "matrix/row_major_matrix.hpp"
#include "stark/air.hpp"
#include "stark/cuda_quotient.hpp"

namespace tessera::rv32im {

struct ShardRecord;
class ByteCounts;

// The largest top byte of a word below p = 0x78000001 other than p - 1 itself.
inline constexpr uint32_t kMaxCanonicalTopByte = 0x77;

inline constexpr ZkOp kJumpOps[] = {ZkOp::Jal, ZkOp::Jalr};

struct JumpLayout {
  OpFlagCols<2> ops;
  uint32_t jal_mask = 0, jalr_mask = 0;
  AdapterCols io;
  WordCols s;      // JALR: b + imm
  WordCols carry;  // of b + imm
  uint32_t bit0 = 0;
  uint32_t next_pc = 0;
  uint32_t width = 0;
};

constexpr JumpLayout make_jump_layout() {
  ColumnAllocator a;
  JumpLayout l;
  l.ops = allocate_op_flags(a, kJumpOps);
  l.jal_mask = l.ops.mask({ZkOp::Jal});
  l.jalr_mask = l.ops.mask({ZkOp::Jalr});
  l.io = allocate_adapter(a, AdapterShape{.rs2 = false, .target = true});
  l.s = a.word();
  l.carry = a.word();
  l.bit0 = a.col();
  l.next_pc = a.col();
  l.width = a.width();
  return l;
}

class JumpAir : public AirBase {
 public:
  std::string name() const { return "jump"; }
  size_t width() const { return L.width; }

  template <class AB>
  TESSERA_HD void eval(AB& b) const {
    using Expr = typename AB::Expr;
    const auto m = b.main();
    const Expr zero(BabyBear::zero());
    const Expr is_real = eval_op_flags(b, L.ops);
    const Expr jal = flag_sum<Expr>(m, L.ops, L.jal_mask),
               jalr = flag_sum<Expr>(m, L.ops, L.jalr_mask);
    const Expr next_pc = m.local(L.next_pc);
    const InstructionRow<Expr> row{is_real, flag_opcode<Expr>(m, L.ops), zero, next_pc};
    eval_adapter(b, L.io, row);

    Expr bw[4], imm[4], aw[4], sw[4], carry[4];
    load_word(m, L.io.b, bw);
    load_word(m, L.io.imm, imm);
    load_word(m, L.io.a, aw);
    load_word(m, L.s, sw);
    load_word(m, L.carry, carry);
    const Expr target = m.local(L.io.target);

    // JAL: the program's target and link.
    b.assert_zero("jump.jal_target", jal * (next_pc - target));
    for (size_t i = 0; i < 4; ++i) b.assert_zero("jump.jal_link", jal * (aw[i] - imm[i]));

    // JALR: t = (b + imm) & ~1, 4-aligned.
    for (size_t i = 0; i < 4; ++i) b.assert_bool("jump.carry", carry[i]);
    add_bytes(b, "jump.jalr_add", jalr, bw, imm, sw, carry);
    const Expr bit0 = m.local(L.bit0);
    b.assert_bool("jump.bit0", bit0);
    const Expr t[4] = {sw[0] - bit0, sw[1], sw[2], sw[3]};
    byte_lookup(b, kByteAnd, t[0], BabyBear::from_u32(3), zero, jalr);
    byte_pair(b, sw[1], sw[2], jalr);
    b.assert_zero("jump.jalr_target", jalr * (next_pc - word_value(t)));

    // JALR's link: the canonical bytes of the field element pc + 4.
    b.assert_zero("jump.jalr_link", jalr * (word_value(aw) - target));
    byte_pair(b, aw[0], aw[1], is_real);
    byte_pair(b, aw[2], aw[3], is_real);
    byte_pair(b, sw[3], Expr(BabyBear::from_u32(kMaxCanonicalTopByte)) - aw[3], is_real);
  }

  RowMajorMatrix<BabyBear> generate_trace(const ShardRecord& s, ByteCounts& bytes) const;

  JumpLayout L = make_jump_layout();
};

}  // namespace tessera::rv32im

// The CUDA constraint fold (stark/cuda_quotient.hpp; instantiated in kernels/quotient_rv32im*.cu).
namespace tessera {
TESSERA_CUDA_QUOTIENT_AIR(rv32im::JumpAir);
}  // namespace tessera
