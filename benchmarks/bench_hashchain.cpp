// Proving one hash-chain shard of 2^k Poseidon2 compressions (one 298-column table of 2^k rows) at
// the core configuration (or TESSERA_BENCH_CONFIG), with 1 and 2 OpenMP threads: the way the
// HashchainMachine proves a shard (witness + trace generation, then the STARK prover with its
// default debug check), then verify_shard on the serialised proof.
//
// Counters (milliseconds per shard unless noted):
//   trace        witnesses from the seed, the sequential chain, the 298-column trace
//   debug        the prover's debug check (constraints row by row)
//   main_commit  LDE + Merkle tree of the trace
//   quotient     quotient-domain extraction + constraint fold
//   quot_commit  quotient chunks: split, LDE, Merkle tree
//   open         evaluations at zeta, DEEP quotients, FRI, PoW, queries
//   prove        the prover's total (debug .. open)
//   wall         trace + prove (the benchmark's time is the same, end to end)
//   verify       verify_shard (parse, STARK verification, step-range checks)
//   hashes_per_s compressions proven per second of wall time
//   proof_bytes  serialised shard proof
//   peak_rss_mb  the process's peak resident set so far (getrusage; run one size per process
//                for a clean figure, sizes run in increasing order)
//
//   OMP_PROC_BIND=false build-hashchain/benchmarks/bench_hashchain --benchmark_filter='/16/2'
//   TESSERA_BENCH_CONFIG=test build-hashchain/benchmarks/bench_hashchain
#include <benchmark/benchmark.h>
#include <omp.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include "air/hashchain_machine.hpp"
#include "backend/cpu_backend.hpp"
#include "stark/keys.hpp"
#include "stark/proof.hpp"
#include "stark/prover.hpp"

namespace tessera {
namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

std::string bench_config() {
  const char* c = std::getenv("TESSERA_BENCH_CONFIG");
  return c != nullptr ? c : "core";
}

double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

void BM_HashchainShard(benchmark::State& state) {
  const auto log_k = static_cast<uint32_t>(state.range(0));
  const int threads = static_cast<int>(state.range(1));
  const int saved_threads = omp_get_max_threads();
  omp_set_num_threads(threads);

  const uint64_t k = uint64_t{1} << log_k;
  // Two shards; the second is proven (a start digest that is not h_0, a non-zero step range).
  const HashchainMachine machine({2 * k, k, 2026, bench_config()});
  const auto checkpoints = machine.execute();
  const HashchainCheckpoint cp = read_hashchain_checkpoint(checkpoints[1]);
  CpuBackend backend;
  const ProvingKey pk = setup(machine.stark_machine(), bench_config(), backend);

  ProverTimings sum;
  double trace = 0, wall = 0, verify_s = 0;
  size_t proof_bytes = 0;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    HashchainShardWitness w = hashchain_shard_witness(2026, cp.start, cp.first_step, k);
    trace += seconds_since(t0);
    ProverTimings tm;
    ProveOptions o;
    o.timings = &tm;
    std::vector<TableWitness> tables;
    tables.push_back({std::move(w.trace), std::move(w.public_values)});
    const auto bytes =
        serialize_shard_proof(prove(machine.stark_machine(), pk, std::move(tables), backend, o));
    wall += seconds_since(t0);
    state.PauseTiming();
    proof_bytes = bytes.size();
    const auto t1 = Clock::now();
    const ShardStatement st = machine.verify_shard(1, bytes);
    verify_s += seconds_since(t1);
    benchmark::DoNotOptimize(st);
    state.ResumeTiming();
    sum.debug_check += tm.debug_check;
    sum.main_commit += tm.main_commit;
    sum.quotient += tm.quotient;
    sum.quotient_commit += tm.quotient_commit;
    sum.open += tm.open;
    sum.total += tm.total;
  }
  omp_set_num_threads(saved_threads);

  const double n = static_cast<double>(state.iterations());
  const auto ms = [n](double s) { return s * 1e3 / n; };
  state.counters["trace"] = ms(trace);
  state.counters["debug"] = ms(sum.debug_check);
  state.counters["main_commit"] = ms(sum.main_commit);
  state.counters["quotient"] = ms(sum.quotient);
  state.counters["quot_commit"] = ms(sum.quotient_commit);
  state.counters["open"] = ms(sum.open);
  state.counters["prove"] = ms(sum.total);
  state.counters["wall"] = ms(wall);
  state.counters["verify"] = ms(verify_s);
  state.counters["hashes_per_s"] = static_cast<double>(k) * n / wall;
  state.counters["proof_bytes"] = static_cast<double>(proof_bytes);
  state.counters["peak_rss_mb"] = peak_rss_mb();
  state.SetLabel(bench_config());
}
BENCHMARK(BM_HashchainShard)
    ->ArgsProduct({benchmark::CreateDenseRange(10, 16, 1), {1, 2}})
    ->ArgNames({"log_steps", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(2.0);

// Witness + trace generation of one shard alone (the `trace` counter above, isolated).
void BM_HashchainTrace(benchmark::State& state) {
  const uint64_t k = uint64_t{1} << state.range(0);
  const int saved_threads = omp_get_max_threads();
  omp_set_num_threads(static_cast<int>(state.range(1)));
  const Digest start = hashchain_initial_digest(7);
  for (auto _ : state) {
    benchmark::DoNotOptimize(hashchain_shard_witness(7, start, 0, k));
  }
  omp_set_num_threads(saved_threads);
  state.counters["rows_per_s"] =
      benchmark::Counter(static_cast<double>(k), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_HashchainTrace)
    ->ArgsProduct({{16}, {1, 2}})
    ->ArgNames({"log_steps", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The chain alone (what execute() does per step): witness derivation + one compression.
void BM_HashchainExecute(benchmark::State& state) {
  const uint64_t steps = uint64_t{1} << state.range(0);
  for (auto _ : state) {
    benchmark::DoNotOptimize(hashchain_advance(7, hashchain_initial_digest(7), 0, steps));
  }
  state.counters["steps_per_s"] =
      benchmark::Counter(static_cast<double>(steps), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_HashchainExecute)->Arg(16)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace tessera

BENCHMARK_MAIN();
