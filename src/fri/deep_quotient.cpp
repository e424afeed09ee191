#include "fri/deep_quotient.hpp"

#include <algorithm>
#include <array>

#include "common/check.hpp"
#include "field/field_ops.hpp"
#include "poly/bit_reverse.hpp"

namespace tessera {

namespace {

constexpr uint64_t kP = BabyBear::kModulus;
constexpr size_t kParallelRows = size_t{1} << 12;

// Exact integer accumulation of products of Montgomery words. For words a = a'R, b = b'R (mod p,
// R = 2^32), the integer S = sum a*b is congruent to sum a'b' R^2, so the Montgomery word of
// sum a'b' is S R^-1 mod p. Each product is < 2^62; it is split into its low and high 32-bit
// halves, summed separately in 64 bits (no overflow for fewer than 2^30 terms), and reduced once
// at the end: S R^-1 = lo R^-1 + hi (mod p), one Montgomery reduction of lo (< p 2^32) and one
// reduction of hi mod p. Integer sums are associative, so any split of the terms over threads
// gives the same result.
struct LazySum {
  uint64_t lo = 0, hi = 0;
  BabyBear finish() const {
    // Montgomery reduction of lo: lo * 2^-32 mod p, with mu = -p^-1 mod 2^32.
    constexpr uint32_t kMu = 0x77ffffffu;
    static_assert(static_cast<uint32_t>(kMu * BabyBear::kModulus) == 0xffffffffu);
    const uint32_t m = static_cast<uint32_t>(lo) * kMu;
    uint64_t t = (lo + uint64_t{m} * kP) >> 32;  // lo + m p < 2^62 + 2^63
    if (t >= kP) t -= kP;
    return BabyBear::from_raw(static_cast<uint32_t>(t)) +
           BabyBear::from_raw(static_cast<uint32_t>(hi % kP));
  }
};

// The Montgomery words of the coefficients of ext values, coefficient-major.
std::array<std::vector<uint32_t>, 4> coefficient_words(std::span<const BabyBear4> v) {
  std::array<std::vector<uint32_t>, 4> out;
  for (uint32_t k = 0; k < 4; ++k) {
    out[k].resize(v.size());
    for (size_t c = 0; c < v.size(); ++c) out[k][c] = v[c].coeff(k).raw();
  }
  return out;
}

// The two inner loops of the lazy accumulation, compiled for AVX-512, AVX2 and the baseline and
// chosen at load time (GCC target_clones): the 32 x 32 -> 64-bit products vectorise 8, 4 or 2
// at a time. Integer results, identical on every path.
#define TESSERA_FRI_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))

// (lo, hi) += halves of sum_c a[c] * row[c].
TESSERA_FRI_CLONES void lazy_dot(const uint32_t* a, const BabyBear* row, size_t w, uint64_t& lo_out,
                                 uint64_t& hi_out) {
  uint64_t lo = 0, hi = 0;
  for (size_t c = 0; c < w; ++c) {
    const uint64_t prod = uint64_t{a[c]} * row[c].raw();
    lo += prod & 0xffffffffu;
    hi += prod >> 32;
  }
  lo_out += lo;
  hi_out += hi;
}

// (lo[c], hi[c]) += halves of k * row[c] for every c.
TESSERA_FRI_CLONES void lazy_axpy(uint64_t* lo, uint64_t* hi, uint64_t k, const BabyBear* row,
                                  size_t w) {
  for (size_t c = 0; c < w; ++c) {
    const uint64_t prod = k * row[c].raw();
    lo[c] += prod & 0xffffffffu;
    hi[c] += prod >> 32;
  }
}

// sum_c (A_0[c], .., A_3[c]) * row[c], A given coefficient-major as Montgomery words.
BabyBear4 dot_row(const std::array<std::vector<uint32_t>, 4>& a, const BabyBear* row, size_t w) {
  BabyBear4 out;
  for (uint32_t k = 0; k < 4; ++k) {
    LazySum sum;
    lazy_dot(a[k].data(), row, w, sum.lo, sum.hi);
    out.coeff(k) = sum.finish();
  }
  return out;
}

}  // namespace

std::vector<BabyBear> lde_points_bitrev(uint32_t log_n) {
  const std::vector<BabyBear> natural =
      two_adic_coset(log_n, BabyBear::from_u32(BabyBear::kGenerator));
  const size_t n = natural.size();
  std::vector<BabyBear> out(n);
#pragma omp parallel for schedule(static) if (n >= kParallelRows)
  for (size_t i = 0; i < n; ++i) out[i] = natural[reverse_bits(i, log_n)];
  return out;
}

void lde_inverse_denominators(std::span<const BabyBear> points_bitrev, BabyBear4 z,
                              std::span<BabyBear4> out) {
  const size_t n = out.size();
  TESSERA_CHECK(points_bitrev.size() >= n, ErrorKind::InvalidArgument,
                "lde_inverse_denominators: " << points_bitrev.size() << " points for " << n
                                             << " denominators");
#pragma omp parallel for schedule(static) if (n >= kParallelRows)
  for (size_t i = 0; i < n; ++i) out[i] = BabyBear4(points_bitrev[i]) - z;
  bool has_zero = false;
  for (size_t i = 0; i < n && !has_zero; ++i) has_zero = out[i].is_zero();
  TESSERA_CHECK(!has_zero, ErrorKind::InvalidArgument,
                "DEEP quotient: the opening point lies on the LDE coset 31*H of size "
                    << n << ", where (p(x) - p(z)) / (x - z) is undefined");
  batch_inverse(std::span<const BabyBear4>(out), out);
}

std::vector<BabyBear4> interpolate_on_lde_coset(const RowMajorMatrix<BabyBear>& lde, uint32_t log_n,
                                                BabyBear4 z,
                                                std::span<const BabyBear> points_bitrev,
                                                std::span<const BabyBear4> inv_denoms) {
  const size_t n = size_t{1} << log_n;
  const size_t w = lde.width();
  TESSERA_CHECK(lde.height() >= n && points_bitrev.size() >= n && inv_denoms.size() >= n,
                ErrorKind::InvalidArgument,
                "interpolate_on_lde_coset: " << n << " rows requested from an LDE of "
                                             << lde.height() << " rows");
  // Barycentric weights: c_i = x_i / (z - x_i) = -x_i * inv_denoms[i]; the sign and the scale
  // (z^n - g^n) / (n g^n) are applied once at the end.
  const size_t chunk = std::max<size_t>(kParallelRows / 4, 1);
  const size_t num_chunks = (n + chunk - 1) / chunk;
  // Per coefficient k and column, the low and high halves of the product sums (see LazySum),
  // in separate arrays so that the column loop vectorises.
  std::vector<uint64_t> total_lo(4 * w, 0), total_hi(4 * w, 0);
#pragma omp parallel if (n >= kParallelRows)
  {
    std::vector<uint64_t> lo_sum(4 * w, 0), hi_sum(4 * w, 0);
#pragma omp for schedule(static)
    for (size_t ch = 0; ch < num_chunks; ++ch) {
      const size_t first = ch * chunk, last = std::min(n, first + chunk);
      for (size_t i = first; i < last; ++i) {
        const BabyBear4 c = inv_denoms[i] * points_bitrev[i];
        const BabyBear* row = lde.data() + i * w;
        for (uint32_t k = 0; k < 4; ++k) {
          lazy_axpy(lo_sum.data() + k * w, hi_sum.data() + k * w, c.coeff(k).raw(), row, w);
        }
      }
    }
#pragma omp critical(fri_interpolate_merge)
    for (size_t j = 0; j < 4 * w; ++j) {
      total_lo[j] += lo_sum[j];
      total_hi[j] += hi_sum[j];
    }
  }
  const BabyBear g = BabyBear::from_u32(BabyBear::kGenerator);
  const BabyBear g_pow_n = g.pow(n);
  BabyBear4 z_pow_n = z;
  for (uint32_t i = 0; i < log_n; ++i) z_pow_n = z_pow_n.square();
  // -(z^n - g^n) / (n g^n): the minus sign turns inv_denoms = 1/(x - z) into 1/(z - x).
  const BabyBear4 scale = -(z_pow_n - g_pow_n) * (BabyBear::from_u64(n) * g_pow_n).inverse();
  std::vector<BabyBear4> out(w);
  for (size_t col = 0; col < w; ++col) {
    BabyBear4 sum;
    for (uint32_t k = 0; k < 4; ++k) {
      sum.coeff(k) = LazySum{total_lo[k * w + col], total_hi[k * w + col]}.finish();
    }
    out[col] = sum * scale;
  }
  return out;
}

BabyBear4 dot_ext_powers(std::span<const BabyBear4> alpha_powers,
                         std::span<const BabyBear> values) {
  TESSERA_CHECK(
      alpha_powers.size() == values.size(), ErrorKind::InvalidArgument,
      "dot_ext_powers: " << alpha_powers.size() << " powers for " << values.size() << " values");
  return dot_row(coefficient_words(alpha_powers), values.data(), values.size());
}

void reduce_openings_cpu(const RowMajorMatrix<BabyBear>& lde,
                         std::span<const BabyBear4> alpha_powers,
                         std::span<const ReducedOpeningPoint> points, std::span<BabyBear4> acc) {
  const size_t n = lde.height(), w = lde.width();
  TESSERA_CHECK(
      acc.size() == n, ErrorKind::InvalidArgument,
      "reduce_openings: accumulator of " << acc.size() << " for an LDE of " << n << " rows");
  TESSERA_CHECK(alpha_powers.size() == w, ErrorKind::InvalidArgument,
                "reduce_openings: " << alpha_powers.size() << " alpha powers for width " << w);
  for (const ReducedOpeningPoint& p : points) {
    TESSERA_CHECK(
        p.inv_denoms.size() >= n, ErrorKind::InvalidArgument,
        "reduce_openings: " << p.inv_denoms.size() << " inverse denominators for " << n << " rows");
  }
  if (points.empty()) return;
  const auto words = coefficient_words(alpha_powers);
#pragma omp parallel for schedule(static) if (n >= kParallelRows / 8)
  for (size_t i = 0; i < n; ++i) {
    const BabyBear4 row_value = dot_row(words, lde.data() + i * w, w);
    BabyBear4 sum = acc[i];
    for (const ReducedOpeningPoint& p : points) {
      const BabyBear4 quotient = (row_value - p.reduced_value) * p.inv_denoms[i];
      sum += p.coeff == BabyBear4::one() ? quotient : p.coeff * quotient;
    }
    acc[i] = sum;
  }
}

}  // namespace tessera
