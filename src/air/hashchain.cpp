// Witness derivation, chain execution and shard traces of the hash-chain statement
// (hashchain.hpp).

#include "air/hashchain.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>

#include "common/check.hpp"
#include "hash/poseidon2.hpp"
#include "hash/sponge.hpp"
#include "matrix/huge_page_storage.hpp"

namespace tessera {

namespace {

constexpr uint32_t kWitnessTag = 1;
constexpr uint32_t kInitialDigestTag = 2;

// The permutation input for (tag, seed, step): 16-bit limbs, so every limb is a canonical
// element and the map is injective.
Poseidon2State seeded_state(uint32_t tag, uint64_t seed, uint64_t step) {
  Poseidon2State s{};
  s[0] = BabyBear::from_u32(tag);
  for (size_t k = 0; k < 4; ++k) {
    s[1 + k] = BabyBear::from_u32(static_cast<uint32_t>((seed >> (16 * k)) & 0xffff));
    s[5 + k] = BabyBear::from_u32(static_cast<uint32_t>((step >> (16 * k)) & 0xffff));
  }
  return s;
}

Digest first_eight(const Poseidon2State& s) {
  Digest d;
  std::copy_n(s.begin(), kDigestElems, d.begin());
  return d;
}

// Chain steps are computed in blocks: the witnesses of a block at once (vectorised, parallel),
// then the sequential compressions.
constexpr size_t kWitnessBlock = 4096;

}  // namespace

Digest hashchain_witness(uint64_t seed, uint64_t step) {
  Poseidon2State s = seeded_state(kWitnessTag, seed, step);
  poseidon2_permute_one(s);
  return first_eight(s);
}

void hashchain_witnesses(uint64_t seed, uint64_t first, std::span<Digest> out) {
  constexpr size_t kBlock = 256;
  const size_t n = out.size();
  const auto n_blocks = static_cast<std::ptrdiff_t>((n + kBlock - 1) / kBlock);
#pragma omp parallel for schedule(static)
  for (std::ptrdiff_t b = 0; b < n_blocks; ++b) {
    const size_t begin = static_cast<size_t>(b) * kBlock;
    const size_t count = std::min(kBlock, n - begin);
    std::array<Poseidon2State, kBlock> states;
    for (size_t i = 0; i < count; ++i) {
      states[i] = seeded_state(kWitnessTag, seed, first + begin + i);
    }
    poseidon2_permute_many(std::span(states.data(), count));
    for (size_t i = 0; i < count; ++i) out[begin + i] = first_eight(states[i]);
  }
}

Digest hashchain_initial_digest(uint64_t seed) {
  Poseidon2State s = seeded_state(kInitialDigestTag, seed, 0);
  poseidon2_permute_one(s);
  return first_eight(s);
}

Digest hashchain_advance(uint64_t seed, const Digest& start, uint64_t first_step, uint64_t steps) {
  Digest h = start;
  std::vector<Digest> w(static_cast<size_t>(std::min<uint64_t>(steps, kWitnessBlock)));
  for (uint64_t done = 0; done < steps; done += w.size()) {
    const size_t count = static_cast<size_t>(std::min<uint64_t>(w.size(), steps - done));
    hashchain_witnesses(seed, first_step + done + 1, std::span(w.data(), count));
    for (size_t i = 0; i < count; ++i) h = compress(h, w[i]);
  }
  return h;
}

HashchainShardWitness hashchain_shard_witness(uint64_t seed, const Digest& start,
                                              uint64_t first_step, uint64_t steps) {
  TESSERA_CHECK(steps > 0 && std::has_single_bit(steps), ErrorKind::InvalidArgument,
                "hashchain: a shard of " << steps << " steps is not a power of two");
  TESSERA_CHECK(first_step <= kHashchainMaxSteps && steps <= kHashchainMaxSteps - first_step,
                ErrorKind::InvalidArgument,
                "hashchain: steps " << first_step + 1 << " .. " << first_step + steps
                                    << " exceed the limit of 2^30 steps");
  const size_t n = static_cast<size_t>(steps);
  // The witnesses are independent (vectorised, parallel); the chain is sequential, and each row is
  // filled while its step is computed, so every permutation runs once. (Computing the chain first
  // and filling rows in parallel afterwards runs every permutation twice: slower up to ~4 threads,
  // and the chain, ~1.7 us per step, is the floor either way.)
  std::vector<Digest> w(n);
  hashchain_witnesses(seed, first_step + 1, w);
  HashchainShardWitness out;
  out.trace =
      RowMajorMatrix<BabyBear>(huge_page_storage<BabyBear>(n * poseidon2_cols::kPermutationWidth),
                               poseidon2_cols::kPermutationWidth);
  Digest h = start;
  Poseidon2State input;
  for (size_t i = 0; i < n; ++i) {
    std::copy(h.begin(), h.end(), input.begin());
    std::copy(w[i].begin(), w[i].end(), input.begin() + kDigestElems);
    const Poseidon2State output = poseidon2_fill_row(input, out.trace.row(i));
    std::copy_n(output.begin(), kDigestElems, h.begin());
  }
  out.end = h;
  out.public_values.resize(hashchain_pv::kCount);
  for (size_t i = 0; i < kDigestElems; ++i) {
    out.public_values[hashchain_pv::kStartDigest + i] = start[i];
    out.public_values[hashchain_pv::kEndDigest + i] = h[i];
  }
  out.public_values[hashchain_pv::kFirstStep] = BabyBear::from_u64(first_step);
  out.public_values[hashchain_pv::kSteps] = BabyBear::from_u64(steps);
  return out;
}

}  // namespace tessera
