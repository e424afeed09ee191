#pragma once
// MPI_CHECK(call): throws tessera::Error(ErrorKind::Mpi) with MPI's own error string. Communicators
// created by Tessera use MPI_ERRORS_RETURN so that errors reach this macro instead of aborting.
#include <mpi.h>

#include <string>

#include "common/check.hpp"

namespace tessera::mpi {
std::string mpi_error_string(int code);
}

#define MPI_CHECK(call)                                                                        \
  do {                                                                                         \
    int tessera_mpi_rc_ = (call);                                                              \
    if (tessera_mpi_rc_ != MPI_SUCCESS) [[unlikely]] {                                         \
      ::tessera::throw_check_failure(::tessera::ErrorKind::Mpi,                                \
                                     ::tessera::mpi::mpi_error_string(tessera_mpi_rc_), #call, \
                                     __FILE__, __LINE__);                                      \
    }                                                                                          \
  } while (0)
