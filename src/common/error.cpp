#include "common/error.hpp"

#include <atomic>
#include <cstdlib>
#include <sstream>

namespace tessera {

std::string_view error_kind_name(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::Internal:
      return "internal error";
    case ErrorKind::Usage:
      return "usage error";
    case ErrorKind::InputFile:
      return "input file error";
    case ErrorKind::BadElf:
      return "bad ELF";
    case ErrorKind::GuestTrap:
      return "guest trap";
    case ErrorKind::CycleLimit:
      return "cycle limit exceeded";
    case ErrorKind::VerifyFailed:
      return "verification failed";
    case ErrorKind::Format:
      return "malformed data";
    case ErrorKind::ConfigMismatch:
      return "configuration mismatch";
    case ErrorKind::InvalidArgument:
      return "invalid argument";
    case ErrorKind::Mpi:
      return "MPI error";
    case ErrorKind::Cuda:
      return "CUDA error";
    case ErrorKind::OutOfMemory:
      return "out of memory";
    case ErrorKind::Hdf5:
      return "HDF5 error";
    case ErrorKind::NotCompiled:
      return "not compiled";
    case ErrorKind::Nccl:
      return "NCCL error";
    case ErrorKind::Interrupted:
      return "interrupted";
    case ErrorKind::Retryable:
      return "retryable failure";
  }
  return "unknown error";
}

namespace {
int details_from_env() noexcept {
  const char* v = std::getenv("TESSERA_VERBOSE");
  return v != nullptr && *v != '\0' && std::string_view(v) != "0" ? 1 : 0;
}
std::atomic<int>& details_flag() noexcept {
  static std::atomic<int> flag{details_from_env()};
  return flag;
}
std::string with_detail(ErrorKind kind, const std::string& message, const std::string& detail) {
  if (detail.empty() || (kind != ErrorKind::Internal && !error_details_enabled())) return message;
  return message + " (" + detail + ")";
}
bool library_kind(ErrorKind kind) {
  return kind == ErrorKind::Mpi || kind == ErrorKind::Hdf5 || kind == ErrorKind::Cuda ||
         kind == ErrorKind::Nccl;
}
}  // namespace

bool error_details_enabled() noexcept {
  return details_flag().load(std::memory_order_relaxed) != 0;
}

void set_error_details(bool enabled) noexcept {
  details_flag().store(enabled ? 1 : 0, std::memory_order_relaxed);
}

Error::Error(ErrorKind kind, const std::string& message, std::string detail)
    : std::runtime_error(with_detail(kind, message, detail)),
      kind_(kind),
      detail_(std::move(detail)) {}

void throw_check_failure(ErrorKind kind, std::string_view what, std::string_view expr,
                         const char* file, int line) {
  std::ostringstream message;
  message << what;
  if (library_kind(kind)) {
    const std::string_view fn = expr.substr(0, expr.find('('));
    if (!fn.empty() && fn.size() < expr.size()) message << " (in " << fn << ')';
  }
  std::ostringstream detail;
  detail << expr << " failed at " << file << ':' << line;
  throw Error(kind, message.str(), detail.str());
}

}  // namespace tessera
