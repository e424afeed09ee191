#pragma once
// Internal: the vectorised CPU paths (poseidon2_avx2.cpp, poseidon2_avx512.cpp). Each is compiled
// with a function-level target attribute, so the binary runs on any x86-64 CPU; callers must check
// cpu_supports_*() first (poseidon2.cpp and sponge.cpp do the run-time dispatch).

#include <cstddef>
#include <span>

#include "hash/digest.hpp"
#include "hash/poseidon2.hpp"

namespace tessera::poseidon2_detail {

bool cpu_supports_avx2();
bool cpu_supports_avx512();

// Lanes of each path: states permuted (or rows hashed) together.
inline constexpr size_t kAvx2Lanes = 8;
inline constexpr size_t kAvx512Lanes = 16;

// Permute every state; any count (a final partial block is padded).
void permute_many_avx2(std::span<Poseidon2State> states);
void permute_many_avx512(std::span<Poseidon2State> states);

// One state, its 16 elements in one AVX-512 register (for sequential callers).
void permute_one_avx512(Poseidon2State& state);

// out[r] = hash_elements(row r) for the n_rows rows of `width` elements starting at `rows`
// (row-major, contiguous); any n_rows (the last rows that do not fill the lanes use the scalar
// sponge).
void hash_rows_avx2(const BabyBear* rows, size_t width, size_t n_rows, Digest* out);
void hash_rows_avx512(const BabyBear* rows, size_t width, size_t n_rows, Digest* out);

}  // namespace tessera::poseidon2_detail
