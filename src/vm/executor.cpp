#include "vm/executor.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <numeric>
#include <string>

#include "common/check.hpp"
#include "vm/executor_detail.hpp"
#include "vm/guest_abi.hpp"

namespace tessera::vm {

using detail::hex32;

namespace {

// CPU time of the calling thread: on a shared machine, the executor's speed is its instructions
// per CPU second; wall time also counts the time other processes held the core.
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace

// ---- construction and state -------------------------------------------------------------------

Executor::Executor(const Program& program, std::span<const uint8_t> input, uint32_t max_pages)
    : program_(&program), memory_(max_pages, program.read_only()), input_(input) {
  if (input.size() > kMaxInputBytes)
    TESSERA_FAIL(ErrorKind::InputFile, "private input of " << input.size()
                                                           << " bytes exceeds the limit of 2^30 ("
                                                           << kMaxInputBytes << ") bytes");
  memory_.load_image(program.image());
  pc_index_ = (program.entry() - program.text_begin()) / 4;
}

Executor::Executor(const Program& program, const Checkpoint& cp, uint32_t max_pages)
    : program_(&program), memory_(max_pages, program.read_only()) {
  if (cp.program_fingerprint != program.fingerprint())
    TESSERA_FAIL(ErrorKind::ConfigMismatch,
                 "checkpoint of shard "
                     << cp.shard_index << " belongs to another program (fingerprint " << std::hex
                     << cp.program_fingerprint << ", this program " << program.fingerprint()
                     << ")");
  if (cp.pc % 4 != 0 || cp.pc < program.text_begin() || cp.pc >= program.text_end())
    TESSERA_FAIL(ErrorKind::Format,
                 "checkpoint pc " << hex32(cp.pc) << " is outside the program's text");
  if (cp.pages.empty() || cp.pages.front().index != kRegisterPage)
    TESSERA_FAIL(ErrorKind::Format, "checkpoint lacks the register page (page 0)");
  if (cp.pages.size() - 1 > max_pages)
    TESSERA_FAIL(ErrorKind::GuestTrap, "checkpoint holds "
                                           << cp.pages.size() - 1
                                           << " pages, beyond the guest memory limit of "
                                           << max_pages << " pages");
  const auto regs = cp.registers();
  std::copy(regs.begin(), regs.end(), regs_.begin());
  regs_[0] = 0;
  for (size_t i = 1; i < cp.pages.size(); ++i) memory_.install_page(cp.pages[i]);
  memory_.restrict_to_installed();
  pc_index_ = (cp.pc - program.text_begin()) / 4;
  cycle_ = cp.start_cycle;
  input_ = cp.input;
  input_base_ = cp.input_cursor;
  input_digest_ = cp.input_digest;
  input_eof_ = cp.input_eof;
  output_digest_ = cp.output;
}

Executor::~Executor() = default;

uint32_t Executor::pc() const {
  return program_->text_begin() + static_cast<uint32_t>(pc_index_) * 4u;
}

void Executor::set_reg(unsigned i, uint32_t value) {
  TESSERA_CHECK(i >= 1 && i < 32, ErrorKind::InvalidArgument,
                "register x" << i << " is not writable");
  regs_[i] = value;
}

MachineState Executor::state() const {
  MachineState s;
  s.pc = pc();
  std::copy(regs_.begin(), regs_.begin() + 32, s.regs.begin());
  s.cycle = cycle_;
  s.input_cursor = input_cursor();
  s.output = output_digest_;
  s.input_digest = input_digest_;
  s.input_eof = input_eof_;
  s.halted = halted_;
  s.exit_code = exit_code_;
  return s;
}

std::vector<PageImage> Executor::touched_pages() const {
  std::vector<uint32_t> idx = memory_.touched();
  std::sort(idx.begin(), idx.end());
  std::vector<PageImage> out;
  out.reserve(idx.size() + 1);
  std::array<uint32_t, 32> regs;
  std::copy(regs_.begin(), regs_.begin() + 32, regs.begin());
  out.push_back(register_page(regs));
  for (uint32_t i : idx) out.push_back(memory_.image_of(i));
  return out;
}

// ---- traps ------------------------------------------------------------------------------------

void Executor::trap(const Decoded* d, const std::string& what) const {
  const size_t i = static_cast<size_t>(d - program_->code().data());
  const uint32_t pc = program_->text_begin() + static_cast<uint32_t>(i) * 4u;
  const uint32_t word = i < program_->words().size() ? program_->words()[i] : 0;
  TESSERA_FAIL(ErrorKind::GuestTrap, what << " at pc " << hex32(pc) << " (instruction "
                                          << hex32(word) << ", cycle " << cycle_ << ")");
}

void Executor::memory_trap(const Decoded* d, uint32_t addr, bool store, unsigned size) const {
  const char* access = store ? "store to" : "load from";
  std::string what;
  switch (memory_.fault()) {
    case MemoryFault::RegisterPage:
      what = std::string(access) + " the reserved register page [0x0, 0x400):";
      break;
    case MemoryFault::ReadOnly:
      what = "store to read-only memory (a word holding text or read-only data):";
      break;
    case MemoryFault::PageLimit:
      what = "guest memory limit of " + std::to_string(memory_.max_pages()) +
             " pages (1 KiB each) exceeded by a " + (store ? "store to" : "load from");
      break;
    case MemoryFault::MissingPage: {
      const size_t i = static_cast<size_t>(d - program_->code().data());
      TESSERA_FAIL(ErrorKind::Format, "shard re-execution touched page "
                                          << (addr >> kPageBits) << " (address " << hex32(addr)
                                          << ") that its checkpoint does not hold, at pc "
                                          << hex32(program_->text_begin() + uint32_t(i) * 4)
                                          << ", cycle " << cycle_);
    }
    case MemoryFault::None:
      what = "misaligned " + std::to_string(size) + "-byte " + access;
      break;
  }
  trap(d, what + " " + hex32(addr));
}

// ---- the interpreter loop ---------------------------------------------------------------------
//
// Threaded dispatch: every handler ends with its own indirect jump to the next handler (computed
// goto), so the branch predictor learns per-handler successor patterns. The loop keeps only a
// pointer `d` into the decoded text; the pc is derived from it when an instruction needs it.
// Labels-as-values are a GNU extension (GCC and Clang), hence the local -Wpedantic exemption.

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"

template <class Obs>
uint64_t Executor::run_loop(uint64_t budget, Obs& obs) {
  if (halted_ || budget == 0) return 0;
  uint32_t* const x = regs_.data();
  const Decoded* const code = program_->code().data();
  const size_t code_words = program_->code().size() - 1;  // without the trailing guard
  const uint32_t text_begin = program_->text_begin();
  const uint32_t text_bytes = static_cast<uint32_t>(code_words) * 4u;
  uint8_t* const* const rtab = memory_.read_table();
  uint8_t* const* const wtab = memory_.write_table();
  const Decoded* d = code + pc_index_;
  uint64_t n = budget;
  uint32_t fault_addr = 0;
  unsigned fault_size = 0;

  static const void* const kLabels[kOpCount] = {
#define TESSERA_OP_LABEL(name) &&op_##name,
      TESSERA_RV32IM_OPS(TESSERA_OP_LABEL)
#undef TESSERA_OP_LABEL
  };

#define PC_OF(dp) (text_begin + static_cast<uint32_t>((dp)-code) * 4u)
#define RS1 x[d->rs1]
#define RS2 x[d->rs2]
#define RD x[d->rd]
#define IMM static_cast<uint32_t>(d->imm)
#define DISPATCH()                              \
  do {                                          \
    obs.after(d, x);                            \
    if (--n == 0) [[unlikely]]                  \
      goto out;                                 \
    obs.before(d, x);                           \
    goto* kLabels[static_cast<uint8_t>(d->op)]; \
  } while (0)
#define NEXT()  \
  do {          \
    ++d;        \
    DISPATCH(); \
  } while (0)
// pc-relative control transfer by d->imm bytes (JAL, taken branches).
#define JUMP_RELATIVE()                                                                     \
  do {                                                                                      \
    if (d->imm & 3) [[unlikely]] {                                                          \
      fault_addr = PC_OF(d) + IMM;                                                          \
      goto misaligned_jump;                                                                 \
    }                                                                                       \
    const size_t target = static_cast<size_t>(d - code) + static_cast<size_t>(d->imm >> 2); \
    if (target >= code_words) [[unlikely]] {                                                \
      fault_addr = PC_OF(d) + IMM;                                                          \
      goto fetch_fault;                                                                     \
    }                                                                                       \
    d = code + target;                                                                      \
    DISPATCH();                                                                             \
  } while (0)
#define BRANCH(cond)   \
  do {                 \
    if (cond) {        \
      JUMP_RELATIVE(); \
    }                  \
    NEXT();            \
  } while (0)
#define LOAD(T, SIZE)                                      \
  do {                                                     \
    const uint32_t a = RS1 + IMM;                          \
    if (a & (SIZE - 1)) [[unlikely]] {                     \
      fault_addr = a;                                      \
      fault_size = SIZE;                                   \
      goto misaligned_load;                                \
    }                                                      \
    const uint8_t* p = rtab[a >> kPageBits];               \
    if (p == nullptr) [[unlikely]] {                       \
      p = memory_.read_slow(a >> kPageBits);               \
      if (p == nullptr) {                                  \
        fault_addr = a;                                    \
        fault_size = SIZE;                                 \
        goto load_fault;                                   \
      }                                                    \
    }                                                      \
    T v;                                                   \
    std::memcpy(&v, p + (a & (kPageSize - 1)), sizeof(T)); \
    obs.load(p, a, SIZE);                                  \
    RD = static_cast<uint32_t>(static_cast<int64_t>(v));   \
    NEXT();                                                \
  } while (0)
#define STORE(T, SIZE)                                     \
  do {                                                     \
    const uint32_t a = RS1 + IMM;                          \
    if (a & (SIZE - 1)) [[unlikely]] {                     \
      fault_addr = a;                                      \
      fault_size = SIZE;                                   \
      goto misaligned_store;                               \
    }                                                      \
    uint8_t* p = wtab[a >> kPageBits];                     \
    if (p == nullptr) [[unlikely]] {                       \
      p = memory_.write_slow(a);                           \
      if (p == nullptr) {                                  \
        fault_addr = a;                                    \
        fault_size = SIZE;                                 \
        goto store_fault;                                  \
      }                                                    \
    }                                                      \
    obs.store_prev(p, a);                                  \
    const T v = static_cast<T>(RS2);                       \
    std::memcpy(p + (a & (kPageSize - 1)), &v, sizeof(T)); \
    obs.store_done(p, a, SIZE);                            \
    NEXT();                                                \
  } while (0)

  obs.before(d, x);
  goto* kLabels[static_cast<uint8_t>(d->op)];

op_LUI:
op_AUIPC:  // imm already holds pc + (imm20 << 12)
  RD = IMM;
  NEXT();
op_JAL:
  RD = PC_OF(d) + 4;
  JUMP_RELATIVE();
op_JALR : {
  const uint32_t target = (RS1 + IMM) & ~1u;
  if (target & 3) [[unlikely]] {
    fault_addr = target;
    goto misaligned_jump;
  }
  const uint32_t offset = target - text_begin;
  if (offset >= text_bytes) [[unlikely]] {
    fault_addr = target;
    goto fetch_fault;
  }
  RD = PC_OF(d) + 4;
  d = code + (offset >> 2);
  DISPATCH();
}
op_BEQ:
  BRANCH(RS1 == RS2);
op_BNE:
  BRANCH(RS1 != RS2);
op_BLT:
  BRANCH(static_cast<int32_t>(RS1) < static_cast<int32_t>(RS2));
op_BGE:
  BRANCH(static_cast<int32_t>(RS1) >= static_cast<int32_t>(RS2));
op_BLTU:
  BRANCH(RS1 < RS2);
op_BGEU:
  BRANCH(RS1 >= RS2);
op_LB:
  LOAD(int8_t, 1);
op_LH:
  LOAD(int16_t, 2);
op_LW:
  LOAD(uint32_t, 4);
op_LBU:
  LOAD(uint8_t, 1);
op_LHU:
  LOAD(uint16_t, 2);
op_SB:
  STORE(uint8_t, 1);
op_SH:
  STORE(uint16_t, 2);
op_SW:
  STORE(uint32_t, 4);
op_ADDI:
  RD = RS1 + IMM;
  NEXT();
op_SLTI:
  RD = static_cast<int32_t>(RS1) < d->imm ? 1u : 0u;
  NEXT();
op_SLTIU:
  RD = RS1 < IMM ? 1u : 0u;
  NEXT();
op_XORI:
  RD = RS1 ^ IMM;
  NEXT();
op_ORI:
  RD = RS1 | IMM;
  NEXT();
op_ANDI:
  RD = RS1 & IMM;
  NEXT();
op_SLLI:
  RD = RS1 << d->imm;
  NEXT();
op_SRLI:
  RD = RS1 >> d->imm;
  NEXT();
op_SRAI:
  RD = static_cast<uint32_t>(static_cast<int32_t>(RS1) >> d->imm);
  NEXT();
op_ADD:
  RD = RS1 + RS2;
  NEXT();
op_SUB:
  RD = RS1 - RS2;
  NEXT();
op_SLL:
  RD = RS1 << (RS2 & 31);
  NEXT();
op_SLT:
  RD = static_cast<int32_t>(RS1) < static_cast<int32_t>(RS2) ? 1u : 0u;
  NEXT();
op_SLTU:
  RD = RS1 < RS2 ? 1u : 0u;
  NEXT();
op_XOR:
  RD = RS1 ^ RS2;
  NEXT();
op_SRL:
  RD = RS1 >> (RS2 & 31);
  NEXT();
op_SRA:
  RD = static_cast<uint32_t>(static_cast<int32_t>(RS1) >> (RS2 & 31));
  NEXT();
op_OR:
  RD = RS1 | RS2;
  NEXT();
op_AND:
  RD = RS1 & RS2;
  NEXT();
op_FENCE:
  NEXT();
op_ECALL : {
  // Sync the cycle count so a trap inside the system call reports the right cycle.
  const uint64_t done = budget - n;
  cycle_ += done;
  const bool halt = syscall(d, obs);
  cycle_ -= done;
  if (halt) {
    obs.after(d, x);
    --n;
    goto out;
  }
  NEXT();
}
op_MUL:
  RD = RS1 * RS2;
  NEXT();
op_MULH:
  RD = static_cast<uint32_t>(static_cast<uint64_t>(int64_t{static_cast<int32_t>(RS1)} *
                                                   int64_t{static_cast<int32_t>(RS2)}) >>
                             32);
  NEXT();
op_MULHSU:
  RD = static_cast<uint32_t>(
      static_cast<uint64_t>(int64_t{static_cast<int32_t>(RS1)} * static_cast<int64_t>(RS2)) >> 32);
  NEXT();
op_MULHU:
  RD = static_cast<uint32_t>((uint64_t{RS1} * uint64_t{RS2}) >> 32);
  NEXT();
op_DIV : {
  const int32_t a = static_cast<int32_t>(RS1), b = static_cast<int32_t>(RS2);
  if (b == 0) [[unlikely]] {
    RD = ~0u;
  } else if (a == INT32_MIN && b == -1) [[unlikely]] {
    RD = static_cast<uint32_t>(INT32_MIN);
  } else {
    RD = static_cast<uint32_t>(a / b);
  }
  NEXT();
}
op_DIVU : {
  const uint32_t b = RS2;
  RD = b == 0 ? ~0u : RS1 / b;
  NEXT();
}
op_REM : {
  const int32_t a = static_cast<int32_t>(RS1), b = static_cast<int32_t>(RS2);
  if (b == 0) [[unlikely]] {
    RD = static_cast<uint32_t>(a);
  } else if (a == INT32_MIN && b == -1) [[unlikely]] {
    RD = 0;
  } else {
    RD = static_cast<uint32_t>(a % b);
  }
  NEXT();
}
op_REMU : {
  const uint32_t b = RS2;
  RD = b == 0 ? RS1 : RS1 % b;
  NEXT();
}
op_EBREAK:
  cycle_ += budget - n;
  trap(d, "EBREAK (breakpoints are not supported)");
op_CSR:
  cycle_ += budget - n;
  trap(d, "CSR instruction (no control and status registers in this machine)");
op_ILLEGAL:
  cycle_ += budget - n;
  trap(d, "illegal instruction");
op_NOT_TEXT:
  cycle_ += budget - n;
  trap(d, "instruction fetch outside the executable segments");
misaligned_jump:
  cycle_ += budget - n;
  trap(d, "misaligned jump target " + hex32(fault_addr) +
              " (no C extension: targets must be 4-byte aligned)");
fetch_fault:
  cycle_ += budget - n;
  trap(d, "jump to " + hex32(fault_addr) + " outside the executable segments");
misaligned_load:
load_fault:
  cycle_ += budget - n;
  memory_trap(d, fault_addr, false, fault_size);
misaligned_store:
store_fault:
  cycle_ += budget - n;
  memory_trap(d, fault_addr, true, fault_size);

out:
  pc_index_ = static_cast<size_t>(d - code);
  const uint64_t executed = budget - n;
  cycle_ += executed;
  return executed;

#undef PC_OF
#undef RS1
#undef RS2
#undef RD
#undef IMM
#undef DISPATCH
#undef NEXT
#undef JUMP_RELATIVE
#undef BRANCH
#undef LOAD
#undef STORE
}

#pragma GCC diagnostic pop

uint64_t Executor::run(uint64_t cycles) {
  detail::PlainObserver obs;
  return run_loop(cycles, obs);
}

uint64_t Executor::run(uint64_t cycles, InstructionMix& mix) {
  detail::MixObserver obs(mix);
  return run_loop(cycles, obs);
}

uint64_t Executor::run(uint64_t cycles, ExecutionRecord& record) {
  // One event per cycle: reserve up front (up to a shard-sized bound) instead of growing by
  // doubling, which would copy the events and fault in fresh pages on every growth.
  constexpr uint64_t kReserveBound = uint64_t{1} << 22;
  record.cycles.reserve(record.cycles.size() +
                        static_cast<size_t>(std::min(cycles, kReserveBound)));
  detail::RecordObserver obs(record, *program_, cycle_);
  return run_loop(cycles, obs);
}

// ---- whole runs and shard replays -------------------------------------------------------------

ExecutionResult execute(const Program& program, std::span<const uint8_t> input,
                        const ExecuteOptions& options) {
  ExecutionResult result;
  Executor ex(program, input, options.max_pages);
  const auto run = [&](uint64_t cycles) {
    return options.count_instruction_mix ? ex.run(cycles, result.instruction_mix) : ex.run(cycles);
  };
  const auto t0 = std::chrono::steady_clock::now();
  const double cpu0 = thread_cpu_seconds();
  if (options.shard_cycles == 0) {
    run(options.max_cycles);
  } else {
    std::vector<PageImage> snapshots;
    std::vector<uint32_t> order;
    for (uint64_t shard = 0; !ex.halted() && ex.cycle() < options.max_cycles; ++shard) {
      Checkpoint cp;
      cp.program_fingerprint = program.fingerprint();
      cp.shard_index = shard;
      cp.start_cycle = ex.cycle();
      cp.pc = ex.pc();
      cp.input_cursor = ex.input_cursor();
      cp.output = ex.output_digest();
      cp.input_digest = ex.input_digest();
      cp.input_eof = ex.input_eof();
      const PageImage registers = register_page(ex.state().regs);
      // Pages are snapshotted on first touch into `snapshots` (reused: its capacity follows the
      // largest shard so far), then copied once into the checkpoint in index order.
      snapshots.clear();
      ex.begin_shard(&snapshots);
      cp.cycle_count = run(std::min(options.shard_cycles, options.max_cycles - ex.cycle()));
      cp.final_shard = ex.halted();
      cp.input.assign(input.begin() + static_cast<ptrdiff_t>(cp.input_cursor),
                      input.begin() + static_cast<ptrdiff_t>(ex.input_cursor()));
      order.resize(snapshots.size());
      std::iota(order.begin(), order.end(), 0u);
      std::sort(order.begin(), order.end(),
                [&](uint32_t a, uint32_t b) { return snapshots[a].index < snapshots[b].index; });
      cp.pages.reserve(snapshots.size() + 1);
      cp.pages.push_back(registers);
      for (uint32_t i : order) cp.pages.push_back(snapshots[i]);
      ShardEnd end;
      if (options.keep_shard_ends) end = {ex.state(), ex.touched_pages()};
      if (options.on_shard) {
        options.on_shard(std::move(cp), std::move(end));
      } else {
        result.checkpoints.push_back(std::move(cp));
        if (options.keep_shard_ends) result.shard_ends.push_back(std::move(end));
      }
    }
    ex.begin_shard(nullptr);  // `snapshots` is about to go away
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  result.cpu_seconds = thread_cpu_seconds() - cpu0;
  if (!ex.halted())
    TESSERA_FAIL(ErrorKind::CycleLimit, "the guest did not halt within "
                                            << options.max_cycles << " cycles (pc "
                                            << hex32(ex.pc()) << "); raise --max-cycles");
  result.final_state = ex.state();
  result.public_output = ex.public_output();
  result.debug_output = ex.debug_output();
  result.resident_pages = ex.memory().resident_pages();
  return result;
}

ShardReplay reexecute_shard(const Program& program, const Checkpoint& checkpoint,
                            ExecutionRecord* record, uint32_t max_pages) {
  Executor ex(program, checkpoint, max_pages);
  ex.begin_shard(nullptr);
  const uint64_t ran =
      record ? ex.run(checkpoint.cycle_count, *record) : ex.run(checkpoint.cycle_count);
  if (ran != checkpoint.cycle_count || ex.halted() != checkpoint.final_shard)
    TESSERA_FAIL(ErrorKind::Format,
                 "re-execution of shard "
                     << checkpoint.shard_index
                     << " diverged: " << (ex.halted() ? "halted" : "stopped") << " after " << ran
                     << " of " << checkpoint.cycle_count << " cycles, "
                     << (checkpoint.final_shard ? "expected" : "not expected") << " to halt");
  ShardReplay replay;
  replay.end = {ex.state(), ex.touched_pages()};
  replay.public_output = ex.public_output();
  replay.debug_output = ex.debug_output();
  return replay;
}

}  // namespace tessera::vm
