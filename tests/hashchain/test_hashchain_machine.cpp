// The hashchain ShardedMachine: execute / prove_shard / verify_shard over a small chain at the
// `test` configuration, statements that merge into the naive chain's result, rejection of a proof
// offered for another shard, of a changed public value and of a forced wrong witness, determinism
// (same bytes twice, 1 vs 2 threads), parameter and checkpoint validation.
#include <gtest/gtest.h>
#include <omp.h>

#include <string>
#include <vector>

#include "air/hashchain_machine.hpp"
#include "backend/cpu_backend.hpp"
#include "hash/sponge.hpp"
#include "stark/proof.hpp"

namespace tessera {
namespace {

namespace cols = poseidon2_cols;

HashchainParams small_params(std::string config = "test") {
  return {64, 16, 2026, std::move(config)};
}

ErrorKind kind_of(const std::function<void()>& f, std::string* message = nullptr) {
  try {
    f();
  } catch (const Error& e) {
    if (message) *message = e.what();
    return e.kind();
  }
  ADD_FAILURE() << "no error";
  return ErrorKind::Internal;
}

// The chain computed in the test itself, with compress.
std::vector<BabyBear> naive_end_state(const HashchainParams& p) {
  Digest h = hashchain_initial_digest(p.seed);
  for (uint64_t i = 1; i <= p.steps; ++i) h = compress(h, hashchain_witness(p.seed, i));
  return HashchainMachine::state(h, p.steps);
}

struct ProvedChain {
  std::vector<std::vector<uint8_t>> checkpoints;
  std::vector<std::vector<uint8_t>> proofs;
};
ProvedChain prove_all(const HashchainMachine& m) {
  CpuBackend backend;
  ProvedChain out;
  out.checkpoints = m.execute();
  for (uint64_t s = 0; s < m.num_shards(); ++s) {
    out.proofs.push_back(m.prove_shard(s, out.checkpoints[s], backend));
  }
  return out;
}

const ProvedChain& small_chain() {
  static const ProvedChain chain = prove_all(HashchainMachine(small_params()));
  return chain;
}

TEST(HashchainMachine, ProvesVerifiesAndMergesToTheNaiveChain) {
  const HashchainParams p = small_params();
  const HashchainMachine m(p);
  EXPECT_EQ(m.name(), "hashchain");
  EXPECT_EQ(m.num_shards(), 4u);
  EXPECT_EQ(m.config_name(), "test");
  EXPECT_EQ(m.parameters().at("steps"), "64");
  EXPECT_EQ(m.parameters().at("shard_steps"), "16");
  EXPECT_EQ(m.parameters().at("seed"), "2026");
  const ProvedChain& chain = small_chain();
  ASSERT_EQ(chain.checkpoints.size(), 4u);

  std::vector<ShardStatement> statements;
  for (uint64_t s = 0; s < m.num_shards(); ++s) {
    const HashchainCheckpoint c = read_hashchain_checkpoint(chain.checkpoints[s]);
    EXPECT_EQ(c.shard, s);
    EXPECT_EQ(c.first_step, s * 16);
    statements.push_back(m.verify_shard(s, chain.proofs[s]));
    EXPECT_EQ(statements.back().first_shard, s);
    EXPECT_EQ(statements.back().end_shard, s + 1);
    ASSERT_EQ(statements.back().start_state.size(), HashchainMachine::kStateSize);
    EXPECT_EQ(statements.back().start_state.back(), BabyBear::from_u64(s * 16));
    EXPECT_EQ(statements.back().end_state.back(), BabyBear::from_u64(s * 16 + 16));
  }
  // The binary tree's order of merges.
  const ShardStatement root = merge_statements(merge_statements(statements[0], statements[1]),
                                               merge_statements(statements[2], statements[3]));
  EXPECT_NO_THROW(m.check_root(root));
  EXPECT_EQ(root.start_state, m.initial_state());
  EXPECT_EQ(root.end_state, naive_end_state(p));
  // Statements out of order do not chain.
  EXPECT_EQ(kind_of([&] { merge_statements(statements[1], statements[0]); }),
            ErrorKind::VerifyFailed);
}

TEST(HashchainMachine, AProofOfShardIIsRejectedAsShardJ) {
  const HashchainMachine m(small_params());
  const ProvedChain& chain = small_chain();
  for (uint64_t i = 0; i < 4; ++i) {
    for (uint64_t j = 0; j < 4; ++j) {
      if (i == j) continue;
      std::string msg;
      EXPECT_EQ(kind_of([&] { m.verify_shard(j, chain.proofs[i]); }, &msg), ErrorKind::VerifyFailed)
          << i << " as " << j;
      EXPECT_NE(msg.find("another shard"), std::string::npos) << msg;
    }
  }
  EXPECT_EQ(kind_of([&] { m.verify_shard(4, chain.proofs[0]); }), ErrorKind::InvalidArgument);
}

TEST(HashchainMachine, AProofOfAnotherRequestIsRejected) {
  const ProvedChain& chain = small_chain();
  // Other shard size: the table height differs.
  const HashchainMachine other_k({64, 32, 2026, "test"});
  EXPECT_EQ(kind_of([&] { other_k.verify_shard(0, chain.proofs[0]); }), ErrorKind::VerifyFailed);
  // Same shape, core configuration: the configuration is pinned by the request.
  const HashchainMachine core(small_params("core"));
  EXPECT_EQ(kind_of([&] { core.verify_shard(0, chain.proofs[0]); }), ErrorKind::ConfigMismatch);
}

TEST(HashchainMachine, ChangedPublicValuesAreRejected) {
  const HashchainMachine m(small_params());
  const ProvedChain& chain = small_chain();
  for (const size_t pv : {hashchain_pv::kStartDigest, hashchain_pv::kEndDigest + 5,
                          hashchain_pv::kFirstStep, hashchain_pv::kSteps}) {
    ShardProof proof = deserialize_shard_proof(chain.proofs[1], m.stark_machine());
    proof.public_values[0][pv] += BabyBear::one();
    EXPECT_EQ(kind_of([&] { m.verify_shard(1, serialize_shard_proof(proof)); }),
              ErrorKind::VerifyFailed)
        << "public value " << pv;
  }
  // Truncated bytes.
  std::vector<uint8_t> cut(chain.proofs[1].begin(), chain.proofs[1].end() - 5);
  EXPECT_EQ(kind_of([&] { m.verify_shard(1, cut); }), ErrorKind::Format);
}

TEST(HashchainMachine, TamperedWitnessIsCaughtAndAForcedProofRejected) {
  const HashchainMachine m(small_params());
  const ProvedChain& chain = small_chain();
  CpuBackend backend;
  const HashchainMachine::TraceTamper tamper_w = [](RowMajorMatrix<BabyBear>& t) {
    // A different w_6 at row 5 with a consistent permutation row: only the link breaks.
    t.at(5, cols::input(12)) += BabyBear::one();
    poseidon2_fill_row(poseidon2_row_input(t.row(5)), t.row(5));
  };
  const HashchainMachine::TraceTamper tamper_h = [](RowMajorMatrix<BabyBear>& t) {
    t.at(11, cols::input(0)) += BabyBear::one();  // h_11 in row 11: no longer row 10's output
  };
  for (const auto& [tamper, constraint] :
       {std::pair{tamper_w, "constraint hashchain.link of table hashchain fails at row 5"},
        std::pair{tamper_h, "constraint hashchain.link of table hashchain fails at row 10"}}) {
    std::string msg;
    EXPECT_EQ(
        kind_of([&] { m.prove_shard_with(2, chain.checkpoints[2], backend, {}, tamper); }, &msg),
        ErrorKind::InvalidArgument);
    EXPECT_NE(msg.find(constraint), std::string::npos) << msg;

    ProveOptions forced;
    forced.debug_check = false;
    const auto proof = m.prove_shard_with(2, chain.checkpoints[2], backend, forced, tamper);
    EXPECT_EQ(kind_of([&] { m.verify_shard(2, proof); }), ErrorKind::VerifyFailed);
  }
}

TEST(HashchainMachine, DeterministicBytesForAnyThreadCount) {
  const HashchainMachine m(small_params());
  const ProvedChain& chain = small_chain();
  CpuBackend backend;
  const int saved = omp_get_max_threads();
  for (const int threads : {1, 2}) {
    omp_set_num_threads(threads);
    EXPECT_EQ(m.execute(), chain.checkpoints) << threads << " threads";
    EXPECT_EQ(m.prove_shard(3, chain.checkpoints[3], backend), chain.proofs[3])
        << threads << " threads";
  }
  omp_set_num_threads(saved);
}

TEST(HashchainMachine, CoreConfigurationVerifiesWithoutPermission) {
  const HashchainMachine m({32, 16, 5, "core"});
  CpuBackend backend;
  const auto checkpoints = m.execute();
  const auto s0 = m.verify_shard(0, m.prove_shard(0, checkpoints[0], backend));
  const auto s1 = m.verify_shard(1, m.prove_shard(1, checkpoints[1], backend));
  EXPECT_EQ(merge_statements(s0, s1).end_state, naive_end_state(m.params()));
}

TEST(HashchainMachine, SingleShardAndSingleStepShards) {
  for (const HashchainParams& p :
       {HashchainParams{8, 8, 1, "test"}, HashchainParams{4, 1, 1, "test"}}) {
    const HashchainMachine m(p);
    CpuBackend backend;
    const auto checkpoints = m.execute();
    ShardStatement root;
    for (uint64_t s = 0; s < m.num_shards(); ++s) {
      const auto st = m.verify_shard(s, m.prove_shard(s, checkpoints[s], backend));
      root = s == 0 ? st : merge_statements(root, st);
    }
    EXPECT_NO_THROW(m.check_root(root));
    EXPECT_EQ(root.end_state, naive_end_state(p)) << p.steps << "/" << p.shard_steps;
  }
}

TEST(HashchainMachine, BadParametersAreInvalidArguments) {
  const struct {
    HashchainParams p;
    const char* says;
  } cases[] = {
      {{0, 16, 1, "test"}, "must be positive"},
      {{64, 0, 1, "test"}, "not a power of two"},
      {{64, 12, 1, "test"}, "not a power of two"},
      {{60, 16, 1, "test"}, "not a multiple of the shard size"},
      {{(uint64_t{1} << 30) + 16, 16, 1, "test"}, "exceed the limit"},
      {{uint64_t{1} << 28, uint64_t{1} << 27, 1, "test"}, "too tall"},
  };
  for (const auto& c : cases) {
    std::string msg;
    EXPECT_EQ(kind_of([&] { HashchainMachine m(c.p); }, &msg), ErrorKind::InvalidArgument)
        << c.says;
    EXPECT_NE(msg.find(c.says), std::string::npos) << msg;
  }
  EXPECT_EQ(kind_of([] { HashchainMachine m({64, 16, 1, "fast"}); }), ErrorKind::ConfigMismatch);
}

TEST(HashchainMachine, CheckpointsAreValidated) {
  const HashchainMachine m(small_params());
  const ProvedChain& chain = small_chain();
  CpuBackend backend;
  const HashchainCheckpoint c{2, 32, hashchain_initial_digest(9)};
  EXPECT_EQ(read_hashchain_checkpoint(write_hashchain_checkpoint(c)), c);
  // The checkpoint of shard 1 given for shard 2.
  EXPECT_EQ(kind_of([&] { m.prove_shard(2, chain.checkpoints[1], backend); }),
            ErrorKind::InvalidArgument);
  EXPECT_EQ(kind_of([&] { m.prove_shard(9, chain.checkpoints[1], backend); }),
            ErrorKind::InvalidArgument);
  auto bytes = chain.checkpoints[0];
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    EXPECT_EQ(
        kind_of([&] { read_hashchain_checkpoint(std::span<const uint8_t>(bytes.data(), cut)); }),
        ErrorKind::Format);
  }
  bytes.push_back(0);
  EXPECT_EQ(kind_of([&] { read_hashchain_checkpoint(bytes); }), ErrorKind::Format);
  bytes.pop_back();
  bytes[0] ^= 1;
  EXPECT_EQ(kind_of([&] { read_hashchain_checkpoint(bytes); }), ErrorKind::Format);
  bytes[0] ^= 1;
  bytes.back() = 0xff;  // a non-canonical digest element
  EXPECT_EQ(kind_of([&] { read_hashchain_checkpoint(bytes); }), ErrorKind::Format);
}

}  // namespace
}  // namespace tessera
