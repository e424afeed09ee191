#pragma once
// CudaStream: an owning, move-only CUDA stream (RAII over cudaStreamCreateWithFlags /
// cudaStreamDestroy). Non-blocking with respect to the legacy default stream, so that work on
// different backends' streams overlaps.
#include <cuda_runtime.h>

#include <utility>

#include "kernels/cuda_check.cuh"

namespace tessera::cuda {

class CudaStream {
 public:
  CudaStream() { CUDA_CHECK(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking)); }
  ~CudaStream() {
    if (stream_ != nullptr) cudaStreamDestroy(stream_);
  }
  CudaStream(CudaStream&& other) noexcept : stream_(std::exchange(other.stream_, nullptr)) {}
  CudaStream& operator=(CudaStream&& other) noexcept {
    if (this != &other) {
      if (stream_ != nullptr) cudaStreamDestroy(stream_);
      stream_ = std::exchange(other.stream_, nullptr);
    }
    return *this;
  }
  CudaStream(const CudaStream&) = delete;
  CudaStream& operator=(const CudaStream&) = delete;

  cudaStream_t get() const { return stream_; }
  operator cudaStream_t() const { return stream_; }  // NOLINT: pass where a stream is expected

  // Waits for all work queued so far; a failed kernel surfaces here as a typed error.
  void synchronize() const { CUDA_CHECK(cudaStreamSynchronize(stream_)); }

 private:
  cudaStream_t stream_ = nullptr;
};

}  // namespace tessera::cuda
