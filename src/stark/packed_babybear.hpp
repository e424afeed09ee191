#pragma once
// PackedBabyBear: 8 BabyBear values (8 points of the quotient domain) processed together with
// AVX2, for the CPU constraint fold (machine.hpp, AirTable::fold_on_domain). Each operation is the
// scalar one (field/babybear.hpp) applied lane-wise on the same canonical Montgomery words, so the
// packed fold is bit-identical to the scalar fold.
//
// Compilation model: the library is built for generic x86-64, so every packed operation carries
// [[gnu::target("avx2")]]; they are inlined only into the avx2-targeted, flattened fold loop, which
// runs after a run-time check (cpu_supports_avx2()). Values live in a plain 32-byte array (no
// __m256i in signatures, so non-AVX2 code never passes vector registers), and GCC keeps them in
// registers once everything is inlined.
//
// Montgomery product of canonical words a, b < p (R = 2^32, mu = -p^-1 mod 2^32):
//   x = a b;  m = (x mod 2^32) mu mod 2^32;  t = (x + m p) / 2^32 < 2p;  result = t - p if t >= p.
// AVX2 has only 32x32->64 products on the even lanes (vpmuludq), so the odd lanes are shifted
// down, multiplied separately, and the two high halves are blended back together.

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__CUDACC__)
#define TESSERA_HAVE_PACKED_FOLD 1
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "field/babybear.hpp"
#include "field/extension.hpp"

#define TESSERA_AVX2_INLINE [[gnu::target("avx2")]] inline

namespace tessera {

bool cpu_supports_avx2_fold();

class PackedBabyBear {
 public:
  static constexpr size_t kLanes = 8;
  static constexpr uint32_t kP = BabyBear::kModulus;
  static constexpr uint32_t kMu = 0x77ffffffu;  // -p^-1 mod 2^32

  PackedBabyBear() = default;
  // Broadcast (constants in AIR code convert implicitly, like every Expr).
  TESSERA_AVX2_INLINE PackedBabyBear(BabyBear x) {  // NOLINT(google-explicit-constructor)
    store(_mm256_set1_epi32(static_cast<int>(x.raw())));
  }
  // Lanes from 8 consecutive values.
  TESSERA_AVX2_INLINE static PackedBabyBear load(const BabyBear* p) {
    PackedBabyBear r;
    r.store(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
    return r;
  }
  // Lanes p[0], p[stride], ..., p[7 stride] (a column of a row-major matrix).
  TESSERA_AVX2_INLINE static PackedBabyBear gather(const BabyBear* p, size_t stride) {
    PackedBabyBear r;
    for (size_t l = 0; l < kLanes; ++l) r.w_[l] = p[l * stride].raw();
    return r;
  }
  BabyBear lane(size_t l) const { return BabyBear::from_raw(w_[l]); }

  TESSERA_AVX2_INLINE friend PackedBabyBear operator+(const PackedBabyBear& a,
                                                      const PackedBabyBear& b) {
    const __m256i s = _mm256_add_epi32(a.get(), b.get());  // < 2p < 2^32
    return from(_mm256_min_epu32(s, _mm256_sub_epi32(s, _mm256_set1_epi32(kP))));
  }
  TESSERA_AVX2_INLINE friend PackedBabyBear operator-(const PackedBabyBear& a,
                                                      const PackedBabyBear& b) {
    const __m256i d = _mm256_sub_epi32(a.get(), b.get());  // wraps when a < b
    return from(_mm256_min_epu32(d, _mm256_add_epi32(d, _mm256_set1_epi32(kP))));
  }
  TESSERA_AVX2_INLINE PackedBabyBear operator-() const {
    return PackedBabyBear(BabyBear::zero()) - *this;
  }
  TESSERA_AVX2_INLINE friend PackedBabyBear operator*(const PackedBabyBear& a,
                                                      const PackedBabyBear& b) {
    const __m256i p = _mm256_set1_epi32(kP), mu = _mm256_set1_epi32(static_cast<int>(kMu));
    const __m256i x = a.get(), y = b.get();
    const __m256i prod_e = _mm256_mul_epu32(x, y);
    const __m256i prod_o = _mm256_mul_epu32(_mm256_srli_epi64(x, 32), _mm256_srli_epi64(y, 32));
    const __m256i m_e = _mm256_mul_epu32(prod_e, mu);
    const __m256i m_o = _mm256_mul_epu32(prod_o, mu);
    const __m256i t_e = _mm256_add_epi64(prod_e, _mm256_mul_epu32(m_e, p));
    const __m256i t_o = _mm256_add_epi64(prod_o, _mm256_mul_epu32(m_o, p));
    // High halves: t_e's move down into the even lanes, t_o's already sit in the odd lanes.
    const __m256i t = _mm256_blend_epi32(_mm256_srli_epi64(t_e, 32), t_o, 0b10101010);
    return from(_mm256_min_epu32(t, _mm256_sub_epi32(t, p)));
  }
  TESSERA_AVX2_INLINE PackedBabyBear& operator+=(const PackedBabyBear& o) {
    return *this = *this + o;
  }
  TESSERA_AVX2_INLINE PackedBabyBear& operator-=(const PackedBabyBear& o) {
    return *this = *this - o;
  }
  TESSERA_AVX2_INLINE PackedBabyBear& operator*=(const PackedBabyBear& o) {
    return *this = *this * o;
  }

 private:
  TESSERA_AVX2_INLINE __m256i get() const {
    return _mm256_load_si256(reinterpret_cast<const __m256i*>(w_));
  }
  TESSERA_AVX2_INLINE void store(__m256i v) {
    _mm256_store_si256(reinterpret_cast<__m256i*>(w_), v);
  }
  TESSERA_AVX2_INLINE static PackedBabyBear from(__m256i v) {
    PackedBabyBear r;
    r.store(v);
    return r;
  }
  alignas(32) uint32_t w_[kLanes];
};

// BabyBear4 with packed coefficients: 8 extension elements.
class PackedBabyBear4 {
 public:
  PackedBabyBear4() = default;
  TESSERA_AVX2_INLINE explicit PackedBabyBear4(const PackedBabyBear& c0)
      : c_{c0, BabyBear::zero(), BabyBear::zero(), BabyBear::zero()} {}
  TESSERA_AVX2_INLINE explicit PackedBabyBear4(BabyBear c0) : PackedBabyBear4(PackedBabyBear(c0)) {}
  TESSERA_AVX2_INLINE explicit PackedBabyBear4(const BabyBear4& v)
      : c_{v.coeff(0), v.coeff(1), v.coeff(2), v.coeff(3)} {}
  TESSERA_AVX2_INLINE PackedBabyBear4(const PackedBabyBear& c0, const PackedBabyBear& c1,
                                      const PackedBabyBear& c2, const PackedBabyBear& c3)
      : c_{c0, c1, c2, c3} {}

  const PackedBabyBear& coeff(size_t i) const { return c_[i]; }
  // Lane l as a BabyBear4.
  BabyBear4 lane(size_t l) const {
    return {c_[0].lane(l), c_[1].lane(l), c_[2].lane(l), c_[3].lane(l)};
  }

  TESSERA_AVX2_INLINE friend PackedBabyBear4 operator+(const PackedBabyBear4& a,
                                                       const PackedBabyBear4& b) {
    return {a.c_[0] + b.c_[0], a.c_[1] + b.c_[1], a.c_[2] + b.c_[2], a.c_[3] + b.c_[3]};
  }
  TESSERA_AVX2_INLINE friend PackedBabyBear4 operator-(const PackedBabyBear4& a,
                                                       const PackedBabyBear4& b) {
    return {a.c_[0] - b.c_[0], a.c_[1] - b.c_[1], a.c_[2] - b.c_[2], a.c_[3] - b.c_[3]};
  }
  TESSERA_AVX2_INLINE PackedBabyBear4 operator-() const { return {-c_[0], -c_[1], -c_[2], -c_[3]}; }
  // Schoolbook product reducing X^(4+k) = 11 X^k, as BabyBear4::operator*.
  TESSERA_AVX2_INLINE friend PackedBabyBear4 operator*(const PackedBabyBear4& a,
                                                       const PackedBabyBear4& b) {
    const PackedBabyBear w(BabyBear::from_u32(BabyBear4::kW));
    const auto& x = a.c_;
    const auto& y = b.c_;
    return {x[0] * y[0] + w * (x[1] * y[3] + x[2] * y[2] + x[3] * y[1]),
            x[0] * y[1] + x[1] * y[0] + w * (x[2] * y[3] + x[3] * y[2]),
            x[0] * y[2] + x[1] * y[1] + x[2] * y[0] + w * (x[3] * y[3]),
            x[0] * y[3] + x[1] * y[2] + x[2] * y[1] + x[3] * y[0]};
  }
  TESSERA_AVX2_INLINE friend PackedBabyBear4 operator*(const PackedBabyBear4& a,
                                                       const PackedBabyBear& s) {
    return {a.c_[0] * s, a.c_[1] * s, a.c_[2] * s, a.c_[3] * s};
  }
  TESSERA_AVX2_INLINE friend PackedBabyBear4 operator*(const BabyBear4& a,
                                                       const PackedBabyBear4& b) {
    return PackedBabyBear4(a) * b;
  }
  TESSERA_AVX2_INLINE PackedBabyBear4& operator+=(const PackedBabyBear4& o) {
    return *this = *this + o;
  }
  TESSERA_AVX2_INLINE PackedBabyBear4& operator-=(const PackedBabyBear4& o) {
    return *this = *this - o;
  }
  TESSERA_AVX2_INLINE PackedBabyBear4& operator*=(const PackedBabyBear4& o) {
    return *this = *this * o;
  }

 private:
  PackedBabyBear c_[4];
};

// A (scalar) extension element times 8 base values: 4 products, the prover's fold of a
// base-field constraint with alpha^k.
TESSERA_AVX2_INLINE PackedBabyBear4 operator*(const BabyBear4& a, const PackedBabyBear& s) {
  return {PackedBabyBear(a.coeff(0)) * s, PackedBabyBear(a.coeff(1)) * s,
          PackedBabyBear(a.coeff(2)) * s, PackedBabyBear(a.coeff(3)) * s};
}

// Two rows of a row-major matrix for each of the 8 lanes (lane l = point i + l).
struct PackedRowWindow {
  const BabyBear* local_rows[PackedBabyBear::kLanes] = {};
  const BabyBear* next_rows[PackedBabyBear::kLanes] = {};
  TESSERA_AVX2_INLINE PackedBabyBear local(size_t c) const { return gather(local_rows, c); }
  TESSERA_AVX2_INLINE PackedBabyBear next(size_t c) const { return gather(next_rows, c); }
  TESSERA_AVX2_INLINE static PackedBabyBear gather(const BabyBear* const* rows, size_t c) {
    alignas(32) BabyBear v[PackedBabyBear::kLanes];
    for (size_t l = 0; l < PackedBabyBear::kLanes; ++l) v[l] = rows[l][c];
    return PackedBabyBear::load(v);
  }
};
// The same for flattened extension columns (column c = base columns 4c .. 4c+3).
struct PackedRowExtWindow {
  PackedRowWindow base;
  TESSERA_AVX2_INLINE PackedBabyBear4 local(size_t c) const {
    return {base.local(4 * c), base.local(4 * c + 1), base.local(4 * c + 2), base.local(4 * c + 3)};
  }
  TESSERA_AVX2_INLINE PackedBabyBear4 next(size_t c) const {
    return {base.next(4 * c), base.next(4 * c + 1), base.next(4 * c + 2), base.next(4 * c + 3)};
  }
};

}  // namespace tessera

#else
#define TESSERA_HAVE_PACKED_FOLD 0
#endif
