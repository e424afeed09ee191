#pragma once
// CUDA_CHECK(call): throws tessera::Error with CUDA's error name and string. Out-of-memory is its
// own kind (ErrorKind::OutOfMemory) so that the CLI can say "GPU out of memory" and the scheduler
// can decide what to do with the shard.
#include <cuda_runtime.h>

#include <string>

#include "common/check.hpp"

#define CUDA_CHECK(call)                                                                      \
  do {                                                                                        \
    cudaError_t tessera_cuda_rc_ = (call);                                                    \
    if (tessera_cuda_rc_ != cudaSuccess) [[unlikely]] {                                       \
      ::tessera::throw_check_failure(tessera_cuda_rc_ == cudaErrorMemoryAllocation            \
                                         ? ::tessera::ErrorKind::OutOfMemory                  \
                                         : ::tessera::ErrorKind::Cuda,                        \
                                     std::string(cudaGetErrorName(tessera_cuda_rc_)) + ": " + \
                                         cudaGetErrorString(tessera_cuda_rc_),                \
                                     #call, __FILE__, __LINE__);                              \
    }                                                                                         \
  } while (0)
