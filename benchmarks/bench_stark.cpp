// The shard prover and verifier on the Fibonacci AIR (2 columns, 2^k rows) and the two-table
// range-check machine, with the prover's per-phase split.
//
// Counters (milliseconds per proof unless noted): trace (witness generation), debug (debug
// check), main/perm/quotient_commit (each: LDE + Merkle), logup (LogUp trace), quotient (domain
// extraction + constraint fold), open (evaluations at zeta, DEEP quotients, FRI, PoW, queries),
// lde and merkle (time inside the backend's coset LDE and Merkle hashing, summed over every
// commit, FRI layers included), verify, proof_bytes.
//
//   OMP_NUM_THREADS=2 build/benchmarks/bench_stark --benchmark_filter='Fibonacci/16'
//   TESSERA_BENCH_CONFIG=test build/benchmarks/bench_stark      (default: core)
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "air/fibonacci.hpp"
#include "air/range_check.hpp"
#include "backend/cpu_backend.hpp"
#include "stark/keys.hpp"
#include "stark/machine.hpp"
#include "stark/prover.hpp"
#include "stark/verifier.hpp"

namespace tessera {
namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// A CPU backend that accumulates the time spent in its LDE and hashing primitives.
class TimedCpuBackend : public Backend {
 public:
  std::string name() const override { return "cpu(timed)"; }
  double lde = 0, merkle = 0, ntt = 0;

 protected:
  void do_ntt_forward(RowMajorMatrix<BabyBear>& m) override {
    const auto t = Clock::now();
    inner_.ntt_forward(m);
    ntt += seconds_since(t);
  }
  void do_ntt_inverse(RowMajorMatrix<BabyBear>& m) override {
    const auto t = Clock::now();
    inner_.ntt_inverse(m);
    ntt += seconds_since(t);
  }
  RowMajorMatrix<BabyBear> do_coset_lde(const RowMajorMatrix<BabyBear>& evals, uint32_t log_blowup,
                                        BabyBear shift, RowOrder order) override {
    const auto t = Clock::now();
    auto out = inner_.coset_lde(evals, log_blowup, shift, order);
    lde += seconds_since(t);
    return out;
  }
  void do_hash_rows(std::span<const RowMajorMatrix<BabyBear>* const> group,
                    std::span<Digest> out) override {
    const auto t = Clock::now();
    inner_.hash_rows(group, out);
    merkle += seconds_since(t);
  }
  void do_compress_layer(std::span<const Digest> children, std::span<const Digest> injected,
                         std::span<Digest> parents) override {
    const auto t = Clock::now();
    inner_.compress_layer(children, injected, parents);
    merkle += seconds_since(t);
  }

 private:
  CpuBackend inner_;
};

std::string bench_config() {
  const char* c = std::getenv("TESSERA_BENCH_CONFIG");
  return c != nullptr ? c : "core";
}

template <class MakeWitness>
void run_prover(benchmark::State& state, const Machine& machine, MakeWitness make_witness) {
  TimedCpuBackend backend;
  const ProvingKey pk = setup(machine, bench_config(), backend);
  ProverTimings sum;
  double trace = 0, verify_s = 0;
  size_t proof_bytes = 0;
  backend.lde = backend.merkle = 0;
  for (auto _ : state) {
    auto t0 = Clock::now();
    std::vector<TableWitness> w = make_witness();
    trace += seconds_since(t0);
    ProverTimings tm;
    ProveOptions o;
    o.timings = &tm;
    const ShardProof proof = prove(machine, pk, std::move(w), backend, o);
    state.PauseTiming();
    const auto bytes = serialize_shard_proof(proof);
    proof_bytes = bytes.size();
    VerifyOptions vo;
    vo.allow_insecure = true;
    t0 = Clock::now();
    verify_bytes(machine, pk.vk, bytes, vo);
    verify_s += seconds_since(t0);
    state.ResumeTiming();
    sum.debug_check += tm.debug_check;
    sum.main_commit += tm.main_commit;
    sum.logup_trace += tm.logup_trace;
    sum.permutation_commit += tm.permutation_commit;
    sum.quotient += tm.quotient;
    sum.quotient_commit += tm.quotient_commit;
    sum.open += tm.open;
    sum.total += tm.total;
  }
  const double n = static_cast<double>(state.iterations());
  const auto ms = [n](double s) { return s * 1e3 / n; };
  state.counters["trace"] = ms(trace);
  state.counters["debug"] = ms(sum.debug_check);
  state.counters["main_commit"] = ms(sum.main_commit);
  state.counters["logup"] = ms(sum.logup_trace);
  state.counters["perm_commit"] = ms(sum.permutation_commit);
  state.counters["quotient"] = ms(sum.quotient);
  state.counters["quot_commit"] = ms(sum.quotient_commit);
  state.counters["open"] = ms(sum.open);
  state.counters["prove"] = ms(sum.total);
  state.counters["lde"] = ms(backend.lde);
  state.counters["merkle"] = ms(backend.merkle);
  state.counters["verify"] = ms(verify_s);
  state.counters["proof_bytes"] = static_cast<double>(proof_bytes);
}

void BM_Fibonacci(benchmark::State& state) {
  const auto log_n = static_cast<uint32_t>(state.range(0));
  Machine m("fibonacci");
  m.add(FibonacciAir{});
  run_prover(state, m, [log_n] {
    auto w = fibonacci_witness(log_n, BabyBear::one(), BabyBear::one());
    return std::vector<TableWitness>{{std::move(w.trace), std::move(w.public_values)}};
  });
}
BENCHMARK(BM_Fibonacci)->DenseRange(10, 16, 2)->Unit(benchmark::kMillisecond);

void BM_RangeCheck(benchmark::State& state) {
  const auto log_n = static_cast<uint32_t>(state.range(0));
  LimbDecompositionAir limbs;
  limbs.bits = 8;
  limbs.limbs = 3;
  RangeTableAir table;
  table.bits = 8;
  Machine m("range-check");
  m.add(limbs);
  m.add(table);
  run_prover(state, m, [log_n, limbs] {
    std::vector<uint32_t> values(size_t{1} << log_n);
    uint32_t x = 12345;
    for (auto& v : values) v = (x = x * 1103515245u + 12345u) >> 8;
    auto w = range_check_witness(limbs, values, log_n);
    return std::vector<TableWitness>{{std::move(w.limbs_trace), {}},
                                     {std::move(w.range_trace), {}}};
  });
}
BENCHMARK(BM_RangeCheck)->DenseRange(12, 16, 2)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tessera

BENCHMARK_MAIN();
