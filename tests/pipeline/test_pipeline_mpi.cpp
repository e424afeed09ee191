// The distributed pipeline on 1-4 ranks (label mpi), driven with the recompute-chain fixture so
// that every path runs in seconds: the proofs in the artifact equal the ones proven directly in
// one process (so they are the same bytes for every rank count), the proof bytes are in shard
// order, retries go to another rank, a failure that is not retryable keeps what was proven and
// a resume finishes it, an interrupt finishes the shards in flight, a damaged file is rebuilt
// from the journal, a stored proof that fails its checksum is proven again, a bad proof is
// caught by the tree. Execution overlaps proving: shards go out while rank 0 still executes, and
// an execution that fails, miscounts or is interrupted ends the run like any other error.
#include <gtest/gtest.h>
#include <mpi.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "io/artifact.hpp"
#include "io/checksum.hpp"
#include "io/journal.hpp"
#include "mpi/pipeline.hpp"
#include "mpi/tree_plan.hpp"
#include "mpi/tree_step.hpp"
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

class PipelineTest : public testing::PipelineFolderTest {};

TEST_F(PipelineTest, ProvesEveryShardAndTheArtifactEqualsADirectProof) {
  for (uint64_t shards : {1, 2, 7, 16}) {
    RecomputeChainMachine m(shards, 3, 11);
    const Reference ref = reference(m);
    auto o = options("chain" + std::to_string(shards) + ".h5");
    const PipelineResult r = mpi::run_pipeline(mpi::Communicator::world(), m, o);
    ASSERT_EQ(r.end, PipelineResult::End::Complete) << r.message;
    EXPECT_TRUE(r.verified) << r.message;
    if (world_rank() == 0) {
      EXPECT_EQ(r.proven, shards);
      EXPECT_EQ(r.stored, shards);
      ASSERT_TRUE(r.root.has_value());
      EXPECT_EQ(*r.root, ref.root);
    }
    expect_artifact_equals(o.out, ref);
    // A finished artifact needs no journal.
    EXPECT_FALSE(fs::exists(journal_dir(o.out)));
  }
}

TEST_F(PipelineTest, RetryableFailuresAreRetriedOnAnotherRank) {
  RecomputeChainMachine m(12, 2, 5);
  auto o = options("retry.h5");
  o.faults.transient = {{3, 1}, {7, 2}};
  const PipelineResult r = mpi::run_pipeline(mpi::Communicator::world(), m, o);
  ASSERT_EQ(r.end, PipelineResult::End::Complete) << r.message;
  EXPECT_TRUE(r.verified);
  expect_artifact_equals(o.out, reference(m));
  if (world_rank() != 0) return;
  EXPECT_EQ(r.retries, 3u);
  Artifact a = Artifact::open(o.out, Artifact::Mode::ReadOnly, std::nullopt);
  EXPECT_EQ(a.shards()[3].attempts, 2u);
  EXPECT_EQ(a.shards()[7].attempts, 3u);
  ASSERT_EQ(r.failures.size(), 3u);
  for (const auto& f : r.failures) {
    EXPECT_TRUE(f.retried);
    EXPECT_NE(f.message.find("injected transient failure"), std::string::npos);
    // With a second rank, the shard is proven by a rank that did not fail it.
    if (world_size() > 1 && f.shard == 3) {
      EXPECT_NE(a.shards()[3].prover_rank, f.rank);
    }
  }
  if (world_size() > 2) {
    std::set<int> failed_on;
    for (const auto& f : r.failures)
      if (f.shard == 7) failed_on.insert(f.rank);
    EXPECT_EQ(failed_on.size(), 2u) << "shard 7's second attempt went back to the same rank";
    EXPECT_FALSE(failed_on.count(a.shards()[7].prover_rank));
  }
}

TEST_F(PipelineTest, ASlowRankDoesNotHoldTheJob) {
  if (world_size() < 2) GTEST_SKIP() << "needs a second rank";
  RecomputeChainMachine m(12, 2, 4);
  auto o = options("straggler.h5");
  o.faults.slow_ms = 5;
  o.faults.slow_rank = 1;
  o.faults.slow_rank_ms = 1500;
  const PipelineResult r = mpi::run_pipeline(mpi::Communicator::world(), m, o);
  ASSERT_EQ(r.end, PipelineResult::End::Complete) << r.message;
  if (world_rank() != 0) return;
  // Rank 1 is still on its first shard when the others have proven the rest — including the
  // shard that was queued behind it, which it hands back.
  Artifact a = Artifact::open(o.out, Artifact::Mode::ReadOnly, std::nullopt);
  int by_slow_rank = 0;
  for (const auto& e : a.shards()) by_slow_rank += e.prover_rank == 1;
  EXPECT_EQ(by_slow_rank, 1);
}

TEST_F(PipelineTest, ExhaustedRetriesEndTheRunAndKeepWhatWasProven) {
  RecomputeChainMachine m(10, 2, 6);
  auto o = options("exhausted.h5");
  o.faults.transient = {{5, 100}};
  o.max_attempts = 3;
  const PipelineResult r = mpi::run_pipeline(mpi::Communicator::world(), m, o);
  EXPECT_EQ(r.end, PipelineResult::End::Failed);
  EXPECT_EQ(r.kind, ErrorKind::Retryable);
  EXPECT_NE(r.message.find("shard 5"), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("after 3 attempts"), std::string::npos) << r.message;
  const auto stored = stored_shards(o.out);
  EXPECT_FALSE(stored.count(5));
  if (world_rank() == 0) {
    EXPECT_EQ(stored.size(), r.proven);
    Artifact a = Artifact::open(o.out, Artifact::Mode::ReadOnly, std::nullopt);
    EXPECT_EQ(a.shards()[5].status, ShardStatus::Failed);
  }
}

TEST_F(PipelineTest, NonRetryableFailureKeepsProvenShardsAndResumeFinishesTheRest) {
  RecomputeChainMachine m(14, 2, 8);
  const Reference ref = reference(m);
  auto o = options("fatal.h5");
  o.faults.fatal = {4};
  o.faults.slow_ms = 5;
  const PipelineResult r = mpi::run_pipeline(mpi::Communicator::world(), m, o);
  EXPECT_EQ(r.end, PipelineResult::End::Failed);
  EXPECT_EQ(r.kind, ErrorKind::OutOfMemory);
  EXPECT_NE(r.message.find("shard 4 failed on rank"), std::string::npos) << r.message;
  const auto before = stored_shards(o.out);
  EXPECT_FALSE(before.count(4));
  EXPECT_GE(before.size(), 4u);  // shards 0-3 were handed out before shard 4
  if (world_rank() == 0) {
    EXPECT_EQ(before.size(), r.proven);
  }

  auto again = options("fatal.h5");
  again.resume = true;
  const PipelineResult r2 = mpi::run_pipeline(mpi::Communicator::world(), m, again);
  ASSERT_EQ(r2.end, PipelineResult::End::Complete) << r2.message;
  EXPECT_TRUE(r2.verified);
  if (world_rank() == 0) {
    EXPECT_EQ(r2.resumed, before.size());
    EXPECT_EQ(r2.proven + r2.resumed, 14u);
    for (uint64_t s : r2.proven_shards) EXPECT_FALSE(before.count(s)) << "shard " << s;
  }
  // Proven out of order before (shard 4 missing), in shard order now.
  expect_artifact_equals(o.out, ref);
}

TEST_F(PipelineTest, InterruptFinishesShardsInFlightAndResumeProvesOnlyTheRest) {
  RecomputeChainMachine m(16, 2, 9);
  const Reference ref = reference(m);
  m.interrupt_at = 6;
  auto o = options("interrupt.h5");
  o.faults.slow_ms = 20;
  const PipelineResult r = mpi::run_pipeline(mpi::Communicator::world(), m, o);
  ASSERT_EQ(r.end, PipelineResult::End::Interrupted) << r.message;
  EXPECT_EQ(r.kind, ErrorKind::Interrupted);
  const auto before = stored_shards(o.out);
  EXPECT_TRUE(before.count(6)) << "the interrupted shard itself finished";
  EXPECT_LT(before.size(), 16u);
  // Graceful: the shards being proven finished (queued ones were cancelled), so every shard
  // reported done is stored.
  if (world_rank() == 0) {
    EXPECT_EQ(r.stored, before.size());
    for (uint64_t s : r.proven_shards) EXPECT_TRUE(before.count(s)) << "shard " << s;
  }
  EXPECT_TRUE(fs::exists(journal_dir(o.out)));

  m.interrupt_at.reset();
  auto again = options("interrupt.h5");
  again.resume = true;
  const PipelineResult r2 = mpi::run_pipeline(mpi::Communicator::world(), m, again);
  ASSERT_EQ(r2.end, PipelineResult::End::Complete) << r2.message;
  if (world_rank() == 0) {
    EXPECT_EQ(r2.resumed, before.size());
    EXPECT_EQ(r2.proven, 16u - before.size());
    for (uint64_t s : r2.proven_shards) EXPECT_FALSE(before.count(s)) << "shard " << s;
  }
  expect_artifact_equals(o.out, ref);
}

TEST_F(PipelineTest, DamagedFileIsRebuiltFromTheJournal) {
  RecomputeChainMachine m(16, 2, 10);
  const Reference ref = reference(m);
  m.interrupt_at = 3;
  auto o = options("damaged.h5");
  o.faults.slow_ms = 20;
  const PipelineResult r = mpi::run_pipeline(mpi::Communicator::world(), m, o);
  ASSERT_EQ(r.end, PipelineResult::End::Interrupted) << r.message;
  const auto before = stored_shards(o.out);
  if (world_rank() == 0) {
    // Wipe the superblock: HDF5 can no longer open the file.
    std::fstream f(o.out, std::ios::in | std::ios::out | std::ios::binary);
    const std::string zeros(512, '\0');
    f.write(zeros.data(), static_cast<std::streamsize>(zeros.size()));
  }
  MPI_Barrier(MPI_COMM_WORLD);
  m.interrupt_at.reset();
  auto again = options("damaged.h5");
  again.resume = true;
  const PipelineResult r2 = mpi::run_pipeline(mpi::Communicator::world(), m, again);
  ASSERT_EQ(r2.end, PipelineResult::End::Complete) << r2.message;
  if (world_rank() == 0) {
    EXPECT_EQ(r2.resumed, 0u);
    EXPECT_EQ(r2.recovered, before.size());
    EXPECT_EQ(r2.proven, 16u - before.size());
    EXPECT_TRUE(fs::exists(o.out.string() + ".damaged"));
  }
  expect_artifact_equals(o.out, ref);
}

TEST_F(PipelineTest, StoredProofFailingItsChecksumIsProvenAgain) {
  RecomputeChainMachine m(8, 2, 12);
  const Reference ref = reference(m);
  auto o = options("rot.h5");
  ASSERT_EQ(mpi::run_pipeline(mpi::Communicator::world(), m, o).end, PipelineResult::End::Complete);
  if (world_rank() == 0) {
    // Bit rot in shard 2's bytes (the recorded checksum stays).
    Artifact a = Artifact::open(o.out, Artifact::Mode::ReadOnly, std::nullopt);
    const ShardEntry e = a.shards()[2];
    a.close();
    hid_t f = H5Fopen(o.out.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    hid_t d = H5Dopen2(f, "shards/proofs", H5P_DEFAULT);
    hid_t space = H5Dget_space(d);
    const hsize_t start = e.offset + 3, count = 1;
    H5Sselect_hyperslab(space, H5S_SELECT_SET, &start, nullptr, &count, nullptr);
    hid_t mem = H5Screate_simple(1, &count, nullptr);
    const uint8_t junk = 0x5a;
    ASSERT_GE(H5Dwrite(d, H5T_NATIVE_UINT8, mem, space, H5P_DEFAULT, &junk), 0);
    H5Sclose(mem);
    H5Sclose(space);
    H5Dclose(d);
    H5Fclose(f);
  }
  MPI_Barrier(MPI_COMM_WORLD);
  auto again = options("rot.h5");
  again.resume = true;
  const PipelineResult r = mpi::run_pipeline(mpi::Communicator::world(), m, again);
  ASSERT_EQ(r.end, PipelineResult::End::Complete) << r.message;
  if (world_rank() == 0) {
    EXPECT_EQ(r.resumed, 7u);
    EXPECT_EQ(r.proven_shards, std::vector<uint64_t>{2});
  }
  expect_artifact_equals(o.out, ref);
}

TEST_F(PipelineTest, TheTreeRejectsABadProof) {
  RecomputeChainMachine m(6, 2, 13);
  m.bad_proof_at = 4;
  auto o = options("bad.h5");
  const PipelineResult r = mpi::run_pipeline(mpi::Communicator::world(), m, o);
  EXPECT_EQ(r.end, PipelineResult::End::Complete);  // every shard proven ...
  EXPECT_FALSE(r.verified);                         // ... but the tree refused one
  EXPECT_EQ(r.kind, ErrorKind::VerifyFailed);
  EXPECT_NE(r.message.find("shard 4 does not recompute"), std::string::npos) << r.message;
  if (world_rank() == 0) {
    Artifact a = Artifact::open(o.out, Artifact::Mode::ReadOnly, std::nullopt);
    ASSERT_TRUE(a.read_final().has_value());
    EXPECT_FALSE(a.read_final()->verified);
  }
  EXPECT_TRUE(fs::exists(journal_dir(o.out))) << "an unverified artifact keeps its journal";
}

TEST_F(PipelineTest, ExistingArtifactIsNotOverwrittenWithoutForce) {
  RecomputeChainMachine m(4, 2, 14);
  auto o = options("exists.h5");
  ASSERT_EQ(mpi::run_pipeline(mpi::Communicator::world(), m, o).end, PipelineResult::End::Complete);
  const PipelineResult again = mpi::run_pipeline(mpi::Communicator::world(), m, o);
  EXPECT_EQ(again.end, PipelineResult::End::Failed);
  EXPECT_EQ(again.kind, ErrorKind::InputFile);
  EXPECT_NE(again.message.find("--force"), std::string::npos) << again.message;
  EXPECT_FALSE(again.started);
  o.force = true;
  const PipelineResult forced = mpi::run_pipeline(mpi::Communicator::world(), m, o);
  EXPECT_EQ(forced.end, PipelineResult::End::Complete) << forced.message;
  if (world_rank() == 0) {
    EXPECT_EQ(forced.proven, 4u);
  }
}

TEST_F(PipelineTest, ResumeOfAnotherRequestIsRefused) {
  RecomputeChainMachine m(4, 2, 15);
  auto o = options("other.h5");
  ASSERT_EQ(mpi::run_pipeline(mpi::Communicator::world(), m, o).end, PipelineResult::End::Complete);
  RecomputeChainMachine other(4, 2, 16);
  o.resume = true;
  const PipelineResult r = mpi::run_pipeline(mpi::Communicator::world(), other, o);
  EXPECT_EQ(r.end, PipelineResult::End::Failed);
  EXPECT_EQ(r.kind, ErrorKind::ConfigMismatch);
  EXPECT_NE(r.message.find("seed=15"), std::string::npos) << r.message;
}

TEST_F(PipelineTest, ResumeOfACompleteArtifactProvesNothing) {
  RecomputeChainMachine m(5, 2, 17);
  auto o = options("complete.h5");
  ASSERT_EQ(mpi::run_pipeline(mpi::Communicator::world(), m, o).end, PipelineResult::End::Complete);
  o.resume = true;
  const PipelineResult r = mpi::run_pipeline(mpi::Communicator::world(), m, o);
  ASSERT_EQ(r.end, PipelineResult::End::Complete) << r.message;
  EXPECT_TRUE(r.verified);
  if (world_rank() == 0) {
    EXPECT_EQ(r.proven, 0u);
    EXPECT_EQ(r.resumed, 5u);
  }
  expect_artifact_equals(o.out, reference(m));
}

TEST_F(PipelineTest, ShardsAreHandedOutWhileExecutionRuns) {
  // The last checkpoint is held back until a shard past the scatter (one per rank) has been
  // proven — by a rank other than 0 when there is one. A pipeline that waited for the whole
  // execution before handing out work would never get there: the fixture would give up after a
  // minute and fail the run. Rank 0 proves slowly, so the other ranks are the ones asking.
  const int ranks = world_size();
  const uint64_t shards = 4 * static_cast<uint64_t>(ranks) + 4;
  RecomputeChainMachine m(shards, 2, 18);
  const Reference ref = reference(m);
  m.emitted = 0;  // the reference executed too
  auto o = options("early.h5");
  if (ranks == 1 || world_rank() != 0)
    m.mark_proofs = RecomputeChainMachine::ProofMarkers{dir_, world_rank()};
  m.hold_execution = RecomputeChainMachine::Hold{shards - 1, static_cast<uint64_t>(ranks), dir_};
  if (ranks > 1) {
    o.faults.slow_rank = 0;
    o.faults.slow_rank_ms = 100;
  }
  const PipelineResult r = mpi::run_pipeline(mpi::Communicator::world(), m, o);
  ASSERT_EQ(r.end, PipelineResult::End::Complete) << r.message;
  EXPECT_TRUE(r.verified);
  expect_artifact_equals(o.out, ref);
  if (world_rank() != 0) return;
  EXPECT_EQ(m.emitted.load(), shards);
  const auto t = Artifact::open(o.out, Artifact::Mode::ReadOnly, std::nullopt).read_timings();
  ASSERT_TRUE(t.has_value());
  EXPECT_GT(t->seconds[0][mpi::kExecute], 0.0) << "rank 0's execution time is recorded";
}

TEST_F(PipelineTest, AFailedExecutionEndsTheRunOnEveryRankAndKeepsWhatWasProven) {
  // Shard 6 traps, after at least one shard has been proven (the hold): the run ends as Failed on
  // every rank with the machine's error, the shards proven are stored, and a resume (with an
  // execution that works) finishes the job.
  RecomputeChainMachine m(12, 2, 19);
  const Reference ref = reference(m);
  m.emitted = 0;  // the reference executed too
  m.mark_proofs = RecomputeChainMachine::ProofMarkers{dir_, world_rank()};
  m.hold_execution = RecomputeChainMachine::Hold{6, 0, dir_};
  m.execute_fails_at = 6;
  auto o = options("trap.h5");
  const PipelineResult r = mpi::run_pipeline(mpi::Communicator::world(), m, o);
  EXPECT_EQ(r.end, PipelineResult::End::Failed);
  EXPECT_EQ(r.kind, ErrorKind::GuestTrap);
  EXPECT_NE(r.message.find("fixture: the guest trapped in shard 6"), std::string::npos)
      << r.message;
  EXPECT_NE(r.message.find("continue with --resume"), std::string::npos) << r.message;
  expect_same_end_on_every_rank(r);
  const auto before = stored_shards(o.out);
  EXPECT_GE(before.size(), 1u);
  for (uint64_t s : before) EXPECT_LT(s, 6u) << "shard " << s << " has no checkpoint";
  if (world_rank() == 0) {
    EXPECT_EQ(before.size(), r.proven) << "every shard proven is stored";
    EXPECT_EQ(m.emitted.load(), 6u);
  }

  m.execute_fails_at.reset();
  m.hold_execution.reset();
  auto again = options("trap.h5");
  again.resume = true;
  const PipelineResult r2 = mpi::run_pipeline(mpi::Communicator::world(), m, again);
  ASSERT_EQ(r2.end, PipelineResult::End::Complete) << r2.message;
  if (world_rank() == 0) {
    EXPECT_EQ(r2.resumed, before.size());
  }
  expect_artifact_equals(o.out, ref);
}

TEST_F(PipelineTest, AMachineThatMiscountsItsCheckpointsFailsTheRun) {
  RecomputeChainMachine m(8, 2, 20);
  m.execute_returns_at = 5;
  auto o = options("miscount.h5");
  const PipelineResult r = mpi::run_pipeline(mpi::Communicator::world(), m, o);
  EXPECT_EQ(r.end, PipelineResult::End::Failed);
  EXPECT_EQ(r.kind, ErrorKind::Internal);
  EXPECT_NE(r.message.find("finished executing after 5 checkpoints, but the request has 8 shards"),
            std::string::npos)
      << r.message;
  expect_same_end_on_every_rank(r);
  const auto stored = stored_shards(o.out);
  for (uint64_t s : stored) EXPECT_LT(s, 5u);
}

TEST_F(PipelineTest, AnInterruptDuringExecutionStopsItAndResumeFinishes) {
  // A slow execution (40 shards, 50 ms each) interrupted at shard 3: the execution stops at its
  // next checkpoint instead of running on, the run ends as Interrupted (before or after the
  // scatter, depending on the rank count), and a resume proves the rest.
  RecomputeChainMachine m(40, 2, 21);
  const Reference ref = reference(m);
  m.emitted = 0;  // the reference executed too
  m.execute_pause = std::chrono::milliseconds(50);
  m.interrupt_in_execute_at = 3;
  auto o = options("interrupt-exec.h5");
  const PipelineResult r = mpi::run_pipeline(mpi::Communicator::world(), m, o);
  ASSERT_EQ(r.end, PipelineResult::End::Interrupted) << r.message;
  EXPECT_EQ(r.kind, ErrorKind::Interrupted);
  expect_same_end_on_every_rank(r);
  const auto before = stored_shards(o.out);
  if (world_rank() == 0) {
    EXPECT_LT(m.emitted.load(), 40u) << "the execution ran to its end after the interrupt";
    EXPECT_EQ(r.stored, before.size());
    for (uint64_t s : r.proven_shards) EXPECT_TRUE(before.count(s)) << "shard " << s;
  }

  m.interrupt_in_execute_at.reset();
  m.execute_pause = std::chrono::milliseconds(0);
  auto again = options("interrupt-exec.h5");
  again.resume = true;
  const PipelineResult r2 = mpi::run_pipeline(mpi::Communicator::world(), m, again);
  ASSERT_EQ(r2.end, PipelineResult::End::Complete) << r2.message;
  if (world_rank() == 0) {
    EXPECT_EQ(r2.resumed, before.size());
    EXPECT_EQ(r2.proven, 40u - before.size());
  }
  expect_artifact_equals(o.out, ref);
}

}  // namespace
}  // namespace tessera
