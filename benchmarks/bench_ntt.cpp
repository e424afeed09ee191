// NTT and coset LDE throughput on the CPU reference (src/poly/ntt.cpp).
//
//   OMP_NUM_THREADS=1 ./bench_ntt
//   OMP_NUM_THREADS=2 ./bench_ntt --benchmark_filter=CosetLde
//
// Counters: "elems/s" counts the matrix elements transformed (input height x width for the NTTs,
// output height x width for the LDE, i.e. the size of what is produced) per second.
#include <benchmark/benchmark.h>
#include <omp.h>

#include <random>

#include "backend/device.hpp"
#include "poly/ntt.hpp"
#if TESSERA_HAVE_CUDA
#include "kernels/ntt_host.hpp"
#endif

namespace {

using tessera::BabyBear;
using tessera::RowMajorMatrix;

RowMajorMatrix<BabyBear> random_matrix(size_t height, size_t width) {
  std::mt19937_64 rng(12345);
  RowMajorMatrix<BabyBear> m(width, height);
  for (auto& x : m.values())
    x = BabyBear::from_u32(static_cast<uint32_t>(rng() % BabyBear::kModulus));
  return m;
}

void set_counters(benchmark::State& state, size_t elems) {
  state.counters["elems/s"] = benchmark::Counter(static_cast<double>(elems) * state.iterations(),
                                                 benchmark::Counter::kIsRate);
  state.counters["threads"] = omp_get_max_threads();
}

// args: log height, width
void BM_NttForward(benchmark::State& state) {
  const size_t n = size_t{1} << state.range(0), width = static_cast<size_t>(state.range(1));
  auto m = random_matrix(n, width);
  for (auto _ : state) {
    tessera::ntt_forward(m);
    benchmark::DoNotOptimize(m.data());
  }
  set_counters(state, n * width);
}

void BM_NttInverse(benchmark::State& state) {
  const size_t n = size_t{1} << state.range(0), width = static_cast<size_t>(state.range(1));
  auto m = random_matrix(n, width);
  for (auto _ : state) {
    tessera::ntt_inverse(m);
    benchmark::DoNotOptimize(m.data());
  }
  set_counters(state, n * width);
}

// args: log height, width, log blowup. Writes into a preallocated output (the raw API), so the
// time is the transform itself; BM_CosetLdeAlloc includes allocating the result matrix.
void BM_CosetLde(benchmark::State& state) {
  const size_t n = size_t{1} << state.range(0), width = static_cast<size_t>(state.range(1));
  const auto log_blowup = static_cast<uint32_t>(state.range(2));
  const auto evals = random_matrix(n, width);
  RowMajorMatrix<BabyBear> out(width, n << log_blowup);
  const BabyBear shift = BabyBear::from_u32(BabyBear::kGenerator);
  for (auto _ : state) {
    tessera::coset_lde(evals.data(), n, width, log_blowup, shift, out.data());
    benchmark::DoNotOptimize(out.data());
  }
  set_counters(state, (n << log_blowup) * width);
}

void BM_CosetLdeAlloc(benchmark::State& state) {
  const size_t n = size_t{1} << state.range(0), width = static_cast<size_t>(state.range(1));
  const auto log_blowup = static_cast<uint32_t>(state.range(2));
  const auto evals = random_matrix(n, width);
  const BabyBear shift = BabyBear::from_u32(BabyBear::kGenerator);
  for (auto _ : state) {
    auto out = tessera::coset_lde(evals, log_blowup, shift);
    benchmark::DoNotOptimize(out.data());
  }
  set_counters(state, (n << log_blowup) * width);
}

// GPU: device-resident data, kernel time only (CUDA events), no transfers. args: log height,
// width, log blowup. Reports the forward NTT and the natural-order coset LDE.
void BM_NttGpu(benchmark::State& state) {
#if TESSERA_HAVE_CUDA
  if (tessera::cuda_device_count() == 0) {
    state.SkipWithError("no CUDA device");
    return;
  }
  const size_t n = size_t{1} << state.range(0), width = static_cast<size_t>(state.range(1));
  const auto log_blowup = static_cast<uint32_t>(state.range(2));
  tessera::cuda::NttGpuTimings t;
  for (auto _ : state) {
    t = tessera::cuda::time_ntt_gpu(n, width, log_blowup, 10);
    state.SetIterationTime(t.forward_s + t.coset_lde_s);
  }
  state.counters["forward_ms"] = t.forward_s * 1e3;
  state.counters["lde_ms"] = t.coset_lde_s * 1e3;
  state.counters["forward_elems/s"] = static_cast<double>(n * width) / t.forward_s;
  state.counters["lde_elems/s"] = static_cast<double>((n << log_blowup) * width) / t.coset_lde_s;
  // Bytes the passes must move at least: the forward reads and writes the matrix once per pass
  // (3 passes at 2^20 x 64); reported as the effective rate of one read + one write.
  state.counters["forward_GB/s_1pass"] =
      2.0 * static_cast<double>(n * width * sizeof(BabyBear)) / t.forward_s / 1e9;
#else
  state.SkipWithError("built without CUDA");
#endif
}

}  // namespace

BENCHMARK(BM_NttGpu)->Args({16, 64, 1})->Args({20, 64, 1})->Args({22, 64, 1})->UseManualTime();
BENCHMARK(BM_NttForward)
    ->Args({12, 64})  // 1 MiB: in cache, the arithmetic alone
    ->Args({16, 64})
    ->Args({20, 64})
    ->Args({20, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_NttInverse)
    ->Args({16, 64})
    ->Args({20, 64})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_CosetLde)
    ->Args({16, 64, 1})
    ->Args({20, 64, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_CosetLdeAlloc)->Args({20, 64, 1})->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
