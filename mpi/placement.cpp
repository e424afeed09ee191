#include "mpi/placement.hpp"

#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <set>
#include <sstream>

#include "backend/device.hpp"

namespace tessera::mpi {

std::optional<LocalRankFromEnv> local_rank_from_env(const EnvLookup& getenv_fn) {
  for (const char* name : {"SLURM_LOCALID", "OMPI_COMM_WORLD_LOCAL_RANK"}) {
    const char* value = getenv_fn(name);
    if (value == nullptr || *value == '\0') continue;
    int parsed = -1;
    const char* end = value + std::char_traits<char>::length(value);
    auto [ptr, ec] = std::from_chars(value, end, parsed);
    if (ec == std::errc() && ptr == end && parsed >= 0) return LocalRankFromEnv{parsed, name};
  }
  return std::nullopt;
}

int choose_device(int local_rank, int device_count) {
  if (device_count <= 0) return -1;
  return local_rank % device_count;
}

Placement place_rank(const Communicator& world, const EnvLookup& getenv_fn) {
  Placement p;
  p.world_rank = world.rank();
  p.world_size = world.size();
  Communicator node = world.split_shared();
  p.node_rank = node.rank();
  p.node_size = node.size();
  // A launcher's variable is trusted only if it gives every rank of the node a distinct value:
  // under `mpirun` inside an sbatch script every rank inherits the batch step's SLURM_LOCALID=0,
  // and binding on it would put all ranks on GPU 0. Otherwise the shared-memory split decides.
  auto env = local_rank_from_env(getenv_fn);
  const int candidate = env ? env->local_rank : -1;
  auto all = node.allgather_strings(std::to_string(candidate));
  std::set<std::string> distinct(all.begin(), all.end());
  const bool env_usable = env && distinct.size() == all.size() && distinct.count("-1") == 0;
  if (env_usable) {
    p.local_rank = env->local_rank;
    p.local_rank_source = env->source;
  } else {
    p.local_rank = p.node_rank;
    p.local_rank_source = env ? "shared-memory split; " + env->source + " not unique on the node"
                              : "shared-memory split";
  }
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) == 0) p.host = host;
  p.device_count = cuda_device_count();
  p.device = choose_device(p.local_rank, p.device_count);
  if (p.device >= 0) p.device_name = cuda_device_name(p.device);
  return p;
}

std::string Placement::describe() const {
  std::ostringstream os;
  os << "rank " << world_rank << '/' << world_size << " on " << host << ": node rank " << node_rank
     << '/' << node_size << ", local rank " << local_rank << " (" << local_rank_source << "), ";
  if (device >= 0) {
    os << "GPU " << device << " of " << device_count << " (" << device_name << ')';
  } else {
    os << "no GPU (CPU backend)";
  }
  return os.str();
}

}  // namespace tessera::mpi
