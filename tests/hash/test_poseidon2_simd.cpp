// Every vectorised Poseidon2 path that this CPU supports gives exactly the scalar reference's
// outputs; paths the CPU lacks are skipped (and must be refused when forced).

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "common/error.hpp"
#include "hash/poseidon2.hpp"

namespace tessera {
namespace {

std::vector<Poseidon2State> random_states(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Poseidon2State> v(n);
  for (auto& s : v) {
    for (auto& x : s) x = BabyBear::from_u64(rng());
  }
  return v;
}

// Edge values that stress the reductions: 0, 1, p - 1, p - 2, 2^30 and neighbours.
std::vector<Poseidon2State> edge_states() {
  const uint32_t p = BabyBear::kModulus;
  const uint32_t values[] = {0,    1, 2, p - 1, p - 2, 1u << 30, (1u << 30) - 1, (1u << 30) + 1,
                             p / 2};
  std::vector<Poseidon2State> v;
  for (uint32_t a : values) {
    for (uint32_t b : values) {
      Poseidon2State s;
      for (size_t i = 0; i < s.size(); ++i) s[i] = BabyBear::from_u32(i % 2 ? a : b);
      v.push_back(s);
    }
  }
  return v;
}

class Poseidon2Paths : public ::testing::TestWithParam<Poseidon2Impl> {};

TEST_P(Poseidon2Paths, MatchScalarReference) {
  const Poseidon2Impl impl = GetParam();
  if (!poseidon2_impl_supported(impl)) {
    EXPECT_THROW(
        {
          std::vector<Poseidon2State> one(1);
          poseidon2_permute_many(one, impl);
        },
        Error);
    GTEST_SKIP() << poseidon2_impl_name(impl) << " is not supported by this CPU";
  }
  // Counts that are not multiples of the lane counts exercise the padded final block.
  for (size_t n : {size_t{0}, size_t{1}, size_t{7}, size_t{8}, size_t{15}, size_t{16}, size_t{17},
                   size_t{4099}}) {
    auto states = random_states(n, 1000 + n);
    if (n == 4099) {
      auto edges = edge_states();
      states.insert(states.end(), edges.begin(), edges.end());
    }
    auto expected = states;
    for (auto& s : expected) poseidon2_permute(s);
    poseidon2_permute_many(states, impl);
    ASSERT_EQ(states.size(), expected.size());
    for (size_t i = 0; i < states.size(); ++i) {
      ASSERT_EQ(states[i], expected[i])
          << poseidon2_impl_name(impl) << " state " << i << " of " << n;
    }
  }
}

// The single-state path (one state per call, AVX-512: the state in one register).
TEST_P(Poseidon2Paths, SingleStateMatchesScalarReference) {
  const Poseidon2Impl impl = GetParam();
  if (!poseidon2_impl_supported(impl)) {
    Poseidon2State one{};
    EXPECT_THROW(poseidon2_permute_one(one, impl), Error);
    GTEST_SKIP() << poseidon2_impl_name(impl) << " is not supported by this CPU";
  }
  auto states = random_states(2000, 77);
  const auto edges = edge_states();
  states.insert(states.end(), edges.begin(), edges.end());
  for (size_t i = 0; i < states.size(); ++i) {
    Poseidon2State expected = states[i], got = states[i];
    poseidon2_permute(expected);
    poseidon2_permute_one(got, impl);
    ASSERT_EQ(got, expected) << poseidon2_impl_name(impl) << " state " << i;
  }
  // A chain: each output is the next input, so a wrong lane anywhere compounds.
  Poseidon2State chained = states.front(), reference = states.front();
  for (int i = 0; i < 1000; ++i) {
    poseidon2_permute_one(chained, impl);
    poseidon2_permute(reference);
  }
  EXPECT_EQ(chained, reference);
}

INSTANTIATE_TEST_SUITE_P(AllImpls, Poseidon2Paths,
                         ::testing::Values(Poseidon2Impl::Auto, Poseidon2Impl::Scalar,
                                           Poseidon2Impl::Avx2, Poseidon2Impl::Avx512),
                         [](const auto& param_info) {
                           return std::string(poseidon2_impl_name(param_info.param));
                         });

TEST(Poseidon2, BestImplIsSupported) {
  EXPECT_TRUE(poseidon2_impl_supported(poseidon2_best_impl()));
  EXPECT_NE(poseidon2_best_impl(), Poseidon2Impl::Auto);
}

TEST(Poseidon2, PermutationIsNotIdentityAndIsInjectiveOnSample) {
  auto states = random_states(256, 7);
  auto out = states;
  poseidon2_permute_many(out);
  for (size_t i = 0; i < out.size(); ++i) {
    EXPECT_NE(out[i], states[i]);
    for (size_t j = 0; j < i; ++j) EXPECT_NE(out[i], out[j]);
  }
}

}  // namespace
}  // namespace tessera
