#include "mpi/communicator.hpp"

#include <cstdlib>
#include <utility>

#include "mpi/mpi_check.hpp"

namespace tessera::mpi {

std::string mpi_error_string(int code) {
  char buf[MPI_MAX_ERROR_STRING];
  int len = 0;
  if (MPI_Error_string(code, buf, &len) != MPI_SUCCESS) return "MPI error " + std::to_string(code);
  return std::string(buf, static_cast<size_t>(len));
}

Environment::Environment(int* argc, char*** argv) {
  if (initialized()) return;
  // Every rank proves on a worker thread while its main thread waits in MPI; Open MPI's blocking
  // calls (the collective artifact writes inside HDF5) busy-poll unless told to yield, and a
  // spinning main thread takes the core its own prover needs (measured: 7x slower I/O on a busy
  // node). The user's own setting, if any, stands.
  setenv("OMPI_MCA_mpi_yield_when_idle", "1", /*overwrite=*/0);
  int provided = 0;
  MPI_CHECK(MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided));
  owns_ = true;
  TESSERA_CHECK(provided >= MPI_THREAD_FUNNELED, ErrorKind::Mpi,
                "the MPI library does not provide MPI_THREAD_FUNNELED");
}

Environment::~Environment() {
  if (owns_ && !finalized()) MPI_Finalize();
}

bool Environment::initialized() {
  int flag = 0;
  MPI_Initialized(&flag);
  return flag != 0;
}

bool Environment::finalized() {
  int flag = 0;
  MPI_Finalized(&flag);
  return flag != 0;
}

Communicator Communicator::world() {
  MPI_Comm dup = MPI_COMM_NULL;
  MPI_CHECK(MPI_Comm_dup(MPI_COMM_WORLD, &dup));
  MPI_CHECK(MPI_Comm_set_errhandler(dup, MPI_ERRORS_RETURN));
  return Communicator(dup);
}

Communicator::~Communicator() {
  if (comm_ != MPI_COMM_NULL && !Environment::finalized()) MPI_Comm_free(&comm_);
}

Communicator& Communicator::operator=(Communicator&& other) noexcept {
  if (this != &other) {
    if (comm_ != MPI_COMM_NULL && !Environment::finalized()) MPI_Comm_free(&comm_);
    comm_ = std::exchange(other.comm_, MPI_COMM_NULL);
  }
  return *this;
}

int Communicator::rank() const {
  int r = 0;
  MPI_CHECK(MPI_Comm_rank(comm_, &r));
  return r;
}

int Communicator::size() const {
  int s = 0;
  MPI_CHECK(MPI_Comm_size(comm_, &s));
  return s;
}

Communicator Communicator::split_shared() const {
  MPI_Comm node = MPI_COMM_NULL;
  MPI_CHECK(MPI_Comm_split_type(comm_, MPI_COMM_TYPE_SHARED, rank(), MPI_INFO_NULL, &node));
  MPI_CHECK(MPI_Comm_set_errhandler(node, MPI_ERRORS_RETURN));
  return Communicator(node);
}

Communicator Communicator::split(int color, int key) const {
  MPI_Comm out = MPI_COMM_NULL;
  MPI_CHECK(MPI_Comm_split(comm_, color, key, &out));
  if (out != MPI_COMM_NULL) MPI_CHECK(MPI_Comm_set_errhandler(out, MPI_ERRORS_RETURN));
  return Communicator(out);
}

void Communicator::barrier() const {
  MPI_CHECK(MPI_Barrier(comm_));
}

std::vector<std::string> Communicator::allgather_strings(const std::string& mine) const {
  const int n = size();
  int my_len = static_cast<int>(mine.size());
  std::vector<int> lens(static_cast<size_t>(n)), displs(static_cast<size_t>(n));
  MPI_CHECK(MPI_Allgather(&my_len, 1, MPI_INT, lens.data(), 1, MPI_INT, comm_));
  int total = 0;
  for (int i = 0; i < n; ++i) {
    displs[static_cast<size_t>(i)] = total;
    total += lens[static_cast<size_t>(i)];
  }
  std::string all(static_cast<size_t>(total), '\0');
  MPI_CHECK(MPI_Allgatherv(mine.data(), my_len, MPI_CHAR, all.data(), lens.data(), displs.data(),
                           MPI_CHAR, comm_));
  std::vector<std::string> out;
  out.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    out.push_back(all.substr(static_cast<size_t>(displs[static_cast<size_t>(i)]),
                             static_cast<size_t>(lens[static_cast<size_t>(i)])));
  }
  return out;
}

int Communicator::allreduce_max(int value) const {
  int out = 0;
  MPI_CHECK(MPI_Allreduce(&value, &out, 1, MPI_INT, MPI_MAX, comm_));
  return out;
}

long long Communicator::allreduce_sum(long long value) const {
  long long out = 0;
  MPI_CHECK(MPI_Allreduce(&value, &out, 1, MPI_LONG_LONG, MPI_SUM, comm_));
  return out;
}

}  // namespace tessera::mpi
