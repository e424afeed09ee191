// Device queries through the CUDA runtime. A missing driver or device is "0 devices", never an
// error: the same binary must run on CPU-only nodes.
#include <cuda_runtime.h>

#include "backend/device.hpp"

namespace tessera {

int cuda_device_count() noexcept {
  int n = 0;
  if (cudaGetDeviceCount(&n) != cudaSuccess) {
    cudaGetLastError();  // clear the sticky "no driver" error
    return 0;
  }
  return n;
}

std::string cuda_device_name(int device) {
  cudaDeviceProp prop{};
  if (cudaGetDeviceProperties(&prop, device) != cudaSuccess) {
    cudaGetLastError();
    return {};
  }
  return prop.name;
}

}  // namespace tessera
