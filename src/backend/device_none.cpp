// Device queries for a build without CUDA: no devices, ever.
#include "backend/device.hpp"

namespace tessera {
int cuda_device_count() noexcept {
  return 0;
}
std::string cuda_device_name(int) {
  return {};
}
}  // namespace tessera
