// Poseidon2 throughput on the CPU: permutations per second on one thread for every implementation
// this CPU supports, the sponge on long inputs, hash_rows of 2^20 x 64 (the Merkle leaves of an
// LDE) and one Merkle layer of compressions. Run with OMP_NUM_THREADS=1 for per-core figures.
//
//   OMP_NUM_THREADS=1 ./bench_poseidon2

#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "backend/device.hpp"
#include "hash/poseidon2.hpp"
#include "hash/sponge.hpp"
#if TESSERA_HAVE_CUDA
#include "kernels/poseidon2_host.hpp"
#endif

namespace {

using namespace tessera;

std::vector<BabyBear> random_values(size_t n) {
  std::mt19937_64 rng(42);
  std::vector<BabyBear> v(n);
  for (auto& x : v) x = BabyBear::from_u64(rng());
  return v;
}

void BM_Permute(benchmark::State& st, Poseidon2Impl impl) {
  if (!poseidon2_impl_supported(impl)) {
    st.SkipWithError("not supported by this CPU");
    return;
  }
  constexpr size_t kBatch = 1024;  // 64 KiB of states: stays in L2
  const auto v = random_values(kBatch * kPoseidon2Width);
  std::vector<Poseidon2State> states(kBatch);
  for (size_t i = 0; i < kBatch; ++i) std::copy_n(v.begin() + 16 * i, 16, states[i].begin());
  for (auto _ : st) {
    poseidon2_permute_many(states, impl);
    benchmark::DoNotOptimize(states.data());
    benchmark::ClobberMemory();
  }
  st.counters["perms/s"] = benchmark::Counter(static_cast<double>(st.iterations() * kBatch),
                                              benchmark::Counter::kIsRate);
}
BENCHMARK_CAPTURE(BM_Permute, scalar, Poseidon2Impl::Scalar);
BENCHMARK_CAPTURE(BM_Permute, avx2, Poseidon2Impl::Avx2);
BENCHMARK_CAPTURE(BM_Permute, avx512, Poseidon2Impl::Avx512);
BENCHMARK_CAPTURE(BM_Permute, auto, Poseidon2Impl::Auto);

// The scalar reference one state at a time (what the challenger and single hashes use).
// One state after another, each output the next input (latency, as in a hash chain): the scalar
// reference and poseidon2_permute_one (AVX-512: the state in one register).
void BM_PermuteSingle(benchmark::State& st) {
  Poseidon2State s{};
  for (auto _ : st) {
    poseidon2_permute(s);
    benchmark::DoNotOptimize(s);
  }
  st.counters["perms/s"] =
      benchmark::Counter(static_cast<double>(st.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_PermuteSingle);

void BM_PermuteOne(benchmark::State& st, Poseidon2Impl impl) {
  if (!poseidon2_impl_supported(impl)) {
    st.SkipWithError("not supported by this CPU");
    return;
  }
  Poseidon2State s{};
  for (auto _ : st) {
    poseidon2_permute_one(s, impl);
    benchmark::DoNotOptimize(s);
  }
  st.counters["perms/s"] =
      benchmark::Counter(static_cast<double>(st.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK_CAPTURE(BM_PermuteOne, avx512, Poseidon2Impl::Avx512);

// hash_elements on one long input: inherently sequential (one permutation per 8 elements).
void BM_SpongeLong(benchmark::State& st) {
  const auto v = random_values(static_cast<size_t>(st.range(0)));
  for (auto _ : st) benchmark::DoNotOptimize(hash_elements(v));
  st.SetBytesProcessed(st.iterations() * st.range(0) * 4);
  st.counters["elems/s"] = benchmark::Counter(static_cast<double>(st.iterations() * st.range(0)),
                                              benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SpongeLong)->Arg(1 << 16);

// Leaf hashing of an LDE: 2^20 rows x 64 columns (8 permutations per row).
void BM_HashRows(benchmark::State& st, Poseidon2Impl impl) {
  if (!poseidon2_impl_supported(impl)) {
    st.SkipWithError("not supported by this CPU");
    return;
  }
  const size_t height = size_t{1} << st.range(0), width = static_cast<size_t>(st.range(1));
  RowMajorMatrix<BabyBear> m(random_values(height * width), width);
  std::vector<Digest> out(height);
  for (auto _ : st) {
    hash_rows(m, out, impl);
    benchmark::DoNotOptimize(out.data());
  }
  st.SetBytesProcessed(st.iterations() * static_cast<int64_t>(height * width * 4));
  const double perms = static_cast<double>(height * ((width + 7) / 8));
  st.counters["perms/s"] =
      benchmark::Counter(perms * static_cast<double>(st.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK_CAPTURE(BM_HashRows, avx512, Poseidon2Impl::Avx512)
    ->Args({20, 64})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_HashRows, avx2, Poseidon2Impl::Avx2)
    ->Args({20, 64})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// One Merkle layer: 2^20 digests -> 2^19.
void BM_CompressLayer(benchmark::State& st) {
  const size_t parents = size_t{1} << st.range(0);
  const auto v = random_values(parents * 16);
  std::vector<Digest> children(2 * parents), out(parents);
  for (size_t i = 0; i < children.size(); ++i)
    std::copy_n(v.begin() + 8 * i, 8, children[i].begin());
  for (auto _ : st) {
    compress_pairs(children, out);
    benchmark::DoNotOptimize(out.data());
  }
  st.counters["perms/s"] = benchmark::Counter(static_cast<double>(st.iterations() * parents),
                                              benchmark::Counter::kIsRate);
}
BENCHMARK(BM_CompressLayer)->Arg(19)->Unit(benchmark::kMillisecond)->UseRealTime();

// ---- GPU (device time only, data resident on the device; skipped without a device) ----

enum class GpuKernel { Permute, HashRows, Compress };

void BM_Gpu(benchmark::State& st, [[maybe_unused]] GpuKernel kernel) {
  if (!cuda_compiled() || cuda_device_count() == 0) {
    st.SkipWithError("no CUDA device");
    return;
  }
#if TESSERA_HAVE_CUDA
  const size_t n = size_t{1} << st.range(0);
  const size_t width = 64;
  double perms = 0;
  for (auto _ : st) {
    cuda::Poseidon2GpuTimings t;
    double seconds = 0;
    switch (kernel) {
      case GpuKernel::Permute:
        t = cuda::time_poseidon2_gpu(n, 0, 0, 10);
        seconds = t.permute_s;
        perms = static_cast<double>(n);
        break;
      case GpuKernel::HashRows:
        t = cuda::time_poseidon2_gpu(0, n, width, 5);
        seconds = t.hash_rows_s;
        perms = static_cast<double>(n * (width / 8));
        break;
      case GpuKernel::Compress:
        t = cuda::time_poseidon2_gpu(n, 0, 0, 10);
        seconds = t.compress_s;
        perms = static_cast<double>(n);
        break;
    }
    st.SetIterationTime(seconds);
  }
  st.counters["perms/s"] = benchmark::Counter(perms, benchmark::Counter::kIsIterationInvariantRate);
#endif
}
// 2^24 permutations; 2^20 rows x 64 columns; a layer of 2^22 parents.
BENCHMARK_CAPTURE(BM_Gpu, permute, GpuKernel::Permute)
    ->Arg(24)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Gpu, hash_rows_x64, GpuKernel::HashRows)
    ->Arg(20)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Gpu, compress_layer, GpuKernel::Compress)
    ->Arg(22)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
