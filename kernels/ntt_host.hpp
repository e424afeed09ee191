#pragma once
// Host-memory wrappers of the CUDA NTT (kernels/ntt.cu): copy the matrix to the current device,
// run the transform, copy the result back, synchronously. For tests that compare the GPU with
// the CPU reference byte for byte, and for benchmarks. Declared in every build; defined only
// when CUDA is compiled in (callers guard with TESSERA_HAVE_CUDA).
#include <cstddef>
#include <cstdint>

#include "field/babybear.hpp"
#include "matrix/row_major_matrix.hpp"
#include "poly/ntt.hpp"

namespace tessera::cuda {

void ntt_forward_gpu(RowMajorMatrix<BabyBear>& m);
void ntt_inverse_gpu(RowMajorMatrix<BabyBear>& m);
RowMajorMatrix<BabyBear> coset_lde_gpu(const RowMajorMatrix<BabyBear>& evals, uint32_t log_blowup,
                                       BabyBear shift, LdeOrder order = LdeOrder::Natural);
void bit_reverse_rows_gpu(RowMajorMatrix<BabyBear>& m);

// Device-only time (no transfers) of one call on device-resident data, averaged over
// `repetitions` after one warm-up, in seconds: forward NTT of height x width, and the coset LDE
// of that matrix at log_blowup (natural order).
struct NttGpuTimings {
  double forward_s = 0;
  double coset_lde_s = 0;
};
NttGpuTimings time_ntt_gpu(size_t height, size_t width, uint32_t log_blowup, int repetitions);

}  // namespace tessera::cuda
