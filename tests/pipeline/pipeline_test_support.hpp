#pragma once
// Shared by the pipeline's MPI suites (one request, several requests): a folder every rank
// agrees on, the reference proofs of a recompute-chain request proven directly in one process,
// and the check that an artifact holds exactly those.
#include <gtest/gtest.h>
#include <mpi.h>
#include <stdlib.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "io/artifact.hpp"
#include "io/checksum.hpp"
#include "mpi/pipeline.hpp"
#include "mpi/request_result.hpp"
#include "mpi/tree_plan.hpp"
#include "mpi/tree_step.hpp"
#include "tests/pipeline/recompute_chain_machine.hpp"

namespace tessera::testing {

inline int world_rank() {
  int r = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}
inline int world_size() {
  int s = 0;
  MPI_Comm_size(MPI_COMM_WORLD, &s);
  return s;
}

// A folder every rank agrees on (made by rank 0), removed at the end of the test.
class MpiFolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string path(4096, '\0');
    if (world_rank() == 0) {
      std::string tmpl =
          (std::filesystem::temp_directory_path() / "tessera-pipeline-XXXXXX").string();
      ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
      path.replace(0, tmpl.size(), tmpl);
    }
    MPI_Bcast(path.data(), static_cast<int>(path.size()), MPI_CHAR, 0, MPI_COMM_WORLD);
    dir_ = path.c_str();
  }
  void TearDown() override {
    MPI_Barrier(MPI_COMM_WORLD);
    if (world_rank() == 0) std::filesystem::remove_all(dir_);
  }
  // The shards stored in an artifact, read by rank 0 and shared.
  static std::set<uint64_t> stored_shards(const std::filesystem::path& path) {
    std::vector<uint8_t> flags;
    uint64_t n = 0;
    if (world_rank() == 0) {
      Artifact a = Artifact::open(path, Artifact::Mode::ReadOnly, std::nullopt);
      n = a.shards().size();
      for (const auto& e : a.shards()) flags.push_back(e.status == ShardStatus::Proven);
    }
    MPI_Bcast(&n, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
    flags.resize(n);
    MPI_Bcast(flags.data(), static_cast<int>(n), MPI_UINT8_T, 0, MPI_COMM_WORLD);
    std::set<uint64_t> out;
    for (uint64_t i = 0; i < n; ++i)
      if (flags[i]) out.insert(i);
    return out;
  }
  std::filesystem::path dir_;
};

// MpiFolderTest with the options the pipeline's tests prove with: the CPU backend, no progress
// line, a write every 50 ms.
class PipelineFolderTest : public MpiFolderTest {
 protected:
  mpi::PipelineOptions options(const std::string& name) const {
    mpi::PipelineOptions o;
    o.out = dir_ / name;
    o.backend = "cpu";
    o.progress_style = mpi::Progress::Style::Off;
    o.write_interval = 0.05;
    return o;
  }
};

// Each rank's result ends the same way (the caller reports it once, from any rank).
inline void expect_same_end_on_every_rank(const mpi::PipelineResult& r) {
  const int mine[2] = {static_cast<int>(r.end), static_cast<int>(r.kind)};
  int lo[2], hi[2];
  MPI_Allreduce(mine, lo, 2, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  MPI_Allreduce(mine, hi, 2, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  EXPECT_EQ(lo[0], hi[0]);
  EXPECT_EQ(lo[1], hi[1]);
}

// Proofs and root statement computed in this process, without the pipeline.
struct Reference {
  std::vector<std::vector<uint8_t>> proofs;
  ShardStatement root;
};
inline Reference reference(const RecomputeChainMachine& m) {
  Reference ref;
  ref.proofs = prove_every_shard(m);
  const mpi::TreePlan plan(m.num_shards());
  const mpi::CoreTreeStep step(m);
  ref.root = mpi::evaluate_tree(plan, step, [&](uint64_t s) {
               return mpi::TreeNode::shard(s, ref.proofs[s]);
             }).root;
  return ref;
}

// On rank 0: the artifact holds exactly the reference's proofs, back to back in shard order,
// and its final statement is the reference root.
inline void expect_artifact_equals(const std::filesystem::path& path, const Reference& ref) {
  if (world_rank() != 0) return;
  Artifact a = Artifact::open(path, Artifact::Mode::ReadOnly, std::nullopt);
  ASSERT_EQ(a.shards().size(), ref.proofs.size());
  uint64_t offset = 0;
  for (uint64_t s = 0; s < ref.proofs.size(); ++s) {
    const ShardEntry& e = a.shards()[s];
    ASSERT_EQ(e.status, ShardStatus::Proven) << "shard " << s;
    EXPECT_EQ(e.offset, offset) << "shard " << s << " is not in shard order";
    EXPECT_EQ(e.checksum, fnv1a64(ref.proofs[s]));
    EXPECT_EQ(a.read_proof(s), ref.proofs[s]) << "shard " << s;
    offset += e.size;
  }
  EXPECT_EQ(a.proof_bytes_used(), offset);
  const auto fin = a.read_final();
  ASSERT_TRUE(fin.has_value());
  EXPECT_TRUE(fin->verified);
  EXPECT_EQ(fin->root_statement, statement_bytes(ref.root));
  EXPECT_EQ(fin->tree.size(), ref.proofs.size() - 1);
  const auto t = a.read_timings();
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->seconds.size(), static_cast<size_t>(world_size()));
  EXPECT_EQ(t->phases.size(), static_cast<size_t>(mpi::kPhaseCount));
}

}  // namespace tessera::testing
