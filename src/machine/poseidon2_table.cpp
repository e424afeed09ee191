#include "machine/poseidon2_table.hpp"

#include <algorithm>
#include <bit>

namespace tessera::rv32im {

size_t Poseidon2Requests::Hash::operator()(const Poseidon2State& s) const {
  uint64_t h = 0x9e3779b97f4a7c15ull;
  for (const BabyBear x : s) h = (h ^ x.raw()) * 0x100000001b3ull;
  return static_cast<size_t>(h ^ (h >> 29));
}

Poseidon2Requests::Entry& Poseidon2Requests::entry(const Poseidon2State& in) {
  const auto [it, inserted] = index_.try_emplace(in, entries_.size());
  if (inserted) entries_.push_back(Entry{in, 0, 0});
  return entries_[it->second];
}

Poseidon2State Poseidon2Requests::full(const Poseidon2State& in) {
  ++entry(in).full;
  Poseidon2State out = in;
  poseidon2_permute_one(out);
  return out;
}

Poseidon2State Poseidon2Requests::compress(const Poseidon2State& in) {
  ++entry(in).comp;
  Poseidon2State out = in;
  poseidon2_permute_one(out);
  return out;
}

void Poseidon2Requests::merge(const Poseidon2Requests& other) {
  for (const Entry& e : other.entries_) {
    Entry& mine = entry(e.in);
    mine.full += e.full;
    mine.comp += e.comp;
  }
}

RowMajorMatrix<BabyBear> Poseidon2LookupAir::generate_trace(const Poseidon2Requests& requests) const {
  const auto& entries = requests.entries();
  const size_t height = std::bit_ceil(std::max<size_t>(entries.size(), 4));
  const size_t w = width();
  RowMajorMatrix<BabyBear> trace(w, height);
  const Poseidon2State zero{};
#pragma omp parallel for schedule(static)
  for (size_t r = 0; r < height; ++r) {
    BabyBear* row = trace.data() + r * w;
    const bool real = r < entries.size();
    poseidon2_fill_row(real ? entries[r].in : zero, std::span<BabyBear>(row, w));
    row[kFullColumn] = BabyBear::from_u32(real ? entries[r].full : 0);
    row[kCompColumn] = BabyBear::from_u32(real ? entries[r].comp : 0);
  }
  return trace;
}

}  // namespace tessera::rv32im
