// The hash-chain AIR and its witnesses: seeded witness derivation (single vs batched), shard traces
// that pass the debug check and chain like a naive loop over compress, degree 3, and one wrong
// witness value caught with the constraint's name and row.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "air/hashchain.hpp"
#include "hash/sponge.hpp"
#include "stark/debug_builder.hpp"
#include "stark/symbolic_builder.hpp"

namespace tessera {
namespace {

namespace cols = poseidon2_cols;

std::string debug_failure(const HashchainShardWitness& w) {
  try {
    debug_check_table(HashchainAir{}, w.trace, w.public_values, nullptr);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
    return e.what();
  }
  return "";
}

TEST(HashchainWitness, BatchedEqualsSingleAndSeedsDiffer) {
  std::vector<Digest> batch(700);
  hashchain_witnesses(42, 5, batch);
  for (size_t i = 0; i < batch.size(); i += 37) {
    EXPECT_EQ(batch[i], hashchain_witness(42, 5 + i)) << i;
  }
  EXPECT_EQ(batch.back(), hashchain_witness(42, 5 + 699));
  EXPECT_NE(hashchain_witness(42, 1), hashchain_witness(43, 1));
  EXPECT_NE(hashchain_witness(42, 1), hashchain_witness(42, 2));
  // Limbs above 16 bits of the seed and step matter too.
  EXPECT_NE(hashchain_witness(uint64_t{1} << 40, 1), hashchain_witness(0, 1));
  EXPECT_NE(hashchain_witness(0, (uint64_t{1} << 20) + 1), hashchain_witness(0, 1));
  EXPECT_NE(hashchain_initial_digest(42), hashchain_initial_digest(43));
  EXPECT_NE(hashchain_initial_digest(0), hashchain_witness(0, 0));  // domain tags differ
}

TEST(HashchainWitness, AdvanceIsTheNaiveChain) {
  const uint64_t seed = 7;
  Digest h = hashchain_initial_digest(seed);
  const Digest h0 = h;
  for (uint64_t i = 1; i <= 5000; ++i) h = compress(h, hashchain_witness(seed, i));
  EXPECT_EQ(hashchain_advance(seed, h0, 0, 5000), h);
  const Digest mid = hashchain_advance(seed, h0, 0, 1234);
  EXPECT_EQ(hashchain_advance(seed, mid, 1234, 5000 - 1234), h);
}

TEST(HashchainAir, ShardTracePassesAndChains) {
  const uint64_t seed = 3;
  const Digest h0 = hashchain_initial_digest(seed);
  const auto w = hashchain_shard_witness(seed, h0, 0, 32);
  ASSERT_EQ(w.trace.height(), 32u);
  ASSERT_EQ(w.public_values.size(), hashchain_pv::kCount);
  EXPECT_EQ(debug_failure(w), "");
  EXPECT_EQ(w.end, hashchain_advance(seed, h0, 0, 32));
  for (size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(w.public_values[hashchain_pv::kStartDigest + i], h0[i]);
    EXPECT_EQ(w.public_values[hashchain_pv::kEndDigest + i], w.end[i]);
  }
  EXPECT_EQ(w.public_values[hashchain_pv::kFirstStep], BabyBear::zero());
  EXPECT_EQ(w.public_values[hashchain_pv::kSteps], BabyBear::from_u32(32));
  // Row j holds (h_j, w_{j+1}).
  for (size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(w.trace.at(17, cols::input(8 + i)), hashchain_witness(seed, 18)[i]);
  }
  // The second shard continues the first.
  const auto w2 = hashchain_shard_witness(seed, w.end, 32, 32);
  EXPECT_EQ(debug_failure(w2), "");
  EXPECT_EQ(w2.end, hashchain_advance(seed, h0, 0, 64));
}

TEST(HashchainAir, DegreeThree) {
  const AirSymbolics sym = symbolic_eval(HashchainAir{});
  EXPECT_EQ(sym.max_constraint_degree, 3u);
  EXPECT_EQ(sym.constraints.size(), 282u + 24u);
  EXPECT_TRUE(sym.interactions.empty());
}

TEST(HashchainAir, WrongWitnessValuesAreNamed) {
  const uint64_t seed = 11;
  const auto good = hashchain_shard_witness(seed, hashchain_initial_digest(seed), 0, 16);
  struct Case {
    const char* what;
    size_t row;
    void (*edit)(RowMajorMatrix<BabyBear>&, size_t row);
    const char* constraint;
    size_t failing_row;
  };
  // Re-fills `row` from its (edited) input, so only the chain constraints can notice.
  static const auto refill = [](RowMajorMatrix<BabyBear>& t, size_t row) {
    poseidon2_fill_row(poseidon2_row_input(t.row(row)), t.row(row));
  };
  const Case cases[] = {
      {"w without recomputing the row", 5,
       [](RowMajorMatrix<BabyBear>& t, size_t r) { t.at(r, cols::input(9)) += BabyBear::one(); },
       "poseidon2.full0.sbox", 5},
      {"w with a recomputed row", 5,
       [](RowMajorMatrix<BabyBear>& t, size_t r) {
         t.at(r, cols::input(9)) += BabyBear::one();
         refill(t, r);
       },
       "hashchain.link", 5},
      {"h with a recomputed row", 9,
       [](RowMajorMatrix<BabyBear>& t, size_t r) {
         t.at(r, cols::input(2)) += BabyBear::one();
         refill(t, r);
       },
       "hashchain.link", 8},
      {"first h with a recomputed row", 0,
       [](RowMajorMatrix<BabyBear>& t, size_t r) {
         t.at(r, cols::input(0)) += BabyBear::one();
         refill(t, r);
       },
       "hashchain.start", 0},
      {"last output", 15,
       [](RowMajorMatrix<BabyBear>& t, size_t r) { t.at(r, cols::output(3)) += BabyBear::one(); },
       "poseidon2.full7.post", 15},
  };
  for (const Case& c : cases) {
    auto bad = good;
    c.edit(bad.trace, c.row);
    const std::string msg = debug_failure(bad);
    EXPECT_NE(msg.find(std::string("constraint ") + c.constraint +
                       " of table hashchain fails at row " + std::to_string(c.failing_row)),
              std::string::npos)
        << c.what << ": " << msg;
  }
  // A wrong end digest in the public values.
  auto bad = good;
  bad.public_values[hashchain_pv::kEndDigest + 7] += BabyBear::one();
  EXPECT_NE(debug_failure(bad).find("hashchain.end"), std::string::npos);
}

TEST(HashchainAir, RejectsBadShardRequests) {
  EXPECT_THROW(hashchain_shard_witness(1, Digest{}, 0, 12), Error);
  EXPECT_THROW(hashchain_shard_witness(1, Digest{}, 0, 0), Error);
  EXPECT_THROW(hashchain_shard_witness(1, Digest{}, kHashchainMaxSteps, 2), Error);
}

}  // namespace
}  // namespace tessera
