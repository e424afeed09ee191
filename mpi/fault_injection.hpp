#pragma once
// Test-only faults, set through the environment so that the real binary under mpirun/sbatch can
// be driven into its failure paths (they cost nothing when unset):
//
//   TESSERA_TEST_FAIL_SHARD=3:1,5:fatal   shard 3 fails its first attempt with a retryable error
//                                         (3:2 — its first two attempts); shard 5 fails every
//                                         attempt with a non-retryable error
//                                         (ErrorKind::OutOfMemory, the typical shard-sized failure
//                                         of a device)
//   TESSERA_TEST_SLOW_SHARD_MS=200        every shard takes at least 200 ms longer to prove
//                                         (to interrupt or kill a run part-way in tests)
//   TESSERA_TEST_SLOW_RANK=1:1000         rank 1 takes 1000 ms longer for every shard (a
//                                         straggler: the job must not wait for it)

#include <cstdint>
#include <map>
#include <set>
#include <string>

namespace tessera::mpi {

struct FaultPlan {
  std::map<uint64_t, uint32_t> transient;  // shard -> number of failing attempts
  std::set<uint64_t> fatal;
  uint64_t slow_ms = 0;
  int slow_rank = -1;
  uint64_t slow_rank_ms = 0;

  bool empty() const {
    return transient.empty() && fatal.empty() && slow_ms == 0 && slow_rank_ms == 0;
  }
  // The injected delay of one shard on `rank`.
  uint64_t delay_ms(int rank) const { return slow_ms + (rank == slow_rank ? slow_rank_ms : 0); }
  // Throws the injected failure of this attempt (attempt 0 is the first), if any.
  void before_proving(uint64_t shard, uint32_t attempt) const;
};

// Parses the specifications above; a malformed one is ErrorKind::Usage naming the variable.
FaultPlan parse_fault_plan(const std::string& fail_spec, const std::string& slow_spec,
                           const std::string& slow_rank_spec = "");
FaultPlan fault_plan_from_env();

}  // namespace tessera::mpi
