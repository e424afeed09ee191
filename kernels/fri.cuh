#pragma once
// FRI on CUDA devices: the arity-2 fold of one layer and the reduced DEEP-quotient accumulation
// over the rows of an LDE — the device twins of fri_fold_layer_cpu (src/fri/fri_fold.hpp) and
// reduce_openings_cpu (src/fri/deep_quotient.hpp). Both compute exact field values with the
// same field types (BabyBear / BabyBear4, TESSERA_HD), so their results are bit-identical to the
// CPU reference whatever the order of the operations.
//
// The launchers take DEVICE pointers and queue work on `stream`; the host functions copy their
// host inputs to the device, run the kernel, copy the result back and synchronise (what the
// CUDA backend's fri_fold / reduce_openings do).
#include <cuda_runtime.h>

#include <cstddef>
#include <span>

#include "field/babybear.hpp"
#include "field/extension.hpp"
#include "fri/deep_quotient.hpp"
#include "matrix/row_major_matrix.hpp"

namespace tessera::cuda {

// One opening point of the reduced quotient on the device; its inverse denominators are row
// `index` of the point-major array passed beside.
struct DeviceReducedPoint {
  BabyBear4 coeff;
  BabyBear4 reduced_value;
};

// out[i] = fold of (in[2i], in[2i+1]) for i < m (device pointers).
void launch_fri_fold(const BabyBear4* in, BabyBear4 beta, const BabyBear* inv_x, BabyBear4* out,
                     size_t m, cudaStream_t stream);

// acc[i] += sum_p points[p].coeff * (sum_c alpha_powers[c] lde[i][c] - points[p].reduced_value)
//           * inv_denoms[p * height + i]  for i < height (device pointers, lde row-major).
void launch_reduce_openings(const BabyBear* lde, size_t height, size_t width,
                            const BabyBear4* alpha_powers, const DeviceReducedPoint* points,
                            size_t num_points, const BabyBear4* inv_denoms, BabyBear4* acc,
                            cudaStream_t stream);

// Host-memory versions (upload, launch, download, synchronise).
void fri_fold_host(std::span<const BabyBear4> in, BabyBear4 beta, std::span<const BabyBear> inv_x,
                   std::span<BabyBear4> out, cudaStream_t stream);
void reduce_openings_host(const RowMajorMatrix<BabyBear>& lde,
                          std::span<const BabyBear4> alpha_powers,
                          std::span<const ReducedOpeningPoint> points, std::span<BabyBear4> acc,
                          cudaStream_t stream);

}  // namespace tessera::cuda
