// make_backend: from a name ("cpu", "cuda", "auto", "lockstep") to a Backend.
#include <cstdlib>
#include <string>

#include "backend/backend.hpp"
#include "backend/cpu_backend.hpp"
#include "backend/cuda_backend.hpp"
#include "backend/device.hpp"
#include "backend/lockstep_backend.hpp"

namespace tessera {

BackendOptions backend_options_from_env() {
  BackendOptions options;
  const char* lockstep = std::getenv("TESSERA_BACKEND_LOCKSTEP");
  options.lockstep =
      lockstep != nullptr && std::string_view(lockstep) != "" && std::string_view(lockstep) != "0";
  return options;
}

std::vector<std::string> backend_names() {
  return {"auto", "cpu", "cuda", "lockstep"};
}

std::unique_ptr<Backend> make_backend(std::string_view name) {
  return make_backend(name, backend_options_from_env());
}

std::unique_ptr<Backend> make_backend(std::string_view name, const BackendOptions& options) {
  if (name == "auto") {
    name = cuda_compiled() && cuda_device_count() > 0 ? "cuda" : "cpu";
  }
  if (name == "cpu") return make_cpu_backend();
  if (name == "cuda") {
    std::unique_ptr<Backend> cuda = make_cuda_backend();
    if (!options.lockstep) return cuda;
    return std::make_unique<LockstepBackend>(make_cpu_backend(), std::move(cuda));
  }
  if (name == "lockstep") {
    return std::make_unique<LockstepBackend>(make_cpu_backend(), make_cuda_backend());
  }
  TESSERA_FAIL(ErrorKind::InvalidArgument,
               "unknown backend '" << name << "' (expected auto, cpu, cuda or lockstep)");
}

}  // namespace tessera
