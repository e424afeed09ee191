#include "fri/fri_fold.hpp"

#include <bit>

#include "common/check.hpp"
#include "field/field_ops.hpp"
#include "poly/bit_reverse.hpp"

namespace tessera {

namespace {
// One half in Montgomery-independent terms: (p + 1) / 2.
constexpr BabyBear kHalf = BabyBear::from_u32((BabyBear::kModulus + 1) / 2);
static_assert(kHalf + kHalf == BabyBear::one());
}  // namespace

std::vector<BabyBear> fri_inverse_points_bitrev(size_t m) {
  TESSERA_CHECK(std::has_single_bit(m) && m <= (size_t{1} << (BabyBear::kTwoAdicity - 1)),
                ErrorKind::InvalidArgument,
                "fri_inverse_points_bitrev: " << m << " is not a power of two <= 2^26");
  const uint32_t log_m = static_cast<uint32_t>(std::countr_zero(m));
  // w_2m^-k in natural order, then permuted to bit-reversed order.
  const std::vector<BabyBear> natural = powers(two_adic_generator_inverse(log_m + 1), m);
  std::vector<BabyBear> out(m);
#pragma omp parallel for schedule(static) if (m >= (size_t{1} << 14))
  for (size_t i = 0; i < m; ++i) out[i] = natural[reverse_bits(i, log_m)];
  return out;
}

void fri_fold_layer_cpu(std::span<const BabyBear4> in, BabyBear4 beta,
                        std::span<const BabyBear> inv_x, std::span<BabyBear4> out) {
  const size_t m = out.size();
  TESSERA_CHECK(m >= 1 && in.size() == 2 * m, ErrorKind::InvalidArgument,
                "fri_fold_layer: " << in.size() << " values cannot fold into " << m);
  TESSERA_CHECK(inv_x.size() >= m, ErrorKind::InvalidArgument,
                "fri_fold_layer: inverse-point table of " << inv_x.size() << " < " << m);
  const BabyBear4 half_beta = beta * kHalf;
#pragma omp parallel for schedule(static) if (m >= (size_t{1} << 12))
  for (size_t i = 0; i < m; ++i) {
    const BabyBear4 e0 = in[2 * i], e1 = in[2 * i + 1];
    // (e0 + e1)/2 + beta/2 * x^-1 (e0 - e1)
    out[i] = (e0 + e1) * kHalf + half_beta * ((e0 - e1) * inv_x[i]);
  }
}

BabyBear4 fri_fold_pair(size_t pair_index, uint32_t log_folded_height, BabyBear4 beta, BabyBear4 e0,
                        BabyBear4 e1) {
  TESSERA_CHECK(log_folded_height < BabyBear::kTwoAdicity, ErrorKind::InvalidArgument,
                "fri_fold_pair: folded height 2^" << log_folded_height << " too large");
  const BabyBear inv_x = two_adic_generator_inverse(log_folded_height + 1)
                             .pow(reverse_bits(pair_index, log_folded_height));
  return (e0 + e1) * kHalf + beta * kHalf * ((e0 - e1) * inv_x);
}

}  // namespace tessera
