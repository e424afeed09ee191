// Trace generation of the system table (system_table.hpp).
#include "machine/system_table.hpp"

#include "common/check.hpp"
#include "machine/shard_record.hpp"
#include "machine/trace_util.hpp"

namespace tessera::rv32im {

namespace {

enum class Call { Read, WriteOut, WriteDebug, Exit, Poseidon2 };

Call call_of(const vm::SyscallEvent& sc) {
  switch (sc.number) {
    case vm::kSysRead: return Call::Read;
    case vm::kSysWrite: return sc.args[0] == vm::kFdPublicOutput ? Call::WriteOut : Call::WriteDebug;
    case vm::kSysExit: return Call::Exit;
    case vm::kSysPoseidon2: return Call::Poseidon2;
    default: break;
  }
  TESSERA_FAIL(ErrorKind::Internal, "system call " << sc.number << " has no zkVM table");
}

}  // namespace

RowMajorMatrix<BabyBear> SystemAir::generate_trace(const ShardRecord& s, IoState& io,
                                                   ByteCounts& bytes) const {
  RowMajorMatrix<BabyBear> trace(L.width, table_height(s.syscalls.size()));
  for (size_t k = 0; k < s.syscalls.size(); ++k) {
    const SyscallAccesses& acc = s.syscalls[k];
    const vm::SyscallEvent& sc = s.record.syscalls[k];
    const vm::CycleEvent& e = s.record.cycles[acc.cycle];
    const uint32_t clk = s.clk(acc.cycle);
    const Call call = call_of(sc);
    const bool read = call == Call::Read, out = call == Call::WriteOut;
    const bool is_io = read || out;
    const uint32_t a0 = sc.args[0], a1 = sc.args[1], a2 = sc.args[2];
    const uint32_t res = read ? sc.result : (out || call == Call::WriteDebug) ? a2 : a0;
    BabyBear* row = trace.row(k).data();
    set_flag(row, L.read, read);
    set_flag(row, L.write_out, out);
    set_flag(row, L.write_dbg, call == Call::WriteDebug);
    set_flag(row, L.exit, call == Call::Exit);
    set_flag(row, L.p2, call == Call::Poseidon2);
    set_col(row, L.clk, clk);
    set_col(row, L.pc, e.pc);
    set_word(row, L.a0, a0);
    set_word(row, L.a1, a1);
    set_word(row, L.a2, a2);
    set_word(row, L.res, res);
    const uint32_t h7 = fill_access(row, L.a7_access, timestamp(clk, kSlotRs1), acc.a7, bytes);
    const uint32_t h1 = fill_access(row, L.a1_access, timestamp(clk, kSlotRs1), acc.a1, bytes);
    const uint32_t h2 = fill_access(row, L.a2_access, timestamp(clk, kSlotRs1), acc.a2, bytes);
    const uint32_t h0 = fill_access(row, L.a0_access, timestamp(clk, kSlotRd), acc.a0, bytes);
    bytes.pair(h7, h1);
    bytes.pair(h2, h0);
    bytes.pair(byte_of(res, 0), byte_of(res, 1));
    bytes.pair(byte_of(res, 2), byte_of(res, 3));
    if (read) bytes.op(kByteAnd, byte_of(res, 3), 0xc0);
    if (out || call == Call::WriteDebug) bytes.op(kByteAnd, byte_of(a2, 3), 0xc0);

    // read: res + d = n; short read; end of file.
    bool is_short = false;
    if (read) {
      const uint32_t d = a2 - res;
      set_word(row, L.d, d);
      uint32_t carry = 0;
      for (uint32_t i = 0; i < 4; ++i) {
        carry = (byte_of(res, i) + byte_of(d, i) + carry) >> 8;
        set_flag(row, L.borrow[i], carry != 0);
      }
      bytes.pair(byte_of(d, 0), byte_of(d, 1));
      bytes.pair(byte_of(d, 2), byte_of(d, 3));
      is_short = d != 0;
      const BabyBear lo = BabyBear::from_u32(d & 0xffff), hi = BabyBear::from_u32(d >> 16);
      if (!lo.is_zero()) {
        row[L.inv0] = lo.inverse();
      } else if (!hi.is_zero()) {
        row[L.inv1] = hi.inverse();
      }
    }
    set_flag(row, L.is_short, is_short);
    set_flag(row, L.eof, io.eof);
    set_flag(row, L.eof_next, io.eof || is_short);
    set_col(row, L.in_count, static_cast<uint32_t>(io.in_count));
    set_col(row, L.out_count, static_cast<uint32_t>(io.out_count));

    // The I/O chain and the buffer.
    uint64_t in_next = io.in_count, out_next = io.out_count;
    if (is_io) {
      const uint32_t n = read ? res : a2;
      const uint32_t diff = io.last_io_clk == 0xffffffffu ? clk : clk - io.last_io_clk - 1;
      row[L.prev_io_clk] = io.last_io_clk == 0xffffffffu ? -BabyBear::one()
                                                         : BabyBear::from_u32(io.last_io_clk);
      set_col(row, L.io_lo, diff & 0xffff);
      set_col(row, L.io_hi, diff >> 16);
      bytes.range16(diff & 0xffff);
      set_col(row, L.io_n, n);
      set_col(row, L.seq0, static_cast<uint32_t>(read ? io.in_count : io.out_count));
      const uint32_t offset0 = a1 & 3;
      set_col(row, L.offset0, offset0);
      bytes.op(kByteAnd, byte_of(a1, 0), 3);
      if (n == 0) {
        set_col(row, L.w_end, a1 >> 2);
        set_col(row, L.o_end, offset0);
      } else {
        set_col(row, L.w_end, static_cast<uint32_t>(((uint64_t{a1} + n - 1) >> 2) + 1));
      }
      (read ? in_next : out_next) += n;
      io.last_io_clk = clk;
      io.eof = io.eof || is_short;
    }
    bytes.pair(static_cast<uint32_t>(row[L.io_hi].as_u32()), 0);
    set_col(row, L.in_next, static_cast<uint32_t>(in_next));
    set_col(row, L.out_next, static_cast<uint32_t>(out_next));
    io.in_count = in_next;
    io.out_count = out_next;

    if (call == Call::Exit) {
      set_col(row, L.exit_lo, a0 & 0xffff);
      set_col(row, L.exit_hi, a0 >> 16);
    }
    if (call == Call::Poseidon2) bytes.op(kByteAnd, byte_of(a0, 0), 3);
  }
  return trace;
}

}  // namespace tessera::rv32im
