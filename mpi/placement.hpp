#pragma once
// Where a rank runs: its host, its node-local rank and the GPU it binds to.
//
// The node-local rank comes from the launcher when it says (Slurm's SLURM_LOCALID, Open MPI's
// OMPI_COMM_WORLD_LOCAL_RANK) and its values are distinct across the node, else from a
// shared-memory split of the world communicator (which is right under any launcher). The device is
// local_rank mod the visible device count, so N ranks on a node with N GPUs get one GPU each and
// CUDA_VISIBLE_DEVICES narrowing still works.

#include <functional>
#include <optional>
#include <string>

#include "mpi/communicator.hpp"

namespace tessera::mpi {

struct Placement {
  int world_rank = 0;
  int world_size = 1;
  int node_rank = 0;  // rank within the shared-memory communicator
  int node_size = 1;
  int local_rank = 0;  // the rank used for device binding
  std::string
      local_rank_source;  // "SLURM_LOCALID", "OMPI_COMM_WORLD_LOCAL_RANK" or "shared-memory split"
  std::string host;
  int device_count = 0;
  int device = -1;  // -1: no GPU, the rank proves on the CPU
  std::string device_name;

  std::string describe() const;  // one line, for logs and `tessera ranks`
};

using EnvLookup = std::function<const char*(const char*)>;

struct LocalRankFromEnv {
  int local_rank;
  std::string source;
};
// The launcher's node-local rank, if it set one (a malformed value is ignored, not trusted).
std::optional<LocalRankFromEnv> local_rank_from_env(const EnvLookup& getenv_fn);

// local_rank mod device_count, or -1 without devices.
int choose_device(int local_rank, int device_count);

// Collective over `world`: computes this rank's placement (does not select the device itself).
Placement place_rank(const Communicator& world, const EnvLookup& getenv_fn);

}  // namespace tessera::mpi
