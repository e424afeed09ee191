#pragma once
// The execution record: what trace generation consumes. One CycleEvent per executed instruction,
// with the memory accesses it made and, for ECALL, the system call. Produced only when a caller
// passes an ExecutionRecord to the executor; plain execution compiles the recording away (the
// interpreter loop is a template over an observer, and the plain observer's hooks are empty).

#include <cstdint>
#include <vector>

namespace tessera::vm {

// A memory access, at word granularity as the memory argument sees it: `addr` is the byte
// address the instruction used, `prev_word`/`word` are the aligned 32-bit word containing it
// before and after the access (equal for reads). A system call's buffer appears as one event
// per word it covers, with addr the word's address and size 4.
struct MemoryEvent {
  uint32_t addr = 0;
  uint32_t prev_word = 0;
  uint32_t word = 0;
  uint8_t size = 0;  // 1, 2 or 4 bytes
  bool write = false;
};

struct CycleEvent {
  uint64_t cycle = 0;
  uint32_t pc = 0;
  uint32_t next_pc = 0;  // for a halting ECALL, the ECALL's own pc
  uint32_t instruction = 0;
  uint32_t rs1_value = 0;  // operand values read (0 for an operand the format does not have)
  uint32_t rs2_value = 0;
  uint32_t rd_prev = 0;  // destination before and after (both 0 when rd is x0 or absent)
  uint32_t rd_value = 0;
  uint32_t memory_begin = 0;  // this cycle's accesses: record.memory[memory_begin, +memory_count)
  uint32_t memory_count = 0;
};

// ECALL details: the number (a7), the arguments (a0, a1, a2) and the value left in a0.
struct SyscallEvent {
  uint64_t cycle = 0;
  uint32_t number = 0;
  uint32_t args[3] = {0, 0, 0};
  uint32_t result = 0;
};

struct ExecutionRecord {
  std::vector<CycleEvent> cycles;
  std::vector<MemoryEvent> memory;
  std::vector<SyscallEvent> syscalls;

  void clear() {
    cycles.clear();
    memory.clear();
    syscalls.clear();
  }
};

}  // namespace tessera::vm
