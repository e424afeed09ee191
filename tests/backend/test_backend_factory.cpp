// make_backend: names, "auto", the CUDA backend's errors in builds without CUDA or without a
// device, and the lockstep switch from the environment.
#include <cstdlib>
#include <optional>
#include <string>

#include "backend/backend.hpp"
#include "backend/device.hpp"
#include "backend_test_util.hpp"

namespace tessera {
namespace {

using test::expect_error;

// Sets an environment variable for the scope of the object and restores the previous value.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value != nullptr) {
      setenv(name, value, 1);
    } else {
      unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

bool cuda_usable() {
  return cuda_compiled() && cuda_device_count() > 0;
}

TEST(BackendFactory, CpuByName) {
  EXPECT_EQ(make_backend("cpu", {})->name(), "cpu");
}

TEST(BackendFactory, AutoPicksCudaOnlyWhenCompiledAndPresent) {
  const std::string expected = cuda_usable() ? "cuda" : "cpu";
  EXPECT_EQ(make_backend("auto", {})->name(), expected);
}

TEST(BackendFactory, CudaWithoutBuildOrDeviceIsATypedError) {
  if (cuda_usable()) GTEST_SKIP() << "a CUDA device is present; tests/backend_gpu covers it";
  for (const char* name : {"cuda", "lockstep"}) {
    if (!cuda_compiled()) {
      expect_error(
          ErrorKind::NotCompiled, [&] { make_backend(name, {}); },
          "CUDA backend not compiled into this build");
    } else {
      expect_error(
          ErrorKind::Cuda, [&] { make_backend(name, {}); }, "no CUDA device");
    }
  }
}

TEST(BackendFactory, UnknownNameIsInvalidArgument) {
  expect_error(
      ErrorKind::InvalidArgument, [] { make_backend("tpu", {}); }, "tpu");
  expect_error(ErrorKind::InvalidArgument, [] { make_backend("", {}); });
  expect_error(ErrorKind::InvalidArgument, [] { make_backend("CPU", {}); });
}

TEST(BackendFactory, NamesListsEverySelectableBackend) {
  for (const std::string& name : backend_names()) {
    if (name == "cuda" || name == "lockstep") continue;  // may throw here, covered above
    EXPECT_NO_THROW(make_backend(name, {})) << name;
  }
  EXPECT_EQ(backend_names().size(), 4u);
}

TEST(BackendFactory, LockstepFromEnvironment) {
  {
    ScopedEnv env("TESSERA_BACKEND_LOCKSTEP", nullptr);
    EXPECT_FALSE(backend_options_from_env().lockstep);
  }
  {
    ScopedEnv env("TESSERA_BACKEND_LOCKSTEP", "0");
    EXPECT_FALSE(backend_options_from_env().lockstep);
  }
  {
    ScopedEnv env("TESSERA_BACKEND_LOCKSTEP", "1");
    EXPECT_TRUE(backend_options_from_env().lockstep);
    // Nothing to compare the CPU against: the CPU backend stays itself.
    EXPECT_EQ(make_backend("cpu")->name(), "cpu");
    if (cuda_usable()) {
      EXPECT_EQ(make_backend("cuda")->name(), "lockstep(cpu,cuda)");
      EXPECT_EQ(make_backend("auto")->name(), "lockstep(cpu,cuda)");
    } else {
      EXPECT_EQ(make_backend("auto")->name(), "cpu");
    }
  }
}

}  // namespace
}  // namespace tessera
