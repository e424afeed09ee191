#pragma once
// Host-side wrappers of the Poseidon2 CUDA kernels (kernels/poseidon2.cu): they copy the input to
// the current device, run the kernel and copy the result back, synchronously. For tests that
// compare the GPU with the CPU reference byte for byte, and for benchmarks. Declared in every
// build; defined only when CUDA is compiled in (callers guard with TESSERA_HAVE_CUDA).
#include <cstddef>
#include <span>

#include "hash/digest.hpp"
#include "hash/poseidon2.hpp"
#include "matrix/row_major_matrix.hpp"

namespace tessera::cuda {

void poseidon2_permute_many_gpu(std::span<Poseidon2State> states);
void hash_rows_gpu(const RowMajorMatrix<BabyBear>& m, std::span<Digest> out);
void compress_pairs_gpu(std::span<const Digest> children, std::span<Digest> parents);

// Device-only throughput (no transfers): seconds per call of each kernel on device-resident
// random data, averaged over `repetitions` launches after one warm-up.
struct Poseidon2GpuTimings {
  double permute_s = 0;    // n_states permutations
  double hash_rows_s = 0;  // height x width matrix
  double compress_s = 0;   // one Merkle layer of n_states parents
};
Poseidon2GpuTimings time_poseidon2_gpu(size_t n_states, size_t height, size_t width,
                                       int repetitions);

}  // namespace tessera::cuda
