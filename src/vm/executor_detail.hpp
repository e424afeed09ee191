#pragma once
// Internal to the executor (executor.cpp: the interpreter loop; syscalls.cpp: the system calls):
// the observers that the loop and the system calls report to, one instantiation per observer.
// The loop calls every hook unconditionally; PlainObserver's are empty and inline, so the plain
// instantiation contains no trace of them. Not part of the VM's interface.

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#include "vm/decoder.hpp"
#include "vm/execution_record.hpp"
#include "vm/executor.hpp"
#include "vm/guest_abi.hpp"
#include "vm/program.hpp"

namespace tessera::vm::detail {

inline std::string hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

struct PlainObserver {
  static constexpr bool kRecords = false;
  void before(const Decoded*, const uint32_t*) {}
  void after(const Decoded*, const uint32_t*) {}
  void load(const uint8_t*, uint32_t, unsigned) {}
  void store_prev(const uint8_t*, uint32_t) {}
  void store_done(const uint8_t*, uint32_t, unsigned) {}
  void syscall_memory(uint32_t, uint32_t, uint32_t, bool) {}
  void syscall(uint32_t, uint32_t, uint32_t, uint32_t, uint32_t) {}
};

struct MixObserver : PlainObserver {
  explicit MixObserver(InstructionMix& m) : mix(m) {}
  void before(const Decoded* d, const uint32_t*) { ++mix[static_cast<size_t>(d->op)]; }
  InstructionMix& mix;
};

inline uint32_t word_in_page(const uint8_t* page, uint32_t addr) {
  uint32_t v;
  std::memcpy(&v, page + (addr & (kPageSize - 1) & ~3u), 4);
  return v;
}

struct RecordObserver {
  static constexpr bool kRecords = true;
  RecordObserver(ExecutionRecord& r, const Program& p, uint64_t first_cycle)
      : rec(r),
        code(p.code().data()),
        words(p.words().data()),
        text_begin(p.text_begin()),
        cycle(first_cycle) {}

  uint32_t pc_of(const Decoded* d) const {
    return text_begin + static_cast<uint32_t>(d - code) * 4u;
  }
  void before(const Decoded* d, const uint32_t* x) {
    current = d;
    CycleEvent& e = rec.cycles.emplace_back();
    e.cycle = cycle++;
    e.pc = pc_of(d);
    e.instruction = words[d - code];
    e.rs1_value = x[d->rs1];
    e.rs2_value = x[d->rs2];
    e.rd_prev = d->rd == kSinkRegister ? 0 : x[d->rd];
    e.memory_begin = static_cast<uint32_t>(rec.memory.size());
  }
  void after(const Decoded* next, const uint32_t* x) {
    CycleEvent& e = rec.cycles.back();
    e.next_pc = pc_of(next);
    e.rd_value = current->rd == kSinkRegister ? 0 : x[current->rd];
  }
  void push(uint32_t addr, uint32_t prev, uint32_t word, unsigned size, bool write) {
    rec.memory.push_back({addr, prev, word, static_cast<uint8_t>(size), write});
    ++rec.cycles.back().memory_count;
  }
  void load(const uint8_t* page, uint32_t addr, unsigned size) {
    const uint32_t w = word_in_page(page, addr);
    push(addr, w, w, size, false);
  }
  void store_prev(const uint8_t* page, uint32_t addr) { prev_word = word_in_page(page, addr); }
  void store_done(const uint8_t* page, uint32_t addr, unsigned size) {
    push(addr, prev_word, word_in_page(page, addr), size, true);
  }
  void syscall_memory(uint32_t word_addr, uint32_t prev, uint32_t word, bool write) {
    push(word_addr, prev, word, 4, write);
  }
  void syscall(uint32_t number, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t result) {
    rec.syscalls.push_back({rec.cycles.back().cycle, number, {a0, a1, a2}, result});
  }

  ExecutionRecord& rec;
  const Decoded* code;
  const uint32_t* words;
  uint32_t text_begin;
  uint64_t cycle;
  const Decoded* current = nullptr;
  uint32_t prev_word = 0;
};

}  // namespace tessera::vm::detail
