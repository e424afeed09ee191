#include "mpi/placement.hpp"

#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <set>
#include <sstream>
#include <string_view>

#include "backend/device.hpp"

namespace tessera::mpi {

namespace {
// Launcher variables that name a node-local rank, in order of preference.
constexpr const char* kLocalRankVariables[] = {"SLURM_LOCALID", "OMPI_COMM_WORLD_LOCAL_RANK"};

// Field i of a comma-terminated list "a,b,".
std::string split_field(const std::string& list, size_t i) {
  size_t begin = 0;
  for (size_t k = 0; k < i; ++k) begin = list.find(',', begin) + 1;
  return list.substr(begin, list.find(',', begin) - begin);
}
}  // namespace

std::optional<LocalRankFromEnv> local_rank_from_env(const EnvLookup& getenv_fn) {
  for (const char* name : kLocalRankVariables) {
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
  // and binding on it would put all ranks on GPU 0. The first variable that is distinct wins
  // (there, Open MPI's own); without one, the shared-memory split decides. One allgather of all
  // candidates keeps the collective identical on every rank whatever each rank's environment.
  std::string mine;
  for (const char* name : kLocalRankVariables) {
    auto v = local_rank_from_env(
        [&](const char* n) { return std::string_view(n) == name ? getenv_fn(n) : nullptr; });
    mine += (v ? std::to_string(v->local_rank) : std::string("-")) + ",";
  }
  auto all = node.allgather_strings(mine);
  p.local_rank = p.node_rank;
  p.local_rank_source = "shared-memory split";
  std::string rejected;
  for (size_t i = 0; i < std::size(kLocalRankVariables); ++i) {
    std::set<std::string> values;
    bool present_everywhere = true;
    for (const auto& entry : all) {
      std::string field = split_field(entry, i);
      present_everywhere = present_everywhere && field != "-";
      values.insert(field);
    }
    if (!present_everywhere) continue;
    if (values.size() == all.size()) {
      p.local_rank = std::stoi(split_field(mine, i));
      p.local_rank_source = kLocalRankVariables[i];
      break;
    }
    rejected += std::string(rejected.empty() ? "" : ", ") + kLocalRankVariables[i];
  }
  if (!rejected.empty() && p.local_rank_source == "shared-memory split") {
    p.local_rank_source += "; " + rejected + " not unique on the node";
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
