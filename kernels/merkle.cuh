#pragma once
// Mixed-matrix Merkle tree construction on the device (the construction of
// src/merkle/merkle_shape.hpp, bit-identical to merkle_commit()). Leaves and injected rows are
// hashed by Poseidon2's row kernel, layers by its compression kernel (kernels/poseidon2.cuh);
// this file adds the injection step and the orchestration. All pointers are DEVICE pointers and
// all work is queued on `stream`.
#include <cuda_runtime.h>

#include <cstddef>
#include <span>
#include <vector>

#include "field/babybear.hpp"
#include "hash/digest.hpp"
#include "kernels/device_buffer.cuh"
#include "merkle/merkle_shape.hpp"

namespace tessera::cuda {

// A row-major matrix in device memory (not owned).
struct DeviceMatrixView {
  const BabyBear* data = nullptr;
  size_t width = 0;
  size_t height = 0;
};

// nodes[i] = compress(nodes[i], injected[i]) for i < n: the injection of a layer's row digests.
void launch_merkle_inject(Digest* nodes, const Digest* injected, size_t n, cudaStream_t stream);

// out[i] = Hash(row i of group[0] ‖ row i of group[1] ‖ …) for i < out_size, every matrix of
// height out_size. One matrix is hashed where it lies; several are first copied side by side
// into `scratch` (grown as needed; it must outlive the queued work).
void hash_concatenated_rows_device(std::span<const DeviceMatrixView> group, Digest* out,
                                   size_t out_size, DeviceBuffer<BabyBear>& scratch,
                                   cudaStream_t stream);

// All layers of the tree of `matrices` (dims must match `shape`), computed on the device and
// copied back: layers[0] = leaves … layers.back() = {root}. Synchronises the stream.
std::vector<std::vector<Digest>> merkle_layers_device(const MerkleShape& shape,
                                                      std::span<const DeviceMatrixView> matrices,
                                                      cudaStream_t stream);

}  // namespace tessera::cuda
