// CUDA NTT kernels and launchers (see kernels/ntt_schedule.hpp for the plan: fused radix-2 passes
// in shared memory, segments of 32 columns or of consecutive rows for coalescing, permuted loads
// and stores that fold the bit reversals and LDE scalings into the first / last pass).
#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "common/check.hpp"
#include "kernels/cuda_check.cuh"
#include "kernels/cuda_stream.cuh"
#include "kernels/device_buffer.cuh"
#include "kernels/ntt.cuh"
#include "kernels/ntt_host.hpp"
#include "kernels/ntt_schedule.hpp"
#include "poly/twiddles.hpp"

namespace tessera::cuda {
namespace {

using ntt::PassArgs;
using ntt::Schedule;

// ---- kernels ----------------------------------------------------------------------------------

// One pass: each block loads its group (R rows x one segment) into shared memory, runs the
// pass's stages with a barrier after each, and stores it. Grid-stride over groups, so any grid
// size works; the loop condition is uniform across a block, so the barriers are safe.
__global__ void __launch_bounds__(ntt::kThreads) ntt_pass_kernel(const PassArgs a) {
  extern __shared__ uint32_t smem_words[];
  BabyBear* tile = reinterpret_cast<BabyBear*>(smem_words);
  for (uint64_t block = blockIdx.x; block < a.shape.blocks; block += gridDim.x) {
    const ntt::Lane lane = ntt::lane_of(a, block, threadIdx.x);
    ntt::load_tile(a, lane, threadIdx.x, threadIdx.y, tile);
    __syncthreads();
    if (a.dit) {
      for (uint32_t s = a.shape.s0; s < a.shape.s1; ++s) {
        ntt::butterfly_stage(a, lane, s, threadIdx.x, threadIdx.y, tile);
        __syncthreads();
      }
    } else {
      for (uint32_t s = a.shape.s1; s-- > a.shape.s0;) {
        ntt::butterfly_stage(a, lane, s, threadIdx.x, threadIdx.y, tile);
        __syncthreads();
      }
    }
    ntt::store_tile(a, lane, threadIdx.x, threadIdx.y, tile);
    __syncthreads();  // the tile is reused by the block's next group
  }
}

__global__ void lde_factors_kernel(const ntt::FactorArgs f) {
  for (uint64_t i = blockIdx.x * uint64_t{blockDim.x} + threadIdx.x; i < f.count;
       i += uint64_t{gridDim.x} * blockDim.x) {
    f.out[i] = ntt::factor_at(f, i);
  }
}

// Element (i, c) swaps with (rev(i), c) when i < rev(i); consecutive threads take consecutive
// columns of a row, so both rows are read and written coalesced.
__global__ void bit_reverse_rows_kernel(BabyBear* data, uint64_t height, uint64_t width,
                                        uint32_t log_n) {
  const uint64_t total = height * width;
  for (uint64_t idx = blockIdx.x * uint64_t{blockDim.x} + threadIdx.x; idx < total;
       idx += uint64_t{gridDim.x} * blockDim.x) {
    const uint64_t i = idx / width, c = idx % width;
    const uint64_t r = reverse_bits(i, log_n);
    if (i < r) {
      const BabyBear x = data[i * width + c];
      data[i * width + c] = data[r * width + c];
      data[r * width + c] = x;
    }
  }
}

constexpr uint64_t kMaxGrid = uint64_t{1} << 20;  // grid-stride loops cover the rest

unsigned grid_for(uint64_t units, uint64_t per_block) {
  const uint64_t blocks = (units + per_block - 1) / per_block;
  return static_cast<unsigned>(std::clamp<uint64_t>(blocks, 1, kMaxGrid));
}

// ---- twiddles on the device -------------------------------------------------------------------

// Per device, the largest table uploaded so far. Tables are never freed while the process runs:
// work queued on any stream may still read an older one after a larger one has been uploaded.
struct DeviceTwiddles {
  uint32_t log_size = 0;
  const BabyBear* forward = nullptr;
  const BabyBear* inverse = nullptr;
};

DeviceTwiddles device_twiddles(uint32_t log_n) {
  static std::mutex mutex;
  static std::map<int, DeviceTwiddles> tables;
  static std::vector<std::unique_ptr<DeviceBuffer<BabyBear>>> keep_alive;
  int device = 0;
  CUDA_CHECK(cudaGetDevice(&device));
  std::lock_guard<std::mutex> lock(mutex);
  DeviceTwiddles& t = tables[device];
  if (t.forward == nullptr || t.log_size < log_n) {
    const auto host = ntt_twiddles(log_n);
    auto fwd = std::make_unique<DeviceBuffer<BabyBear>>(host->forward.size());
    auto inv = std::make_unique<DeviceBuffer<BabyBear>>(host->inverse.size());
    CUDA_CHECK(cudaMemcpy(fwd->data(), host->forward.data(), fwd->bytes(), cudaMemcpyHostToDevice));
    CUDA_CHECK(cudaMemcpy(inv->data(), host->inverse.data(), inv->bytes(), cudaMemcpyHostToDevice));
    // A pageable cudaMemcpy may return before the DMA lands; other (non-blocking) streams
    // must not see a half-written table.
    CUDA_CHECK(cudaDeviceSynchronize());
    t = {host->log_size, fwd->data(), inv->data()};
    keep_alive.push_back(std::move(fwd));
    keep_alive.push_back(std::move(inv));
  }
  return t;
}

// ---- running a schedule -----------------------------------------------------------------------

void launch(const Schedule& s, cudaStream_t stream) {
  for (const ntt::Step& step : s.steps) {
    if (step.is_factors) {
      lde_factors_kernel<<<grid_for(step.factors.count, 256), 256, 0, stream>>>(step.factors);
    } else {
      const ntt::PassShape& p = step.pass.shape;
      const dim3 block(p.seg, p.block_y);
      const unsigned grid = static_cast<unsigned>(std::min<uint64_t>(p.blocks, kMaxGrid));
      ntt_pass_kernel<<<grid, block, p.smem_bytes(), stream>>>(step.pass);
    }
    CUDA_CHECK(cudaGetLastError());
  }
}

// Stream-ordered workspace: allocated before the launches and freed after them on the same
// stream, so the memory returns to the pool only when the work is done.
class StreamWorkspace {
 public:
  StreamWorkspace(uint64_t elems, cudaStream_t stream) : stream_(stream) {
    if (elems > 0) {
      CUDA_CHECK(
          cudaMallocAsync(reinterpret_cast<void**>(&data_), elems * sizeof(BabyBear), stream_));
    }
  }
  ~StreamWorkspace() {
    if (data_ != nullptr) cudaFreeAsync(data_, stream_);
  }
  StreamWorkspace(const StreamWorkspace&) = delete;
  StreamWorkspace& operator=(const StreamWorkspace&) = delete;
  BabyBear* get() const { return data_; }

 private:
  BabyBear* data_ = nullptr;
  cudaStream_t stream_;
};

uint32_t checked_log(size_t height, const char* what) {
  const uint32_t log_n = log2_strict(height, what);
  TESSERA_CHECK(
      log_n <= kMaxLogNttSize, ErrorKind::InvalidArgument,
      what << " 2^" << log_n << " exceeds the largest two-adic subgroup 2^" << kMaxLogNttSize);
  return log_n;
}

}  // namespace

void ntt_forward_device(BabyBear* data, size_t height, size_t width, cudaStream_t stream) {
  const uint32_t log_n = checked_log(height, "NTT height");
  if (width == 0 || log_n == 0) return;
  const DeviceTwiddles tw = device_twiddles(log_n);
  const uint64_t work =
      ntt::schedule_forward(data, log_n, width, tw.forward, nullptr).workspace_elems;
  StreamWorkspace ws(work, stream);
  launch(ntt::schedule_forward(data, log_n, width, tw.forward, ws.get()), stream);
}

void ntt_inverse_device(BabyBear* data, size_t height, size_t width, cudaStream_t stream) {
  const uint32_t log_n = checked_log(height, "NTT height");
  if (width == 0 || log_n == 0) return;
  const DeviceTwiddles tw = device_twiddles(log_n);
  const uint64_t work =
      ntt::schedule_inverse(data, log_n, width, tw.inverse, nullptr).workspace_elems;
  StreamWorkspace ws(work, stream);
  launch(ntt::schedule_inverse(data, log_n, width, tw.inverse, ws.get()), stream);
}

void coset_lde_device(const BabyBear* evals, size_t height, size_t width, uint32_t log_blowup,
                      BabyBear shift, BabyBear* out, cudaStream_t stream, LdeOrder order) {
  const uint32_t log_n = checked_log(height, "LDE input height");
  TESSERA_CHECK(log_blowup <= kMaxLogNttSize && log_n + log_blowup <= kMaxLogNttSize,
                ErrorKind::InvalidArgument,
                "LDE of height 2^" << log_n << " with blowup 2^" << log_blowup
                                   << " exceeds the largest two-adic subgroup 2^"
                                   << kMaxLogNttSize);
  if (width == 0) return;
  const DeviceTwiddles tw = device_twiddles(log_n + log_blowup);
  const bool rev = order == LdeOrder::BitReversed;
  const auto plan = [&](BabyBear* work) {
    return ntt::schedule_coset_lde(evals, out, log_n, width, log_blowup, shift, rev, tw.forward,
                                   tw.inverse, work);
  };
  StreamWorkspace ws(plan(nullptr).workspace_elems, stream);
  launch(plan(ws.get()), stream);
}

void bit_reverse_rows_device(BabyBear* data, size_t height, size_t width, cudaStream_t stream) {
  const uint32_t log_n = log2_strict(height, "bit-reversal height");
  if (width == 0 || height <= 2) return;
  bit_reverse_rows_kernel<<<grid_for(uint64_t{height} * width, 256), 256, 0, stream>>>(
      data, height, width, log_n);
  CUDA_CHECK(cudaGetLastError());
}

// ---- host wrappers ----------------------------------------------------------------------------

namespace {

DeviceBuffer<BabyBear> upload(const RowMajorMatrix<BabyBear>& m, cudaStream_t stream) {
  DeviceBuffer<BabyBear> d(m.values().size());
  d.upload(m.values(), stream);
  return d;
}

}  // namespace

void ntt_forward_gpu(RowMajorMatrix<BabyBear>& m) {
  checked_log(m.height(), "NTT height");
  CudaStream stream;
  DeviceBuffer<BabyBear> d = upload(m, stream);
  ntt_forward_device(d.data(), m.height(), m.width(), stream);
  d.download(m.values(), stream);
  stream.synchronize();
}

void ntt_inverse_gpu(RowMajorMatrix<BabyBear>& m) {
  checked_log(m.height(), "NTT height");
  CudaStream stream;
  DeviceBuffer<BabyBear> d = upload(m, stream);
  ntt_inverse_device(d.data(), m.height(), m.width(), stream);
  d.download(m.values(), stream);
  stream.synchronize();
}

RowMajorMatrix<BabyBear> coset_lde_gpu(const RowMajorMatrix<BabyBear>& evals, uint32_t log_blowup,
                                       BabyBear shift, LdeOrder order) {
  const uint32_t log_n = checked_log(evals.height(), "LDE input height");
  TESSERA_CHECK(log_blowup <= kMaxLogNttSize && log_n + log_blowup <= kMaxLogNttSize,
                ErrorKind::InvalidArgument,
                "LDE of height 2^" << log_n << " with blowup 2^" << log_blowup
                                   << " exceeds the largest two-adic subgroup 2^"
                                   << kMaxLogNttSize);
  RowMajorMatrix<BabyBear> out(evals.width(), evals.height() << log_blowup);
  CudaStream stream;
  DeviceBuffer<BabyBear> d_in = upload(evals, stream);
  DeviceBuffer<BabyBear> d_out(out.values().size());
  coset_lde_device(d_in.data(), evals.height(), evals.width(), log_blowup, shift, d_out.data(),
                   stream, order);
  d_out.download(out.values(), stream);
  stream.synchronize();
  return out;
}

void bit_reverse_rows_gpu(RowMajorMatrix<BabyBear>& m) {
  log2_strict(m.height(), "bit-reversal height");
  CudaStream stream;
  DeviceBuffer<BabyBear> d = upload(m, stream);
  bit_reverse_rows_device(d.data(), m.height(), m.width(), stream);
  d.download(m.values(), stream);
  stream.synchronize();
}

NttGpuTimings time_ntt_gpu(size_t height, size_t width, uint32_t log_blowup, int repetitions) {
  TESSERA_CHECK(repetitions > 0, ErrorKind::InvalidArgument, "repetitions must be positive");
  checked_log(height << log_blowup, "NTT benchmark height");
  CudaStream stream;
  DeviceBuffer<BabyBear> data(height * width), out((height << log_blowup) * width);
  CUDA_CHECK(cudaMemsetAsync(data.data(), 0, data.bytes(), stream));  // zeros are valid values
  cudaEvent_t start = nullptr, stop = nullptr;
  CUDA_CHECK(cudaEventCreate(&start));
  CUDA_CHECK(cudaEventCreate(&stop));
  const auto time = [&](auto&& op) {
    op();  // warm-up: twiddle upload, pool growth
    CUDA_CHECK(cudaEventRecord(start, stream));
    for (int i = 0; i < repetitions; ++i) op();
    CUDA_CHECK(cudaEventRecord(stop, stream));
    CUDA_CHECK(cudaEventSynchronize(stop));
    float ms = 0;
    CUDA_CHECK(cudaEventElapsedTime(&ms, start, stop));
    return static_cast<double>(ms) / 1e3 / repetitions;
  };
  NttGpuTimings t;
  t.forward_s = time([&] { ntt_forward_device(data.data(), height, width, stream); });
  t.coset_lde_s = time([&] {
    coset_lde_device(data.data(), height, width, log_blowup,
                     BabyBear::from_u32(BabyBear::kGenerator), out.data(), stream);
  });
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
  return t;
}

}  // namespace tessera::cuda
