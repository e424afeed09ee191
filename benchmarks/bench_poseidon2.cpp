// Poseidon2 throughput on the CPU: permutations per second on one thread for every implementation
// this CPU supports, the sponge on long inputs, hash_rows of 2^20 x 64 (the Merkle leaves of an
// LDE) and one Merkle layer of compressions. Run with OMP_NUM_THREADS=1 for per-core figures.
//
//   OMP_NUM_THREADS=1 ./bench_poseidon2

#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "hash/poseidon2.hpp"
#include "hash/sponge.hpp"

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

}  // namespace

BENCHMARK_MAIN();
