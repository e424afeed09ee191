#pragma once
// RAII wrappers over MPI: the library's lifetime (Environment) and communicators (Communicator).
// A Communicator owns a duplicate of the communicator it was made from, so Tessera's messages
// never mix with a host application's, and frees it on destruction.

#include <mpi.h>

#include <string>
#include <vector>

namespace tessera::mpi {

// Initialises MPI (MPI_THREAD_FUNNELED: only the main thread calls MPI; prover threads do not)
// unless it already is, and finalises it on destruction if it initialised it.
class Environment {
 public:
  Environment(int* argc, char*** argv);
  ~Environment();
  Environment(const Environment&) = delete;
  Environment& operator=(const Environment&) = delete;
  static bool initialized();
  static bool finalized();

 private:
  bool owns_ = false;
};

class Communicator {
 public:
  // A duplicate of MPI_COMM_WORLD with MPI_ERRORS_RETURN.
  static Communicator world();
  // Adopts a communicator (takes ownership; MPI_COMM_NULL allowed).
  explicit Communicator(MPI_Comm comm) : comm_(comm) {}
  ~Communicator();
  Communicator(Communicator&& other) noexcept : comm_(other.comm_) { other.comm_ = MPI_COMM_NULL; }
  Communicator& operator=(Communicator&& other) noexcept;
  Communicator(const Communicator&) = delete;
  Communicator& operator=(const Communicator&) = delete;

  MPI_Comm get() const { return comm_; }
  int rank() const;
  int size() const;
  bool is_root() const { return rank() == 0; }

  // The ranks that share this rank's node (MPI_COMM_TYPE_SHARED), ordered by world rank.
  Communicator split_shared() const;
  Communicator split(int color, int key) const;

  void barrier() const;
  // Every rank's string, gathered on every rank (in rank order).
  std::vector<std::string> allgather_strings(const std::string& mine) const;
  int allreduce_max(int value) const;
  long long allreduce_sum(long long value) const;

 private:
  MPI_Comm comm_ = MPI_COMM_NULL;
};

}  // namespace tessera::mpi
