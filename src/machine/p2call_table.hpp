#pragma once
// The p2_call table: the Poseidon2 system call (vm/guest_abi.hpp kSysPoseidon2), one row per call.
//
// The row receives (clk, w) from the system row (w = the word address of a0) and accesses the 16
// words w .. w + 15 at slot 2 of that cycle: each receives its previous token (old value) and
// sends the new one (class 1 only: writable memory). Both the old and the new words must be
// canonical field elements (value < p, machine/gadgets.hpp canonical_word): the executor traps on a
// non-canonical input, and a non-canonical output would let the guest read x + p for the element
// x. Then (old as elements, new as elements) must be a row of the Poseidon2 table (p2_full).
// New bytes are range-checked here (they are written to memory).

#include <cstdint>
#include <string>

#include "machine/adapter.hpp"
#include "machine/buses.hpp"
#include "machine/columns.hpp"
#include "machine/gadgets.hpp"
#include "matrix/row_major_matrix.hpp"
#include "stark/air.hpp"
#include "stark/cuda_quotient.hpp"

namespace tessera::rv32im {

struct ShardRecord;
class ByteCounts;
class Poseidon2Requests;

inline constexpr uint32_t kP2CallWords = 16;

struct P2CallLayout {
  uint32_t is_real = 0, clk = 0, word = 0;
  WordCols old_words[kP2CallWords], new_words[kP2CallWords];
  uint32_t old_lt[kP2CallWords] = {}, new_lt[kP2CallWords] = {};
  AccessCols access[kP2CallWords];
  uint32_t width = 0;
};

constexpr P2CallLayout make_p2call_layout() {
  ColumnAllocator a;
  P2CallLayout l;
  l.is_real = a.col();
  l.clk = a.col();
  l.word = a.col();
  for (uint32_t k = 0; k < kP2CallWords; ++k) {
    l.old_words[k] = a.word();
    l.new_words[k] = a.word();
    l.old_lt[k] = a.col();
    l.new_lt[k] = a.col();
    l.access[k] = allocate_access(a);
  }
  l.width = a.width();
  return l;
}

class P2CallAir : public AirBase {
 public:
  std::string name() const { return "p2_call"; }
  size_t width() const { return L.width; }

  template <class AB>
  TESSERA_HD void eval(AB& b) const {
    using Expr = typename AB::Expr;
    const auto m = b.main();
    const Expr is_real = m.local(L.is_real), clk = m.local(L.clk), word = m.local(L.word);
    b.assert_bool("p2_call.is_real", is_real);
    b.receive(kBusP2Call, {clk, word}, is_real);
    const Expr ts = timestamp_expr(clk, kSlotMemory);
    const Expr writable(BabyBear::from_u32(kClassWritable));
    Expr message[32];
    Expr pending = Expr(BabyBear::zero());  // a canonical-check byte waiting for a partner
    bool have_pending = false;
    for (uint32_t k = 0; k < kP2CallWords; ++k) {
      Expr old_w[4], new_w[4];
      load_word(m, L.old_words[k], old_w);
      load_word(m, L.new_words[k], new_w);
      memory_access(b, L.access[k], is_real, word + Expr(BabyBear::from_u32(k)), ts, old_w, new_w,
                    writable);
      byte_pair(b, new_w[0], new_w[1], is_real);
      byte_pair(b, new_w[2], new_w[3], is_real);
      const Expr old_check = canonical_word(b, old_w, Expr(m.local(L.old_lt[k])), is_real);
      const Expr new_check = canonical_word(b, new_w, Expr(m.local(L.new_lt[k])), is_real);
      byte_pair(b, old_check, new_check, is_real);
      if (have_pending) {
        byte_pair(b, pending, Expr(m.local(L.access[k].diff_hi)), is_real);
        have_pending = false;
      } else {
        pending = m.local(L.access[k].diff_hi);
        have_pending = true;
      }
      message[k] = word_value(old_w);
      message[16 + k] = word_value(new_w);
    }
    b.interact(InteractionKind::Send, kBusP2Full, message, 32, is_real);
  }

  RowMajorMatrix<BabyBear> generate_trace(const ShardRecord& s, ByteCounts& bytes,
                                          Poseidon2Requests& p2) const;

  P2CallLayout L = make_p2call_layout();
};

}  // namespace tessera::rv32im

// The CUDA constraint fold (stark/cuda_quotient.hpp; instantiated in kernels/quotient_rv32im*.cu).
namespace tessera {
TESSERA_CUDA_QUOTIENT_AIR(rv32im::P2CallAir);
}  // namespace tessera
