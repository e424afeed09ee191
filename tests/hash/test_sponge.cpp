// The sponge and the compression against a naive re-implementation on top of poseidon2_permute,
// and hash_rows against hash_elements per row for every implementation and thread count.

#include <gtest/gtest.h>
#include <omp.h>

#include <algorithm>
#include <random>
#include <set>
#include <vector>

#include "common/error.hpp"
#include "hash/sponge.hpp"

namespace tessera {
namespace {

std::vector<BabyBear> random_values(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<BabyBear> v(n);
  for (auto& x : v) x = BabyBear::from_u64(rng());
  return v;
}

// The convention of sponge.hpp, written out element by element.
Digest naive_sponge(const std::vector<BabyBear>& in) {
  Poseidon2State s{};
  if (in.empty()) poseidon2_permute(s);
  size_t i = 0;
  while (i < in.size()) {
    size_t k = 0;
    while (k < 8 && i < in.size()) s[k++] = in[i++];
    poseidon2_permute(s);
  }
  Digest d;
  for (size_t j = 0; j < 8; ++j) d[j] = s[j];
  return d;
}

TEST(Sponge, MatchesNaiveAtChunkBoundaries) {
  for (size_t n : {0, 1, 7, 8, 9, 15, 16, 17, 24, 63, 64, 65}) {
    const auto v = random_values(n, n);
    EXPECT_EQ(hash_elements(v), naive_sponge(v)) << "length " << n;
  }
}

TEST(Sponge, EmptyInputIsOnePermutationOfZero) {
  Poseidon2State zero{};
  poseidon2_permute(zero);
  const Digest d = hash_elements({});
  for (size_t j = 0; j < 8; ++j) EXPECT_EQ(d[j], zero[j]);
  EXPECT_NE(d, Digest{});
}

TEST(Sponge, PartialChunkOverwritesOnlyItsElements) {
  // 9 elements: after the first chunk, the second chunk overwrites state[0] only, so the digest
  // depends on the first permutation's outputs 1..7 (which a zero-padding sponge would clear).
  const auto v = random_values(9, 3);
  Poseidon2State s{};
  std::copy_n(v.begin(), 8, s.begin());
  poseidon2_permute(s);
  s[0] = v[8];
  poseidon2_permute(s);
  const Digest d = hash_elements(v);
  for (size_t j = 0; j < 8; ++j) EXPECT_EQ(d[j], s[j]);
}

TEST(Sponge, DifferentInputsGiveDifferentDigests) {
  std::set<std::vector<uint32_t>> seen;
  auto key = [](const Digest& d) {
    std::vector<uint32_t> k;
    for (BabyBear x : d) k.push_back(x.raw());
    return k;
  };
  // Different lengths of the same prefix (not all zero, so trailing zeros are not the issue).
  const auto base = random_values(40, 11);
  for (size_t n = 1; n <= base.size(); ++n) {
    EXPECT_TRUE(seen.insert(key(hash_elements(std::span(base.data(), n)))).second) << n;
  }
  // One element changed, at every position.
  for (size_t i = 0; i < 17; ++i) {
    auto v = random_values(17, 12);
    v[i] += BabyBear::one();
    EXPECT_TRUE(seen.insert(key(hash_elements(v))).second) << i;
  }
}

TEST(Compress, IsFirstHalfOfPermutation) {
  const auto v = random_values(16, 5);
  Digest l, r;
  std::copy_n(v.begin(), 8, l.begin());
  std::copy_n(v.begin() + 8, 8, r.begin());
  Poseidon2State s;
  std::copy_n(v.begin(), 16, s.begin());
  poseidon2_permute(s);
  const Digest c = compress(l, r);
  for (size_t j = 0; j < 8; ++j) EXPECT_EQ(c[j], s[j]);
  EXPECT_NE(compress(l, r), compress(r, l));
}

TEST(Compress, PairsMatchesCompress) {
  for (size_t n_parents : {0, 1, 5, 16, 33}) {
    const auto v = random_values(n_parents * 16, 40 + n_parents);
    std::vector<Digest> children(2 * n_parents);
    for (size_t i = 0; i < children.size(); ++i)
      std::copy_n(v.begin() + 8 * i, 8, children[i].begin());
    std::vector<Digest> parents(n_parents);
    compress_pairs(children, parents);
    for (size_t i = 0; i < n_parents; ++i) {
      EXPECT_EQ(parents[i], compress(children[2 * i], children[2 * i + 1])) << i;
    }
  }
  std::vector<Digest> children(3), parents(1);
  EXPECT_THROW(compress_pairs(children, parents), Error);
}

void expect_rows_match(size_t width, size_t height, Poseidon2Impl impl, int threads) {
  RowMajorMatrix<BabyBear> m(random_values(width * height, width * 1000 + height), width);
  std::vector<Digest> out(height);
  const int saved = omp_get_max_threads();
  omp_set_num_threads(threads);
  hash_rows(m, out, impl);
  omp_set_num_threads(saved);
  for (size_t r = 0; r < height; ++r) {
    ASSERT_EQ(out[r], hash_elements(m.row(r))) << "row " << r << " width " << width << " height "
                                               << height << " impl " << poseidon2_impl_name(impl);
  }
}

TEST(HashRows, EqualsHashElementsPerRow) {
  for (Poseidon2Impl impl :
       {Poseidon2Impl::Auto, Poseidon2Impl::Scalar, Poseidon2Impl::Avx2, Poseidon2Impl::Avx512}) {
    if (!poseidon2_impl_supported(impl)) continue;
    for (size_t width : {1, 7, 8, 9, 17, 33}) {
      for (size_t height : {1, 7, 16, 17, 65, 200}) {
        expect_rows_match(width, height, impl, 1);
      }
    }
  }
}

TEST(HashRows, SameForOneAndTwoThreads) {
  RowMajorMatrix<BabyBear> m(random_values(11 * 1000, 99), 11);
  std::vector<Digest> one(m.height()), two(m.height());
  const int saved = omp_get_max_threads();
  omp_set_num_threads(1);
  hash_rows(m, one);
  omp_set_num_threads(2);
  hash_rows(m, two);
  omp_set_num_threads(saved);
  EXPECT_EQ(one, two);
}

TEST(HashRows, RejectsWrongOutputSize) {
  RowMajorMatrix<BabyBear> m(4, 10);
  std::vector<Digest> out(9);
  EXPECT_THROW(hash_rows(m, out), Error);
}

}  // namespace
}  // namespace tessera
