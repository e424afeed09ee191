#pragma once
// The CUDA backend's factory. With CUDA compiled in it is defined in kernels/cuda_backend.cu
// (throws ErrorKind::Cuda when no device is visible); without, in cuda_unavailable.cpp (throws
// ErrorKind::NotCompiled), so that every build links the same symbols.

#include <memory>

#include "backend/backend.hpp"

namespace tessera {

// A CUDA backend on the calling thread's current device.
std::unique_ptr<Backend> make_cuda_backend();

}  // namespace tessera
