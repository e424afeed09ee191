// Trace generation of the p2_call table (p2call_table.hpp).
#include "machine/p2call_table.hpp"

#include "common/check.hpp"
#include "machine/poseidon2_table.hpp"
#include "machine/shard_record.hpp"
#include "machine/trace_util.hpp"
#include "vm/guest_abi.hpp"

namespace tessera::rv32im {

namespace {

// The canonical check's byte (gadgets.hpp canonical_word) and the flag lt = (v < 0x78000000).
uint32_t canonical_byte(uint32_t v, bool& lt) {
  lt = (v >> 24) <= 0x77;
  return 0x177 - (v >> 24) - (lt ? 256 : 0);
}

}  // namespace

RowMajorMatrix<BabyBear> P2CallAir::generate_trace(const ShardRecord& s, ByteCounts& bytes,
                                                   Poseidon2Requests& p2) const {
  std::vector<uint32_t> calls;
  for (uint32_t k = 0; k < s.syscalls.size(); ++k) {
    if (s.record.syscalls[k].number == vm::kSysPoseidon2) calls.push_back(k);
  }
  RowMajorMatrix<BabyBear> trace(L.width, table_height(calls.size()));
  for (size_t r = 0; r < calls.size(); ++r) {
    const SyscallAccesses& acc = s.syscalls[calls[r]];
    const vm::CycleEvent& e = s.record.cycles[acc.cycle];
    TESSERA_CHECK(e.memory_count == kP2CallWords, ErrorKind::Internal,
                  "Poseidon2 call at cycle " << e.cycle << " without its 16 word accesses");
    const uint32_t clk = s.clk(acc.cycle);
    BabyBear* row = trace.row(r).data();
    set_flag(row, L.is_real, true);
    set_col(row, L.clk, clk);
    set_col(row, L.word, s.record.memory[e.memory_begin].addr >> 2);
    Poseidon2State in, expected;
    uint32_t pending_hi = 0;
    for (uint32_t k = 0; k < kP2CallWords; ++k) {
      const vm::MemoryEvent& ev = s.record.memory[e.memory_begin + k];
      set_word(row, L.old_words[k], ev.prev_word);
      set_word(row, L.new_words[k], ev.word);
      const uint32_t hi = fill_access(row, L.access[k], timestamp(clk, kSlotMemory),
                                      s.memory_prev_ts[e.memory_begin + k], bytes);
      bytes.pair(byte_of(ev.word, 0), byte_of(ev.word, 1));
      bytes.pair(byte_of(ev.word, 2), byte_of(ev.word, 3));
      bool old_lt = false, new_lt = false;
      const uint32_t old_check = canonical_byte(ev.prev_word, old_lt);
      const uint32_t new_check = canonical_byte(ev.word, new_lt);
      set_flag(row, L.old_lt[k], old_lt);
      set_flag(row, L.new_lt[k], new_lt);
      bytes.pair(old_check, new_check);
      if (k % 2 == 0) {
        pending_hi = hi;
      } else {
        bytes.pair(pending_hi, hi);
      }
      in[k] = BabyBear::from_u32(ev.prev_word);
      expected[k] = BabyBear::from_u32(ev.word);
    }
    TESSERA_CHECK(p2.full(in) == expected, ErrorKind::Internal,
                  "Poseidon2 call at cycle " << e.cycle << ": memory does not hold the permutation");
  }
  return trace;
}

}  // namespace tessera::rv32im
