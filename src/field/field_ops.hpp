#pragma once
// Host-side helpers over a field F (BabyBear or BabyBear4): batch inversion, geometric
// sequences, and tables of two-adic roots of unity.
//
// Zero and inversion. BabyBear::inverse() maps 0 to 0 (a convention, since 0 has no inverse).
// batch_inverse() instead REJECTS zero with ErrorKind::InvalidArgument naming the first zero's
// index, because a zero in a batch of denominators is almost always a bug (a vanishing
// denominator in a quotient, a challenge that hit the domain) and must not silently become 0.
// batch_inverse_or_zero() is the explicit opt-in to the 0 -> 0 convention of inverse().
//
// All results are exact field values, so the chunked parallel versions below are bit-identical
// for any number of OpenMP threads.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/check.hpp"
#include "field/babybear.hpp"

namespace tessera {

namespace field_detail {
// Work below this many elements runs on the calling thread (threading costs more than it saves).
inline constexpr size_t kParallelThreshold = size_t{1} << 14;
inline constexpr size_t kChunk = size_t{1} << 12;

// Montgomery's trick on one chunk, in place: with prefix products q_i = a_0 ... a_i, a single
// inversion q_{n-1}^-1 yields every a_i^-1 = q_{i-1} * (q_i)^-1, walking back with
// (q_{i-1})^-1 = (q_i)^-1 * a_i. Cost: 3(n-1) multiplications and one inversion.
// Zeros are skipped (treated as 1 in the products) and left as 0; returns false if any was seen.
template <typename F>
bool batch_inverse_chunk(const F* in, F* out, size_t n) {
  if (n == 0) return true;
  bool had_zero = false;
  F acc = F::one();
  for (size_t i = 0; i < n; ++i) {
    out[i] = acc;  // q_{i-1} (product of the non-zero a_0 .. a_{i-1})
    if (in[i].is_zero()) {
      had_zero = true;
    } else {
      acc *= in[i];
    }
  }
  F inv = acc.inverse();  // (q_{n-1})^-1, non-zero because zeros were skipped
  for (size_t i = n; i-- > 0;) {
    if (in[i].is_zero()) {
      out[i] = F::zero();
    } else {
      const F a = in[i];
      out[i] = out[i] * inv;  // q_{i-1} * q_i^-1 = a_i^-1
      inv *= a;               // q_{i-1}^-1
    }
  }
  return !had_zero;
}

// Runs batch_inverse_chunk over fixed-size chunks (in parallel for large inputs); returns
// whether no zero was seen. `out` may alias `in` exactly (in-place) but must not partially
// overlap it.
template <typename F>
bool batch_inverse_impl(std::span<const F> in, std::span<F> out) {
  TESSERA_CHECK(in.size() == out.size(), ErrorKind::InvalidArgument,
                "batch_inverse: input has " << in.size() << " values but output " << out.size());
  const size_t n = in.size();
  if (n < kParallelThreshold) {
    if (in.data() == out.data()) {
      std::vector<F> copy(in.begin(), in.end());
      return batch_inverse_chunk(copy.data(), out.data(), n);
    }
    return batch_inverse_chunk(in.data(), out.data(), n);
  }
  const size_t chunks = (n + kChunk - 1) / kChunk;
  bool ok = true;
#pragma omp parallel for schedule(static) reduction(&& : ok)
  for (size_t c = 0; c < chunks; ++c) {
    const size_t lo = c * kChunk, len = std::min(kChunk, n - lo);
    F local[kChunk];
    std::copy_n(in.data() + lo, len, local);  // lets out alias in
    ok = batch_inverse_chunk(local, out.data() + lo, len) && ok;
  }
  return ok;
}
}  // namespace field_detail

// out[i] = in[i]^-1. Throws ErrorKind::InvalidArgument (and names the index) if any in[i] == 0;
// `out` is then unspecified. in and out may be the same span.
template <typename F>
void batch_inverse(std::span<const F> in, std::span<F> out) {
  if (!field_detail::batch_inverse_impl(in, out)) {
    const auto it = std::find_if(in.begin(), in.end(), [](const F& x) { return x.is_zero(); });
    TESSERA_FAIL(ErrorKind::InvalidArgument, "batch_inverse: element "
                                                 << (it - in.begin()) << " of " << in.size()
                                                 << " is zero and has no inverse");
  }
}
template <typename F>
std::vector<F> batch_inverse(std::span<const F> in) {
  std::vector<F> out(in.size());
  batch_inverse(in, std::span<F>(out));
  return out;
}
template <typename F>
std::vector<F> batch_inverse(const std::vector<F>& in) {
  return batch_inverse(std::span<const F>(in));
}

// out[i] = in[i]^-1 for in[i] != 0 and 0 for in[i] == 0 (the convention of F::inverse()).
template <typename F>
void batch_inverse_or_zero(std::span<const F> in, std::span<F> out) {
  field_detail::batch_inverse_impl(in, out);
}
template <typename F>
std::vector<F> batch_inverse_or_zero(const std::vector<F>& in) {
  std::vector<F> out(in.size());
  batch_inverse_or_zero(std::span<const F>(in), std::span<F>(out));
  return out;
}

// start * base^i for i in [0, out.size()): a geometric sequence (e.g. the points g * w^i of a
// coset, or the factors shift^i of a coset LDE). Large outputs are filled in parallel: chunk c
// starts at start * base^(c * chunk) (one pow per chunk) and continues by multiplication.
template <typename F>
void shifted_powers(F base, F start, std::span<F> out) {
  const size_t n = out.size();
  if (n < field_detail::kParallelThreshold) {
    F x = start;
    for (size_t i = 0; i < n; ++i, x *= base) out[i] = x;
    return;
  }
  const size_t chunks = (n + field_detail::kChunk - 1) / field_detail::kChunk;
#pragma omp parallel for schedule(static)
  for (size_t c = 0; c < chunks; ++c) {
    const size_t lo = c * field_detail::kChunk;
    const size_t hi = std::min(n, lo + field_detail::kChunk);
    F x = start * base.pow(lo);
    for (size_t i = lo; i < hi; ++i, x *= base) out[i] = x;
  }
}
template <typename F>
std::vector<F> shifted_powers(F base, F start, size_t n) {
  std::vector<F> out(n);
  shifted_powers(base, start, std::span<F>(out));
  return out;
}
// base^i for i in [0, n).
template <typename F>
std::vector<F> powers(F base, size_t n) {
  return shifted_powers(base, F::one(), n);
}

// w^-1 for w = two_adic_generator(bits): w has order 2^bits, so w^-1 = w^(2^bits - 1).
inline BabyBear two_adic_generator_inverse(uint32_t bits) {
  TESSERA_CHECK(bits <= BabyBear::kTwoAdicity, ErrorKind::InvalidArgument,
                "two-adic subgroup of order 2^" << bits << " does not exist (two-adicity is "
                                                << BabyBear::kTwoAdicity << ")");
  return BabyBear::two_adic_generator(bits).inverse();
}
// The subgroup H = <w> of order 2^log_n in natural order: w^0, w^1, ..., w^(2^log_n - 1), with
// w = two_adic_generator(log_n). InvalidArgument if log_n > 27.
inline std::vector<BabyBear> two_adic_subgroup(uint32_t log_n) {
  TESSERA_CHECK(log_n <= BabyBear::kTwoAdicity, ErrorKind::InvalidArgument,
                "two-adic subgroup of order 2^" << log_n << " does not exist (two-adicity is "
                                                << BabyBear::kTwoAdicity << ")");
  return powers(BabyBear::two_adic_generator(log_n), size_t{1} << log_n);
}
// The coset shift * H of the subgroup of order 2^log_n, natural order.
inline std::vector<BabyBear> two_adic_coset(uint32_t log_n, BabyBear shift) {
  TESSERA_CHECK(log_n <= BabyBear::kTwoAdicity, ErrorKind::InvalidArgument,
                "two-adic subgroup of order 2^" << log_n << " does not exist (two-adicity is "
                                                << BabyBear::kTwoAdicity << ")");
  return shifted_powers(BabyBear::two_adic_generator(log_n), shift, size_t{1} << log_n);
}

}  // namespace tessera
