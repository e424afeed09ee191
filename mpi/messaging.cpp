#include "mpi/messaging.hpp"

#include <algorithm>
#include <chrono>
#include <limits>
#include <thread>

#include "mpi/mpi_check.hpp"

namespace tessera::mpi {

std::chrono::microseconds poll_interval(int idle_rounds) {
  // 50 us right after activity, growing to 2 ms: message latency stays far below a shard's
  // proving time while an idle rank costs nothing.
  return std::chrono::microseconds(std::min(2000, 50 << std::min(idle_rounds, 6)));
}

void sleep_briefly(int idle_rounds) {
  std::this_thread::sleep_for(poll_interval(idle_rounds));
}

void wait_politely(MPI_Request& request) {
  for (int round = 0;; ++round) {
    int done = 0;
    MPI_CHECK(MPI_Test(&request, &done, MPI_STATUS_IGNORE));
    if (done) return;
    sleep_briefly(round);
  }
}

Outbox::~Outbox() {
  try {
    drain();
  } catch (...) {
    // A failed send at teardown: the job is already failing; do not throw from a destructor.
  }
}

void Outbox::post(MPI_Comm comm, int dest, int tag, std::vector<uint8_t> bytes) {
  TESSERA_CHECK(bytes.size() <= static_cast<size_t>(std::numeric_limits<int>::max()),
                ErrorKind::InvalidArgument,
                "a pipeline message of " << bytes.size() << " bytes exceeds MPI's int count");
  sends_.push_back({MPI_REQUEST_NULL, std::move(bytes)});
  Send& s = sends_.back();
  MPI_CHECK(MPI_Isend(s.bytes.data(), static_cast<int>(s.bytes.size()), MPI_BYTE, dest, tag, comm,
                      &s.request));
}

void Outbox::progress() {
  for (auto it = sends_.begin(); it != sends_.end();) {
    int done = 0;
    MPI_CHECK(MPI_Test(&it->request, &done, MPI_STATUS_IGNORE));
    it = done ? sends_.erase(it) : std::next(it);
  }
}

void Outbox::drain() {
  for (int round = 0; !sends_.empty(); ++round) {
    progress();
    if (!sends_.empty()) sleep_briefly(round);
  }
}

std::optional<Message> try_receive(MPI_Comm comm, int source, int tag) {
  int flag = 0;
  MPI_Status status;
  MPI_CHECK(MPI_Iprobe(source, tag, comm, &flag, &status));
  if (!flag) return std::nullopt;
  int count = 0;
  MPI_CHECK(MPI_Get_count(&status, MPI_BYTE, &count));
  Message m;
  m.source = status.MPI_SOURCE;
  m.tag = status.MPI_TAG;
  m.bytes.resize(static_cast<size_t>(count));
  MPI_CHECK(MPI_Recv(m.bytes.data(), count, MPI_BYTE, m.source, m.tag, comm, MPI_STATUS_IGNORE));
  return m;
}

std::vector<uint8_t> broadcast_bytes(MPI_Comm comm, int root, std::vector<uint8_t> bytes) {
  uint64_t size = bytes.size();
  MPI_Request req;
  MPI_CHECK(MPI_Ibcast(&size, 1, MPI_UINT64_T, root, comm, &req));
  wait_politely(req);
  TESSERA_CHECK(size <= static_cast<uint64_t>(std::numeric_limits<int>::max()),
                ErrorKind::InvalidArgument, "broadcast of " << size << " bytes");
  bytes.resize(size);
  if (size == 0) return bytes;
  MPI_CHECK(MPI_Ibcast(bytes.data(), static_cast<int>(size), MPI_BYTE, root, comm, &req));
  wait_politely(req);
  return bytes;
}

std::vector<std::vector<uint8_t>> allgather_bytes(MPI_Comm comm, const std::vector<uint8_t>& mine) {
  int ranks = 0;
  MPI_CHECK(MPI_Comm_size(comm, &ranks));
  TESSERA_CHECK(mine.size() <= static_cast<size_t>(std::numeric_limits<int>::max()),
                ErrorKind::InvalidArgument, "allgather of " << mine.size() << " bytes");
  int my_size = static_cast<int>(mine.size());
  std::vector<int> sizes(static_cast<size_t>(ranks)), displs(static_cast<size_t>(ranks));
  MPI_Request req;
  MPI_CHECK(MPI_Iallgather(&my_size, 1, MPI_INT, sizes.data(), 1, MPI_INT, comm, &req));
  wait_politely(req);
  long long total = 0;
  for (int r = 0; r < ranks; ++r) {
    displs[static_cast<size_t>(r)] = static_cast<int>(total);
    total += sizes[static_cast<size_t>(r)];
  }
  TESSERA_CHECK(total <= std::numeric_limits<int>::max(), ErrorKind::InvalidArgument,
                "allgather of " << total << " bytes in all");
  std::vector<uint8_t> all(static_cast<size_t>(std::max<long long>(1, total)));
  static uint8_t dummy = 0;
  MPI_CHECK(MPI_Iallgatherv(mine.empty() ? &dummy : mine.data(), my_size, MPI_BYTE, all.data(),
                            sizes.data(), displs.data(), MPI_BYTE, comm, &req));
  wait_politely(req);
  std::vector<std::vector<uint8_t>> out(static_cast<size_t>(ranks));
  for (int r = 0; r < ranks; ++r) {
    const auto b = all.begin() + displs[static_cast<size_t>(r)];
    out[static_cast<size_t>(r)].assign(b, b + sizes[static_cast<size_t>(r)]);
  }
  return out;
}

}  // namespace tessera::mpi
