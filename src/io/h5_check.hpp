#pragma once
// H5_CHECK(call): evaluates an HDF5 call once; a negative result (an invalid hid_t, a failed
// herr_t or htri_t) throws tessera::Error(ErrorKind::Hdf5) with HDF5's own explanation taken
// from its error stack, the expression, the file and the line. The value is returned otherwise,
// so the macro wraps calls that create handles: `H5File f(H5_CHECK(H5Fopen(...)))`.
//
// HDF5's habit of printing its whole error stack to stderr is switched off once, by
// h5_quiet(): a user sees one line from Tessera, not thirty from the library.

#include <hdf5.h>

#include <string>

#include "common/check.hpp"

namespace tessera::h5 {

// Switches off HDF5's automatic error printing for this process (idempotent, cheap).
void quiet();

// HDF5's explanation of the error on the current thread's stack: the API function's message and
// the innermost cause, e.g. "unable to open file (file signature not found)". Empty if none.
std::string error_stack_message();

[[noreturn]] void throw_hdf5_error(const char* expr, const char* file, int line);

template <typename T>
inline T checked(T rc, const char* expr, const char* file, int line) {
  if (rc < 0) [[unlikely]]
    throw_hdf5_error(expr, file, line);
  return rc;
}

}  // namespace tessera::h5

#define H5_CHECK(call) ::tessera::h5::checked((call), #call, __FILE__, __LINE__)
