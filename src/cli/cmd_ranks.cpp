// `tessera ranks`: prints, on rank 0, every rank's host, node-local rank and bound device.
// It is the first thing to run in a new allocation: it shows the launcher, the rank -> GPU
// binding and MPI all work before any proving starts.

#include <cstdlib>
#include <iostream>

#include "cli/command.hpp"
#include "mpi/placement.hpp"

namespace tessera::cli {
namespace {

int run_ranks(const po::variables_map&) {
  auto world = mpi::Communicator::world();
  auto placement = mpi::place_rank(world, [](const char* n) { return std::getenv(n); });
  auto lines = world.allgather_strings(placement.describe());
  if (world.is_root()) {
    for (const auto& line : lines) std::cout << line << '\n';
    std::cout << std::flush;
  }
  return 0;
}

const bool registered = register_command({
    .name = "ranks",
    .summary = "print every MPI rank's host, node-local rank and bound GPU",
    .synopsis = "",
    .declare = {},
    .run = run_ranks,
    .uses_mpi = true,
});

}  // namespace
}  // namespace tessera::cli
