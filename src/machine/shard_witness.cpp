#include "machine/shard_witness.hpp"

#include <algorithm>

#include "common/check.hpp"
#include "common/nvtx.hpp"
#include "machine/absorb_table.hpp"
#include "machine/alu_table.hpp"
#include "machine/bitwise_table.hpp"
#include "machine/byte_table.hpp"
#include "machine/compare_table.hpp"
#include "machine/divrem_table.hpp"
#include "machine/io_words_table.hpp"
#include "machine/jump_table.hpp"
#include "machine/load_table.hpp"
#include "machine/merkle_table.hpp"
#include "machine/mul_table.hpp"
#include "machine/p2call_table.hpp"
#include "machine/page_table.hpp"
#include "machine/poseidon2_table.hpp"
#include "machine/shard_record.hpp"
#include "machine/shard_table.hpp"
#include "machine/shift_table.hpp"
#include "machine/store_table.hpp"
#include "machine/system_table.hpp"

namespace tessera::rv32im {

namespace {

std::vector<PageWitness> page_witnesses(const ProgramContext& ctx, const vm::Checkpoint& cp,
                                        const vm::ShardReplay& replay, const ShardRecord& s) {
  const auto& start = cp.pages;
  const auto& end = replay.end.pages;
  TESSERA_CHECK(start.size() == end.size(), ErrorKind::Internal,
                "shard " << cp.shard_index << " re-execution touched " << end.size()
                         << " pages, its checkpoint holds " << start.size());
  std::vector<PageWitness> pages(start.size());
  for (size_t i = 0; i < start.size(); ++i) {
    TESSERA_CHECK(start[i].index == end[i].index, ErrorKind::Internal,
                  "shard " << cp.shard_index << ": touched pages differ between checkpoint and "
                           << "re-execution");
    PageWitness& w = pages[i];
    w.page = start[i].index;
    w.init = start[i].bytes;
    w.fin = end[i].bytes;
    w.classes = ctx.classes.of_page(w.page);
    w.dirty = s.written_pages.count(w.page) != 0;
    for (uint32_t k = 0; k < kWordsPerPage; ++k) {
      const auto it = s.last_ts.find(w.page * kWordsPerPage + k);
      w.final_ts[k] = it == s.last_ts.end() ? 0 : it->second;
    }
    TESSERA_CHECK(w.dirty || w.init == w.fin, ErrorKind::Internal,
                  "page " << w.page << " changed in shard " << cp.shard_index
                          << " without a recorded write");
  }
  return pages;
}

RowMajorMatrix<BabyBear> program_trace(const ProgramImage& image, const ShardRecord& s) {
  RowMajorMatrix<BabyBear> t(1, image.height());
  for (size_t i = 0; i < s.program_counts.size(); ++i) t.at(i, 0) = BabyBear::from_u32(s.program_counts[i]);
  return t;
}

std::vector<BabyBear> digest_values(const Digest& a, const Digest& b) {
  std::vector<BabyBear> v(a.begin(), a.end());
  v.insert(v.end(), b.begin(), b.end());
  return v;
}

}  // namespace

ShardWitness build_shard_witness(const ProgramContext& ctx, const Rv32imStark& stark,
                                 const vm::Checkpoint& cp, std::span<const Digest> siblings) {
  TESSERA_RANGE("rv32im.witness");
  (void)stark;
  ShardWitness out;
  vm::ExecutionRecord record;
  out.replay = vm::reexecute_shard(*ctx.program, cp, &record);
  out.cycles = cp.cycle_count;
  const ShardRecord s = record_shard(ctx.image, std::move(record));

  ByteCounts bytes;
  Poseidon2Requests p2;
  std::vector<TableWitness> tables(kTableCount);
  tables[kTableAlu].trace = AluAir{}.generate_trace(s, bytes);
  tables[kTableBitwise].trace = BitwiseAir{}.generate_trace(s, bytes);
  tables[kTableShift].trace = ShiftAir{}.generate_trace(s, bytes);
  tables[kTableMul].trace = MulAir{}.generate_trace(s, bytes);
  tables[kTableDivRem].trace = DivRemAir{}.generate_trace(s, bytes);
  tables[kTableCompare].trace = CompareAir{}.generate_trace(s, bytes);
  tables[kTableJump].trace = JumpAir{}.generate_trace(s, bytes);
  tables[kTableLoad].trace = LoadAir{}.generate_trace(s, ctx.classes, bytes);
  tables[kTableStore].trace = StoreAir{}.generate_trace(s, bytes);

  // System calls and the I/O streams.
  const IoState io_start{cp.input_cursor, cp.output.byte_count(), cp.input_eof, 0xffffffffu};
  IoState io = io_start;
  tables[kTableSystem].trace = SystemAir{}.generate_trace(s, io, bytes);
  tables[kTableIoWords].trace = IoWordsAir{}.generate_trace(s, ctx.classes, io_start, bytes);
  tables[kTableAbsorbInput].trace = AbsorbAir(kIoInput).generate_trace(
      cp.input_digest, cp.input, bytes, p2, tables[kTableAbsorbInput].public_values);
  tables[kTableAbsorbOutput].trace = AbsorbAir(kIoOutput).generate_trace(
      cp.output, out.replay.public_output, bytes, p2, tables[kTableAbsorbOutput].public_values);
  tables[kTableP2Call].trace = P2CallAir{}.generate_trace(s, bytes, p2);

  // Memory: page in and out, then the tree.
  const std::vector<PageWitness> pages = page_witnesses(ctx, cp, out.replay, s);
  tables[kTablePages].trace = PageAir{}.generate_trace(pages, bytes, p2);
  std::vector<PageLeaf> leaves;
  leaves.reserve(pages.size());
  for (const PageWitness& w : pages) {
    const Digest old_digest = page_digest(w.init, w.classes);
    leaves.push_back({w.page, old_digest, w.dirty ? page_digest(w.fin, w.classes) : old_digest, w.dirty});
  }
  const MerkleWitness merkle = build_merkle_witness(leaves, siblings);
  tables[kTableMerkle].trace = MerkleAir{}.generate_trace(merkle.nodes, p2);
  tables[kTableMerkle].public_values = digest_values(merkle.old_root, merkle.new_root);
  out.start_root = merkle.old_root;
  out.end_root = merkle.new_root;

  // The shard's endpoints.
  const vm::MachineState& end = out.replay.end.state;
  std::vector<BabyBear> pv(shard_pv::kCount, BabyBear::zero());
  const auto set = [&pv](uint32_t i, uint64_t v) { pv[i] = BabyBear::from_u64(v); };
  set(shard_pv::kStartPc, cp.pc);
  set(shard_pv::kEndPc, end.pc);
  set(shard_pv::kCycles, cp.cycle_count);
  set(shard_pv::kHalted, end.halted ? 1 : 0);
  set(shard_pv::kExitLo, end.halted ? (end.exit_code & 0xffff) : 0);
  set(shard_pv::kExitHi, end.halted ? (end.exit_code >> 16) : 0);
  TESSERA_CHECK(io.in_count == end.input_cursor && io.out_count == end.output.byte_count() &&
                    io.eof == end.input_eof,
                ErrorKind::Internal,
                "shard " << cp.shard_index << ": the system calls' I/O does not match the replay");
  set(shard_pv::kInCount, io_start.in_count);
  set(shard_pv::kOutCount, io_start.out_count);
  set(shard_pv::kEof, io_start.eof ? 1 : 0);
  set(shard_pv::kEndInCount, io.in_count);
  set(shard_pv::kEndOutCount, io.out_count);
  set(shard_pv::kEndEof, io.eof ? 1 : 0);
  pv[shard_pv::kLastIoClk] =
      io.last_io_clk == 0xffffffffu ? -BabyBear::one() : BabyBear::from_u32(io.last_io_clk);
  set(shard_pv::kShardIndex, cp.shard_index);
  set(shard_pv::kStartCycleLo, cp.start_cycle & 0xffffff);
  set(shard_pv::kStartCycleHi, cp.start_cycle >> 24);
  tables[kTableShard] = {ShardAir{}.generate_trace(), pv};

  // The lookup tables last: every other table has recorded its lookups.
  tables[kTableProgram].trace = program_trace(ctx.image, s);
  tables[kTableBytes].trace = ByteAir{}.generate_trace(bytes);
  tables[kTablePoseidon2].trace = Poseidon2LookupAir{}.generate_trace(p2);
  out.tables = std::move(tables);
  return out;
}

}  // namespace tessera::rv32im
