// The duplex challenger against a naive re-implementation of Plonky3's DuplexChallenger, and
// proof-of-work grinding.

#include <gtest/gtest.h>
#include <omp.h>

#include <random>
#include <vector>

#include "common/error.hpp"
#include "hash/challenger.hpp"
#include "hash/grinding.hpp"

namespace tessera {
namespace {

// Plonky3's DuplexChallenger, written with vectors exactly as its Rust source reads.
struct NaiveChallenger {
  Poseidon2State state{};
  std::vector<BabyBear> input, output;

  void duplexing() {
    for (size_t i = 0; i < input.size(); ++i) state[i] = input[i];
    input.clear();
    poseidon2_permute(state);
    output.assign(state.begin(), state.begin() + 8);
  }
  void observe(BabyBear x) {
    output.clear();
    input.push_back(x);
    if (input.size() == 8) duplexing();
  }
  BabyBear sample() {
    if (!input.empty() || output.empty()) duplexing();
    BabyBear x = output.back();
    output.pop_back();
    return x;
  }
};

TEST(Challenger, MatchesNaiveOnRandomScripts) {
  std::mt19937_64 rng(2024);
  for (int script = 0; script < 50; ++script) {
    Challenger c;
    NaiveChallenger n;
    for (int step = 0; step < 200; ++step) {
      if (rng() % 3 == 0) {
        const BabyBear x = BabyBear::from_u64(rng());
        c.observe(x);
        n.observe(x);
      } else {
        ASSERT_EQ(c.sample(), n.sample()) << "script " << script << " step " << step;
      }
    }
  }
}

TEST(Challenger, SampleWithoutObservationsPermutesZeroState) {
  Challenger c;
  Poseidon2State s{};
  poseidon2_permute(s);
  // Outputs come from the back of the rate: state[7], state[6], ..., then a new duplex.
  for (int i = 7; i >= 0; --i) EXPECT_EQ(c.sample(), s[i]);
  poseidon2_permute(s);
  EXPECT_EQ(c.sample(), s[7]);
}

TEST(Challenger, ObserveClearsPendingOutputs) {
  Challenger a, b;
  a.sample();  // leaves 7 outputs buffered
  a.observe(BabyBear::from_u32(5));
  b.sample();
  b.observe(BabyBear::from_u32(5));
  EXPECT_EQ(a.sample(), b.sample());
  // After an observation, the next sample must be fresh, not the buffered state[6].
  Challenger c;
  Poseidon2State s{};
  poseidon2_permute(s);
  c.sample();
  c.observe(BabyBear::from_u32(5));
  EXPECT_NE(c.sample(), s[6]);
}

TEST(Challenger, CompositeObservationsAreTheirElementsInOrder) {
  const BabyBear4 e(BabyBear::from_u32(1), BabyBear::from_u32(2), BabyBear::from_u32(3),
                    BabyBear::from_u32(4));
  Digest d;
  for (size_t i = 0; i < 8; ++i) d[i] = BabyBear::from_u32(100 + i);
  Challenger a, b;
  a.observe(e);
  a.observe(d);
  for (uint32_t i = 1; i <= 4; ++i) b.observe(BabyBear::from_u32(i));
  std::vector<BabyBear> dv(d.begin(), d.end());
  b.observe_many(dv);
  EXPECT_EQ(a, b);
  const BabyBear4 x = a.sample_ext();
  const BabyBear c0 = b.sample(), c1 = b.sample(), c2 = b.sample(), c3 = b.sample();
  EXPECT_EQ(x, BabyBear4(c0, c1, c2, c3));
}

TEST(Challenger, DeterministicAndTranscriptSensitive) {
  auto run = [](uint32_t tweak_at) {
    Challenger c;
    std::vector<BabyBear> out;
    for (uint32_t i = 0; i < 20; ++i) {
      c.observe(BabyBear::from_u32(i == tweak_at ? 1000 + i : i));
      if (i % 5 == 4) out.push_back(c.sample());
    }
    out.push_back(c.sample());
    return out;
  };
  EXPECT_EQ(run(99), run(99));
  const auto base = run(99);
  for (uint32_t t = 0; t < 20; ++t) {
    const auto tweaked = run(t);
    // Every sample drawn after the tweak differs.
    for (size_t k = t / 5; k < base.size(); ++k) EXPECT_NE(tweaked[k], base[k]) << t << " " << k;
  }
}

TEST(Challenger, SampleBits) {
  Challenger a, b;
  a.observe(BabyBear::from_u32(9));
  b.observe(BabyBear::from_u32(9));
  for (uint32_t bits : {0u, 1u, 5u, 27u}) {
    const uint32_t v = a.sample_bits(bits);
    EXPECT_EQ(v, b.sample().as_u32() & ((1u << bits) - 1));
    EXPECT_LT(v, 1u << bits);
  }
  EXPECT_THROW(a.sample_bits(28), Error);
  EXPECT_THROW(a.sample_bits(32), Error);
}

TEST(Challenger, DuplexInputWithPredictsObserveThenSample) {
  Challenger c;
  for (uint32_t pending = 0; pending < 8; ++pending) {
    Challenger probe = c;
    const BabyBear w = BabyBear::from_u32(77 + pending);
    Poseidon2State s = c.duplex_input_with(w);
    poseidon2_permute(s);
    probe.observe(w);
    EXPECT_EQ(probe.sample(), s[7]) << pending << " pending inputs";
    c.observe(BabyBear::from_u32(pending));
  }
}

Challenger seeded_challenger(uint32_t seed) {
  Challenger c;
  for (uint32_t i = 0; i < seed % 11; ++i) c.observe(BabyBear::from_u32(seed * 31 + i));
  return c;
}

TEST(Grinding, FindsSmallestWitnessAndVerifies) {
  for (uint32_t bits = 0; bits <= 12; ++bits) {
    Challenger prover = seeded_challenger(bits + 3);
    const Challenger before = prover;
    const BabyBear w = grind(prover, bits);
    Challenger verifier = before;
    EXPECT_TRUE(check_witness(verifier, bits, w)) << bits;
    // The prover's transcript advanced exactly as the verifier's did.
    EXPECT_EQ(prover, verifier);
    if (bits == 0) {
      EXPECT_EQ(w.as_u32(), 0u);
      EXPECT_EQ(prover, before);
      continue;
    }
    // Every smaller witness is rejected (w is the smallest).
    for (uint32_t smaller = 0; smaller < w.as_u32(); ++smaller) {
      Challenger probe = before;
      ASSERT_FALSE(check_witness(probe, bits, BabyBear::from_u32(smaller)))
          << bits << " " << smaller;
    }
  }
}

TEST(Grinding, WrongWitnessRejected) {
  const uint32_t bits = 10;
  Challenger prover = seeded_challenger(5);
  const Challenger before = prover;
  const BabyBear w = grind(prover, bits);
  int rejected = 0;
  for (uint32_t delta = 1; delta <= 16; ++delta) {
    Challenger verifier = before;
    rejected += check_witness(verifier, bits, w + BabyBear::from_u32(delta)) ? 0 : 1;
  }
  // Each other candidate passes with probability 2^-10; 16 candidates all passing is impossible
  // here, and any accepted one would have to be a genuine witness.
  EXPECT_GE(rejected, 15);
  Challenger other_transcript = seeded_challenger(6);
  Challenger verifier = other_transcript;
  const BabyBear w_other = grind(other_transcript, bits);
  if (w_other != w) {
    EXPECT_FALSE(check_witness(verifier, bits, w) && w.as_u32() < w_other.as_u32());
  }
}

TEST(Grinding, SameWitnessForAnyThreadCount) {
  const int saved = omp_get_max_threads();
  std::vector<uint32_t> witnesses;
  for (int threads : {1, 2, 3}) {
    omp_set_num_threads(threads);
    Challenger c = seeded_challenger(8);
    witnesses.push_back(grind(c, 11).as_u32());
  }
  omp_set_num_threads(saved);
  EXPECT_EQ(witnesses[0], witnesses[1]);
  EXPECT_EQ(witnesses[0], witnesses[2]);
}

TEST(Grinding, RejectsTooManyBits) {
  Challenger c;
  EXPECT_THROW(grind(c, 28), Error);
  EXPECT_THROW(check_witness(c, 28, BabyBear::zero()), Error);
}

}  // namespace
}  // namespace tessera
