// LogUp fingerprints against an independent computation, in every place the prover and the
// verifier form them (the interaction evaluation of the LogUp trace, the prover's constraint fold
// — scalar and packed — and the verifier's fold), and a machine where one table sends (a, b) and
// another receives (b, a): the debug check names the imbalance and a forced proof is rejected.
// A fingerprint blind to the order of the values (e.g. equal gamma powers) passes everything else.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "stark_test_util.hpp"

namespace tessera {
namespace {

using test::insecure_ok;
using test::prove_with;

BabyBear4 random_ext(std::mt19937_64& rng) {
  const auto f = [&] {
    return BabyBear::from_u32(static_cast<uint32_t>(rng() % BabyBear::kModulus));
  };
  return {f(), f(), f(), f()};
}

// The fingerprint written out: f = bus + gamma v0 + gamma^2 v1 + gamma^3 v2 + ...
BabyBear4 naive_fingerprint(uint32_t bus, const std::vector<BabyBear4>& v, const BabyBear4& gamma) {
  BabyBear4 f(BabyBear::from_u32(bus));
  if (v.size() > 0) f += gamma * v[0];
  if (v.size() > 1) f += gamma * gamma * v[1];
  if (v.size() > 2) f += gamma * gamma * gamma * v[2];
  EXPECT_LE(v.size(), 3u);
  return f;
}

// Columns (a, b, c, m): send (a, b) on bus 6 once, receive (a, b, c) on bus 9 m times (m <= 7),
// send (b, a) on bus 6 m times.
struct ThreeInteractionsAir : AirBase {
  std::string name() const { return "three"; }
  size_t width() const { return 4; }
  template <class AB>
  void eval(AB& b) const {
    const auto m = b.main();
    b.send(6, {m.local(0), m.local(1)}, BabyBear::one());
    b.receive(9, {m.local(0), m.local(1), m.local(2)}, m.local(3), 7);
    b.send(6, {m.local(1), m.local(0)}, m.local(3));
  }
};

TEST(LogUpFingerprint, GammaPowersAreSuccessivePowers) {
  std::mt19937_64 rng(3);
  const BabyBear4 gamma = random_ext(rng);
  const std::vector<BabyBear4> p = logup_gamma_powers(gamma, 4);
  ASSERT_EQ(p.size(), 5u);
  EXPECT_EQ(p[0], BabyBear4::one());
  EXPECT_EQ(p[1], gamma);
  EXPECT_EQ(p[2], gamma * gamma);
  EXPECT_EQ(p[3], gamma * gamma * gamma);
  EXPECT_EQ(p[4], gamma * gamma * gamma * gamma);
}

TEST(LogUpFingerprint, InteractionEvaluationMatchesTheFormula) {
  std::mt19937_64 rng(4);
  Machine m("three");
  m.add(ThreeInteractionsAir{});
  const TableLayout& l = m.layout(0);
  ASSERT_EQ(l.logup.num_interactions, 3u);
  const size_t n = 8;
  RowMajorMatrix<BabyBear> trace(4, n);
  for (auto& v : trace.values()) v = BabyBear::from_u32(static_cast<uint32_t>(rng() % 1000));
  const BabyBear4 beta = random_ext(rng), gamma = random_ext(rng);
  const InteractionEvaluations ev = m.table(0).evaluate_interactions(
      trace, nullptr, {}, beta, logup_gamma_powers(gamma, l.logup.max_arity), 3);
  for (size_t r = 0; r < n; ++r) {
    const BabyBear4 a(trace.at(r, 0)), b(trace.at(r, 1)), c(trace.at(r, 2));
    const BabyBear mult = trace.at(r, 3);
    EXPECT_EQ(ev.denominators[3 * r + 0], beta - naive_fingerprint(6, {a, b}, gamma)) << r;
    EXPECT_EQ(ev.denominators[3 * r + 1], beta - naive_fingerprint(9, {a, b, c}, gamma)) << r;
    EXPECT_EQ(ev.denominators[3 * r + 2], beta - naive_fingerprint(6, {b, a}, gamma)) << r;
    EXPECT_EQ(ev.multiplicities[3 * r + 0], BabyBear::one());
    EXPECT_EQ(ev.multiplicities[3 * r + 1], -mult);
    EXPECT_EQ(ev.multiplicities[3 * r + 2], mult);
    if (trace.at(r, 0) != trace.at(r, 1)) {
      EXPECT_NE(ev.denominators[3 * r + 0], ev.denominators[3 * r + 2]) << r;
    }
  }
}

// One interaction, send (a, b) with multiplicity m: columns (a, b, m). Its LogUp constraints
// are, in fold order, h * d - m (the batch), then first row, transition, last row. With
// alpha = 0 a fold is the batch constraint alone, zero exactly when h = m / (beta - f(a, b)).
struct OneSendAir : AirBase {
  std::string name() const { return "one_send"; }
  size_t width() const { return 3; }
  template <class AB>
  void eval(AB& b) const {
    const auto m = b.main();
    b.send(6, {m.local(0), m.local(1)}, m.local(2));
  }
};

TEST(LogUpFingerprint, VerifierFoldUsesTheFormula) {
  std::mt19937_64 rng(5);
  Machine machine("one");
  machine.add(OneSendAir{});
  const TableLayout& l = machine.layout(0);
  ASSERT_EQ(l.num_constraints(), 4u);
  const LogUpChallenges lc{random_ext(rng), random_ext(rng)};
  const std::vector<BabyBear4> gamma_powers = logup_gamma_powers(lc.gamma, l.logup.max_arity);
  const std::vector<BabyBear4> main = {random_ext(rng), random_ext(rng), random_ext(rng)};
  const auto fold_with_h = [&](const BabyBear4& h) {
    const std::vector<BabyBear4> perm = {h, random_ext(rng)};
    VerifierFoldInputs in;
    in.main = OpenedWindow(main, main);
    in.permutation = OpenedWindow(perm, perm);
    in.selectors = {random_ext(rng), random_ext(rng), random_ext(rng), random_ext(rng)};
    in.alpha = BabyBear4::zero();
    in.challenges = lc;
    in.gamma_powers = gamma_powers;
    in.batch_end = l.logup.batch_end;
    in.cumulative_sum = random_ext(rng);
    return machine.table(0).fold_at_point(in).first;
  };
  const BabyBear4 d = lc.beta - naive_fingerprint(6, {main[0], main[1]}, lc.gamma);
  EXPECT_EQ(fold_with_h(main[2] * d.inverse()), BabyBear4::zero());
  const BabyBear4 swapped = lc.beta - naive_fingerprint(6, {main[1], main[0]}, lc.gamma);
  EXPECT_NE(fold_with_h(main[2] * swapped.inverse()), BabyBear4::zero());
}

TEST(LogUpFingerprint, ProverFoldUsesTheFormula) {
  std::mt19937_64 rng(6);
  Machine machine("one");
  machine.add(OneSendAir{});
  const TableLayout& l = machine.layout(0);
  const LogUpChallenges lc{random_ext(rng), random_ext(rng)};
  const std::vector<BabyBear4> gamma_powers = logup_gamma_powers(lc.gamma, l.logup.max_arity);
  const uint32_t log_n = 4;  // >= 3: the packed AVX2 fold where the CPU has it
  const size_t n = size_t{1} << log_n;
  RowMajorMatrix<BabyBear> main(3, n), perm(8, n);
  for (auto& v : main.values()) v = BabyBear::from_u32(static_cast<uint32_t>(rng() % 1000));
  for (auto& v : perm.values()) v = BabyBear::from_u32(static_cast<uint32_t>(rng() % 1000));
  for (size_t r = 0; r < n; ++r) {  // h = m / (beta - f(a, b)) in extension column 0
    const BabyBear4 d =
        lc.beta -
        naive_fingerprint(6, {BabyBear4(main.at(r, 0)), BabyBear4(main.at(r, 1))}, lc.gamma);
    const BabyBear4 h = BabyBear4(main.at(r, 2)) * d.inverse();
    for (uint32_t c = 0; c < 4; ++c) perm.at(r, c) = h.coeff(c);
  }
  std::vector<BabyBear> sel(n), one(n, BabyBear::one());
  for (auto& v : sel) v = BabyBear::from_u32(static_cast<uint32_t>(rng() % 1000));
  const std::vector<BabyBear4> alpha_powers = {BabyBear4::one(), BabyBear4::zero(),
                                               BabyBear4::zero(), BabyBear4::zero()};
  QuotientFoldInputs in;
  in.log_n = log_n;
  in.log_quotient_size = log_n;
  in.main = &main;
  in.permutation = &perm;
  in.is_first_row = sel;
  in.is_last_row = sel;
  in.is_transition = sel;
  in.inv_vanishing = one;
  in.alpha_powers = alpha_powers;
  in.beta = lc.beta;
  in.gamma_powers = gamma_powers;
  in.batch_end = l.logup.batch_end;
  in.cumulative_sum = random_ext(rng);
  std::vector<BabyBear4> packed(n), scalar(n);
  machine.table(0).fold_on_domain(in, packed);
  machine.table(0).fold_on_domain_reference(in, scalar);
  for (size_t r = 0; r < n; ++r) {
    EXPECT_EQ(packed[r], BabyBear4::zero()) << r;
    EXPECT_EQ(scalar[r], BabyBear4::zero()) << r;
  }
}

// Two tables with the same columns (x, y): one sends (x, y), the other receives (y, x).
struct PairsOutAir : AirBase {
  std::string name() const { return "pairs_out"; }
  size_t width() const { return 2; }
  template <class AB>
  void eval(AB& b) const {
    b.send(11, {b.main().local(0), b.main().local(1)}, BabyBear::one());
  }
};
struct PairsInSwappedAir : AirBase {
  std::string name() const { return "pairs_in"; }
  size_t width() const { return 2; }
  template <class AB>
  void eval(AB& b) const {
    b.receive(11, {b.main().local(1), b.main().local(0)}, BabyBear::one());
  }
};

Machine swap_machine() {
  Machine m("swap");
  m.add(PairsOutAir{});
  m.add(PairsInSwappedAir{});
  return m;
}
// Rows (i + 1, 2 i + 5) in the sender; the receiver's columns as given.
std::vector<TableWitness> swap_witness(bool receiver_swapped_back) {
  const size_t n = 16;
  RowMajorMatrix<BabyBear> out(2, n), in(2, n);
  for (size_t i = 0; i < n; ++i) {
    const BabyBear x = BabyBear::from_u32(static_cast<uint32_t>(i + 1));
    const BabyBear y = BabyBear::from_u32(static_cast<uint32_t>(2 * i + 5));
    out.at(i, 0) = x;
    out.at(i, 1) = y;
    in.at(i, 0) = receiver_swapped_back ? y : x;
    in.at(i, 1) = receiver_swapped_back ? x : y;
  }
  return {{std::move(out), {}}, {std::move(in), {}}};
}

TEST(LogUpFingerprint, SwappedMessageIsAnImbalance) {
  const Machine m = swap_machine();
  // Honest: the receiver stores (y, x) and receives (x, y).
  const auto good = prove_with(m, swap_witness(true));
  EXPECT_NO_THROW(verify_bytes(m, good.pk.vk, good.bytes, insecure_ok()));

  // (x, y) sent, (y, x) received: the debug check names the message.
  try {
    prove_with(m, swap_witness(false));
    FAIL() << "the debug check missed the swapped message";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
    EXPECT_NE(std::string(e.what()).find("LogUp imbalance: bus 11 message (1, 5)"),
              std::string::npos)
        << e.what();
  }
  // Forced through: the cumulative sums do not cancel.
  const auto forced = prove_with(m, swap_witness(false), "test", /*debug_check=*/false);
  try {
    verify_bytes(m, forced.pk.vk, forced.bytes, insecure_ok());
    FAIL() << "a shard sending (a, b) and receiving (b, a) was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::VerifyFailed);
    EXPECT_NE(std::string(e.what()).find("LogUp"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace tessera
