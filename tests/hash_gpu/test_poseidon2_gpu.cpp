// The Poseidon2 CUDA kernels (permutation batch, row hashing, Merkle layer) give byte-identical
// results to the CPU reference on seeded data of sizes 1, odd, 2^k +- 1 and above 2^20. Every test
// skips itself when this build has no CUDA or the machine has no device.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <vector>

#include "backend/device.hpp"
#include "hash/poseidon2.hpp"
#include "hash/sponge.hpp"
#if TESSERA_HAVE_CUDA
#include "kernels/poseidon2_host.hpp"
#endif

namespace tessera {
namespace {

#define SKIP_WITHOUT_GPU()                                                          \
  do {                                                                              \
    if (!cuda_compiled()) GTEST_SKIP() << "built without CUDA";                     \
    if (cuda_device_count() == 0) GTEST_SKIP() << "no CUDA device on this machine"; \
  } while (0)

[[maybe_unused]] std::vector<BabyBear> random_values(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<BabyBear> v(n);
  for (auto& x : v) x = BabyBear::from_u64(rng());
  return v;
}

// Byte comparison: the device must produce the same Montgomery words, not just equal values.
template <typename T>
bool same_bytes(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() &&
         std::memcmp(static_cast<const void*>(a.data()), static_cast<const void*>(b.data()),
                     a.size() * sizeof(T)) == 0;
}

const size_t kSizes[] = {1, 3, 127, 255, 256, 257, 4095, 4097, (1u << 20) + 1};

TEST(Poseidon2Gpu, KnownAnswer) {
  SKIP_WITHOUT_GPU();
#if TESSERA_HAVE_CUDA
  std::vector<Poseidon2State> s(1);
  for (uint32_t i = 0; i < 16; ++i) s[0][i] = BabyBear::from_u32(i);
  cuda::poseidon2_permute_many_gpu(s);
  const uint32_t expected[16] = {896560466,  771677727,  128113032,  1378976435,
                                 160019712,  1452738514, 682850273,  223500421,
                                 501450187,  1804685789, 1671399593, 1788755219,
                                 1736880027, 1352180784, 1928489698, 1128802977};
  for (size_t i = 0; i < 16; ++i) EXPECT_EQ(s[0][i].as_u32(), expected[i]);
#endif
}

TEST(Poseidon2Gpu, PermutationsMatchCpu) {
  SKIP_WITHOUT_GPU();
#if TESSERA_HAVE_CUDA
  for (size_t n : kSizes) {
    const auto v = random_values(n * 16, n);
    std::vector<Poseidon2State> states(n);
    for (size_t i = 0; i < n; ++i) std::copy_n(v.begin() + 16 * i, 16, states[i].begin());
    auto cpu = states;
    poseidon2_permute_many(cpu);
    cuda::poseidon2_permute_many_gpu(states);
    EXPECT_TRUE(same_bytes(states, cpu)) << n << " states";
  }
#endif
}

TEST(Poseidon2Gpu, HashRowsMatchCpu) {
  SKIP_WITHOUT_GPU();
#if TESSERA_HAVE_CUDA
  for (size_t width : {1, 7, 8, 9, 16, 33}) {
    for (size_t height : kSizes) {
      if (height > 5000 && width != 9) continue;  // one large case keeps the suite fast
      RowMajorMatrix<BabyBear> m(random_values(width * height, width * 7919 + height), width);
      std::vector<Digest> cpu(height), gpu(height);
      hash_rows(m, cpu);
      cuda::hash_rows_gpu(m, gpu);
      EXPECT_TRUE(same_bytes(gpu, cpu)) << height << " x " << width;
    }
  }
#endif
}

TEST(Poseidon2Gpu, CompressLayerMatchesCpu) {
  SKIP_WITHOUT_GPU();
#if TESSERA_HAVE_CUDA
  for (size_t parents : kSizes) {
    const auto v = random_values(parents * 16, parents + 5);
    std::vector<Digest> children(2 * parents);
    for (size_t i = 0; i < children.size(); ++i) {
      std::copy_n(v.begin() + 8 * i, 8, children[i].begin());
    }
    std::vector<Digest> cpu(parents), gpu(parents);
    compress_pairs(children, cpu);
    cuda::compress_pairs_gpu(children, gpu);
    EXPECT_TRUE(same_bytes(gpu, cpu)) << parents << " parents";
  }
#endif
}

}  // namespace
}  // namespace tessera
