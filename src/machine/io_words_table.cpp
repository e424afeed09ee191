// Trace generation of the io_words table (io_words_table.hpp).
#include "machine/io_words_table.hpp"

#include <algorithm>

#include "machine/memory_tree.hpp"
#include "machine/shard_record.hpp"
#include "machine/system_table.hpp"
#include "machine/trace_util.hpp"
#include "vm/guest_abi.hpp"

namespace tessera::rv32im {

RowMajorMatrix<BabyBear> IoWordsAir::generate_trace(const ShardRecord& s, const WordClasses& classes,
                                                    IoState io, ByteCounts& bytes) const {
  struct Row {
    uint32_t syscall, event;
  };
  std::vector<Row> rows;
  for (uint32_t k = 0; k < s.syscalls.size(); ++k) {
    const vm::SyscallEvent& sc = s.record.syscalls[k];
    const bool io_call = sc.number == vm::kSysRead ||
                         (sc.number == vm::kSysWrite && sc.args[0] == vm::kFdPublicOutput);
    if (!io_call) continue;
    const vm::CycleEvent& e = s.record.cycles[s.syscalls[k].cycle];
    for (uint32_t j = 0; j < e.memory_count; ++j) rows.push_back({k, e.memory_begin + j});
  }
  RowMajorMatrix<BabyBear> trace(L.width, table_height(rows.size()));
  uint32_t current = 0xffffffffu;
  uint64_t rem = 0, seq = 0;
  for (size_t r = 0; r < rows.size(); ++r) {
    const vm::SyscallEvent& sc = s.record.syscalls[rows[r].syscall];
    const uint32_t clk = s.clk(s.syscalls[rows[r].syscall].cycle);
    const bool input = sc.number == vm::kSysRead;
    uint32_t offset = 0;
    if (rows[r].syscall != current) {  // the call's first word
      current = rows[r].syscall;
      rem = input ? sc.result : sc.args[2];
      seq = input ? io.in_count : io.out_count;
      (input ? io.in_count : io.out_count) += rem;
      offset = sc.args[1] & 3;
    }
    const vm::MemoryEvent& ev = s.record.memory[rows[r].event];
    const uint32_t word = ev.addr >> 2;
    const uint32_t count = static_cast<uint32_t>(std::min<uint64_t>(rem, 4 - offset));
    BabyBear* row = trace.row(r).data();
    set_flag(row, L.is_real, true);
    set_col(row, L.clk, clk);
    set_flag(row, L.kind, !input);
    set_col(row, L.word, word);
    set_col(row, L.rem, static_cast<uint32_t>(rem));
    set_col(row, L.seq, static_cast<uint32_t>(seq));
    set_col(row, L.cls, classes.of_word(word));
    set_flag(row, L.offset[offset], true);
    for (uint32_t k = offset; k < offset + count; ++k) set_flag(row, L.mask[k], true);
    set_word(row, L.old_word, ev.prev_word);
    set_word(row, L.new_word, ev.word);
    bytes.pair(fill_access(row, L.access, timestamp(clk, kSlotMemory), s.memory_prev_ts[rows[r].event],
                           bytes),
               0);
    rem -= count;
    seq += count;
  }
  return trace;
}

}  // namespace tessera::rv32im
