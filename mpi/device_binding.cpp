#include "mpi/device_binding.hpp"

#if TESSERA_HAVE_CUDA
#include <cuda_runtime.h>

#include <string>

#include "common/check.hpp"
#endif

namespace tessera::mpi {

void bind_thread_to_device(int device) {
  if (device < 0) return;
#if TESSERA_HAVE_CUDA
  const cudaError_t rc = cudaSetDevice(device);
  TESSERA_CHECK(rc == cudaSuccess, ErrorKind::Cuda,
                "cannot bind to GPU " << device << ": " << cudaGetErrorString(rc));
#endif
}

}  // namespace tessera::mpi
