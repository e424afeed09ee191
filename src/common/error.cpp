#include "common/error.hpp"

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

void throw_check_failure(ErrorKind kind, std::string_view what, std::string_view expr,
                         const char* file, int line) {
  std::ostringstream os;
  os << what << " (" << expr << " failed at " << file << ':' << line << ')';
  throw Error(kind, os.str());
}

}  // namespace tessera
