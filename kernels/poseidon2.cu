// Poseidon2 batch kernels: permutations, row hashing (one thread per row) and Merkle layers of
// compressions (one thread per parent), with host launchers and synchronous host wrappers.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "kernels/cuda_check.cuh"
#include "kernels/cuda_stream.cuh"
#include "kernels/device_buffer.cuh"
#include "kernels/poseidon2.cuh"
#include "kernels/poseidon2_host.hpp"

namespace tessera::cuda {
namespace {

constexpr int kThreads = 128;

static_assert(sizeof(Poseidon2State) == 64 && sizeof(Digest) == 32,
              "states and digests are read as 16-byte vectors");

unsigned blocks_for(size_t n) {
  // Grid-stride loops below cover any n; cap the grid at a size that fills any current GPU.
  const size_t blocks = (n + kThreads - 1) / kThreads;
  return static_cast<unsigned>(std::min<size_t>(std::max<size_t>(blocks, 1), 1u << 20));
}

// cudaMalloc'd buffers are 256-byte aligned, so a 64-byte state or a 32-byte digest in an array
// of them is 16-byte aligned: load and store them as uint4.
__device__ __forceinline__ void load16(const void* src, uint32_t* s) {
  const uint4* v = static_cast<const uint4*>(src);
#pragma unroll
  for (int k = 0; k < 4; ++k) {
    const uint4 x = v[k];
    s[4 * k] = x.x;
    s[4 * k + 1] = x.y;
    s[4 * k + 2] = x.z;
    s[4 * k + 3] = x.w;
  }
}

__device__ __forceinline__ void store_words(void* dst, const uint32_t* s, int n_vec4) {
  uint4* v = static_cast<uint4*>(dst);
#pragma unroll
  for (int k = 0; k < 4; ++k) {
    if (k < n_vec4) v[k] = make_uint4(s[4 * k], s[4 * k + 1], s[4 * k + 2], s[4 * k + 3]);
  }
}

__global__ void permute_kernel(Poseidon2State* states, size_t n) {
  for (size_t i = blockIdx.x * size_t{blockDim.x} + threadIdx.x; i < n;
       i += size_t{gridDim.x} * blockDim.x) {
    uint32_t s[16];
    load16(&states[i], s);
    poseidon2_permute_words(s);
    store_words(&states[i], s, 4);
  }
}

__global__ void hash_rows_kernel(const BabyBear* matrix, size_t width, size_t height, Digest* out) {
  const uint32_t* words = reinterpret_cast<const uint32_t*>(matrix);
  for (size_t r = blockIdx.x * size_t{blockDim.x} + threadIdx.x; r < height;
       r += size_t{gridDim.x} * blockDim.x) {
    uint32_t d[8];
    poseidon2_hash_words(words + r * width, width, d);
    store_words(&out[r], d, 2);
  }
}

__global__ void compress_layer_kernel(const Digest* children, size_t n_parents, Digest* parents) {
  for (size_t i = blockIdx.x * size_t{blockDim.x} + threadIdx.x; i < n_parents;
       i += size_t{gridDim.x} * blockDim.x) {
    uint32_t s[16];
    load16(&children[2 * i], s);  // left || right: two adjacent digests
    poseidon2_permute_words(s);
    store_words(&parents[i], s, 2);
  }
}

}  // namespace

void launch_poseidon2_permute(Poseidon2State* states, size_t n, cudaStream_t stream) {
  if (n == 0) return;
  permute_kernel<<<blocks_for(n), kThreads, 0, stream>>>(states, n);
  CUDA_CHECK(cudaGetLastError());
}

void launch_poseidon2_hash_rows(const BabyBear* matrix, size_t width, size_t height, Digest* out,
                                cudaStream_t stream) {
  if (height == 0) return;
  hash_rows_kernel<<<blocks_for(height), kThreads, 0, stream>>>(matrix, width, height, out);
  CUDA_CHECK(cudaGetLastError());
}

void launch_poseidon2_compress_layer(const Digest* children, size_t n_parents, Digest* parents,
                                     cudaStream_t stream) {
  if (n_parents == 0) return;
  compress_layer_kernel<<<blocks_for(n_parents), kThreads, 0, stream>>>(children, n_parents,
                                                                        parents);
  CUDA_CHECK(cudaGetLastError());
}

// ---- synchronous host wrappers (poseidon2_host.hpp) ----

void poseidon2_permute_many_gpu(std::span<Poseidon2State> states) {
  if (states.empty()) return;
  CudaStream stream;
  DeviceBuffer<Poseidon2State> d(states.size());
  d.upload(states, stream);
  launch_poseidon2_permute(d.data(), states.size(), stream);
  d.download(states, stream);
  stream.synchronize();
}

void hash_rows_gpu(const RowMajorMatrix<BabyBear>& m, std::span<Digest> out) {
  TESSERA_CHECK(
      out.size() == m.height(), ErrorKind::InvalidArgument,
      "hash_rows_gpu: output has " << out.size() << " digests for " << m.height() << " rows");
  if (m.height() == 0) return;
  CudaStream stream;
  DeviceBuffer<BabyBear> d_matrix(m.values().size());
  DeviceBuffer<Digest> d_out(out.size());
  d_matrix.upload(m.values(), stream);
  launch_poseidon2_hash_rows(d_matrix.data(), m.width(), m.height(), d_out.data(), stream);
  d_out.download(out, stream);
  stream.synchronize();
}

void compress_pairs_gpu(std::span<const Digest> children, std::span<Digest> parents) {
  TESSERA_CHECK(children.size() == 2 * parents.size(), ErrorKind::InvalidArgument,
                "compress_pairs_gpu: " << children.size() << " children for " << parents.size()
                                       << " parents");
  if (parents.empty()) return;
  CudaStream stream;
  DeviceBuffer<Digest> d_children(children.size());
  DeviceBuffer<Digest> d_parents(parents.size());
  d_children.upload(children, stream);
  launch_poseidon2_compress_layer(d_children.data(), parents.size(), d_parents.data(), stream);
  d_parents.download(parents, stream);
  stream.synchronize();
}

Poseidon2GpuTimings time_poseidon2_gpu(size_t n_states, size_t height, size_t width,
                                       int repetitions) {
  TESSERA_CHECK(repetitions > 0, ErrorKind::InvalidArgument, "repetitions must be positive");
  CudaStream stream;
  // Deterministic pseudo-random canonical words (the timing does not depend on the values).
  auto fill = [](size_t n, uint32_t seed) {
    std::vector<BabyBear> v(n);
    uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
    for (auto& e : v) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      e = BabyBear::from_u64(x);
    }
    return v;
  };
  const auto state_words = fill(n_states * kPoseidon2Width, 1);
  const auto matrix = fill(height * width, 2);
  DeviceBuffer<BabyBear> d_states(state_words.size());
  DeviceBuffer<BabyBear> d_matrix(matrix.size());
  DeviceBuffer<Digest> d_digests(std::max(height, n_states));
  d_states.upload(state_words, stream);
  d_matrix.upload(matrix, stream);

  cudaEvent_t start, stop;
  CUDA_CHECK(cudaEventCreate(&start));
  CUDA_CHECK(cudaEventCreate(&stop));
  auto time = [&](auto&& launch) {
    launch();  // warm-up
    CUDA_CHECK(cudaEventRecord(start, stream));
    for (int i = 0; i < repetitions; ++i) launch();
    CUDA_CHECK(cudaEventRecord(stop, stream));
    CUDA_CHECK(cudaEventSynchronize(stop));
    float ms = 0;
    CUDA_CHECK(cudaEventElapsedTime(&ms, start, stop));
    return ms / 1e3 / repetitions;
  };
  auto* states = reinterpret_cast<Poseidon2State*>(d_states.data());
  Poseidon2GpuTimings t;
  t.permute_s = time([&] { launch_poseidon2_permute(states, n_states, stream); });
  t.hash_rows_s = time([&] {
    launch_poseidon2_hash_rows(d_matrix.data(), width, height, d_digests.data(), stream);
  });
  // The states buffer read as 2 n_states digests: one layer of n_states parents.
  t.compress_s = time([&] {
    launch_poseidon2_compress_layer(reinterpret_cast<const Digest*>(d_states.data()), n_states,
                                    d_digests.data(), stream);
  });
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
  return t;
}

}  // namespace tessera::cuda
