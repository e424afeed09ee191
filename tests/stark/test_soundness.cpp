// Soundness: a systematic sweep that changes one element of every section of a proof and checks
// that each altered proof is rejected; tampered statements, witnesses forced through without the
// debug check, LogUp imbalances and configuration abuse are rejected too.
#include <gtest/gtest.h>

#include <functional>

#include "stark_test_util.hpp"

namespace tessera {
namespace {

using test::insecure_ok;
using test::prove_with;

bool is_rejection(ErrorKind k) {
  return k == ErrorKind::VerifyFailed || k == ErrorKind::Format || k == ErrorKind::ConfigMismatch;
}

// Verifies the serialised mutated proof; returns "" when it was rejected with a proper kind.
std::string rejection_problem(const Machine& m, const VerifyingKey& vk, const ShardProof& p) {
  try {
    verify_bytes(m, vk, serialize_shard_proof(p), insecure_ok());
  } catch (const Error& e) {
    if (is_rejection(e.kind())) return "";
    return std::string("wrong error kind ") + std::string(error_kind_name(e.kind())) + ": " +
           e.what();
  }
  return "ACCEPTED";
}

// Verifies the proof object (not its bytes), expecting an error of `kind`; returns its message.
std::string verify_error(const Machine& m, const VerifyingKey& vk, const ShardProof& p,
                         ErrorKind kind) {
  try {
    verify(m, vk, p, insecure_ok());
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), kind) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "accepted";
  return "";
}

BabyBear bump(BabyBear x) {
  return x + BabyBear::one();
}
BabyBear4 bump(BabyBear4 x, uint32_t coeff = 0) {
  x.coeff(coeff % 4) += BabyBear::one();
  return x;
}

class SoundnessSweep : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    machine_ = new Machine(test::range_machine());
    proved_ = new test::Proved(prove_with(*machine_, test::range_tables(5, 4)));
  }
  static void TearDownTestSuite() {
    delete proved_;
    delete machine_;
  }
  // Applies `mutate` to a copy of the honest proof and expects a rejection; counts cases.
  void expect_rejected(const std::string& what, const std::function<void(ShardProof&)>& mutate) {
    ShardProof p = proved_->proof;
    mutate(p);
    ASSERT_NE(p, proved_->proof) << what << ": the mutation changed nothing";
    EXPECT_EQ(rejection_problem(*machine_, proved_->pk.vk, p), "") << what;
    ++cases_;
  }
  const ShardProof& honest() const { return proved_->proof; }
  size_t cases_ = 0;
  static Machine* machine_;
  static test::Proved* proved_;
};
Machine* SoundnessSweep::machine_ = nullptr;
test::Proved* SoundnessSweep::proved_ = nullptr;

TEST_F(SoundnessSweep, HonestProofVerifies) {
  EXPECT_NO_THROW(verify_bytes(*machine_, proved_->pk.vk, proved_->bytes, insecure_ok()));
}

TEST_F(SoundnessSweep, StatementAndCommitments) {
  const ShardProof& h = honest();
  size_t expected = 3 * kDigestElems;
  for (size_t t = 0; t < h.log_heights.size(); ++t) {
    expected += 1 + (h.log_heights[t] > 0 ? 1 : 0) + h.public_values[t].size();
    expect_rejected("log height +1 of table " + std::to_string(t),
                    [t](ShardProof& p) { p.log_heights[t] += 1; });
    if (h.log_heights[t] > 0) {
      expect_rejected("log height -1 of table " + std::to_string(t),
                      [t](ShardProof& p) { p.log_heights[t] -= 1; });
    }
    for (size_t i = 0; i < h.public_values[t].size(); ++i) {
      expect_rejected("public value", [t, i](ShardProof& p) {
        p.public_values[t][i] = bump(p.public_values[t][i]);
      });
    }
  }
  for (size_t i = 0; i < kDigestElems; ++i) {
    expect_rejected("main commitment element " + std::to_string(i),
                    [i](ShardProof& p) { p.main_commitment[i] = bump(p.main_commitment[i]); });
    expect_rejected("permutation commitment element " + std::to_string(i), [i](ShardProof& p) {
      p.permutation_commitment[i] = bump(p.permutation_commitment[i]);
    });
    expect_rejected("quotient commitment element " + std::to_string(i), [i](ShardProof& p) {
      p.quotient_commitment[i] = bump(p.quotient_commitment[i]);
    });
  }
  EXPECT_EQ(cases_, expected);
}

TEST_F(SoundnessSweep, CumulativeSums) {
  const ShardProof& h = honest();
  for (size_t t = 0; t < h.cumulative_sums.size(); ++t) {
    if (!machine_->layout(t).has_interactions()) continue;
    for (uint32_t c = 0; c < 4; ++c) {
      expect_rejected("cumulative sum", [t, c](ShardProof& p) {
        p.cumulative_sums[t] = bump(p.cumulative_sums[t], c);
      });
    }
  }
  // Moving value between two tables keeps the zero sum; the last-row constraint catches it.
  expect_rejected("cumulative sums shifted between tables", [](ShardProof& p) {
    p.cumulative_sums[1] += BabyBear4::one();
    p.cumulative_sums[2] -= BabyBear4::one();
  });
  EXPECT_EQ(cases_, 2 * 4 + 1u);
}

TEST_F(SoundnessSweep, EveryOpenedValue) {
  const ShardProof& h = honest();
  using Field = std::vector<BabyBear4> OpenedTableValues::*;
  const std::pair<const char*, Field> fields[] = {
      {"preprocessed local", &OpenedTableValues::preprocessed_local},
      {"preprocessed next", &OpenedTableValues::preprocessed_next},
      {"main local", &OpenedTableValues::main_local},
      {"main next", &OpenedTableValues::main_next},
      {"permutation local", &OpenedTableValues::permutation_local},
      {"permutation next", &OpenedTableValues::permutation_next}};
  size_t expected = 0;
  for (size_t t = 0; t < h.opened.size(); ++t) {
    for (const auto& [name, field] : fields) {
      for (size_t i = 0; i < (h.opened[t].*field).size(); ++i, ++expected) {
        expect_rejected(
            std::string(name) + " of table " + std::to_string(t) + " column " + std::to_string(i),
            [t, f = field, i](ShardProof& p) {
              auto& v = (p.opened[t].*f)[i];
              v = bump(v, static_cast<uint32_t>(i));
            });
      }
    }
    for (size_t c = 0; c < h.opened[t].quotient_chunks.size(); ++c) {
      for (size_t i = 0; i < 4; ++i, ++expected) {
        expect_rejected("quotient chunk " + std::to_string(c) + " of table " + std::to_string(t),
                        [t, c, i](ShardProof& p) {
                          auto& v = p.opened[t].quotient_chunks[c][i];
                          v = bump(v, static_cast<uint32_t>(i + c));
                        });
      }
    }
  }
  EXPECT_EQ(cases_, expected);
  EXPECT_GE(expected, 80u);
}

TEST_F(SoundnessSweep, PcsProofSections) {
  const PcsProof& h = honest().pcs;
  ASSERT_FALSE(h.commit_phase_commits.empty());
  for (size_t r = 0; r < h.commit_phase_commits.size(); ++r) {
    for (size_t i = 0; i < kDigestElems; ++i) {
      expect_rejected("FRI commitment " + std::to_string(r), [r, i](ShardProof& p) {
        p.pcs.commit_phase_commits[r][i] = bump(p.pcs.commit_phase_commits[r][i]);
      });
    }
  }
  for (size_t i = 0; i < h.final_poly.size(); ++i) {
    for (uint32_t c = 0; c < 4; ++c) {
      expect_rejected("final polynomial", [i, c](ShardProof& p) {
        p.pcs.final_poly[i] = bump(p.pcs.final_poly[i], c);
      });
    }
  }
  expect_rejected("proof-of-work witness",
                  [](ShardProof& p) { p.pcs.pow_witness = bump(p.pcs.pow_witness); });
  ASSERT_EQ(h.query_proofs.size(), 2u);
  for (size_t q = 0; q < h.query_proofs.size(); ++q) {
    const FriQueryProof& qp = h.query_proofs[q];
    for (size_t r = 0; r < qp.input_openings.size(); ++r) {
      const MerkleOpening& o = qp.input_openings[r];
      for (size_t m = 0; m < o.rows.size(); ++m) {
        // First, middle and last element of every opened row.
        for (size_t i : {size_t{0}, o.rows[m].size() / 2, o.rows[m].size() - 1}) {
          expect_rejected("query " + std::to_string(q) + " round " + std::to_string(r) +
                              " matrix " + std::to_string(m) + " element " + std::to_string(i),
                          [q, r, m, i](ShardProof& p) {
                            auto& x = p.pcs.query_proofs[q].input_openings[r].rows[m][i];
                            x = bump(x);
                          });
        }
      }
      for (size_t s = 0; s < o.proof.siblings.size(); ++s) {
        expect_rejected("query Merkle sibling", [q, r, s](ShardProof& p) {
          auto& d = p.pcs.query_proofs[q].input_openings[r].proof.siblings[s];
          d[s % kDigestElems] = bump(d[s % kDigestElems]);
        });
      }
    }
    for (size_t l = 0; l < qp.commit_steps.size(); ++l) {
      for (uint32_t c = 0; c < 4; ++c) {
        expect_rejected("FRI sibling value", [q, l, c](ShardProof& p) {
          auto& v = p.pcs.query_proofs[q].commit_steps[l].sibling;
          v = bump(v, c);
        });
      }
      for (size_t s = 0; s < qp.commit_steps[l].path.siblings.size(); ++s) {
        expect_rejected("FRI path", [q, l, s](ShardProof& p) {
          auto& d = p.pcs.query_proofs[q].commit_steps[l].path.siblings[s];
          d[(s + l) % kDigestElems] = bump(d[(s + l) % kDigestElems]);
        });
      }
    }
  }
  EXPECT_GT(cases_, 100u);
}

// Byte-level: flipping a bit anywhere in the serialised proof is rejected with a typed error
// (most flips in field elements are caught as Format or by the transcript; none crash).
TEST_F(SoundnessSweep, BitFlipsInTheSerialisedProof) {
  const std::vector<uint8_t>& bytes = proved_->bytes;
  size_t checked = 0;
  for (size_t pos = 0; pos < bytes.size(); pos += (pos < 256 ? 1 : 61)) {
    std::vector<uint8_t> b = bytes;
    b[pos] ^= static_cast<uint8_t>(1u << (pos % 8));
    try {
      verify_bytes(*machine_, proved_->pk.vk, b, insecure_ok());
      ADD_FAILURE() << "flip at byte " << pos << " accepted";
    } catch (const Error& e) {
      EXPECT_TRUE(is_rejection(e.kind())) << "byte " << pos << ": " << e.what();
    }
    ++checked;
  }
  EXPECT_GT(checked, 300u);
}

TEST(Soundness, ForgedWitnessWithoutDebugCheckIsRejected) {
  const Machine m = test::fibonacci_machine();
  auto w = test::fibonacci_tables(6);
  w[0].trace.at(17, 1) += BabyBear::one();
  const auto p = prove_with(m, w, "test", /*debug_check=*/false);
  try {
    verify_bytes(m, p.pk.vk, p.bytes, insecure_ok());
    FAIL() << "forged proof accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::VerifyFailed) << e.what();
  }
}

TEST(Soundness, WrongPublicOutputIsRejected) {
  const Machine m = test::fibonacci_machine();
  auto w = test::fibonacci_tables(5);
  w[0].public_values[2] += BabyBear::one();  // claims a different result
  const auto p = prove_with(m, w, "test", /*debug_check=*/false);
  EXPECT_THROW(verify_bytes(m, p.pk.vk, p.bytes, insecure_ok()), Error);
  // And the honest proof with the public value edited afterwards.
  auto honest = prove_with(m, test::fibonacci_tables(5));
  honest.proof.public_values[0][2] += BabyBear::one();
  EXPECT_EQ(rejection_problem(m, honest.pk.vk, honest.proof), "");
}

TEST(Soundness, LogUpImbalanceIsRejected) {
  const Machine m = test::range_machine();
  auto w = test::range_tables(4, 5);
  w[2].trace.at(9, 0) += BabyBear::one();  // multiplicity off by one
  EXPECT_THROW(prove_with(m, w), Error);   // the debug check names it
  const auto p = prove_with(m, w, "test", /*debug_check=*/false);
  try {
    verify_bytes(m, p.pk.vk, p.bytes, insecure_ok());
    FAIL() << "unbalanced shard accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::VerifyFailed);
    EXPECT_NE(std::string(e.what()).find("LogUp"), std::string::npos) << e.what();
  }
}

// A table without interactions has no LogUp columns: its cumulative sum is neither observed nor
// constrained (and not even serialised), so a verifier handed a proof object must insist that it
// is zero — otherwise it would absorb the imbalance of the other tables.
TEST(Soundness, TableWithoutInteractionsCannotCancelAnImbalance) {
  const Machine m = test::range_machine();
  ASSERT_FALSE(m.layout(0).has_interactions());
  auto w = test::range_tables(4, 5);
  w[2].trace.at(9, 0) += BabyBear::one();  // one lookup of a limb value too many
  auto p = prove_with(m, w, "test", /*debug_check=*/false);
  BabyBear4 total = BabyBear4::zero();
  for (const auto& s : p.proof.cumulative_sums) total += s;
  ASSERT_FALSE(total.is_zero());
  p.proof.cumulative_sums[0] = -total;  // the Fibonacci table takes the difference
  const std::string e = verify_error(m, p.pk.vk, p.proof, ErrorKind::Format);
  EXPECT_NE(e.find("no interactions but a non-zero LogUp sum"), std::string::npos) << e;
}

// A table with preprocessed columns has the height of those columns (the verifying key's); a
// proof claiming another is refused by that check, by name, before any Merkle path is read.
TEST(Soundness, HeightOtherThanThePreprocessedColumnsIsNamed) {
  const Machine m = test::range_machine();
  const auto p = prove_with(m, test::range_tables(4, 5));
  for (const size_t t : {size_t{2}, size_t{3}}) {  // the range table and the squares table
    ASSERT_GT(m.layout(t).preprocessed_width, 0u);
    ShardProof q = p.proof;
    q.log_heights[t] += 1;
    const std::string e = verify_error(m, p.pk.vk, q, ErrorKind::VerifyFailed);
    EXPECT_NE(e.find("claims 2^5 rows, its preprocessed columns have 2^4"), std::string::npos) << e;
  }
}

TEST(Soundness, OutOfRangeLimbIsRejected) {
  // A limb of 16 in a 4-bit range check, with the multiplicities of the other limbs fixed up:
  // the only imbalance is the message (16), which no table row can receive.
  const Machine m = test::range_machine();
  auto w = test::range_tables(4, 5);
  auto& t = w[1].trace;
  for (size_t c = 1; c <= 3; ++c) w[2].trace.at(t.at(3, c).as_u32(), 0) -= BabyBear::one();
  t.at(3, 0) = BabyBear::from_u32(16);
  t.at(3, 1) = BabyBear::from_u32(16);
  t.at(3, 2) = BabyBear::zero();
  t.at(3, 3) = BabyBear::zero();
  w[2].trace.at(0, 0) += BabyBear::from_u32(2);
  const auto p = prove_with(m, w, "test", /*debug_check=*/false);
  EXPECT_THROW(verify_bytes(m, p.pk.vk, p.bytes, insecure_ok()), Error);
}

TEST(Soundness, ConfigurationAbuseIsRefused) {
  const Machine m = test::fibonacci_machine();
  const auto p = prove_with(m, test::fibonacci_tables(4));
  const auto kind_of = [&](const ShardProof& proof, const VerifyingKey& vk, VerifyOptions o) {
    try {
      verify(m, vk, proof, o);
    } catch (const Error& e) {
      return e.kind();
    }
    return ErrorKind::Internal;  // accepted
  };
  // The insecure test configuration needs explicit permission.
  EXPECT_EQ(kind_of(p.proof, p.pk.vk, {}), ErrorKind::ConfigMismatch);
  EXPECT_EQ(kind_of(p.proof, p.pk.vk, insecure_ok()), ErrorKind::Internal);
  // Unknown name.
  ShardProof q = p.proof;
  q.config = "turbo";
  EXPECT_EQ(kind_of(q, p.pk.vk, insecure_ok()), ErrorKind::ConfigMismatch);
  // A secure name with the test parameters (claiming to be core).
  q = p.proof;
  q.config = "core";
  EXPECT_EQ(kind_of(q, p.pk.vk, {}), ErrorKind::ConfigMismatch);
  // Parameters changed under the right name.
  q = p.proof;
  q.fri.num_queries = 3;
  EXPECT_EQ(kind_of(q, p.pk.vk, insecure_ok()), ErrorKind::ConfigMismatch);
  // A verifying key of another configuration.
  CpuBackend backend;
  EXPECT_EQ(kind_of(p.proof, setup(m, "core", backend).vk, insecure_ok()),
            ErrorKind::ConfigMismatch);
  // The same through the byte parser.
  std::vector<uint8_t> bytes = serialize_shard_proof(q);
  try {
    deserialize_shard_proof(bytes, m);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::ConfigMismatch);
  }
  // A proof for another machine.
  const Machine other = test::range_machine();
  EXPECT_THROW(verify_bytes(other, p.pk.vk, p.bytes, insecure_ok()), Error);
}

}  // namespace
}  // namespace tessera
