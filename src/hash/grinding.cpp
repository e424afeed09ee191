// Proof-of-work grinding (grinding.hpp).

#include "hash/grinding.hpp"

#include <algorithm>
#include <limits>
#include <vector>

#include "common/check.hpp"

namespace tessera {
namespace {

void check_bits(uint32_t bits) {
  TESSERA_CHECK(
      bits <= Challenger::kMaxSampleBits, ErrorKind::InvalidArgument,
      "proof-of-work: " << bits << " bits requested, at most " << Challenger::kMaxSampleBits);
}

// Candidates tested per parallel batch, and per call of the batched permutation inside it.
constexpr uint64_t kBatch = 1u << 14;
constexpr uint64_t kChunk = 64;

}  // namespace

bool check_witness(Challenger& challenger, uint32_t bits, BabyBear witness) {
  check_bits(bits);
  if (bits == 0) return true;
  challenger.observe(witness);
  return challenger.sample_bits(bits) == 0;
}

BabyBear grind(Challenger& challenger, uint32_t bits) {
  check_bits(bits);
  if (bits == 0) return BabyBear::zero();
  const uint32_t mask = (1u << bits) - 1u;
  const uint64_t p = BabyBear::kModulus;
  constexpr uint64_t kNone = std::numeric_limits<uint64_t>::max();
  const Challenger& base = challenger;

  uint64_t found = kNone;
  for (uint64_t start = 0; start < p && found == kNone; start += kBatch) {
    const uint64_t end = std::min(p, start + kBatch);
    const auto n_chunks = static_cast<std::ptrdiff_t>((end - start + kChunk - 1) / kChunk);
    uint64_t best = kNone;
#pragma omp parallel for schedule(static) reduction(min : best)
    for (std::ptrdiff_t chunk = 0; chunk < n_chunks; ++chunk) {
      const uint64_t lo = start + static_cast<uint64_t>(chunk) * kChunk;
      const uint64_t hi = std::min(end, lo + kChunk);
      std::array<Poseidon2State, kChunk> states;
      for (uint64_t w = lo; w < hi; ++w) {
        states[w - lo] = base.duplex_input_with(BabyBear::from_u32(static_cast<uint32_t>(w)));
      }
      poseidon2_permute_many(std::span(states.data(), hi - lo));
      for (uint64_t w = lo; w < hi; ++w) {
        if ((states[w - lo][Challenger::kRate - 1].as_u32() & mask) == 0) {
          best = std::min(best, w);
          break;
        }
      }
    }
    found = best;
  }
  TESSERA_CHECK(found != kNone, ErrorKind::Internal,
                "proof-of-work: no witness of " << bits << " bits in the whole field");
  const BabyBear witness = BabyBear::from_u32(static_cast<uint32_t>(found));
  const bool ok = check_witness(challenger, bits, witness);
  TESSERA_ASSERT(ok);
  return witness;
}

}  // namespace tessera
