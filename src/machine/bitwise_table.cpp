// Trace generation of the bitwise table (bitwise_table.hpp).
#include "machine/bitwise_table.hpp"

#include "machine/instruction_trace.hpp"

namespace tessera::rv32im {

RowMajorMatrix<BabyBear> BitwiseAir::generate_trace(const ShardRecord& s, ByteCounts& bytes) const {
  return sequential_instruction_trace(
      s, Family::Bitwise, L.width, L.ops, L.io, bytes,
      [](BabyBear*, const ProgramRow& p, uint32_t b, uint32_t c, ByteCounts& bc) {
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
        for (uint32_t k = 0; k < 4; ++k) bc.op(op, byte_of(b, k), byte_of(c, k));
        return a;
      });
}

}  // namespace tessera::rv32im
