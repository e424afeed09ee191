#pragma once
// Batched NTT, inverse NTT, coset LDE and row bit-reversal on CUDA devices, for row-major
// matrices in DEVICE memory (every column one polynomial), bit-identical to src/poly/ntt.hpp.
// The launchers validate their sizes like the CPU reference (ErrorKind::InvalidArgument), queue
// all work on `stream` and return without synchronising; any workspace they need is allocated
// and freed stream-ordered (cudaMallocAsync), so it is released when the queued work is done.
// The plan and per-thread code live in kernels/ntt_schedule.hpp.
#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>

#include "field/babybear.hpp"
#include "poly/ntt.hpp"

namespace tessera::cuda {

// Coefficients -> evaluations on H, natural order, in place (`data`: height x width).
void ntt_forward_device(BabyBear* data, size_t height, size_t width, cudaStream_t stream);
// Evaluations on H -> coefficients, in place.
void ntt_inverse_device(BabyBear* data, size_t height, size_t width, cudaStream_t stream);
// Evaluations on H (height rows) -> evaluations on shift * H' ((height << log_blowup) rows) in
// `out`, which must not overlap `evals`.
void coset_lde_device(const BabyBear* evals, size_t height, size_t width, uint32_t log_blowup,
                      BabyBear shift, BabyBear* out, cudaStream_t stream,
                      LdeOrder order = LdeOrder::Natural);
// Row i <-> row reverse_bits(i, log2(height)), in place.
void bit_reverse_rows_device(BabyBear* data, size_t height, size_t width, cudaStream_t stream);

}  // namespace tessera::cuda
