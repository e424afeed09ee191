#pragma once
// The ALU table: ADD, SUB, ADDI (and LUI, AUIPC, FENCE, proven as ADDI: opcodes.hpp).
//
//   a = b + c mod 2^32 (ADD, ADDI: c is the immediate)   and   b = a + c mod 2^32 (SUB),
// byte by byte with boolean carries: x_i + y_i + carry_{i-1} = z_i + 256 carry_i. The result
// bytes a_i are range-checked (two pair lookups), which with bytes b, c and boolean carries makes
// the solution unique. Adapter: rs1 -> b, rs2 (or the immediate) -> c, a -> rd.

#include <cstdint>
#include <string>

#include "machine/adapter.hpp"
#include "machine/columns.hpp"
#include "machine/gadgets.hpp"
#include "machine/opcodes.hpp"
#include "matrix/row_major_matrix.hpp"
#include "stark/air.hpp"
#include "stark/cuda_quotient.hpp"

namespace tessera::rv32im {

struct ShardRecord;
class ByteCounts;

struct AluLayout {
  uint32_t add = 0, sub = 0, addi = 0;
  AdapterCols io;
  WordCols carry;
  uint32_t width = 0;
};

constexpr AluLayout make_alu_layout() {
  ColumnAllocator a;
  AluLayout l;
  l.add = a.col();
  l.sub = a.col();
  l.addi = a.col();
  l.io = allocate_adapter(a, AdapterShape{});
  l.carry = a.word();
  l.width = a.width();
  return l;
}

class AluAir : public AirBase {
 public:
  std::string name() const { return "alu"; }
  size_t width() const { return L.width; }

  template <class AB>
  TESSERA_HD void eval(AB& b) const {
    using Expr = typename AB::Expr;
    const auto m = b.main();
    const Expr add = m.local(L.add), sub = m.local(L.sub), addi = m.local(L.addi);
    const Expr is_real = add + sub + addi;
    b.assert_bool("alu.add_flag", add);
    b.assert_bool("alu.sub_flag", sub);
    b.assert_bool("alu.addi_flag", addi);
    b.assert_bool("alu.one_op", is_real);
    InstructionRow<Expr> row{is_real,
                             add * Expr(BabyBear::from_u32(op_id(ZkOp::Add))) +
                                 sub * Expr(BabyBear::from_u32(op_id(ZkOp::Sub))) +
                                 addi * Expr(BabyBear::from_u32(op_id(ZkOp::AddImm))),
                             add + sub, Expr(m.local(L.io.pc)) + Expr(BabyBear::from_u32(4))};
    eval_adapter(b, L.io, row);

    Expr bw[4], cw[4], aw[4], carry[4];
    load_word(m, L.io.b, bw);
    load_word(m, L.io.c, cw);
    load_word(m, L.io.a, aw);
    load_word(m, L.carry, carry);
    for (size_t i = 0; i < 4; ++i) b.assert_bool("alu.carry", carry[i]);
    add_bytes(b, "alu.add", add + addi, bw, cw, aw, carry);
    add_bytes(b, "alu.sub", sub, aw, cw, bw, carry);
    byte_pair(b, aw[0], aw[1], is_real);
    byte_pair(b, aw[2], aw[3], is_real);
  }

  RowMajorMatrix<BabyBear> generate_trace(const ShardRecord& s, ByteCounts& bytes) const;

  AluLayout L = make_alu_layout();
};

}  // namespace tessera::rv32im

// The CUDA constraint fold (stark/cuda_quotient.hpp; instantiated in kernels/quotient_rv32im*.cu).
namespace tessera {
TESSERA_CUDA_QUOTIENT_AIR(rv32im::AluAir);
}  // namespace tessera
