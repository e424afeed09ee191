// The statement header absorbed before the first challenge (stark/transcript.hpp): every part of
// it — configuration, machine name, table heights, preprocessed commitment — changes the
// challenges, and a proof whose heights are edited is rejected.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "stark/transcript.hpp"
#include "stark_test_util.hpp"

namespace tessera {
namespace {

using test::insecure_ok;

struct Header {
  FriConfig fri = FriConfig::test();
  std::string machine = "range-check";
  std::vector<uint32_t> log_heights = {5, 4, 4, 4};
  Digest preprocessed{};
};

// The first challenges drawn after the header (beta and gamma of the prover and verifier).
std::pair<BabyBear4, BabyBear4> challenges_after(const Header& h) {
  Challenger ch;
  observe_shard_header(ch, h.fri, h.machine, h.log_heights, h.preprocessed);
  const BabyBear4 beta = ch.sample_ext();
  return {beta, ch.sample_ext()};
}

TEST(Transcript, EveryHeaderFieldChangesTheChallenges) {
  const Header base;
  const auto c0 = challenges_after(base);
  EXPECT_EQ(challenges_after(base), c0);  // deterministic

  const auto differs = [&](const std::string& what, const std::function<void(Header&)>& edit) {
    Header h = base;
    edit(h);
    const auto c = challenges_after(h);
    EXPECT_NE(c.first, c0.first) << what;
    EXPECT_NE(c.second, c0.second) << what;
  };
  // Only a height changes: the challenges must change (a prover must not pick heights after
  // seeing them).
  for (size_t t = 0; t < base.log_heights.size(); ++t) {
    differs("height +1 of table " + std::to_string(t), [t](Header& h) { ++h.log_heights[t]; });
    differs("height -1 of table " + std::to_string(t), [t](Header& h) { --h.log_heights[t]; });
  }
  differs("two heights swapped", [](Header& h) { std::swap(h.log_heights[0], h.log_heights[1]); });
  differs("a table more", [](Header& h) { h.log_heights.push_back(4); });
  differs("log blowup", [](Header& h) { h.fri.log_blowup = 2; });
  differs("queries", [](Header& h) { h.fri.num_queries = 3; });
  differs("pow bits", [](Header& h) { h.fri.pow_bits = 2; });
  differs("final polynomial", [](Header& h) { h.fri.log_final_poly_len = 1; });
  // Another name of the same length (the length alone is observed too, so this is the case that
  // shows the characters themselves are absorbed: the mutation campaign found the earlier
  // "range-chek" one character short, which the length alone told apart).
  differs("machine name of the same length", [](Header& h) { h.machine = "range-chack"; });
  ASSERT_EQ(std::string("range-chack").size(), base.machine.size());
  differs("machine name", [](Header& h) { h.machine = "range-chek"; });
  differs("machine name length", [](Header& h) { h.machine += '\0'; });
  for (size_t i = 0; i < kDigestElems; ++i) {
    differs("preprocessed commitment " + std::to_string(i),
            [i](Header& h) { h.preprocessed[i] = BabyBear::one(); });
  }
}

// The same witness shape but one table taller: the proofs differ from the first commitment on,
// and each proof verifies only with its own heights.
TEST(Transcript, EditedHeightsAreRejected) {
  const Machine m = test::range_machine();
  const test::Proved p = test::prove_with(m, test::range_tables(5, 4));
  const test::Proved q = test::prove_with(m, test::range_tables(5, 5));
  ASSERT_NE(p.proof.log_heights, q.proof.log_heights);
  EXPECT_NE(p.proof.main_commitment, q.proof.main_commitment);
  EXPECT_NO_THROW(verify(m, p.pk.vk, p.proof, insecure_ok()));
  EXPECT_NO_THROW(verify(m, q.pk.vk, q.proof, insecure_ok()));
  for (size_t t = 0; t < p.proof.log_heights.size(); ++t) {
    for (const int delta : {-1, +1}) {
      ShardProof edited = p.proof;
      edited.log_heights[t] =
          static_cast<uint32_t>(static_cast<int>(edited.log_heights[t]) + delta);
      try {
        verify(m, p.pk.vk, edited, insecure_ok());
        ADD_FAILURE() << "table " << t << " height " << delta << " accepted";
      } catch (const Error& e) {
        EXPECT_TRUE(e.kind() == ErrorKind::VerifyFailed || e.kind() == ErrorKind::Format)
            << e.what();
      }
    }
  }
  // q's heights on p's proof: the limb table claims 2^5 rows.
  ShardProof mixed = p.proof;
  mixed.log_heights = q.proof.log_heights;
  EXPECT_THROW(verify(m, p.pk.vk, mixed, insecure_ok()), Error);
}

}  // namespace
}  // namespace tessera
