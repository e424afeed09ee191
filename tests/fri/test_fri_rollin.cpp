// The FRI roll-in of lower-height reduced openings (fri/pcs.hpp, step 4): a cheating prover that
// would pass with the roll-in coefficient 1 is rejected now that the coefficient is beta^2.
//
// The attack. Two width-1 matrices, A on H_n (LDE of 2n rows, the tallest) and B on H_{n/2} (LDE
// of n rows), both opened at one point z (base field, off both LDE cosets). Their reduced
// openings both start at alpha^0:
//   RO_A(x) = (A(x) - a) / (x - z),   RO_B(y) = (B(y) - b) / (y - z).
// B's LDE rows are random: far from every low-degree codeword. A's rows are chosen so that
//   RO_A = F + lambda M,   F equal to -RO_B[i] in both rows (x, -x) of pair i,
// where M(x) = x^(n-1) is a codeword (degree n - 1 < n) and lambda makes the interpolation of A's
// first n rows at z come out as a (so the honest PCS prover, run on these committed rows, claims
// exactly a and b). Folding with any beta gives fold(RO_A) = -RO_B + lambda fold(M), so
//   coefficient 1:   fold(RO_A) + RO_B         = lambda fold(M)                 low-degree,
//   accepted; beta^2:          fold(RO_A) + beta^2 RO_B  = (beta^2 - 1) RO_B + lambda fold(M)
//   rejected.
#include <gtest/gtest.h>

#include <bit>
#include <random>
#include <span>
#include <vector>

#include "backend/cpu_backend.hpp"
#include "fri/fri_fold.hpp"
#include "fri/pcs.hpp"
#include "fri_test_util.hpp"
#include "poly/bit_reverse.hpp"
#include "poly/ntt.hpp"

namespace tessera {
namespace {

using fri_test::random_ext;
using fri_test::random_felt;

const BabyBear kG = BabyBear::from_u32(BabyBear::kGenerator);

// The points of an LDE on g * H_N in bit-reversed row order: x_j = g * w_N^rev(j). The first M
// of them are the points of g * H_M, for every M | N.
std::vector<BabyBear> lde_points(uint32_t log_n) {
  std::vector<BabyBear> x(size_t{1} << log_n);
  for (size_t j = 0; j < x.size(); ++j) {
    x[j] = kG * BabyBear::two_adic_generator(log_n).pow(reverse_bits(j, log_n));
  }
  return x;
}

// The value at z of the polynomial of degree < m taking the values y_i at the points x_i of
// g * H_m (any order), by the barycentric formula p(z) = (z^m - g^m)/(m g^m) sum_i y_i x_i/(z -
// x_i).
BabyBear4 interpolate(std::span<const BabyBear4> y, std::span<const BabyBear> x, BabyBear4 z) {
  const size_t m = y.size();
  BabyBear4 sum = BabyBear4::zero();
  for (size_t i = 0; i < m; ++i) sum += y[i] * x[i] * (z - BabyBear4(x[i])).inverse();
  const BabyBear gm = kG.pow(m);
  return (z.pow(m) - BabyBear4(gm)) * (BabyBear::from_u64(m) * gm).inverse() * sum;
}

// True when the layer (bit-reversed over the unshifted H_N, as FRI folds it) is the evaluation of
// a polynomial of degree < N / 2, i.e. a codeword at rate 1/2.
bool is_low_degree(std::span<const BabyBear4> layer) {
  const size_t n = layer.size();
  const uint32_t log_n = static_cast<uint32_t>(std::countr_zero(n));
  RowMajorMatrix<BabyBear> coeffs(4, n);
  for (size_t k = 0; k < n; ++k) {
    for (uint32_t c = 0; c < 4; ++c) coeffs.at(k, c) = layer[reverse_bits(k, log_n)].coeff(c);
  }
  ntt_inverse(coeffs);
  for (size_t k = n / 2; k < n; ++k) {
    for (uint32_t c = 0; c < 4; ++c) {
      if (!coeffs.at(k, c).is_zero()) return false;
    }
  }
  return true;
}

struct Cheat {
  BabyBear4 z, a, b;
  RowMajorMatrix<BabyBear> a_lde, b_lde;
  std::vector<BabyBear4> ro_a, ro_b;  // the reduced openings the prover will compute
};

// A: 2^log_n points (LDE 2^(log_n + 1)), B: 2^(log_n - 1) points (LDE 2^log_n), log blowup 1.
Cheat make_cheat(uint32_t log_n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  const size_t n = size_t{1} << log_n;
  const std::vector<BabyBear> x = lde_points(log_n + 1);
  Cheat c;
  c.z = BabyBear4(BabyBear::from_u32(5));
  c.a = BabyBear4(BabyBear::from_u32(7));
  EXPECT_FALSE((TwoAdicDomain{log_n + 1, kG}.contains(c.z)));

  // B: random rows; b is what the prover's interpolation of the first n/2 rows will claim.
  c.b_lde = RowMajorMatrix<BabyBear>(1, n);
  std::vector<BabyBear4> b_rows(n);
  for (size_t i = 0; i < n; ++i) b_rows[i] = BabyBear4(c.b_lde.at(i, 0) = random_felt(rng));
  c.b = interpolate(std::span(b_rows).first(n / 2), x, c.z);
  for (size_t i = 0; i < n; ++i)
    c.ro_b.push_back((b_rows[i] - c.b) * (BabyBear4(x[i]) - c.z).inverse());

  // RO_A = F + lambda M with lambda fixing the claimed value a: the interpolation of
  // a + (x - z) RO_A over the first n rows is a + c(F) + lambda c(M), c(h) = interp((x - z) h)(z).
  std::vector<BabyBear4> f(2 * n), m(2 * n);
  for (size_t j = 0; j < 2 * n; ++j) {
    f[j] = -c.ro_b[j / 2];
    m[j] = BabyBear4(x[j].pow(n - 1));
  }
  const auto c_of = [&](const std::vector<BabyBear4>& h) {
    std::vector<BabyBear4> v(n);
    for (size_t j = 0; j < n; ++j) v[j] = (BabyBear4(x[j]) - c.z) * h[j];
    return interpolate(v, x, c.z);
  };
  const BabyBear4 lambda = -c_of(f) * c_of(m).inverse();
  c.a_lde = RowMajorMatrix<BabyBear>(1, 2 * n);
  for (size_t j = 0; j < 2 * n; ++j) {
    c.ro_a.push_back(f[j] + lambda * m[j]);
    const BabyBear4 row = c.a + (BabyBear4(x[j]) - c.z) * c.ro_a.back();
    // z, a and every RO value are base-field elements, so the committed rows are too.
    EXPECT_TRUE(row.coeff(1).is_zero() && row.coeff(2).is_zero() && row.coeff(3).is_zero());
    c.a_lde.at(j, 0) = row.coeff(0);
  }
  return c;
}

// The premise, without the PCS: after one fold, coefficient 1 leaves a codeword (the attack
// works), beta^2 does not.
TEST(FriRollIn, CoefficientOneCancelsANonLowDegreeLowerOpening) {
  const uint32_t log_n = 4;
  const Cheat c = make_cheat(log_n, 1);
  const size_t n = size_t{1} << log_n;
  EXPECT_FALSE(is_low_degree(c.ro_a))
      << "the tall reduced opening must itself be far from the code";
  std::mt19937_64 rng(2);
  const std::vector<BabyBear> inv_x = fri_inverse_points_bitrev(n);
  for (int trial = 0; trial < 3; ++trial) {
    const BabyBear4 beta = random_ext(rng);
    std::vector<BabyBear4> folded(n);
    fri_fold_layer_cpu(c.ro_a, beta, inv_x, folded);
    std::vector<BabyBear4> with_one = folded, with_beta_sq = folded;
    for (size_t i = 0; i < n; ++i) {
      with_one[i] += c.ro_b[i];
      with_beta_sq[i] += beta.square() * c.ro_b[i];
    }
    EXPECT_TRUE(is_low_degree(with_one));
    EXPECT_FALSE(is_low_degree(with_beta_sq));
  }
}

// The honest PCS prover run on the cheating rows claims exactly a and b; the verifier rejects.
TEST(FriRollIn, CheatingProofOfTwoHeightsIsRejected) {
  for (uint64_t seed = 10; seed < 13; ++seed) {
    const uint32_t log_n = 4;
    Cheat c = make_cheat(log_n, seed);
    CpuBackend backend;
    const FriPcs pcs(FriConfig{1, 8, 1, 0}, backend);
    PcsCommittedData data;
    data.domains = {TwoAdicDomain::natural(log_n), TwoAdicDomain::natural(log_n - 1)};
    data.ldes.push_back(std::move(c.a_lde));
    data.ldes.push_back(std::move(c.b_lde));
    const std::vector<const RowMajorMatrix<BabyBear>*> ptrs = {&data.ldes[0], &data.ldes[1]};
    data.tree.emplace(backend.commit_matrices(ptrs));

    Challenger prover_ch;
    prover_ch.observe(data.root());
    PcsProof proof;
    const OpenedValues values =
        pcs.open({ProverOpeningRound{&data, {{c.z}, {c.z}}}}, prover_ch, proof);
    ASSERT_EQ(values[0][0][0][0], c.a);
    ASSERT_EQ(values[0][1][0][0], c.b);

    VerifierOpeningRound round;
    round.commitment = data.root();
    round.matrices = {{TwoAdicDomain::natural(log_n), 1, {c.z}, {{c.a}}},
                      {TwoAdicDomain::natural(log_n - 1), 1, {c.z}, {{c.b}}}};
    Challenger verifier_ch;
    verifier_ch.observe(data.root());
    const std::string message = fri_test::expect_error(
        ErrorKind::VerifyFailed, [&] { pcs.verify({round}, proof, verifier_ch); });
    EXPECT_NE(message.find("PCS verify"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace tessera
