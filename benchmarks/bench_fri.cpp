// The FRI PCS at the core configuration (log blowup 1, 100 queries, 16 PoW bits): commit (LDE +
// Merkle tree) and open (values at two points zeta and zeta*g, DEEP quotient, FRI commit phase,
// grinding, 100 queries) of one matrix, and verification. Backend: cpu by default,
// TESSERA_BENCH_BACKEND=cuda|auto|lockstep picks another.
//
// Workloads (args: log2 rows, columns): 2^16 x 64 and 2^20 x 8.
//
//   OMP_NUM_THREADS=1 build/benchmarks/bench_fri
//   OMP_NUM_THREADS=2 build/benchmarks/bench_fri --benchmark_filter='Open'
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>
#include <random>
#include <vector>

#include "backend/backend.hpp"
#include "fri/deep_quotient.hpp"
#include "fri/fri_fold.hpp"
#include "fri/pcs.hpp"

namespace tessera {
namespace {

Backend& bench_backend() {
  static std::unique_ptr<Backend> backend = [] {
    const char* name = std::getenv("TESSERA_BENCH_BACKEND");
    return make_backend(name != nullptr ? name : "cpu");
  }();
  return *backend;
}

RowMajorMatrix<BabyBear> random_matrix(size_t width, size_t height, uint64_t seed) {
  std::mt19937_64 rng(seed);
  RowMajorMatrix<BabyBear> m(width, height);
  for (BabyBear& v : m.values()) v = BabyBear::from_u64(rng() % BabyBear::kModulus);
  return m;
}

BabyBear4 random_point(uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto f = [&] { return BabyBear::from_u64(rng() % BabyBear::kModulus); };
  return {f(), f(), f(), f()};
}

struct Instance {
  TwoAdicDomain domain;
  FriPcs::CommittedData data;
  Digest root;
  std::vector<BabyBear4> points;
};

Instance make_instance(const FriPcs& pcs, uint32_t log_rows, size_t width) {
  Instance in;
  in.domain = TwoAdicDomain::natural(log_rows);
  std::vector<std::pair<TwoAdicDomain, RowMajorMatrix<BabyBear>>> evals;
  evals.emplace_back(in.domain, random_matrix(width, size_t{1} << log_rows, log_rows));
  in.root = pcs.commit(std::move(evals), in.data);
  const BabyBear4 zeta = random_point(7);
  in.points = {zeta, in.domain.next_point(zeta)};
  return in;
}

void label(benchmark::State& state) {
  state.SetLabel(bench_backend().name() + " core");
  state.counters["rows"] = static_cast<double>(size_t{1} << state.range(0));
  state.counters["cols"] = static_cast<double>(state.range(1));
}

void BM_Commit(benchmark::State& state) {
  const uint32_t log_rows = static_cast<uint32_t>(state.range(0));
  const size_t width = static_cast<size_t>(state.range(1));
  const FriPcs pcs(FriConfig::core(), bench_backend());
  const auto trace = random_matrix(width, size_t{1} << log_rows, log_rows);
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<std::pair<TwoAdicDomain, RowMajorMatrix<BabyBear>>> evals;
    evals.emplace_back(TwoAdicDomain::natural(log_rows), trace);
    FriPcs::CommittedData data;
    state.ResumeTiming();
    benchmark::DoNotOptimize(pcs.commit(std::move(evals), data));
  }
  label(state);
}

void BM_Open(benchmark::State& state) {
  const FriPcs pcs(FriConfig::core(), bench_backend());
  const Instance in = make_instance(pcs, static_cast<uint32_t>(state.range(0)),
                                    static_cast<size_t>(state.range(1)));
  size_t proof_bytes = 0;
  for (auto _ : state) {
    Challenger ch;
    ch.observe(in.root);
    PcsProof proof;
    benchmark::DoNotOptimize(pcs.open({ProverOpeningRound{&in.data, {in.points}}}, ch, proof));
    ByteWriter w;
    write_pcs_proof(w, proof);
    proof_bytes = w.size();
  }
  label(state);
  state.counters["proof_bytes"] = static_cast<double>(proof_bytes);
}

void BM_CommitAndOpen(benchmark::State& state) {
  const uint32_t log_rows = static_cast<uint32_t>(state.range(0));
  const size_t width = static_cast<size_t>(state.range(1));
  const FriPcs pcs(FriConfig::core(), bench_backend());
  const auto trace = random_matrix(width, size_t{1} << log_rows, log_rows);
  const BabyBear4 zeta = random_point(7);
  const TwoAdicDomain domain = TwoAdicDomain::natural(log_rows);
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<std::pair<TwoAdicDomain, RowMajorMatrix<BabyBear>>> evals;
    evals.emplace_back(domain, trace);
    state.ResumeTiming();
    FriPcs::CommittedData data;
    Challenger ch;
    ch.observe(pcs.commit(std::move(evals), data));
    PcsProof proof;
    benchmark::DoNotOptimize(
        pcs.open({ProverOpeningRound{&data, {{zeta, domain.next_point(zeta)}}}}, ch, proof));
  }
  label(state);
}

void BM_Verify(benchmark::State& state) {
  const FriPcs pcs(FriConfig::core(), bench_backend());
  const Instance in = make_instance(pcs, static_cast<uint32_t>(state.range(0)),
                                    static_cast<size_t>(state.range(1)));
  Challenger ch;
  ch.observe(in.root);
  PcsProof proof;
  const OpenedValues values = pcs.open({ProverOpeningRound{&in.data, {in.points}}}, ch, proof);
  VerifierOpeningRound round;
  round.commitment = in.root;
  round.matrices.push_back(
      {in.domain, static_cast<size_t>(state.range(1)), in.points, values[0][0]});
  for (auto _ : state) {
    Challenger vch;
    vch.observe(in.root);
    pcs.verify({round}, proof, vch);
  }
  label(state);
}

// The two per-row primitives alone: reduced openings of one matrix at two points, and one fold.
void BM_ReduceOpenings(benchmark::State& state) {
  const uint32_t log_rows = static_cast<uint32_t>(state.range(0));
  const size_t width = static_cast<size_t>(state.range(1));
  const auto lde = random_matrix(width, size_t{2} << log_rows, 1);
  const auto pts = lde_points_bitrev(log_rows + 1);
  std::vector<BabyBear4> inv(lde.height()), alpha_powers(width), acc(lde.height());
  lde_inverse_denominators(pts, random_point(3), inv);
  for (size_t c = 0; c < width; ++c) alpha_powers[c] = random_point(c);
  const ReducedOpeningPoint points[] = {{random_point(5), random_point(6), inv},
                                        {random_point(8), random_point(9), inv}};
  for (auto _ : state) reduce_openings_cpu(lde, alpha_powers, points, acc);
  label(state);
}

void BM_FoldLayer(benchmark::State& state) {
  const size_t n = size_t{2} << state.range(0);
  std::vector<BabyBear4> layer(n), out(n / 2);
  for (size_t i = 0; i < n; ++i) layer[i] = random_point(i);
  const auto inv_x = fri_inverse_points_bitrev(n / 2);
  for (auto _ : state) fri_fold_layer_cpu(layer, random_point(1), inv_x, out);
  label(state);
}

BENCHMARK(BM_Commit)->Args({16, 64})->Args({20, 8})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Open)->Args({16, 64})->Args({20, 8})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_CommitAndOpen)
    ->Args({16, 64})
    ->Args({20, 8})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_Verify)->Args({16, 64})->Args({20, 8})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ReduceOpenings)
    ->Args({16, 64})
    ->Args({20, 8})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_FoldLayer)->Args({16, 0})->Args({20, 0})->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace tessera

BENCHMARK_MAIN();
