// GoogleTest main for MPI suites: every rank runs every test; only rank 0 prints the usual
// report, and the process exit code is non-zero on every rank if any rank failed, so mpirun
// (and ctest) see a failure wherever it happened.
#include <gtest/gtest.h>
#include <mpi.h>

namespace {
class SilentOnOtherRanks : public ::testing::EmptyTestEventListener {};
}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  ::testing::InitGoogleTest(&argc, argv);
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (rank != 0) {
    auto& listeners = ::testing::UnitTest::GetInstance()->listeners();
    // Keep failures visible (they carry the rank in their message) but drop the banner noise.
    delete listeners.Release(listeners.default_result_printer());
    listeners.Append(new SilentOnOtherRanks);
  }
  int local_failed = RUN_ALL_TESTS() != 0 ? 1 : 0;
  int any_failed = 0;
  MPI_Allreduce(&local_failed, &any_failed, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  if (rank == 0 && any_failed && !local_failed) {
    std::fprintf(stderr, "[  FAILED  ] a test failed on another rank\n");
  }
  MPI_Finalize();
  return any_failed;
}
