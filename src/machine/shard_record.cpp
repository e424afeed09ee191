#include "machine/shard_record.hpp"

#include "common/check.hpp"
#include "machine/buses.hpp"
#include "machine/trace_util.hpp"
#include "vm/guest_abi.hpp"

namespace tessera::rv32im {

bool reads_rs2(ZkOp op) {
  switch (op) {
    case ZkOp::Add:
    case ZkOp::Sub:
    case ZkOp::And:
    case ZkOp::Or:
    case ZkOp::Xor:
    case ZkOp::Slt:
    case ZkOp::Sltu:
    case ZkOp::Beq:
    case ZkOp::Bne:
    case ZkOp::Blt:
    case ZkOp::Bge:
    case ZkOp::Bltu:
    case ZkOp::Bgeu:
    case ZkOp::Sll:
    case ZkOp::Srl:
    case ZkOp::Sra:
    case ZkOp::Mul:
    case ZkOp::Mulh:
    case ZkOp::Mulhsu:
    case ZkOp::Mulhu:
    case ZkOp::Div:
    case ZkOp::Divu:
    case ZkOp::Rem:
    case ZkOp::Remu:
    case ZkOp::Sb:
    case ZkOp::Sh:
    case ZkOp::Sw:
      return true;
    default:
      return false;
  }
}

bool syscall_touches_memory(const vm::SyscallEvent& s) {
  if (s.number == vm::kSysWrite) return s.args[0] == vm::kFdPublicOutput;
  return s.number != vm::kSysExit;
}

AdapterWitness adapter_witness(const ShardRecord& s, uint32_t cycle, uint32_t a) {
  const vm::CycleEvent& e = s.record.cycles[cycle];
  const ProgramRow& p = s.program_row(cycle);
  const RegisterAccesses& r = s.registers[cycle];
  AdapterWitness w;
  w.clk = s.clk(cycle);
  w.program = &p;
  w.reads_rs2 = reads_rs2(p.op);
  w.b = e.rs1_value;
  w.c = w.reads_rs2 ? e.rs2_value : p.imm;
  w.a = a;
  w.rd_prev = e.rd_prev;
  w.rs1_prev_ts = r.rs1;
  w.rs2_prev_ts = r.rs2;
  w.rd_prev_ts = r.rd;
  TESSERA_ASSERT(!p.writes_rd || e.rd_value == a);
  return w;
}

namespace {

class Timeline {
 public:
  explicit Timeline(std::unordered_map<uint32_t, uint32_t>& last) : last_(last) {}
  // Records an access of `word` at `ts`; returns the previous token's timestamp.
  uint32_t access(uint32_t word, uint32_t ts) {
    if (word < 32) {
      const uint32_t prev = regs_[word];
      regs_[word] = ts;
      return prev;
    }
    uint32_t& t = last_[word];
    const uint32_t prev = t;
    t = ts;
    return prev;
  }
  void finish() {
    for (uint32_t r = 0; r < 32; ++r) {
      if (regs_[r] != 0) last_[r] = regs_[r];
    }
  }

 private:
  std::unordered_map<uint32_t, uint32_t>& last_;
  uint32_t regs_[32] = {};
};

}  // namespace

ShardRecord record_shard(const ProgramImage& program, vm::ExecutionRecord record) {
  ShardRecord s;
  s.program = &program;
  s.record = std::move(record);
  const auto& cycles = s.record.cycles;
  TESSERA_CHECK(cycles.size() <= (size_t{1} << kLogMaxShardCycles), ErrorKind::InvalidArgument,
                "a shard of " << cycles.size() << " cycles exceeds the zkVM's limit of 2^"
                              << kLogMaxShardCycles);
  s.registers.resize(cycles.size());
  s.memory_prev_ts.assign(s.record.memory.size(), 0);
  s.program_counts.assign(program.rows().size(), 0);
  Timeline tl(s.last_ts);
  size_t next_syscall = 0;
  for (uint32_t i = 0; i < cycles.size(); ++i) {
    const vm::CycleEvent& e = cycles[i];
    const ProgramRow& p = program.at(e.pc);
    ++s.program_counts[program.index_of(e.pc)];
    const Family f = family_of(p.op);
    TESSERA_CHECK(f != Family::None, ErrorKind::Internal,
                  "cycle " << e.cycle << " executed a word the zkVM cannot prove");
    s.by_family[static_cast<size_t>(f)].push_back(i);
    const uint32_t clk = i;
    if (f == Family::System) {
      TESSERA_CHECK(next_syscall < s.record.syscalls.size(), ErrorKind::Internal,
                    "ECALL at cycle " << e.cycle << " without a system-call record");
      const vm::SyscallEvent& sc = s.record.syscalls[next_syscall];
      SyscallAccesses a;
      a.cycle = i;
      a.a7 = tl.access(vm::kRegA7, timestamp(clk, kSlotRs1));
      a.a1 = tl.access(vm::kRegA1, timestamp(clk, kSlotRs1));
      a.a2 = tl.access(vm::kRegA2, timestamp(clk, kSlotRs1));
      if (syscall_touches_memory(sc)) {
        for (uint32_t k = 0; k < e.memory_count; ++k) {
          const vm::MemoryEvent& m = s.record.memory[e.memory_begin + k];
          s.memory_prev_ts[e.memory_begin + k] = tl.access(m.addr >> 2, timestamp(clk, kSlotMemory));
          if (m.write) s.written_pages.insert(m.addr >> vm::kPageBits);
        }
      }
      a.a0 = tl.access(vm::kRegA0, timestamp(clk, kSlotRd));
      s.written_pages.insert(vm::kRegisterPage);
      s.syscalls.push_back(a);
      ++next_syscall;
      continue;
    }
    RegisterAccesses& r = s.registers[i];
    r.rs1 = tl.access(p.rs1, timestamp(clk, kSlotRs1));  // JAL and LUI read x0
    if (reads_rs2(p.op)) r.rs2 = tl.access(p.rs2, timestamp(clk, kSlotRs2));
    if (f == Family::Load || f == Family::Store) {
      TESSERA_CHECK(e.memory_count == 1, ErrorKind::Internal,
                    "memory instruction at cycle " << e.cycle << " without its access record");
      const vm::MemoryEvent& m = s.record.memory[e.memory_begin];
      const uint32_t slot = f == Family::Load ? kSlotMemory : kSlotStore;
      s.memory_prev_ts[e.memory_begin] = tl.access(m.addr >> 2, timestamp(clk, slot));
      if (m.write) s.written_pages.insert(m.addr >> vm::kPageBits);
    }
    if (p.writes_rd) {
      r.rd = tl.access(p.rd, timestamp(clk, kSlotRd));
      s.written_pages.insert(vm::kRegisterPage);
    }
  }
  tl.finish();
  return s;
}

}  // namespace tessera::rv32im
