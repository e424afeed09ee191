#pragma once
// The one error type of Tessera. Every failure that can reach a user carries a kind, and each
// kind maps to a distinct process exit code, so that batch scripts can tell a bad ELF from a
// failed verification from a lost GPU without parsing text.
//
// Messages are for users: what() names the cause in one line. A failed check (common/check.hpp)
// also records the checked expression and its source location as detail(); what() carries them
// only when error details are switched on (`tessera --verbose`, or TESSERA_VERBOSE=1 in the
// environment), and always for ErrorKind::Internal, whose location is what a bug report needs.

#include <stdexcept>
#include <string>
#include <string_view>

namespace tessera {

// Exit codes are part of the CLI contract (docs/DESIGN.md, "Errors"); never renumber.
enum class ErrorKind : int {
  Internal = 1,          // a bug in Tessera: an invariant did not hold
  Usage = 2,             // bad command line
  InputFile = 3,         // missing / unreadable input file, or an output that would be overwritten
  BadElf = 4,            // malformed or unsupported ELF
  GuestTrap = 5,         // illegal instruction, misaligned access, bad syscall in the guest
  CycleLimit = 6,        // the guest ran past --max-cycles
  VerifyFailed = 7,      // a proof or artifact did not verify
  Format = 8,            // truncated / corrupted proof or artifact bytes
  ConfigMismatch = 9,    // proof for another program / configuration, insecure config refused
  InvalidArgument = 10,  // an API was called with an invalid size, height, index ...
  Mpi = 11,              // an MPI call failed
  Cuda = 12,             // a CUDA call failed (not out of memory)
  OutOfMemory = 13,      // host or device allocation failed
  Hdf5 = 14,             // an HDF5 call failed
  NotCompiled = 15,      // a backend or feature that this build does not contain
  Nccl = 16,             // an NCCL call failed
  Interrupted = 17,      // stopped by a signal (e.g. Slurm USR1); the artifact was flushed
  Retryable = 18,        // a transient failure the scheduler may retry
};

std::string_view error_kind_name(ErrorKind kind) noexcept;
inline int exit_code(ErrorKind kind) noexcept {
  return static_cast<int>(kind);
}

// Whether what() of errors thrown from now on carries the failed check's expression and source
// location. Off unless TESSERA_VERBOSE is set to something other than "" or "0" in the
// environment (read once), or switched on here (`tessera --verbose`).
bool error_details_enabled() noexcept;
void set_error_details(bool enabled) noexcept;

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  // A failed check: `detail` ("EXPR failed at FILE:LINE") joins the message only when error
  // details are enabled (or the kind is Internal).
  Error(ErrorKind kind, const std::string& message, std::string detail);
  ErrorKind kind() const noexcept { return kind_; }
  int exit_code() const noexcept { return tessera::exit_code(kind_); }
  // The failed check's expression and location, or empty (for developers and --verbose).
  const std::string& detail() const noexcept { return detail_; }

 private:
  ErrorKind kind_;
  std::string detail_;
};

// Throws the Error of a failed check: `what` is the user's message; the expression, file and line
// are kept as its detail(). For the library kinds (MPI, HDF5, CUDA, NCCL) the called function's
// name (the expression up to its first '(') is part of the message: "... (in H5Dopen2)".
[[noreturn]] void throw_check_failure(ErrorKind kind, std::string_view what, std::string_view expr,
                                      const char* file, int line);

}  // namespace tessera
