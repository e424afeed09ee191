// The pipeline on a machine whose shard count is learned by executing (a guest program's: DESIGN.md
// §5), on 1-4 ranks (label mpi), with the recompute-chain fixture in its `learns_count` mode:
// proving starts before the execution ends; the artifact is the one the same request with its
// count known up front gives, whatever the count (1 shard, fewer shards than ranks, thousands); an
// execution that fails while the count is learned leaves no artifact; an interrupt while it is
// learned keeps the shards proven and a resume finishes the request.
#include <gtest/gtest.h>
#include <mpi.h>

#include <filesystem>

#include "io/artifact.hpp"
#include "io/journal.hpp"
#include "mpi/pipeline.hpp"
#include "tests/pipeline/pipeline_test_support.hpp"
#include "tests/pipeline/recompute_chain_machine.hpp"

namespace tessera {
namespace {

namespace fs = std::filesystem;
using mpi::PipelineResult;
using testing::expect_artifact_equals;
using testing::expect_same_end_on_every_rank;
using testing::RecomputeChainMachine;
using testing::Reference;
using testing::reference;
using testing::world_rank;
using testing::world_size;

class LearnedCountTest : public testing::PipelineFolderTest {};

// The reference is proven with the count known; then the machine forgets it and learns it.
Reference learning(RecomputeChainMachine& m) {
  const Reference ref = reference(m);
  m.emitted = 0;
  m.learns_count = true;
  return ref;
}

TEST_F(LearnedCountTest, TheArtifactIsTheOneOfTheKnownCountWhateverTheCount) {
  // 1 shard, fewer shards than ranks (on 3 and 4 ranks), more than ranks, and thousands.
  for (uint64_t shards : {1, 2, 13, 2048}) {
    RecomputeChainMachine m(shards, 3, 21);
    const Reference ref = learning(m);
    auto o = options("learned" + std::to_string(shards) + ".h5");
    const PipelineResult r = mpi::run_pipeline(mpi::Communicator::world(), m, o);
    ASSERT_EQ(r.end, PipelineResult::End::Complete) << r.message;
    EXPECT_TRUE(r.verified) << r.message;
    EXPECT_EQ(r.shards, shards);
    EXPECT_EQ(m.num_shards(), shards) << "learned on rank 0, adopted on the others";
    if (world_rank() == 0) {
      EXPECT_EQ(m.emitted.load(), shards) << "executed once";
      EXPECT_EQ(r.proven, shards);
      ASSERT_TRUE(r.root.has_value());
      EXPECT_EQ(*r.root, ref.root);
    } else {
      EXPECT_EQ(m.emitted.load(), 0u) << "only rank 0 executes";
    }
    expect_artifact_equals(o.out, ref);
    EXPECT_FALSE(fs::exists(journal_dir(o.out)));
  }
}

TEST_F(LearnedCountTest, ProvingStartsBeforeTheExecutionEnds) {
  // The last checkpoint is held back until some shard has been proven. A pipeline that learned
  // the count before it proved anything would never get there: the fixture gives up after a
  // minute and the run fails. With more than one rank, more shards than the scatter's one per
  // rank must be proven too (the hold asks for a shard past them): shards are handed out while
  // the count is still unknown, not only the first of every rank.
  const int ranks = world_size();
  const uint64_t shards = 3 * static_cast<uint64_t>(ranks) + 3;
  RecomputeChainMachine m(shards, 2, 23);
  const Reference ref = learning(m);
  m.mark_proofs = RecomputeChainMachine::ProofMarkers{dir_, world_rank()};
  m.hold_execution = RecomputeChainMachine::Hold{shards - 1, static_cast<uint64_t>(ranks), dir_};
  auto o = options("early.h5");
  const PipelineResult r = mpi::run_pipeline(mpi::Communicator::world(), m, o);
  ASSERT_EQ(r.end, PipelineResult::End::Complete) << r.message;
  EXPECT_TRUE(r.verified);
  expect_artifact_equals(o.out, ref);
}

TEST_F(LearnedCountTest, AFailedExecutionLeavesNoArtifact) {
  // Shard 5 traps after some shards were proven (the hold): the run ends Failed with the
  // machine's error on every rank, and nothing is left — no artifact, no journal — since the
  // proven shards belong to a run that does not end.
  RecomputeChainMachine m(9, 2, 25);
  learning(m);
  m.mark_proofs = RecomputeChainMachine::ProofMarkers{dir_, world_rank()};
  m.hold_execution = RecomputeChainMachine::Hold{5, 0, dir_};
  m.execute_fails_at = 5;
  auto o = options("trap.h5");
  const PipelineResult r = mpi::run_pipeline(mpi::Communicator::world(), m, o);
  EXPECT_EQ(r.end, PipelineResult::End::Failed);
  EXPECT_EQ(r.kind, ErrorKind::GuestTrap);
  EXPECT_EQ(r.message, "fixture: the guest trapped in shard 5");
  EXPECT_FALSE(r.started);
  expect_same_end_on_every_rank(r);
  MPI_Barrier(MPI_COMM_WORLD);
  EXPECT_FALSE(fs::exists(o.out));
  EXPECT_FALSE(fs::exists(journal_dir(o.out)));
}

TEST_F(LearnedCountTest, AnInterruptWhileTheCountIsLearnedKeepsTheProofsAndResumeFinishes) {
  // SIGUSR1 arrives in rank 0's execution at shard 7, after some shard was proven. The execution
  // goes on to its end (the artifact needs the count), the shards proven are stored, the run
  // ends Interrupted; a resume — which learns the count before it proves — proves only the rest.
  RecomputeChainMachine m(10, 2, 27);
  const Reference ref = learning(m);
  m.mark_proofs = RecomputeChainMachine::ProofMarkers{dir_, world_rank()};
  m.hold_execution = RecomputeChainMachine::Hold{6, 0, dir_};
  m.interrupt_in_execute_at = 7;
  auto o = options("usr1.h5");
  const PipelineResult r = mpi::run_pipeline(mpi::Communicator::world(), m, o);
  EXPECT_EQ(r.end, PipelineResult::End::Interrupted) << r.message;
  expect_same_end_on_every_rank(r);
  const auto before = stored_shards(o.out);
  EXPECT_GE(before.size(), 1u);
  EXPECT_LT(before.size(), 10u);

  RecomputeChainMachine again(10, 2, 27);
  again.learns_count = true;
  auto o2 = options("usr1.h5");
  o2.resume = true;
  const PipelineResult r2 = mpi::run_pipeline(mpi::Communicator::world(), again, o2);
  ASSERT_EQ(r2.end, PipelineResult::End::Complete) << r2.message;
  EXPECT_TRUE(r2.verified);
  if (world_rank() == 0) {
    EXPECT_EQ(r2.resumed, before.size());
    EXPECT_EQ(r2.proven, 10u - before.size());
  }
  expect_artifact_equals(o2.out, ref);
}

}  // namespace
}  // namespace tessera
