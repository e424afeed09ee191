#include "io/h5_check.hpp"

#include <mutex>
#include <vector>

namespace tessera::h5 {

void quiet() {
  static std::once_flag once;
  std::call_once(once, [] { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); });
}

namespace {
herr_t collect(unsigned /*n*/, const H5E_error2_t* err, void* data) {
  auto* out = static_cast<std::vector<std::string>*>(data);
  if (err != nullptr && err->desc != nullptr && *err->desc != '\0') out->emplace_back(err->desc);
  return 0;
}
}  // namespace

std::string error_stack_message() {
  std::vector<std::string> descs;
  // Walking downward starts at the API call (the outermost, most general message) and ends at
  // the innermost cause (the specific one); both are worth showing.
  if (H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, collect, &descs) < 0 || descs.empty()) return {};
  if (descs.size() == 1 || descs.front() == descs.back()) return descs.front();
  return descs.front() + " (" + descs.back() + ")";
}

void throw_hdf5_error(const char* expr, const char* file, int line) {
  std::string what = error_stack_message();
  if (what.empty()) what = "HDF5 call failed";
  H5Eclear2(H5E_DEFAULT);
  throw_check_failure(ErrorKind::Hdf5, "HDF5: " + what, expr, file, line);
}

}  // namespace tessera::h5
