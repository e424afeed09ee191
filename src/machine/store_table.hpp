#pragma once
// The store table: SB, SH, SW.
//
// Address   addr = b + imm mod 2^32 with offset = addr mod 4 one-hot (o0..o3) and the word
//           address addr >> 2 (address.hpp); SW needs offset 0 and SH an even offset (the
//           executor traps otherwise, and such a row has no witness).
// Memory    memory_access(word, 4 clk + kSlotStore, prev -> next, class kClassWritable): the
//           class is a constant, so the previous token must be a writable word's; a store to
//           text, read-only data (class 0) or the register page (class 2) cannot balance.
// New word  byte k of the word is replaced where the instruction writes it and kept elsewhere:
//             next_k = prev_k + sw (c_k - prev_k) + sh o_{k & 2} (c_{k & 1} - prev_k)
//                             + sb o_k (c_0 - prev_k)                              (degree 3)
//           (with SH's offset even, o_{k & 2} selects the half holding k). The stored bytes c
//           come from rs2, a register token: bytes by induction, like prev; every next_k is one
//           of them, so the word written needs no range check.
// No rd: the program's writes_rd is 0 for stores, and the adapter has no rd part here.
//
// Columns: 3 flags + the adapter without rd (22) + address (11) + prev, next, access = 47;
// interactions: the adapter's 10 + the access's 3 + the address's 3 = 16; degree <= 3.

#include <cstdint>
#include <string>

#include "machine/adapter.hpp"
#include "machine/address.hpp"
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

inline constexpr ZkOp kStoreOps[] = {ZkOp::Sb, ZkOp::Sh, ZkOp::Sw};

struct StoreLayout {
  OpFlagCols<3> ops;
  uint32_t sb_mask = 0, sh_mask = 0, sw_mask = 0;
  AdapterCols io;
  AddressCols address;
  WordCols prev, next;  // the memory word before and after
  AccessCols access;
  uint32_t width = 0;
};

constexpr StoreLayout make_store_layout() {
  ColumnAllocator a;
  StoreLayout l;
  l.ops = allocate_op_flags(a, kStoreOps);
  l.sb_mask = l.ops.mask({ZkOp::Sb});
  l.sh_mask = l.ops.mask({ZkOp::Sh});
  l.sw_mask = l.ops.mask({ZkOp::Sw});
  l.io = allocate_adapter(a, AdapterShape{.rd = false});
  l.address = allocate_address(a);
  l.prev = a.word();
  l.next = a.word();
  l.access = allocate_access(a);
  l.width = a.width();
  return l;
}

class StoreAir : public AirBase {
 public:
  std::string name() const { return "store"; }
  size_t width() const { return L.width; }

  template <class AB>
  TESSERA_HD void eval(AB& b) const {
    using Expr = typename AB::Expr;
    const auto m = b.main();
    const Expr is_real = eval_sequential_instruction(b, L.ops, L.io, L.ops.all());
    const Expr sb = flag_sum<Expr>(m, L.ops, L.sb_mask), sh = flag_sum<Expr>(m, L.ops, L.sh_mask),
               sw = flag_sum<Expr>(m, L.ops, L.sw_mask);
    const Expr clk = m.local(L.io.clk);

    const Address<Expr> ad =
        eval_address(b, L.address, L.io, is_real, sw, sh, Expr(m.local(L.access.diff_hi)));
    Expr cw[4], prev[4], next[4];
    load_word(m, L.io.c, cw);
    load_word(m, L.prev, prev);
    load_word(m, L.next, next);
    memory_access(b, L.access, is_real, ad.word, timestamp_expr(clk, kSlotStore), prev, next,
                  Expr(BabyBear::from_u32(kClassWritable)));
    for (size_t k = 0; k < 4; ++k) {
      b.assert_zero("store.merge", next[k] - prev[k] - sw * (cw[k] - prev[k]) -
                                       sh * ad.o[k & 2] * (cw[k & 1] - prev[k]) -
                                       sb * ad.o[k] * (cw[0] - prev[k]));
    }
  }

  RowMajorMatrix<BabyBear> generate_trace(const ShardRecord& s, ByteCounts& bytes) const;

  StoreLayout L = make_store_layout();
};

}  // namespace tessera::rv32im

// The CUDA constraint fold (stark/cuda_quotient.hpp; instantiated in kernels/quotient_rv32im*.cu).
namespace tessera {
TESSERA_CUDA_QUOTIENT_AIR(rv32im::StoreAir);
}  // namespace tessera
