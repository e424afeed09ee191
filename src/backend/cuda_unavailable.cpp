// A build without CUDA still links the CUDA backend's factory: it refuses with NotCompiled
// (Ginkgo's pattern for disabled executors), so callers handle one error instead of an #ifdef.
#include "backend/cuda_backend.hpp"

namespace tessera {

std::unique_ptr<Backend> make_cuda_backend() {
  TESSERA_FAIL(ErrorKind::NotCompiled,
               "CUDA backend not compiled into this build (configure with "
               "-DTESSERA_ENABLE_CUDA=ON on a machine with the CUDA toolkit)");
}

}  // namespace tessera
