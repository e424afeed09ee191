// Trace generation of the absorb tables (absorb_table.hpp).
#include "machine/absorb_table.hpp"

#include "machine/byte_table.hpp"
#include "machine/poseidon2_table.hpp"
#include "machine/trace_util.hpp"

namespace tessera::rv32im {

RowMajorMatrix<BabyBear> AbsorbAir::generate_trace(const vm::RunningDigest& start,
                                                   std::span<const uint8_t> bytes,
                                                   ByteCounts& counts, Poseidon2Requests& p2,
                                                   std::vector<BabyBear>& public_values) const {
  namespace pv = absorb_pv;
  // At least one padding row after the last byte: it holds the end state.
  RowMajorMatrix<BabyBear> trace(L.width, table_height(bytes.size() + 1));
  Poseidon2State s = start.state();
  uint64_t count = start.byte_count();
  uint32_t pos = start.pending();
  public_values.assign(pv::kCount, BabyBear::zero());
  for (uint32_t i = 0; i < 16; ++i) public_values[pv::kStartState + i] = s[i];
  public_values[pv::kStartCount] = BabyBear::from_u64(count);
  public_values[pv::kStartPos] = BabyBear::from_u32(pos);
  for (size_t r = 0; r < trace.height(); ++r) {
    BabyBear* row = trace.row(r).data();
    for (uint32_t i = 0; i < 16; ++i) row[L.state[i]] = s[i];
    for (uint32_t i = 0; i < 8; ++i) row[L.absorbed[i]] = s[i];
    set_col(row, L.seq, static_cast<uint32_t>(count));
    if (r >= bytes.size()) continue;  // padding: the state stays
    const uint32_t b = bytes[r];
    set_flag(row, L.is_real, true);
    set_col(row, L.byte, b);
    set_flag(row, L.pos[pos], true);
    counts.pair(b, 0);
    s[pos] += BabyBear::from_u32(b);
    row[L.absorbed[pos]] = s[pos];
    ++count;
    if (++pos == 8) {
      s = p2.full(s);
      for (uint32_t i = 0; i < 16; ++i) row[L.out[i]] = s[i];
      pos = 0;
    }
  }
  for (uint32_t i = 0; i < 16; ++i) public_values[pv::kEndState + i] = s[i];
  public_values[pv::kEndCount] = BabyBear::from_u64(count);
  return trace;
}

}  // namespace tessera::rv32im
