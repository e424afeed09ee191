// Merkle commitment of a trace's LDE, and the whole LDE + commit pipeline of a STARK round,
// through a Backend (cpu by default; TESSERA_BENCH_BACKEND=cuda|auto|lockstep picks another).
//
// Workload (issue 3): a trace of 2^k rows x 64 columns, extended at blowup 2 (log_blowup 1) on
// the coset g*H' (g = 31), so the committed matrix has 2^(k+1) rows. k = 20 is the target size;
// k = 16 is a quick run. Counters: rows/s of the committed (LDE) matrix and the Poseidon2
// permutations/s that implies (8 per 64-element row, one per internal node).
//
//   OMP_NUM_THREADS=1 build/benchmarks/bench_merkle
//   OMP_NUM_THREADS=2 build/benchmarks/bench_merkle --benchmark_filter='/20'
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "backend/backend.hpp"

namespace tessera {
namespace {

constexpr size_t kColumns = 64;
constexpr uint32_t kLogBlowup = 1;
const BabyBear kShift = BabyBear::from_u32(BabyBear::kGenerator);

RowMajorMatrix<BabyBear> random_trace(size_t height) {
  std::mt19937_64 rng(height);
  RowMajorMatrix<BabyBear> m(kColumns, height);
  for (BabyBear& v : m.values()) v = BabyBear::from_u64(rng() % BabyBear::kModulus);
  return m;
}

Backend& bench_backend() {
  static std::unique_ptr<Backend> backend = [] {
    const char* name = std::getenv("TESSERA_BENCH_BACKEND");
    return make_backend(name != nullptr ? name : "cpu");
  }();
  return *backend;
}

void set_counters(benchmark::State& state, size_t lde_rows) {
  // Leaves: ceil(64 / 8) = 8 permutations per row; internal nodes: lde_rows - 1 compressions.
  const double permutations = static_cast<double>(lde_rows) * (kColumns / 8) + (lde_rows - 1);
  state.counters["lde_rows/s"] =
      benchmark::Counter(static_cast<double>(lde_rows) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
  state.counters["perms/s"] = benchmark::Counter(
      permutations * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.SetLabel(bench_backend().name());
}

// Commit of an already computed LDE (2^(k+1) x 64).
void BM_CommitLde(benchmark::State& state) {
  const size_t log_rows = static_cast<size_t>(state.range(0));
  Backend& backend = bench_backend();
  const RowMajorMatrix<BabyBear> lde =
      backend.coset_lde(random_trace(size_t{1} << log_rows), kLogBlowup, kShift);
  const std::vector<const RowMajorMatrix<BabyBear>*> matrices{&lde};
  for (auto _ : state) {
    MerkleTree tree = backend.commit_matrices(matrices);
    benchmark::DoNotOptimize(tree.root());
  }
  set_counters(state, lde.height());
}

// LDE (2^k -> 2^(k+1) rows, 64 columns) followed by the commitment of the LDE.
void BM_LdeAndCommit(benchmark::State& state) {
  const size_t log_rows = static_cast<size_t>(state.range(0));
  Backend& backend = bench_backend();
  const RowMajorMatrix<BabyBear> trace = random_trace(size_t{1} << log_rows);
  const std::vector<const RowMajorMatrix<BabyBear>*> traces{&trace};
  for (auto _ : state) {
    LdeCommitment c = backend.lde_and_commit(traces, kLogBlowup, kShift);
    benchmark::DoNotOptimize(c.tree.root());
  }
  set_counters(state, trace.height() << kLogBlowup);
}

BENCHMARK(BM_CommitLde)->Arg(16)->Arg(20)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_LdeAndCommit)->Arg(16)->Arg(20)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace tessera

BENCHMARK_MAIN();
