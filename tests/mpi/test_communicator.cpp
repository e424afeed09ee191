// Runs under mpirun with 1, 2 and 3 ranks (ctest: test_communicator.npN).
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

#include "mpi/mpi_check.hpp"
#include "mpi/placement.hpp"

namespace tessera::mpi {
namespace {

TEST(Communicator, WorldIsADuplicateWithTheSameRanks) {
  auto world = Communicator::world();
  int r = -1, s = -1;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  MPI_Comm_size(MPI_COMM_WORLD, &s);
  EXPECT_EQ(world.rank(), r);
  EXPECT_EQ(world.size(), s);
  int cmp = MPI_UNEQUAL;
  MPI_Comm_compare(world.get(), MPI_COMM_WORLD, &cmp);
  EXPECT_EQ(cmp, MPI_CONGRUENT);  // same group and order, different context
}

TEST(Communicator, AllreduceAndAllgatherSeeEveryRank) {
  auto world = Communicator::world();
  EXPECT_EQ(world.allreduce_sum(world.rank() + 1), 1LL * world.size() * (world.size() + 1) / 2);
  EXPECT_EQ(world.allreduce_max(world.rank()), world.size() - 1);
  auto names = world.allgather_strings(std::string(static_cast<size_t>(world.rank()), 'x') + "r" +
                                       std::to_string(world.rank()));
  ASSERT_EQ(static_cast<int>(names.size()), world.size());
  for (int i = 0; i < world.size(); ++i) {
    EXPECT_EQ(names[static_cast<size_t>(i)],
              std::string(static_cast<size_t>(i), 'x') + "r" + std::to_string(i));
  }
}

TEST(Communicator, SharedMemorySplitCoversTheNode) {
  auto world = Communicator::world();
  auto node = world.split_shared();
  // All ranks of this test run on one machine, so the node communicator is the world.
  EXPECT_EQ(node.size(), world.size());
  EXPECT_EQ(node.rank(), world.rank());
}

TEST(Communicator, MoveTransfersOwnership) {
  auto a = Communicator::world();
  MPI_Comm raw = a.get();
  Communicator b = std::move(a);
  EXPECT_EQ(b.get(), raw);
  EXPECT_EQ(a.get(),
            MPI_COMM_NULL);  // NOLINT(bugprone-use-after-move): checking the moved-from state
}

TEST(Placement, EveryRankGetsADistinctLocalRankOnOneNode) {
  auto world = Communicator::world();
  // Under mpirun, Open MPI sets OMPI_COMM_WORLD_LOCAL_RANK; its value must agree with the
  // shared-memory split, which is what a launcher without that variable falls back to.
  auto from_env = place_rank(world, [](const char* n) { return std::getenv(n); });
  auto from_split = place_rank(world, [](const char*) -> const char* { return nullptr; });
  EXPECT_EQ(from_split.local_rank_source, "shared-memory split");
  EXPECT_EQ(from_env.local_rank, from_split.local_rank);
  auto all = world.allgather_strings(std::to_string(from_env.local_rank));
  std::map<std::string, int> seen;
  for (const auto& s : all) EXPECT_EQ(++seen[s], 1) << "local rank " << s << " used twice";
  EXPECT_EQ(from_env.world_size, world.size());
  EXPECT_FALSE(from_env.host.empty());
  EXPECT_NE(from_env.describe().find("rank " + std::to_string(world.rank())), std::string::npos);
}

TEST(Placement, ALauncherValueSharedByAllRanksIsNotTrusted) {
  auto world = Communicator::world();
  // What every rank sees under `mpirun` inside an sbatch script: the batch step's SLURM_LOCALID.
  auto p = place_rank(world, [](const char* n) -> const char* {
    return std::string_view(n) == "SLURM_LOCALID" ? "0" : nullptr;
  });
  EXPECT_EQ(p.local_rank, p.node_rank);
  if (world.size() > 1) {
    EXPECT_NE(p.local_rank_source.find("not unique"), std::string::npos) << p.local_rank_source;
  } else {
    EXPECT_EQ(p.local_rank_source, "SLURM_LOCALID");
  }
  // With Open MPI's variable also present (mpirun inside sbatch), Open MPI's wins.
  auto q = place_rank(world, [](const char* n) -> const char* {
    if (std::string_view(n) == "SLURM_LOCALID") return "0";
    return std::getenv(n);
  });
  if (world.size() > 1) {
    EXPECT_EQ(q.local_rank_source, "OMPI_COMM_WORLD_LOCAL_RANK");
    EXPECT_EQ(q.local_rank, q.node_rank);
  }
}

TEST(Communicator, ErrorsAreThrownAsTypedErrors) {
  auto world = Communicator::world();
  // Sending to a rank that does not exist must come back as tessera::Error(Mpi), not abort.
  int value = 1;
  try {
    MPI_CHECK(MPI_Send(&value, 1, MPI_INT, world.size() + 5, 0, world.get()));
    FAIL() << "MPI_Send to an invalid rank did not fail";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Mpi);
    EXPECT_NE(std::string(e.what()).find("MPI_Send"), std::string::npos);
  }
}

}  // namespace
}  // namespace tessera::mpi
