#pragma once
// The system table: one row per ECALL (vm/guest_abi.hpp), for the five calls the zkVM proves:
//   read(0, buf, n)   r = min(n, input left) bytes of private input into buf, a0 = r
//   write(1, buf, n)  n bytes of buf appended to the public output, a0 = n
//   write(2, buf, n)  debug log: not part of the statement, nothing is read, a0 = n
//   exit(code)        halts with the exit code
//   poseidon2(ptr)    the 16 words at ptr replaced by their Poseidon2 permutation
// A boolean flag per call; a7 must hold that call's number (the a7 read's value is the constant
// selected by the flags, so an unknown call number cannot balance), and a0 the file descriptor for
// reads and writes.
//
// Registers: a7, a1, a2 are read at slot 1; a0 is accessed once at slot 3, read and written with
// the result `res` (r for read, n for writes, a0 itself for exit and poseidon2).
//
// Input and output (io_order bus): the read and write(1) rows form one chain in cycle order —
// each receives the previous I/O state (prev_io_clk, in_count, out_count, eof), proves
// prev_io_clk < clk (16 + 8-bit decomposition), and sends (clk, in_count + r | out_count + n,
// eof'). The shard table injects the start state with clk -1 and removes the end state. The call's
// buffer is handed to the io_words table as a chain token (clk, kind, word, offset, remaining,
// seq) that the word rows consume down to remaining = 0 (io_table.hpp); seq numbers the bytes of
// the input (kind 0) or output (kind 1) stream, which the absorb tables hash in order.
// read: res <= n (res + d = n without carry out), d != 0 ("short read") sets the sticky eof, and
// at eof res = 0 — exactly the executor's min(n, input left) for some input; r and n are below
// 2^30 (AND lookups on the top byte), so counts never wrap.
// exit: sends (clk + 1, pc, 1, code_lo, code_hi) on the state bus: halted. Only the shard table's
// final removal accepts halted = 1, so the exit can only be the shard's last step.
// poseidon2: ptr word-aligned (AND lookup), handed to the p2_call table as (clk, word).

#include <cstdint>
#include <string>

#include "machine/adapter.hpp"
#include "machine/columns.hpp"
#include "machine/gadgets.hpp"
#include "machine/opcodes.hpp"
#include "matrix/row_major_matrix.hpp"
#include "stark/air.hpp"
#include "stark/cuda_quotient.hpp"
#include "vm/guest_abi.hpp"

namespace tessera::rv32im {

struct ShardRecord;
class ByteCounts;
struct IoState;

struct SystemLayout {
  uint32_t read = 0, write_out = 0, write_dbg = 0, exit = 0, p2 = 0;
  uint32_t clk = 0, pc = 0;
  WordCols a0, a1, a2, res;
  AccessCols a7_access, a0_access, a1_access, a2_access;
  uint32_t prev_io_clk = 0, io_lo = 0, io_hi = 0;
  uint32_t in_count = 0, out_count = 0, eof = 0, in_next = 0, out_next = 0, eof_next = 0;
  uint32_t io_n = 0, seq0 = 0, offset0 = 0, w_end = 0, o_end = 0;
  WordCols d, borrow;
  uint32_t is_short = 0, inv0 = 0, inv1 = 0;
  uint32_t exit_lo = 0, exit_hi = 0;
  uint32_t width = 0;
};

constexpr SystemLayout make_system_layout() {
  ColumnAllocator a;
  SystemLayout l;
  l.read = a.col();
  l.write_out = a.col();
  l.write_dbg = a.col();
  l.exit = a.col();
  l.p2 = a.col();
  l.clk = a.col();
  l.pc = a.col();
  l.a0 = a.word();
  l.a1 = a.word();
  l.a2 = a.word();
  l.res = a.word();
  l.a7_access = allocate_access(a);
  l.a0_access = allocate_access(a);
  l.a1_access = allocate_access(a);
  l.a2_access = allocate_access(a);
  l.prev_io_clk = a.col();
  l.io_lo = a.col();
  l.io_hi = a.col();
  l.in_count = a.col();
  l.out_count = a.col();
  l.eof = a.col();
  l.in_next = a.col();
  l.out_next = a.col();
  l.eof_next = a.col();
  l.io_n = a.col();
  l.seq0 = a.col();
  l.offset0 = a.col();
  l.w_end = a.col();
  l.o_end = a.col();
  l.d = a.word();
  l.borrow = a.word();
  l.is_short = a.col();
  l.inv0 = a.col();
  l.inv1 = a.col();
  l.exit_lo = a.col();
  l.exit_hi = a.col();
  l.width = a.width();
  return l;
}

class SystemAir : public AirBase {
 public:
  std::string name() const { return "system"; }
  size_t width() const { return L.width; }

  template <class AB>
  TESSERA_HD void eval(AB& b) const {
    using Expr = typename AB::Expr;
    const auto m = b.main();
    const Expr one(BabyBear::one()), zero(BabyBear::zero());
    const Expr read = m.local(L.read), out = m.local(L.write_out), dbg = m.local(L.write_dbg);
    const Expr exit = m.local(L.exit), p2 = m.local(L.p2);
    const Expr is_real = read + out + dbg + exit + p2;
    const Expr io = read + out;  // calls that move bytes
    b.assert_bool("system.read", read);
    b.assert_bool("system.write_out", out);
    b.assert_bool("system.write_dbg", dbg);
    b.assert_bool("system.exit", exit);
    b.assert_bool("system.poseidon2", p2);
    b.assert_bool("system.one_call", is_real);

    const Expr clk = m.local(L.clk), pc = m.local(L.pc);
    Expr a0[4], a1[4], a2[4], res[4];
    load_word(m, L.a0, a0);
    load_word(m, L.a1, a1);
    load_word(m, L.a2, a2);
    load_word(m, L.res, res);

    // The step and the instruction.
    const Expr four(BabyBear::from_u32(4));
    b.receive(kBusState, {clk, pc, zero, zero, zero}, is_real);
    b.send(kBusState,
           {clk + one, pc + four - exit * four, exit, Expr(m.local(L.exit_lo)),
            Expr(m.local(L.exit_hi))},
           is_real);
    b.send(kBusProgram,
           {pc, Expr(BabyBear::from_u32(op_id(ZkOp::Ecall))), zero, zero, zero, zero, zero, zero,
            zero, zero, zero},
           is_real);

    // Registers: a7 holds the selected call's number; a0 is read and written with res.
    Expr a7[4];
    for (uint32_t i = 0; i < 4; ++i) {
      a7[i] = read * byte_const(vm::kSysRead, i) + (out + dbg) * byte_const(vm::kSysWrite, i) +
              exit * byte_const(vm::kSysExit, i) + p2 * byte_const(vm::kSysPoseidon2, i);
    }
    const Expr reg_class(BabyBear::from_u32(kClassRegister));
    memory_access(b, L.a7_access, is_real, Expr(BabyBear::from_u32(vm::kRegA7)),
                  timestamp_expr(clk, kSlotRs1), a7, a7, reg_class);
    memory_access(b, L.a1_access, is_real, Expr(BabyBear::from_u32(vm::kRegA1)),
                  timestamp_expr(clk, kSlotRs1), a1, a1, reg_class);
    memory_access(b, L.a2_access, is_real, Expr(BabyBear::from_u32(vm::kRegA2)),
                  timestamp_expr(clk, kSlotRs1), a2, a2, reg_class);
    memory_access(b, L.a0_access, is_real, Expr(BabyBear::from_u32(vm::kRegA0)),
                  timestamp_expr(clk, kSlotRd), a0, res, reg_class);
    byte_pair(b, Expr(m.local(L.a7_access.diff_hi)), Expr(m.local(L.a1_access.diff_hi)), is_real);
    byte_pair(b, Expr(m.local(L.a2_access.diff_hi)), Expr(m.local(L.a0_access.diff_hi)), is_real);
    byte_pair(b, res[0], res[1], is_real);
    byte_pair(b, res[2], res[3], is_real);

    // File descriptors and results.
    b.assert_zero("system.read_fd", read * (a0[0] + a0[1] + a0[2] + a0[3]));
    b.assert_zero("system.write_fd", out * (a0[0] - one));
    b.assert_zero("system.debug_fd", dbg * (a0[0] - Expr(BabyBear::from_u32(2))));
    for (uint32_t i = 0; i < 4; ++i) {
      if (i > 0) b.assert_zero("system.write_fd_high", (out + dbg) * a0[i]);
      b.assert_zero("system.write_result", (out + dbg) * (res[i] - a2[i]));
      b.assert_zero("system.unchanged_a0", (exit + p2) * (res[i] - a0[i]));
    }
    // Byte counts below 2^30: the top two bits of r (read) and n (writes) are zero.
    byte_lookup(b, kByteAnd, res[3], BabyBear::from_u32(0xc0), BabyBear::zero(), read);
    byte_lookup(b, kByteAnd, a2[3], BabyBear::from_u32(0xc0), BabyBear::zero(), out + dbg);

    // read: res + d = n with no carry out (res <= n); short = (d != 0); eof' = eof or short;
    // at eof nothing is read.
    Expr d[4], borrow[4];
    load_word(m, L.d, d);
    load_word(m, L.borrow, borrow);
    for (uint32_t i = 0; i < 4; ++i) b.assert_bool("system.borrow", borrow[i]);
    add_bytes(b, "system.read_bound", read, res, d, a2, borrow);
    b.assert_zero("system.read_no_overflow", read * borrow[3]);
    byte_pair(b, d[0], d[1], read);
    byte_pair(b, d[2], d[3], read);
    const BabyBear k8 = BabyBear::from_u32(256);
    const Expr d_lo = d[0] + d[1] * Expr(k8), d_hi = d[2] + d[3] * Expr(k8);
    const Expr is_short = m.local(L.is_short), eof = m.local(L.eof);
    b.assert_bool("system.short", is_short);
    b.assert_zero("system.short_only_read", (one - read) * is_short);
    b.assert_zero("system.short_lo", (one - is_short) * d_lo);
    b.assert_zero("system.short_hi", (one - is_short) * d_hi);
    b.assert_eq("system.short_inverse", is_short,
                d_lo * Expr(m.local(L.inv0)) + d_hi * Expr(m.local(L.inv1)));
    b.assert_eq("system.eof_next", m.local(L.eof_next), eof + is_short - eof * is_short);
    b.assert_zero("system.eof_reads_nothing", read * eof * (res[0] + res[1] + res[2] + res[3]));

    // The I/O chain.
    const Expr io_n = m.local(L.io_n), seq0 = m.local(L.seq0);
    const Expr in_count = m.local(L.in_count), out_count = m.local(L.out_count);
    b.assert_eq("system.io_n", io_n, read * word_value(res) + out * word_value(a2));
    b.assert_eq("system.in_next", m.local(L.in_next), in_count + read * io_n);
    b.assert_eq("system.out_next", m.local(L.out_next), out_count + out * io_n);
    b.assert_eq("system.seq0", seq0, read * in_count + out * out_count);
    const Expr prev_io_clk = m.local(L.prev_io_clk);
    const Expr io_lo = m.local(L.io_lo), io_hi = m.local(L.io_hi);
    b.receive(kBusIoOrder, {prev_io_clk, in_count, out_count, eof}, io);
    b.send(kBusIoOrder,
           {clk, Expr(m.local(L.in_next)), Expr(m.local(L.out_next)), Expr(m.local(L.eof_next))},
           io);
    b.assert_zero("system.io_order", io * (clk - prev_io_clk - one - io_lo -
                                           io_hi * Expr(BabyBear::from_u32(1u << 16))));
    range16(b, io_lo, io);
    byte_pair(b, io_hi, zero, is_real);

    // The buffer, handed to the io_words rows.
    const Expr offset0 = m.local(L.offset0);
    byte_lookup(b, kByteAnd, a1[0], BabyBear::from_u32(3), offset0, io);
    const Expr w0 = word_address(a1, offset0);
    b.send(kBusIoWords, {clk, out, w0, offset0, io_n, seq0}, io);
    b.receive(kBusIoWords,
              {clk, out, Expr(m.local(L.w_end)), Expr(m.local(L.o_end)), zero, seq0 + io_n}, io);

    // exit: the code as two 16-bit halves.
    b.assert_eq("system.exit_lo", m.local(L.exit_lo), exit * (a0[0] + a0[1] * Expr(k8)));
    b.assert_eq("system.exit_hi", m.local(L.exit_hi), exit * (a0[2] + a0[3] * Expr(k8)));

    // poseidon2: a word-aligned pointer.
    byte_lookup(b, kByteAnd, a0[0], BabyBear::from_u32(3), BabyBear::zero(), p2);
    b.send(kBusP2Call, {clk, word_address(a0, zero)}, p2);
  }

  // The rows of the shard's system calls, in cycle order; `io` is the I/O state at the shard's
  // start and becomes the state at its end.
  RowMajorMatrix<BabyBear> generate_trace(const ShardRecord& s, IoState& io,
                                          ByteCounts& bytes) const;

  SystemLayout L = make_system_layout();

 private:
  TESSERA_HD static BabyBear byte_const(uint32_t value, uint32_t i) {
    return BabyBear::from_u32((value >> (8 * i)) & 0xff);
  }
};

// The I/O state carried along the io_order chain.
struct IoState {
  uint64_t in_count = 0, out_count = 0;
  bool eof = false;
  uint32_t last_io_clk = 0xffffffffu;  // none yet (the chain's start is clk -1)
};

}  // namespace tessera::rv32im

// The CUDA constraint fold (stark/cuda_quotient.hpp; instantiated in kernels/quotient_rv32im*.cu).
namespace tessera {
TESSERA_CUDA_QUOTIENT_AIR(rv32im::SystemAir);
}  // namespace tessera
