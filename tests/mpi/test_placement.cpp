// The pure parts of rank placement: which variable wins, malformed values, device modulo.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "mpi/placement.hpp"

namespace tessera::mpi {
namespace {

EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const char* name) -> const char* {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
}

TEST(Placement, SlurmLocalIdWinsOverOpenMpi) {
  auto r =
      local_rank_from_env(env_of({{"SLURM_LOCALID", "3"}, {"OMPI_COMM_WORLD_LOCAL_RANK", "1"}}));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->local_rank, 3);
  EXPECT_EQ(r->source, "SLURM_LOCALID");
}

TEST(Placement, OpenMpiLocalRankIsUsedWithoutSlurm) {
  auto r = local_rank_from_env(env_of({{"OMPI_COMM_WORLD_LOCAL_RANK", "2"}}));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->local_rank, 2);
  EXPECT_EQ(r->source, "OMPI_COMM_WORLD_LOCAL_RANK");
}

TEST(Placement, MalformedValuesAreIgnored) {
  EXPECT_FALSE(local_rank_from_env(env_of({{"SLURM_LOCALID", "x1"}})).has_value());
  EXPECT_FALSE(local_rank_from_env(env_of({{"SLURM_LOCALID", "-1"}})).has_value());
  EXPECT_FALSE(local_rank_from_env(env_of({{"SLURM_LOCALID", ""}})).has_value());
  EXPECT_FALSE(local_rank_from_env(env_of({})).has_value());
  // A malformed Slurm value falls through to Open MPI's.
  auto r =
      local_rank_from_env(env_of({{"SLURM_LOCALID", "2a"}, {"OMPI_COMM_WORLD_LOCAL_RANK", "0"}}));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->source, "OMPI_COMM_WORLD_LOCAL_RANK");
}

TEST(Placement, DeviceIsLocalRankModuloDeviceCount) {
  EXPECT_EQ(choose_device(0, 0), -1);
  EXPECT_EQ(choose_device(5, 0), -1);
  EXPECT_EQ(choose_device(0, 4), 0);
  EXPECT_EQ(choose_device(5, 4), 1);
  EXPECT_EQ(choose_device(7, 8), 7);
}

}  // namespace
}  // namespace tessera::mpi
