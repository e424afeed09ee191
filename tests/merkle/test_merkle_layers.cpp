// The two CPU building blocks against the sponge and compression of hash/sponge.hpp, element by
// element, on sizes around the vector block (64) and the row chunk (4096).
#include <omp.h>

#include <vector>

#include "hash/sponge.hpp"
#include "merkle/merkle_layers.hpp"
#include "merkle_test_util.hpp"

namespace tessera {
namespace {

using test::expect_error;
using test::random_matrix;

Digest random_digest(uint64_t seed) {
  auto m = random_matrix(kDigestElems, 1, seed);
  Digest d;
  std::copy(m.values().begin(), m.values().end(), d.begin());
  return d;
}

std::vector<Digest> random_digests(size_t n, uint64_t seed) {
  std::vector<Digest> ds;
  for (size_t i = 0; i < n; ++i) ds.push_back(random_digest(seed * 1000003 + i));
  return ds;
}

TEST(MerkleLayers, CompressLayerEqualsPairwiseCompression) {
  for (size_t n : {1, 2, 63, 64, 65, 129, 1000}) {
    const auto children = random_digests(2 * n, n);
    std::vector<Digest> parents(n);
    compress_layer(children, {}, parents);
    for (size_t i = 0; i < n; ++i) {
      ASSERT_EQ(parents[i], compress(children[2 * i], children[2 * i + 1]))
          << "n=" << n << " i=" << i;
    }
  }
}

TEST(MerkleLayers, CompressLayerWithInjection) {
  for (size_t n : {1, 3, 64, 65, 300}) {
    const auto children = random_digests(2 * n, 7 * n);
    const auto injected = random_digests(n, 7 * n + 1);
    std::vector<Digest> parents(n);
    compress_layer(children, injected, parents);
    for (size_t i = 0; i < n; ++i) {
      ASSERT_EQ(parents[i], compress(compress(children[2 * i], children[2 * i + 1]), injected[i]))
          << "n=" << n << " i=" << i;
    }
  }
}

TEST(MerkleLayers, CompressLayerRejectsBadSizes) {
  const auto children = random_digests(8, 1);
  std::vector<Digest> parents(3);
  expect_error(ErrorKind::InvalidArgument, [&] { compress_layer(children, {}, parents); });
  std::vector<Digest> four(4);
  const auto injected = random_digests(3, 2);
  expect_error(ErrorKind::InvalidArgument, [&] { compress_layer(children, injected, four); });
}

TEST(MerkleLayers, HashConcatenatedRowsEqualsSpongeOfConcatenation) {
  // 5000 rows crosses the 4096-row chunk of the multi-matrix path.
  for (size_t height : {1, 3, 5000}) {
    const auto a = random_matrix(3, height, 11 + height);
    const auto b = random_matrix(8, height, 12 + height);
    const auto c = random_matrix(17, height, 13 + height);
    std::vector<const RowMajorMatrix<BabyBear>*> group{&a, &b, &c};
    std::vector<Digest> out(height);
    hash_concatenated_rows(group, out);
    for (size_t i = 0; i < height; ++i) {
      std::vector<BabyBear> row;
      for (const auto* m : group) row.insert(row.end(), m->row(i).begin(), m->row(i).end());
      ASSERT_EQ(out[i], hash_elements(row)) << "height=" << height << " row=" << i;
    }
    std::vector<const RowMajorMatrix<BabyBear>*> single{&b};
    hash_concatenated_rows(single, out);
    for (size_t i = 0; i < height; ++i) ASSERT_EQ(out[i], hash_elements(b.row(i)));
  }
}

TEST(MerkleLayers, HashConcatenatedRowsRejectsBadInput) {
  const auto a = random_matrix(3, 4, 1);
  const auto tall = random_matrix(3, 8, 2);
  std::vector<Digest> out(4);
  expect_error(ErrorKind::InvalidArgument, [&] { hash_concatenated_rows({}, out); });
  std::vector<const RowMajorMatrix<BabyBear>*> mixed{&a, &tall};
  expect_error(ErrorKind::InvalidArgument, [&] { hash_concatenated_rows(mixed, out); });
  std::vector<const RowMajorMatrix<BabyBear>*> with_null{&a, nullptr};
  expect_error(ErrorKind::InvalidArgument, [&] { hash_concatenated_rows(with_null, out); });
}

TEST(MerkleLayers, ResultsDoNotDependOnThreadCount) {
  const auto a = random_matrix(5, 3000, 21);
  const auto b = random_matrix(9, 3000, 22);
  std::vector<const RowMajorMatrix<BabyBear>*> group{&a, &b};
  const auto children = random_digests(2 * 777, 23);
  const int saved = omp_get_max_threads();
  std::vector<std::vector<Digest>> hashed, layers;
  for (int threads : {1, 2, 3}) {
    omp_set_num_threads(threads);
    hashed.emplace_back(3000);
    hash_concatenated_rows(group, hashed.back());
    layers.emplace_back(777);
    compress_layer(children, {}, layers.back());
  }
  omp_set_num_threads(saved);
  EXPECT_EQ(hashed[0], hashed[1]);
  EXPECT_EQ(hashed[0], hashed[2]);
  EXPECT_EQ(layers[0], layers[1]);
  EXPECT_EQ(layers[0], layers[2]);
}

}  // namespace
}  // namespace tessera
