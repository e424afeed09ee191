#pragma once
// Two-adic multiplicative cosets D = shift * H, H = <w> the subgroup of order n = 2^log_size of
// BabyBear^* (w = BabyBear::two_adic_generator(log_size)). Plonky3's TwoAdicMultiplicativeCoset.
//
// A trace of n rows lives on the natural domain H (shift 1): row i is the value at w^i, the next
// row at w^(i+1), so "next row" is multiplication by w. Its vanishing polynomial is
//   Z_D(x) = (x / shift)^n - 1,
// zero exactly on D. The Lagrange selectors below are Plonky3's UNNORMALISED ones (no 1/n factor):
// with u = x / shift,
//   is_first_row(x)  = Z_D(x) / (u - 1)        (non-zero at the first point only, value n)
//   is_last_row(x)   = Z_D(x) / (u - w^-1)     (non-zero at the last point only, value n * w^-1)
//   is_transition(x) = u - w^-1                 (zero at the last point only)
//   inv_vanishing(x) = 1 / Z_D(x)
// A constraint C that holds on D is divisible by Z_D; the quotient is C * inv_vanishing.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "field/babybear.hpp"
#include "field/extension.hpp"

namespace tessera {

struct TwoAdicDomain {
  uint32_t log_size = 0;
  BabyBear shift = BabyBear::one();

  // The subgroup H of order 2^log_size (shift 1). InvalidArgument if log_size > 27.
  static TwoAdicDomain natural(uint32_t log_size);

  size_t size() const { return size_t{1} << log_size; }
  // w, the generator of H (InvalidArgument when log_size > 27, for every method below).
  BabyBear generator() const;
  BabyBear first_point() const { return shift; }
  // shift * w^i.
  BabyBear point(size_t i) const;
  // Every point, natural order (shift * w^i at index i).
  std::vector<BabyBear> points() const;
  // x * w: the point of the next row.
  BabyBear4 next_point(BabyBear4 x) const;

  // The coset (shift * 31) * H' with |H'| = 2^log_size. It is disjoint from this domain: a common
  // point would give 31 = w^a / w'^b, an element of a two-adic subgroup, whereas 31 generates
  // F_p^* (order p - 1, not a power of two). Used for the quotient domain of a trace.
  TwoAdicDomain create_disjoint_domain(uint32_t log_size) const;
  // Plonky3 split_domains: num_chunks (a power of two <= size) cosets of size n / num_chunks,
  // chunk i = (shift * w^i) * H^(num_chunks), i.e. the points shift * w^(i + num_chunks * j).
  // Their union is this domain. InvalidArgument otherwise.
  std::vector<TwoAdicDomain> split_domains(size_t num_chunks) const;

  // Z_D(x) = (x / shift)^n - 1.
  BabyBear4 vanishing_at(BabyBear4 x) const;
  BabyBear vanishing_at(BabyBear x) const;

  struct Selectors {
    BabyBear4 is_first_row, is_last_row, is_transition, inv_vanishing;
  };
  // The selectors at an out-of-domain point (InvalidArgument if x lies in this domain, where
  // Z_D(x) = 0 has no inverse).
  Selectors selectors_at_point(BabyBear4 x) const;

  // The same four selectors at every point of `coset` (natural order), base field. `coset` must
  // be disjoint from this domain (no point where Z_D vanishes) and at least as large:
  // InvalidArgument otherwise. Z_D takes only |coset| / n distinct values on the coset (x^n
  // cycles through (coset.shift / shift)^n * H^(|coset|/n)), so inv_vanishing costs one small
  // batch inversion; the two point selectors cost one batch inversion of |coset| values each.
  struct CosetSelectors {
    std::vector<BabyBear> is_first_row, is_last_row, is_transition, inv_vanishing;
  };
  CosetSelectors selectors_on_coset(const TwoAdicDomain& coset) const;

  // True when x is a point of this domain.
  bool contains(BabyBear4 x) const;

  friend bool operator==(const TwoAdicDomain&, const TwoAdicDomain&) = default;
};

}  // namespace tessera
