// The Poseidon2 permutation AIR: its trace is the permutation (outputs equal poseidon2_permute),
// every constraint has degree <= 3, one wrong cell of each kind of column is caught by the debug
// checker with the constraint's name and row, the LogUp (input, output) message balances against
// a table that looks the permutations up, and proofs at the `test` configuration verify.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "air/poseidon2_air.hpp"
#include "backend/cpu_backend.hpp"
#include "stark/debug_builder.hpp"
#include "stark/keys.hpp"
#include "stark/machine.hpp"
#include "stark/prover.hpp"
#include "stark/symbolic_builder.hpp"
#include "stark/verifier.hpp"

namespace tessera {
namespace {

namespace cols = poseidon2_cols;

std::vector<Poseidon2State> random_states(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Poseidon2State> out(n);
  for (auto& s : out) {
    for (auto& x : s) x = BabyBear::from_u32(static_cast<uint32_t>(rng() % BabyBear::kModulus));
  }
  return out;
}

// The message of the debug checker for `row`, or "" when the trace passes.
std::string debug_failure(const Poseidon2Air& air, const RowMajorMatrix<BabyBear>& trace) {
  try {
    debug_check_table(air, trace, {}, nullptr);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
    return e.what();
  }
  return "";
}

TEST(Poseidon2Air, TraceOutputsArePoseidon2Permute) {
  const Poseidon2Air air;
  const auto inputs = random_states(37, 1);
  const auto trace = air.generate_trace(inputs);
  ASSERT_EQ(trace.height(), 64u);
  ASSERT_EQ(trace.width(), 298u);
  for (size_t r = 0; r < trace.height(); ++r) {
    Poseidon2State expected = r < inputs.size() ? inputs[r] : Poseidon2State{};
    EXPECT_EQ(poseidon2_row_input(trace.row(r)), expected) << "row " << r;
    poseidon2_permute(expected);
    EXPECT_EQ(poseidon2_row_output(trace.row(r)), expected) << "row " << r;
  }
  EXPECT_EQ(debug_failure(air, trace), "");
}

TEST(Poseidon2Air, FillRowMatchesPermute) {
  std::vector<BabyBear> row(cols::kPermutationWidth);
  for (const auto& in : random_states(8, 2)) {
    Poseidon2State expected = in;
    poseidon2_permute(expected);
    EXPECT_EQ(poseidon2_fill_row(in, row), expected);
  }
  std::vector<BabyBear> short_row(cols::kPermutationWidth - 1);
  EXPECT_THROW(poseidon2_fill_row(Poseidon2State{}, short_row), Error);
}

TEST(Poseidon2Air, SymbolicDegreeIsThreeAndCountsMatchTheLayout) {
  const AirSymbolics sym = symbolic_eval(Poseidon2Air{});
  EXPECT_EQ(sym.max_constraint_degree, 3u);
  // 8 full rounds x 16 lanes x (sbox + post) + 13 partial rounds x (sbox + post).
  EXPECT_EQ(sym.constraints.size(), 8u * 16 * 2 + 13 * 2);
  for (const auto& c : sym.constraints) EXPECT_LE(c.degree, 3u) << c.name;
  EXPECT_TRUE(sym.interactions.empty());

  const AirSymbolics with_bus =
      symbolic_eval(Poseidon2Air({"poseidon2", Poseidon2Bus{5, InteractionKind::Receive}}));
  ASSERT_EQ(with_bus.interactions.size(), 1u);
  EXPECT_EQ(with_bus.interactions[0].arity, 32u);
  EXPECT_EQ(with_bus.interactions[0].value_degree, 1u);
  EXPECT_EQ(with_bus.interactions[0].multiplicity_degree, 1u);
  EXPECT_EQ(with_bus.interactions[0].bus, 5u);
}

TEST(Poseidon2Air, MachineAcceptsTheTable) {
  Machine m("p2");
  EXPECT_NO_THROW(m.add(Poseidon2Air{}));
  EXPECT_EQ(m.layout(0).max_constraint_degree, 3u);
  EXPECT_EQ(m.layout(0).log_quotient_degree, 1u);
}

// One wrong cell in each kind of column: the first constraint that reads it fails, and the
// checker names that constraint and the row.
struct Corruption {
  const char* what;
  size_t column;
  const char* expected_constraint;
};

TEST(Poseidon2Air, OneWrongCellOfEveryKindIsNamed) {
  const Poseidon2Air air;
  const auto inputs = random_states(16, 3);
  const auto good = air.generate_trace(inputs);
  const Corruption cases[] = {
      {"input lane 0", cols::input(0), "poseidon2.full0.sbox"},
      {"input lane 13 (capacity)", cols::input(13), "poseidon2.full0.sbox"},
      {"full round 0 cube lane 5", cols::full_round(0) + 5, "poseidon2.full0.sbox"},
      {"full round 2 post lane 9", cols::full_round(2) + 16 + 9, "poseidon2.full2.post"},
      {"full round 3 post lane 0", cols::full_round(3) + 16, "poseidon2.full3.post"},
      {"partial round 0 cube", cols::partial_round(0), "poseidon2.partial0.sbox"},
      {"partial round 7 x^7", cols::partial_round(7) + 1, "poseidon2.partial7.post"},
      {"partial round 12 cube", cols::partial_round(12), "poseidon2.partial12.sbox"},
      {"full round 4 cube lane 15", cols::full_round(4) + 15, "poseidon2.full4.sbox"},
      {"full round 6 post lane 3", cols::full_round(6) + 16 + 3, "poseidon2.full6.post"},
      {"output lane 0", cols::output(0), "poseidon2.full7.post"},
      {"output lane 15", cols::output(15), "poseidon2.full7.post"},
  };
  for (const size_t row : {size_t{0}, size_t{6}, size_t{15}}) {
    for (const auto& c : cases) {
      auto bad = good;
      bad.at(row, c.column) += BabyBear::one();
      const std::string msg = debug_failure(air, bad);
      EXPECT_NE(
          msg.find(std::string("constraint ") + c.expected_constraint + " of table poseidon2"),
          std::string::npos)
          << c.what << " at row " << row << ": " << msg;
      EXPECT_NE(msg.find("fails at row " + std::to_string(row)), std::string::npos)
          << c.what << ": " << msg;
    }
  }
}

TEST(Poseidon2Air, EveryColumnIsConstrained) {
  // A sweep over all 298 columns of one row: no column is free.
  const Poseidon2Air air;
  const auto good = air.generate_trace(random_states(2, 4));
  for (size_t col = 0; col < cols::kPermutationWidth; ++col) {
    auto bad = good;
    bad.at(1, col) += BabyBear::from_u32(12345);
    EXPECT_NE(debug_failure(air, bad), "") << "column " << col << " is unconstrained";
  }
}

// A table that looks permutations up: 32 columns (input, output), sends each row's message once.
struct PermutationCallerAir : AirBase {
  uint32_t bus = 9;
  std::string name() const { return "p2caller"; }
  size_t width() const { return 32; }
  template <class AB>
  void eval(AB& b) const {
    using Expr = typename AB::Expr;
    Expr msg[32];
    for (size_t i = 0; i < 32; ++i) msg[i] = b.main().local(i);
    b.send(bus, msg, BabyBear::one());
  }
};

struct LookupShard {
  Machine machine{"p2lookup"};
  std::vector<TableWitness> witness;
};

// Caller with 2^caller_log rows (some repeated), permutation table with the distinct inputs and
// their multiplicities (padded with multiplicity 0).
LookupShard lookup_shard(uint32_t caller_log, size_t distinct, uint64_t seed) {
  LookupShard s;
  const Poseidon2Air p2({"poseidon2", Poseidon2Bus{9, InteractionKind::Receive}});
  s.machine.add(PermutationCallerAir{});
  s.machine.add(p2);
  const auto inputs = random_states(distinct, seed);
  std::vector<uint64_t> counts(distinct, 0);
  const size_t n = size_t{1} << caller_log;
  RowMajorMatrix<BabyBear> caller(32, n);
  for (size_t r = 0; r < n; ++r) {
    const size_t k = (r * 7 + 3) % distinct;
    ++counts[k];
    Poseidon2State out = inputs[k];
    poseidon2_permute(out);
    for (size_t i = 0; i < 16; ++i) {
      caller.at(r, i) = inputs[k][i];
      caller.at(r, 16 + i) = out[i];
    }
  }
  std::vector<BabyBear> mult;
  for (uint64_t c : counts) mult.push_back(BabyBear::from_u64(c));
  s.witness.push_back({std::move(caller), {}});
  s.witness.push_back({p2.generate_trace(inputs, mult), {}});
  return s;
}

TEST(Poseidon2Air, LookupBalancesAndAWrongMultiplicityDoesNot) {
  auto s = lookup_shard(5, 5, 6);
  std::vector<RowMajorMatrix<BabyBear>> traces;
  std::vector<std::vector<BabyBear>> pvs;
  for (auto& w : s.witness) {
    traces.push_back(w.trace);
    pvs.push_back(w.public_values);
  }
  EXPECT_NO_THROW(s.machine.debug_check(traces, pvs));
  const auto p2 = Poseidon2Air({"poseidon2", Poseidon2Bus{9, InteractionKind::Receive}});
  traces[1].at(2, p2.multiplicity_col()) += BabyBear::one();
  EXPECT_THROW(s.machine.debug_check(traces, pvs), Error);
}

TEST(Poseidon2Air, RejectsBadTraceRequests) {
  const Poseidon2Air plain;
  const auto inputs = random_states(3, 7);
  const std::vector<BabyBear> mult(3, BabyBear::one());
  EXPECT_THROW(plain.generate_trace(inputs, mult), Error);
  const Poseidon2Air with_bus({"poseidon2", Poseidon2Bus{1, InteractionKind::Send}});
  EXPECT_THROW(with_bus.generate_trace(inputs, std::vector<BabyBear>(2)), Error);
  EXPECT_EQ(with_bus.generate_trace(inputs, {}, 16).height(), 16u);
  EXPECT_THROW(Poseidon2Air({"", std::nullopt}), Error);
  EXPECT_THROW(Poseidon2Air({std::string(Poseidon2Air::kMaxNameLength + 1, 'x'), std::nullopt}),
               Error);
  EXPECT_EQ(Poseidon2Air({std::string(Poseidon2Air::kMaxNameLength, 'x'), std::nullopt}).name(),
            std::string(Poseidon2Air::kMaxNameLength, 'x'));
}

VerifyOptions insecure_ok() {
  VerifyOptions o;
  o.allow_insecure = true;
  return o;
}

class Poseidon2AirHeights : public ::testing::TestWithParam<uint32_t> {};

TEST_P(Poseidon2AirHeights, ProvesAndVerifies) {
  const uint32_t log_n = GetParam();
  Machine m("poseidon2");
  const Poseidon2Air air;
  m.add(air);
  CpuBackend backend;
  const ProvingKey pk = setup(m, "test", backend);
  const auto inputs = random_states((size_t{1} << log_n) - 1, 10 + log_n);
  const ShardProof proof = prove(m, pk, {{air.generate_trace(inputs), {}}}, backend);
  EXPECT_NO_THROW(verify_bytes(m, pk.vk, serialize_shard_proof(proof), insecure_ok()));
}
INSTANTIATE_TEST_SUITE_P(Poseidon2Air, Poseidon2AirHeights, ::testing::Values(0u, 1u, 3u, 6u));

TEST(Poseidon2Air, LookupShardProvesAndAForcedBadWitnessIsRejected) {
  CpuBackend backend;
  {
    auto s = lookup_shard(6, 11, 8);  // heights 64 and 16
    const ProvingKey pk = setup(s.machine, "test", backend);
    const ShardProof proof = prove(s.machine, pk, std::move(s.witness), backend);
    EXPECT_NO_THROW(verify_bytes(s.machine, pk.vk, serialize_shard_proof(proof), insecure_ok()));
  }
  {
    // One S-box cube wrong, proven without the debug check: the verifier must reject.
    auto s = lookup_shard(3, 3, 9);
    s.witness[1].trace.at(1, cols::full_round(5) + 2) += BabyBear::one();
    const ProvingKey pk = setup(s.machine, "test", backend);
    ProveOptions o;
    o.debug_check = false;
    const ShardProof proof = prove(s.machine, pk, std::move(s.witness), backend, o);
    try {
      verify_bytes(s.machine, pk.vk, serialize_shard_proof(proof), insecure_ok());
      ADD_FAILURE() << "a proof of a wrong witness verified";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::VerifyFailed) << e.what();
    }
  }
}

}  // namespace
}  // namespace tessera
