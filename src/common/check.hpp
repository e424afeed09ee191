#pragma once
// The check-macro family. Each evaluates its argument once and throws tessera::Error carrying
// the failed expression, the library's own message, the file and the line. Library-specific
// macros (MPI_CHECK, CUDA_CHECK, NCCL_CHECK, H5_CHECK) live next to the code that includes the
// library's header (mpi/mpi_check.hpp, kernels/cuda_check.cuh, io/h5_check.hpp) and are built on
// throw_check_failure so that every message has the same shape.

#include <sstream>
#include <string>

#include "common/error.hpp"

// TESSERA_CHECK(cond, kind, streamable-message): argument validation and invariants.
#define TESSERA_CHECK(cond, kind, msg)                                                            \
  do {                                                                                            \
    if (!(cond)) [[unlikely]] {                                                                   \
      std::ostringstream tessera_check_os_;                                                       \
      tessera_check_os_ << msg;                                                                   \
      ::tessera::throw_check_failure((kind), tessera_check_os_.str(), #cond, __FILE__, __LINE__); \
    }                                                                                             \
  } while (0)

// TESSERA_ASSERT(cond): an internal invariant; failing it is a bug in Tessera.
#define TESSERA_ASSERT(cond) \
  TESSERA_CHECK(cond, ::tessera::ErrorKind::Internal, "internal invariant")

// TESSERA_FAIL(kind, message): unconditional typed error with a plain message (no location),
// for errors that are the user's input rather than a failed check.
#define TESSERA_FAIL(kind, msg)                             \
  do {                                                      \
    std::ostringstream tessera_fail_os_;                    \
    tessera_fail_os_ << msg;                                \
    throw ::tessera::Error((kind), tessera_fail_os_.str()); \
  } while (0)
