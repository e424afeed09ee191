#pragma once
// The bitwise table: AND, OR, XOR and the immediate forms ANDI, ORI, XORI.
//
//   a_i = b_i op c_i  for each byte i,  op = and | or | xor
//
// proven by one byte-table lookup per byte, (op, b_i, c_i, a_i), where the operation id
// op = 3 (and + andi) + 4 (or + ori) + 5 (xor + xori) is a degree-1 expression of the opcode
// flags (byte_table.hpp: and = 3, or = 4, xor = 5) and the multiplicity is is_real.
//
// Soundness: the byte table holds exactly the rows (op, x, y, x op y) with x, y bytes, so a
// balanced lookup forces a_i = b_i op c_i (and a_i a byte: it is written to rd) for the one
// operation the row's flag selects; the flag is the opcode the program table says is at pc. On
// padding rows op = 0 and the multiplicity is 0. Adapter: rs1 -> b, rs2 or the immediate -> c,
// a -> rd.
//
// Columns: 6 flags + the adapter (35) = 41; interactions: the adapter's 14 + 4 byte lookups = 18;
// constraint degree <= 2.

#include <cstdint>
#include <string>

#include "machine/adapter.hpp"
#include "machine/buses.hpp"
#include "machine/columns.hpp"
#include "machine/op_flags.hpp"
#include "machine/opcodes.hpp"
#include "matrix/row_major_matrix.hpp"
#include "stark/air.hpp"
#include "stark/cuda_quotient.hpp"

namespace tessera::rv32im {

struct ShardRecord;
class ByteCounts;

inline constexpr ZkOp kBitwiseOps[] = {ZkOp::And,    ZkOp::Or,    ZkOp::Xor,
                                       ZkOp::AndImm, ZkOp::OrImm, ZkOp::XorImm};

struct BitwiseLayout {
  OpFlagCols<6> ops;
  uint32_t and_mask = 0, or_mask = 0, xor_mask = 0, reg_mask = 0;
  AdapterCols io;
  uint32_t width = 0;
};

constexpr BitwiseLayout make_bitwise_layout() {
  ColumnAllocator a;
  BitwiseLayout l;
  l.ops = allocate_op_flags(a, kBitwiseOps);
  l.and_mask = l.ops.mask({ZkOp::And, ZkOp::AndImm});
  l.or_mask = l.ops.mask({ZkOp::Or, ZkOp::OrImm});
  l.xor_mask = l.ops.mask({ZkOp::Xor, ZkOp::XorImm});
  l.reg_mask = l.ops.mask({ZkOp::And, ZkOp::Or, ZkOp::Xor});
  l.io = allocate_adapter(a, AdapterShape{});
  l.width = a.width();
  return l;
}

class BitwiseAir : public AirBase {
 public:
  std::string name() const { return "bitwise"; }
  size_t width() const { return L.width; }

  template <class AB>
  TESSERA_HD void eval(AB& b) const {
    using Expr = typename AB::Expr;
    const auto m = b.main();
    const Expr is_real = eval_sequential_instruction(b, L.ops, L.io, L.reg_mask);

    const Expr op = flag_sum<Expr>(m, L.ops, L.and_mask) * Expr(BabyBear::from_u32(kByteAnd)) +
                    flag_sum<Expr>(m, L.ops, L.or_mask) * Expr(BabyBear::from_u32(kByteOr)) +
                    flag_sum<Expr>(m, L.ops, L.xor_mask) * Expr(BabyBear::from_u32(kByteXor));
    for (size_t i = 0; i < 4; ++i) {
      b.send(kBusBytes,
             {op, Expr(m.local(L.io.b[i])), Expr(m.local(L.io.c[i])), Expr(m.local(L.io.a[i]))},
             is_real);
    }
  }

  RowMajorMatrix<BabyBear> generate_trace(const ShardRecord& s, ByteCounts& bytes) const;

  BitwiseLayout L = make_bitwise_layout();
};

}  // namespace tessera::rv32im

// The CUDA constraint fold (stark/cuda_quotient.hpp; instantiated in kernels/quotient_rv32im*.cu).
namespace tessera {
TESSERA_CUDA_QUOTIENT_AIR(rv32im::BitwiseAir);
}  // namespace tessera
