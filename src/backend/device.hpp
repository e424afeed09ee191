#pragma once
// What CUDA devices this process sees. Without CUDA compiled in, there are none; with CUDA but
// no driver or device, the count is 0 as well (never an error: a CPU run must still work).
#include <string>

namespace tessera {

// Number of visible CUDA devices (0 without CUDA, a driver or a device).
int cuda_device_count() noexcept;
// The device's name, e.g. "NVIDIA H100 80GB HBM3"; empty if it cannot be queried.
std::string cuda_device_name(int device);
// True when this build contains the CUDA backend.
constexpr bool cuda_compiled() noexcept {
  return TESSERA_HAVE_CUDA != 0;
}

}  // namespace tessera
