#pragma once
// A shard's execution as trace generation consumes it: the executor's record of the shard's
// cycles (vm/execution_record.hpp) plus what the memory argument needs and the executor does not
// know — the timestamp of every access's previous token. One sequential pass over the cycles
// (record_shard) assigns each access its timestamp (buses.hpp: 4 clk + slot), looks up the
// previous access of the same word, and sorts the cycles by instruction table; the tables then
// fill their rows independently.

#include <array>
#include <cstdint>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "machine/opcodes.hpp"
#include "machine/program_table.hpp"
#include "vm/execution_record.hpp"

namespace tessera::rv32im {

// Previous-token timestamps of an instruction's register accesses (0 where there is none: the
// word's initial token, or no access).
struct RegisterAccesses {
  uint32_t rs1 = 0, rs2 = 0, rd = 0;
};

// Previous-token timestamps of a system call's register accesses: reads of a7, a1, a2 at slot 1
// and one access of a0 at slot 3 (read, then written with the call's result).
struct SyscallAccesses {
  uint32_t cycle = 0;  // index into record.cycles
  uint32_t a7 = 0, a0 = 0, a1 = 0, a2 = 0;
};

struct ShardRecord {
  const ProgramImage* program = nullptr;
  vm::ExecutionRecord record;
  std::vector<RegisterAccesses> registers;   // per cycle
  std::vector<uint32_t> memory_prev_ts;      // per record.memory event the zkVM performs
  std::vector<SyscallAccesses> syscalls;     // per record.syscalls entry
  std::array<std::vector<uint32_t>, kFamilyCount> by_family;  // cycle indices
  std::vector<uint32_t> program_counts;      // executions per program row
  std::unordered_map<uint32_t, uint32_t> last_ts;  // word address -> timestamp of its last access
  std::unordered_set<uint32_t> written_pages;

  const ProgramRow& program_row(uint32_t cycle) const {
    return program->at(record.cycles[cycle].pc);
  }
  uint32_t clk(uint32_t cycle) const { return cycle; }
};

struct AdapterWitness;
// The adapter witness of an ordinary instruction at `cycle` whose result (rd's new value, also
// for rd = x0 where nothing is written) is `a`: operands from the record (c = the immediate for
// immediate forms), access timestamps from the sequential pass.
AdapterWitness adapter_witness(const ShardRecord& s, uint32_t cycle, uint32_t a);

// Whether an opcode reads rs2 (register-register forms, branches, stores).
bool reads_rs2(ZkOp op);
// Whether a system call's memory events are accesses of the zkVM (a debug write reads nothing).
bool syscall_touches_memory(const vm::SyscallEvent& s);

ShardRecord record_shard(const ProgramImage& program, vm::ExecutionRecord record);

}  // namespace tessera::rv32im
