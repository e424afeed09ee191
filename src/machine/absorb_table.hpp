#pragma once
// The absorb tables: the running digests of the input consumed and of the public output
// (vm/running_digest.hpp), one table per stream, one row per byte in stream order.
//
// Row: the sponge state s before the byte, the byte, its position one-hot f (position =
// byte count mod 8), t = s[0..8) + byte at the position. The next row's state is t (with
// s[8..16)) or, after position 7, P(t || s[8..16)) looked up in the Poseidon2 table — exactly
// RunningDigest::absorb. Each row receives (kind, seq, byte) from the io_words rows, seq rising by
// one per row from the shard's start count, so the stream is hashed in order and every byte comes
// from exactly one buffer position; the byte is range-checked here. Rows after the last byte are
// padding with the state and count frozen (at least one, so the last row holds the end state).
//
// Public values: the start state (16), start count, start position, the end state (16), end count.
// The verifier checks that the positions are the counts mod 8 and turns the states into the
// statement's digests.

#include <cstdint>
#include <span>
#include <string>

#include "machine/buses.hpp"
#include "machine/columns.hpp"
#include "machine/gadgets.hpp"
#include "matrix/row_major_matrix.hpp"
#include "stark/air.hpp"
#include "stark/cuda_quotient.hpp"
#include "vm/running_digest.hpp"

namespace tessera::rv32im {

class ByteCounts;
class Poseidon2Requests;

namespace absorb_pv {
inline constexpr uint32_t kStartState = 0, kStartCount = 16, kStartPos = 17, kEndState = 18,
                          kEndCount = 34, kCount = 35;
}

struct AbsorbLayout {
  uint32_t is_real = 0, seq = 0, byte = 0;
  uint32_t pos[8] = {}, state[16] = {}, absorbed[8] = {}, out[16] = {};
  uint32_t width = 0;
};

constexpr AbsorbLayout make_absorb_layout() {
  ColumnAllocator a;
  AbsorbLayout l;
  l.is_real = a.col();
  l.seq = a.col();
  l.byte = a.col();
  a.cols(l.pos);
  a.cols(l.state);
  a.cols(l.absorbed);
  a.cols(l.out);
  l.width = a.width();
  return l;
}

class AbsorbAir : public AirBase {
 public:
  AbsorbAir() = default;
  explicit AbsorbAir(uint32_t kind) : kind_(kind) {}

  std::string name() const { return kind_ == kIoInput ? "absorb_input" : "absorb_output"; }
  size_t width() const { return L.width; }
  size_t num_public_values() const { return absorb_pv::kCount; }
  uint32_t kind() const { return kind_; }

  template <class AB>
  TESSERA_HD void eval(AB& b) const {
    using Expr = typename AB::Expr;
    namespace pv = absorb_pv;
    const auto m = b.main();
    const Expr one(BabyBear::one()), zero(BabyBear::zero());
    const Expr is_real = m.local(L.is_real), seq = m.local(L.seq), byte = m.local(L.byte);
    b.assert_bool("absorb.is_real", is_real);
    b.when_transition().assert_zero("absorb.real_first", Expr(m.next(L.is_real)) * (one - is_real));

    Expr pos_sum = zero, pos_value = zero;
    for (uint32_t k = 0; k < 8; ++k) {
      const Expr f = m.local(L.pos[k]);
      b.assert_bool("absorb.position", f);
      pos_sum = pos_sum + f;
      pos_value = pos_value + f * Expr(BabyBear::from_u32(k));
      b.assert_eq("absorb.add_byte", m.local(L.absorbed[k]), Expr(m.local(L.state[k])) + byte * f);
      // The position rotates on every byte.
      b.when_transition().assert_eq("absorb.next_position", m.next(L.pos[(k + 1) % 8]),
                                    f * Expr(m.next(L.is_real)));
    }
    b.assert_eq("absorb.one_position", pos_sum, is_real);

    // The permutation after position 7, and the next state.
    const Expr full = m.local(L.pos[7]);
    Expr message[32];
    for (uint32_t i = 0; i < 16; ++i) {
      const Expr kept = i < 8 ? Expr(m.local(L.absorbed[i])) : Expr(m.local(L.state[i]));
      message[i] = kept;
      message[16 + i] = m.local(L.out[i]);
      b.when_transition().assert_eq("absorb.next_state", m.next(L.state[i]),
                                    full * Expr(m.local(L.out[i])) + (one - full) * kept);
    }
    b.interact(InteractionKind::Send, kBusP2Full, message, 32, full);
    b.when_transition().assert_eq("absorb.next_seq", m.next(L.seq), seq + is_real);

    b.receive(kBusAbsorb, {Expr(BabyBear::from_u32(kind_)), seq, byte}, is_real);
    byte_pair(b, byte, zero, is_real);

    // The shard's start and end.
    for (uint32_t i = 0; i < 16; ++i) {
      b.when_first_row().assert_eq("absorb.start_state", m.local(L.state[i]),
                                   b.public_value(pv::kStartState + i));
      b.when_last_row().assert_eq("absorb.end_state", m.local(L.state[i]),
                                  b.public_value(pv::kEndState + i));
    }
    b.when_first_row().assert_eq("absorb.start_count", seq, b.public_value(pv::kStartCount));
    b.when_first_row().assert_eq("absorb.start_position", pos_value,
                                 Expr(b.public_value(pv::kStartPos)) * is_real);
    b.when_last_row().assert_eq("absorb.end_count", seq, b.public_value(pv::kEndCount));
    b.when_last_row().assert_zero("absorb.last_row_padding", is_real);
  }

  // The rows for `bytes` absorbed into `start`; returns the public values.
  RowMajorMatrix<BabyBear> generate_trace(const vm::RunningDigest& start,
                                          std::span<const uint8_t> bytes, ByteCounts& counts,
                                          Poseidon2Requests& p2,
                                          std::vector<BabyBear>& public_values) const;

  AbsorbLayout L = make_absorb_layout();

 private:
  uint32_t kind_ = kIoInput;
};

}  // namespace tessera::rv32im

// The CUDA constraint fold (stark/cuda_quotient.hpp; instantiated in kernels/quotient_rv32im*.cu).
namespace tessera {
TESSERA_CUDA_QUOTIENT_AIR(rv32im::AbsorbAir);
}  // namespace tessera
