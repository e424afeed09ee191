#pragma once
// DeviceBuffer<T>: an owning, move-only array in GPU global memory (RAII over cudaMalloc /
// cudaFree), with typed copies to and from the host on a stream. Sizes are element counts.
// Allocation failure is ErrorKind::OutOfMemory (CUDA_CHECK), so a shard that does not fit is
// reported as "GPU out of memory" rather than as a generic CUDA error.
#include <cuda_runtime.h>

#include <cstddef>
#include <span>
#include <type_traits>
#include <utility>

#include "kernels/cuda_check.cuh"

namespace tessera::cuda {

template <typename T>
class DeviceBuffer {
  static_assert(std::is_trivially_copyable_v<T>, "device buffers hold trivially copyable values");

 public:
  DeviceBuffer() = default;
  explicit DeviceBuffer(size_t count) : count_(count) {
    if (count_ > 0) CUDA_CHECK(cudaMalloc(reinterpret_cast<void**>(&data_), bytes()));
  }
  ~DeviceBuffer() { reset(); }
  DeviceBuffer(DeviceBuffer&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)), count_(std::exchange(other.count_, 0)) {}
  DeviceBuffer& operator=(DeviceBuffer&& other) noexcept {
    if (this != &other) {
      reset();
      data_ = std::exchange(other.data_, nullptr);
      count_ = std::exchange(other.count_, 0);
    }
    return *this;
  }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;

  T* data() { return data_; }
  const T* data() const { return data_; }
  size_t size() const { return count_; }
  size_t bytes() const { return count_ * sizeof(T); }

  // Host -> device copy of host.size() elements at element `offset`.
  void upload(std::span<const T> host, cudaStream_t stream, size_t offset = 0) {
    TESSERA_ASSERT(offset + host.size() <= count_);
    if (host.empty()) return;
    CUDA_CHECK(cudaMemcpyAsync(data_ + offset, host.data(), host.size_bytes(),
                               cudaMemcpyHostToDevice, stream));
  }
  // Device -> host copy of host.size() elements from element `offset`. The host memory must
  // stay alive until the stream is synchronised.
  void download(std::span<T> host, cudaStream_t stream, size_t offset = 0) const {
    TESSERA_ASSERT(offset + host.size() <= count_);
    if (host.empty()) return;
    CUDA_CHECK(cudaMemcpyAsync(host.data(), data_ + offset, host.size_bytes(),
                               cudaMemcpyDeviceToHost, stream));
  }

 private:
  void reset() noexcept {
    if (data_ != nullptr) cudaFree(data_);  // never throws from a destructor
    data_ = nullptr;
    count_ = 0;
  }

  T* data_ = nullptr;
  size_t count_ = 0;
};

}  // namespace tessera::cuda
