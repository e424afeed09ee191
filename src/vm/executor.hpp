#pragma once
// The RV32IM executor: runs a Program on private input, cuts the run into shards with
// checkpoints, and re-executes a single shard from its checkpoint.
//
// Semantics are the RISC-V unprivileged specification's for RV32I and M, on one hart with no
// privileged state: x0 is zero, shifts use the low 5 bits of the amount, JALR clears bit 0 of its
// target, division by zero gives all ones (quotient) and the dividend (remainder), INT_MIN / -1
// gives INT_MIN and remainder 0, FENCE is a no-op. ECALL follows the guest ABI (guest_abi.hpp).
// Everything else is a trap, tessera::Error(ErrorKind::GuestTrap) naming the pc and instruction:
// illegal encodings, CSR instructions, EBREAK, misaligned loads and stores, jumps and taken
// branches to targets not 4-byte aligned (there is no C extension), fetches outside the text,
// loads or stores in the register page, stores to read-only memory, unknown system calls, and
// exceeding the resident-page limit. A run that does not halt within its cycle budget is
// ErrorKind::CycleLimit.
//
// Read-only memory is enforced per aligned 4-byte word, not per byte: a store (sb, sh, sw, and
// the system calls' writes: read() into a buffer, the Poseidon2 call) to ANY byte of a word that
// holds at least one byte of a non-writable segment traps, even if that byte itself is writable,
// because the zkVM marks each memory word writable or not.
//
// System calls (guest_abi.hpp): read(0, buf, n) copies min(n, input left) bytes, absorbs them into
// the input digest (running_digest.hpp, domain "INP1") and, when that is fewer than n, sets the
// sticky input_eof flag. write(1 or 2, buf, n) traps when n >= 2^30, and write(1, ...) when the
// run's public output would exceed 2^30 bytes (limits the zkVM's field-element counters rely on;
// the input itself is at most 2^30 bytes, refused when loaded). poseidon2(a0) permutes the 16
// words at a0 in place; it traps when a0 is not 4-byte aligned, when any of the 64 bytes may not
// be stored to (register page, read-only word, page limit), or when a word is not a canonical
// field element (>= p); nothing is modified before those checks pass, and no register changes.
//
// Memory differs from qemu-user in two deliberate ways, both as in the zkVM's memory argument: any
// address outside the register page is usable (it reads as zero until written), where qemu would
// fault on an unmapped address; and write protection is per word (above), where qemu protects the
// 4 KiB pages it maps. Guests built with the SDK only use their own segments, each 4 KiB aligned,
// so neither difference shows.
//
// A halted machine's pc stays at its exit ECALL.

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "vm/checkpoint.hpp"
#include "vm/decoder.hpp"
#include "vm/execution_record.hpp"
#include "vm/paged_memory.hpp"
#include "vm/program.hpp"
#include "vm/running_digest.hpp"

namespace tessera::vm {

inline constexpr uint64_t kDefaultMaxCycles = uint64_t{1} << 32;

// Executions per decoded operation (instruction mix).
using InstructionMix = std::array<uint64_t, kOpCount>;

// The architectural state at a cycle boundary.
struct MachineState {
  uint32_t pc = 0;
  std::array<uint32_t, 32> regs{};
  uint64_t cycle = 0;
  uint64_t input_cursor = 0;
  RunningDigest output = RunningDigest::output();       // of the public output so far
  RunningDigest input_digest = RunningDigest::input();  // of the input consumed so far
  bool input_eof = false;  // a read() has returned fewer bytes than asked (sticky)
  bool halted = false;
  uint32_t exit_code = 0;
  friend bool operator==(const MachineState&, const MachineState&) = default;
};

// One machine instance. Most callers use execute() and reexecute_shard() below.
class Executor {
 public:
  // A fresh machine at the program's entry, registers zero, memory = the ELF image. The program
  // and the input are referenced, not copied: they must outlive the machine. The input holds at
  // most kMaxInputBytes (ErrorKind::InputFile otherwise).
  Executor(const Program& program, std::span<const uint8_t> input, uint32_t max_pages);
  // A machine resumed from a checkpoint (ErrorKind::ConfigMismatch when it belongs to another
  // program); its input cursor, input digest, input_eof and output digest continue the
  // checkpoint's. Only the checkpoint's pages exist: touching any other page is ErrorKind::Format,
  // since the full run did not touch it in this shard. The checkpoint's input slice is
  // referenced: the checkpoint must outlive the machine.
  Executor(const Program& program, const Checkpoint& checkpoint, uint32_t max_pages);
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // Executes up to `cycles` instructions, fewer if the machine halts; returns how many ran.
  // Traps throw; the machine is then unusable.
  uint64_t run(uint64_t cycles);
  uint64_t run(uint64_t cycles, InstructionMix& mix);      // also counts executions per op
  uint64_t run(uint64_t cycles, ExecutionRecord& record);  // also appends per-cycle events

  MachineState state() const;
  uint32_t pc() const;
  uint32_t reg(unsigned i) const { return regs_[i]; }
  void set_reg(unsigned i, uint32_t value);  // i in [1, 32)
  uint64_t cycle() const { return cycle_; }
  bool halted() const { return halted_; }
  uint32_t exit_code() const { return exit_code_; }
  uint64_t input_cursor() const { return input_base_ + input_pos_; }
  const RunningDigest& output_digest() const { return output_digest_; }
  const RunningDigest& input_digest() const { return input_digest_; }
  bool input_eof() const { return input_eof_; }
  // Bytes written to fd 1 / fd 2 by this machine instance (not by earlier shards).
  const std::vector<uint8_t>& public_output() const { return public_output_; }
  const std::vector<uint8_t>& debug_output() const { return debug_output_; }
  PagedMemory& memory() { return memory_; }
  const PagedMemory& memory() const { return memory_; }

  // Starts touch tracking for a new shard: pages first touched from now on are listed by
  // touched_pages(), and, when `snapshots` is not null, appended to it with their contents at
  // first touch (= at the shard's start).
  void begin_shard(std::vector<PageImage>* snapshots) { memory_.begin_epoch(snapshots); }
  // The pages touched since begin_shard() with their current contents, sorted, the register page
  // first.
  std::vector<PageImage> touched_pages() const;

 private:
  template <class Observer>
  uint64_t run_loop(uint64_t budget, Observer& obs);
  // System calls (syscalls.cpp, instantiated there for the executor's observers).
  template <class Observer>
  bool syscall(const Decoded* d, Observer& obs);
  template <class Observer>
  void poseidon2_call(const Decoded* d, uint32_t addr, Observer& obs);
  template <class Observer>
  void copy_to_guest(const Decoded* d, uint32_t addr, const uint8_t* src, uint32_t n,
                     Observer& obs);
  template <class Observer>
  void copy_from_guest(const Decoded* d, uint32_t addr, uint32_t n, std::vector<uint8_t>& out,
                       Observer& obs);
  [[noreturn]] void trap(const Decoded* d, const std::string& what) const;
  [[noreturn]] void memory_trap(const Decoded* d, uint32_t addr, bool store, unsigned size) const;

  const Program* program_;
  PagedMemory memory_;
  std::array<uint32_t, 33> regs_{};  // x0..x31 and the sink for writes to x0 (decoder.hpp)
  size_t pc_index_ = 0;              // index into program_->code()
  uint64_t cycle_ = 0;
  bool halted_ = false;
  uint32_t exit_code_ = 0;
  std::span<const uint8_t> input_;
  uint64_t input_base_ = 0;  // absolute input offset of input_[0]
  uint64_t input_pos_ = 0;
  RunningDigest input_digest_ = RunningDigest::input();
  bool input_eof_ = false;
  RunningDigest output_digest_ = RunningDigest::output();
  std::vector<uint8_t> public_output_;
  std::vector<uint8_t> debug_output_;
};

struct ShardEnd {
  MachineState state;
  std::vector<PageImage> pages;  // touched pages at the shard's end, register page first
  friend bool operator==(const ShardEnd&, const ShardEnd&) = default;
};

struct ExecuteOptions {
  uint64_t max_cycles = kDefaultMaxCycles;
  uint64_t shard_cycles = 0;  // 0: one run, no checkpoints
  uint32_t max_pages = kDefaultMaxPages;
  bool count_instruction_mix = false;
  // Also keep, per shard, its end state and the touched pages' contents at its end (what a
  // re-execution must reproduce; used by tests and by memory-commitment code).
  bool keep_shard_ends = false;
  // When set, each shard's checkpoint (and its end, with keep_shard_ends) is handed here the
  // moment the shard ends, instead of being collected in the result: a caller can start proving
  // a shard while later ones are still executing. What it throws ends the execution unchanged.
  std::function<void(Checkpoint&& checkpoint, ShardEnd&& end)> on_shard;
};

struct ExecutionResult {
  MachineState final_state;
  std::vector<uint8_t> public_output;
  std::vector<uint8_t> debug_output;
  InstructionMix instruction_mix{};  // zeros unless counted
  std::vector<Checkpoint> checkpoints;
  std::vector<ShardEnd> shard_ends;
  uint32_t resident_pages = 0;
  double seconds = 0;      // wall time of the execution itself (not loading)
  double cpu_seconds = 0;  // CPU time of the executing thread over the same span
};

// Runs the program to its exit. CycleLimit when it has not halted after max_cycles cycles.
ExecutionResult execute(const Program& program, std::span<const uint8_t> input,
                        const ExecuteOptions& options);

struct ShardReplay {
  ShardEnd end;
  std::vector<uint8_t> public_output;  // what this shard committed
  std::vector<uint8_t> debug_output;
};

// Re-executes exactly the checkpoint's shard. ErrorKind::Format when the re-execution leaves the
// checkpoint (touches a page it lacks, or halts earlier or later than the shard says).
ShardReplay reexecute_shard(const Program& program, const Checkpoint& checkpoint,
                            ExecutionRecord* record = nullptr,
                            uint32_t max_pages = kDefaultMaxPages);

}  // namespace tessera::vm
