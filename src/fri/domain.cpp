#include "fri/domain.hpp"

#include <bit>

#include "common/check.hpp"
#include "field/field_ops.hpp"

namespace tessera {

namespace {

void check_log_size(uint32_t log_size, const char* what) {
  TESSERA_CHECK(log_size <= BabyBear::kTwoAdicity, ErrorKind::InvalidArgument,
                what << ": domain of size 2^" << log_size << " exceeds the two-adicity 2^"
                     << BabyBear::kTwoAdicity);
}

// x^(2^k) by k squarings.
template <typename F>
F exp_power_of_two(F x, uint32_t k) {
  for (uint32_t i = 0; i < k; ++i) x = x.square();
  return x;
}

}  // namespace

TwoAdicDomain TwoAdicDomain::natural(uint32_t log_size) {
  check_log_size(log_size, "TwoAdicDomain::natural");
  return TwoAdicDomain{log_size, BabyBear::one()};
}

BabyBear TwoAdicDomain::generator() const {
  check_log_size(log_size, "TwoAdicDomain::generator");
  return BabyBear::two_adic_generator(log_size);
}

BabyBear TwoAdicDomain::point(size_t i) const {
  return shift * generator().pow(i);
}

std::vector<BabyBear> TwoAdicDomain::points() const {
  check_log_size(log_size, "TwoAdicDomain::points");
  return two_adic_coset(log_size, shift);
}

BabyBear4 TwoAdicDomain::next_point(BabyBear4 x) const {
  return x * generator();
}

TwoAdicDomain TwoAdicDomain::create_disjoint_domain(uint32_t new_log_size) const {
  check_log_size(new_log_size, "TwoAdicDomain::create_disjoint_domain");
  return TwoAdicDomain{new_log_size, shift * BabyBear::from_u32(BabyBear::kGenerator)};
}

std::vector<TwoAdicDomain> TwoAdicDomain::split_domains(size_t num_chunks) const {
  TESSERA_CHECK(std::has_single_bit(num_chunks) && num_chunks <= size(), ErrorKind::InvalidArgument,
                "split_domains: " << num_chunks << " chunks of a domain of size " << size()
                                  << " (need a power of two <= the size)");
  const uint32_t log_chunks = static_cast<uint32_t>(std::countr_zero(num_chunks));
  const BabyBear w = generator();
  std::vector<TwoAdicDomain> out;
  out.reserve(num_chunks);
  BabyBear s = shift;
  for (size_t i = 0; i < num_chunks; ++i, s *= w) out.push_back({log_size - log_chunks, s});
  return out;
}

BabyBear4 TwoAdicDomain::vanishing_at(BabyBear4 x) const {
  check_log_size(log_size, "TwoAdicDomain::vanishing_at");
  return exp_power_of_two(x * shift.inverse(), log_size) - BabyBear4::one();
}

BabyBear TwoAdicDomain::vanishing_at(BabyBear x) const {
  check_log_size(log_size, "TwoAdicDomain::vanishing_at");
  return exp_power_of_two(x * shift.inverse(), log_size) - BabyBear::one();
}

bool TwoAdicDomain::contains(BabyBear4 x) const {
  return vanishing_at(x).is_zero();
}

TwoAdicDomain::Selectors TwoAdicDomain::selectors_at_point(BabyBear4 x) const {
  const BabyBear4 u = x * shift.inverse();
  const BabyBear4 z = exp_power_of_two(u, log_size) - BabyBear4::one();
  TESSERA_CHECK(
      !z.is_zero(), ErrorKind::InvalidArgument,
      "selectors_at_point: the point lies in the domain (size 2^" << log_size << "), Z vanishes");
  const BabyBear w_inv = generator().inverse();
  // u - 1 and u - w^-1 are non-zero because Z(x) != 0 (u is not an n-th root of unity).
  const BabyBear4 u_minus_one = u - BabyBear::one();
  const BabyBear4 u_minus_last = u - w_inv;
  return Selectors{z * u_minus_one.inverse(), z * u_minus_last.inverse(), u_minus_last,
                   z.inverse()};
}

TwoAdicDomain::CosetSelectors TwoAdicDomain::selectors_on_coset(const TwoAdicDomain& coset) const {
  check_log_size(log_size, "selectors_on_coset");
  check_log_size(coset.log_size, "selectors_on_coset");
  TESSERA_CHECK(coset.log_size >= log_size, ErrorKind::InvalidArgument,
                "selectors_on_coset: coset of size 2^"
                    << coset.log_size << " is smaller than the domain, 2^" << log_size);
  const size_t m = coset.size();
  const uint32_t rate_bits = coset.log_size - log_size;
  // On the coset x_j = c * v^j (v of order m), u_j = x_j / s and
  //   Z(x_j) = (c/s)^n * v^(jn) - 1,
  // where v^n has order m / n = 2^rate_bits: only 2^rate_bits distinct values, cycling in j.
  const BabyBear s_inv = shift.inverse();
  const BabyBear ratio_pow_n = exp_power_of_two(coset.shift * s_inv, log_size);
  std::vector<BabyBear> z_cycle =
      shifted_powers(BabyBear::two_adic_generator(rate_bits), ratio_pow_n, size_t{1} << rate_bits);
  for (BabyBear& z : z_cycle) {
    z -= BabyBear::one();
    TESSERA_CHECK(!z.is_zero(), ErrorKind::InvalidArgument,
                  "selectors_on_coset: the coset meets the domain (Z vanishes on it)");
  }
  const std::vector<BabyBear> z_cycle_inv = batch_inverse(z_cycle);

  // u_j = (c / s) * v^j.
  const std::vector<BabyBear> us =
      shifted_powers(BabyBear::two_adic_generator(coset.log_size), coset.shift * s_inv, m);
  const BabyBear w_inv = generator().inverse();
  const size_t cycle_mask = z_cycle.size() - 1;

  CosetSelectors out;
  out.is_first_row.resize(m);
  out.is_last_row.resize(m);
  out.is_transition.resize(m);
  out.inv_vanishing.resize(m);
#pragma omp parallel for schedule(static) if (m >= (size_t{1} << 14))
  for (size_t j = 0; j < m; ++j) {
    out.is_first_row[j] = us[j] - BabyBear::one();
    out.is_transition[j] = us[j] - w_inv;
    out.inv_vanishing[j] = z_cycle_inv[j & cycle_mask];
  }
  // The point selectors Z / (u - 1) and Z / (u - w^-1): the denominators are non-zero since the
  // coset is disjoint from the domain (checked above through Z != 0).
  batch_inverse(std::span<const BabyBear>(out.is_first_row), std::span<BabyBear>(out.is_first_row));
  out.is_last_row = batch_inverse(out.is_transition);
#pragma omp parallel for schedule(static) if (m >= (size_t{1} << 14))
  for (size_t j = 0; j < m; ++j) {
    out.is_first_row[j] *= z_cycle[j & cycle_mask];
    out.is_last_row[j] *= z_cycle[j & cycle_mask];
  }
  return out;
}

}  // namespace tessera
