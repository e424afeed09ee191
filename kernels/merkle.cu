// Mixed-matrix Merkle tree on the device: the injection kernel and the layer-by-layer
// orchestration over Poseidon2's row-hash and compression kernels (see merkle.cuh).
#include <algorithm>

#include "kernels/cuda_check.cuh"
#include "kernels/merkle.cuh"
#include "kernels/poseidon2.cuh"

namespace tessera::cuda {
namespace {

constexpr int kThreads = 128;

unsigned blocks_for(size_t n) {
  const size_t blocks = (n + kThreads - 1) / kThreads;
  return static_cast<unsigned>(std::min<size_t>(std::max<size_t>(blocks, 1), 1u << 20));
}

// One thread per node: permute (node ‖ injected row digest), keep the first 8 words — the
// two-to-one compression of hash/sponge.hpp.
__global__ void inject_kernel(Digest* nodes, const Digest* injected, size_t n) {
  for (size_t i = blockIdx.x * size_t{blockDim.x} + threadIdx.x; i < n;
       i += size_t{gridDim.x} * blockDim.x) {
    uint32_t s[16];
#pragma unroll
    for (int k = 0; k < 8; ++k) {
      s[k] = nodes[i][k].raw();
      s[8 + k] = injected[i][k].raw();
    }
    poseidon2_permute_words(s);
#pragma unroll
    for (int k = 0; k < 8; ++k) nodes[i][k] = BabyBear::from_raw(s[k]);
  }
}

}  // namespace

void launch_merkle_inject(Digest* nodes, const Digest* injected, size_t n, cudaStream_t stream) {
  if (n == 0) return;
  inject_kernel<<<blocks_for(n), kThreads, 0, stream>>>(nodes, injected, n);
  CUDA_CHECK(cudaGetLastError());
}

void hash_concatenated_rows_device(std::span<const DeviceMatrixView> group, Digest* out,
                                   size_t out_size, DeviceBuffer<BabyBear>& scratch,
                                   cudaStream_t stream) {
  TESSERA_ASSERT(!group.empty());
  for (const DeviceMatrixView& m : group) TESSERA_ASSERT(m.height == out_size && m.width > 0);
  if (group.size() == 1) {
    launch_poseidon2_hash_rows(group[0].data, group[0].width, out_size, out, stream);
    return;
  }
  size_t total_width = 0;
  for (const DeviceMatrixView& m : group) total_width += m.width;
  if (scratch.size() < total_width * out_size) {
    scratch = DeviceBuffer<BabyBear>(total_width * out_size);  // cudaFree waits for the device
  }
  size_t column = 0;
  for (const DeviceMatrixView& m : group) {
    // Matrix m becomes columns [column, column + width) of the height x total_width scratch.
    CUDA_CHECK(cudaMemcpy2DAsync(scratch.data() + column, total_width * sizeof(BabyBear), m.data,
                                 m.width * sizeof(BabyBear), m.width * sizeof(BabyBear), out_size,
                                 cudaMemcpyDeviceToDevice, stream));
    column += m.width;
  }
  launch_poseidon2_hash_rows(scratch.data(), total_width, out_size, out, stream);
}

std::vector<std::vector<Digest>> merkle_layers_device(const MerkleShape& shape,
                                                      std::span<const DeviceMatrixView> matrices,
                                                      cudaStream_t stream) {
  TESSERA_ASSERT(matrices.size() == shape.num_matrices());
  for (size_t m = 0; m < matrices.size(); ++m) {
    TESSERA_ASSERT(matrices[m].width == shape.dims()[m].width &&
                   matrices[m].height == shape.dims()[m].height);
  }
  // All layers in one buffer, leaves first: layer l starts at offset[l] and has H >> l nodes.
  std::vector<size_t> offset(shape.num_layers() + 1, 0);
  for (unsigned l = 0; l < shape.num_layers(); ++l) offset[l + 1] = offset[l] + shape.layer_size(l);
  DeviceBuffer<Digest> nodes(offset.back());
  DeviceBuffer<Digest> injected;
  DeviceBuffer<BabyBear> scratch;
  std::vector<DeviceMatrixView> group;
  auto entering = [&](unsigned layer) {
    group.clear();
    for (size_t m : shape.entering_at(layer)) group.push_back(matrices[m]);
    return std::span<const DeviceMatrixView>(group);
  };

  hash_concatenated_rows_device(entering(0), nodes.data(), shape.layer_size(0), scratch, stream);
  for (unsigned l = 1; l < shape.num_layers(); ++l) {
    const size_t n = shape.layer_size(l);
    launch_poseidon2_compress_layer(nodes.data() + offset[l - 1], n, nodes.data() + offset[l],
                                    stream);
    if (!shape.entering_at(l).empty()) {
      if (injected.size() < n) injected = DeviceBuffer<Digest>(n);
      hash_concatenated_rows_device(entering(l), injected.data(), n, scratch, stream);
      launch_merkle_inject(nodes.data() + offset[l], injected.data(), n, stream);
    }
  }

  std::vector<Digest> all(offset.back());
  nodes.download(all, stream);
  CUDA_CHECK(cudaStreamSynchronize(stream));
  std::vector<std::vector<Digest>> layers(shape.num_layers());
  for (unsigned l = 0; l < shape.num_layers(); ++l) {
    layers[l].assign(all.begin() + offset[l], all.begin() + offset[l + 1]);
  }
  return layers;
}

}  // namespace tessera::cuda
