// FRI fold and reduced-opening kernels (see fri.cuh).
#include <algorithm>
#include <vector>

#include "kernels/cuda_check.cuh"
#include "kernels/device_buffer.cuh"
#include "kernels/fri.cuh"

namespace tessera::cuda {
namespace {

constexpr int kThreads = 256;

unsigned blocks_for(size_t n) {
  const size_t blocks = (n + kThreads - 1) / kThreads;
  return static_cast<unsigned>(std::min<size_t>(std::max<size_t>(blocks, 1), 1u << 20));
}

// (p + 1) / 2, the inverse of 2.
constexpr BabyBear kHalf = BabyBear::from_u32((BabyBear::kModulus + 1) / 2);

// f'(x^2) = (f(x) + f(-x)) / 2 + beta / 2 * x^-1 (f(x) - f(-x)), x^-1 = inv_x[i]: the formula of
// fri_fold_layer_cpu.
__global__ void fri_fold_kernel(const BabyBear4* in, BabyBear4 half_beta, const BabyBear* inv_x,
                                BabyBear4* out, size_t m) {
  for (size_t i = blockIdx.x * size_t{blockDim.x} + threadIdx.x; i < m;
       i += size_t{gridDim.x} * blockDim.x) {
    const BabyBear4 e0 = in[2 * i], e1 = in[2 * i + 1];
    out[i] = (e0 + e1) * kHalf + half_beta * ((e0 - e1) * inv_x[i]);
  }
}

// One thread per row: the row's alpha-combination once, then every point's term.
__global__ void reduce_openings_kernel(const BabyBear* lde, size_t height, size_t width,
                                       const BabyBear4* alpha_powers,
                                       const DeviceReducedPoint* points, size_t num_points,
                                       const BabyBear4* inv_denoms, BabyBear4* acc) {
  for (size_t i = blockIdx.x * size_t{blockDim.x} + threadIdx.x; i < height;
       i += size_t{gridDim.x} * blockDim.x) {
    const BabyBear* row = lde + i * width;
    BabyBear4 row_value = BabyBear4::zero();
    for (size_t c = 0; c < width; ++c) row_value += alpha_powers[c] * row[c];
    BabyBear4 sum = acc[i];
    for (size_t p = 0; p < num_points; ++p) {
      sum += points[p].coeff * ((row_value - points[p].reduced_value) * inv_denoms[p * height + i]);
    }
    acc[i] = sum;
  }
}

}  // namespace

void launch_fri_fold(const BabyBear4* in, BabyBear4 beta, const BabyBear* inv_x, BabyBear4* out,
                     size_t m, cudaStream_t stream) {
  if (m == 0) return;
  fri_fold_kernel<<<blocks_for(m), kThreads, 0, stream>>>(in, beta * kHalf, inv_x, out, m);
  CUDA_CHECK(cudaGetLastError());
}

void launch_reduce_openings(const BabyBear* lde, size_t height, size_t width,
                            const BabyBear4* alpha_powers, const DeviceReducedPoint* points,
                            size_t num_points, const BabyBear4* inv_denoms, BabyBear4* acc,
                            cudaStream_t stream) {
  if (height == 0 || num_points == 0) return;
  reduce_openings_kernel<<<blocks_for(height), kThreads, 0, stream>>>(
      lde, height, width, alpha_powers, points, num_points, inv_denoms, acc);
  CUDA_CHECK(cudaGetLastError());
}

void fri_fold_host(std::span<const BabyBear4> in, BabyBear4 beta, std::span<const BabyBear> inv_x,
                   std::span<BabyBear4> out, cudaStream_t stream) {
  const size_t m = out.size();
  DeviceBuffer<BabyBear4> d_in(in.size()), d_out(m);
  DeviceBuffer<BabyBear> d_inv(m);
  d_in.upload(in, stream);
  d_inv.upload(inv_x.first(m), stream);
  launch_fri_fold(d_in.data(), beta, d_inv.data(), d_out.data(), m, stream);
  d_out.download(out, stream);
  CUDA_CHECK(cudaStreamSynchronize(stream));
}

void reduce_openings_host(const RowMajorMatrix<BabyBear>& lde,
                          std::span<const BabyBear4> alpha_powers,
                          std::span<const ReducedOpeningPoint> points, std::span<BabyBear4> acc,
                          cudaStream_t stream) {
  const size_t height = lde.height();
  DeviceBuffer<BabyBear> d_lde(lde.values().size());
  DeviceBuffer<BabyBear4> d_powers(alpha_powers.size()), d_acc(height),
      d_inv(points.size() * height);
  std::vector<DeviceReducedPoint> host_points;
  for (size_t p = 0; p < points.size(); ++p) {
    host_points.push_back({points[p].coeff, points[p].reduced_value});
    d_inv.upload(points[p].inv_denoms.first(height), stream, p * height);
  }
  DeviceBuffer<DeviceReducedPoint> d_points(host_points.size());
  d_lde.upload(lde.values(), stream);
  d_powers.upload(alpha_powers, stream);
  d_points.upload(host_points, stream);
  d_acc.upload(acc, stream);
  launch_reduce_openings(d_lde.data(), height, lde.width(), d_powers.data(), d_points.data(),
                         points.size(), d_inv.data(), d_acc.data(), stream);
  d_acc.download(acc, stream);
  CUDA_CHECK(cudaStreamSynchronize(stream));  // host_points must outlive the copy
}

}  // namespace tessera::cuda
