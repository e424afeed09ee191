#pragma once
// BabyBear: the prime field F_p, p = 2^31 - 2^27 + 1 = 15 * 2^27 + 1 = 2013265921.
//
// Elements are stored in Montgomery form x*R mod p with R = 2^32, so a product needs one
// 32x32->64 multiplication and one Montgomery reduction and no division. The Montgomery
// representation is private: construct with from_u32/from_u64 (canonical integers) or
// from_raw (an already-Montgomery word, for serialisation and kernels), read with as_u32/raw.
//
// p - 1 = 2^27 * 15, so F_p* has a subgroup of order 2^27 (two-adicity 27); 31 generates F_p*.

#include <cstdint>

#include "common/hd.hpp"

namespace tessera {

class BabyBear {
 public:
  static constexpr uint32_t kModulus = 2013265921u;  // 0x78000001
  static constexpr uint32_t kTwoAdicity = 27;
  static constexpr uint32_t kGenerator = 31;  // generator of the multiplicative group

  constexpr BabyBear() = default;

  // x mod p, in Montgomery form.
  TESSERA_HD static constexpr BabyBear from_u32(uint32_t x) {
    return from_raw(monty_mul(x % kModulus, kR2));
  }
  TESSERA_HD static constexpr BabyBear from_u64(uint64_t x) {
    return from_raw(monty_mul(static_cast<uint32_t>(x % kModulus), kR2));
  }
  // Interpret a signed integer modulo p (negative numbers map to p - |x|).
  TESSERA_HD static constexpr BabyBear from_i64(int64_t x) {
    int64_t r = x % static_cast<int64_t>(kModulus);
    if (r < 0) r += kModulus;
    return from_u32(static_cast<uint32_t>(r));
  }
  // Wrap a Montgomery-form word (must be < p).
  TESSERA_HD static constexpr BabyBear from_raw(uint32_t monty) {
    BabyBear b;
    b.v_ = monty;
    return b;
  }
  TESSERA_HD static constexpr BabyBear zero() { return from_raw(0); }
  TESSERA_HD static constexpr BabyBear one() { return from_raw(kR); }
  TESSERA_HD static constexpr BabyBear two() { return from_raw(kR2R); }

  // Canonical integer in [0, p).
  TESSERA_HD constexpr uint32_t as_u32() const { return monty_reduce(v_); }
  // Montgomery word, for serialisation and device buffers.
  TESSERA_HD constexpr uint32_t raw() const { return v_; }

  TESSERA_HD constexpr bool is_zero() const { return v_ == 0; }
  TESSERA_HD friend constexpr bool operator==(BabyBear a, BabyBear b) { return a.v_ == b.v_; }
  TESSERA_HD friend constexpr bool operator!=(BabyBear a, BabyBear b) { return a.v_ != b.v_; }

  TESSERA_HD friend constexpr BabyBear operator+(BabyBear a, BabyBear b) {
    uint32_t s = a.v_ + b.v_;  // < 2p < 2^32
    return from_raw(s >= kModulus ? s - kModulus : s);
  }
  TESSERA_HD friend constexpr BabyBear operator-(BabyBear a, BabyBear b) {
    uint32_t d = a.v_ - b.v_;
    return from_raw(a.v_ >= b.v_ ? d : d + kModulus);
  }
  TESSERA_HD friend constexpr BabyBear operator*(BabyBear a, BabyBear b) {
    return from_raw(monty_mul(a.v_, b.v_));
  }
  TESSERA_HD constexpr BabyBear operator-() const { return from_raw(v_ == 0 ? 0 : kModulus - v_); }
  TESSERA_HD constexpr BabyBear& operator+=(BabyBear o) { return *this = *this + o; }
  TESSERA_HD constexpr BabyBear& operator-=(BabyBear o) { return *this = *this - o; }
  TESSERA_HD constexpr BabyBear& operator*=(BabyBear o) { return *this = *this * o; }

  TESSERA_HD constexpr BabyBear square() const { return *this * *this; }
  TESSERA_HD constexpr BabyBear doubled() const { return *this + *this; }

  TESSERA_HD constexpr BabyBear pow(uint64_t e) const {
    BabyBear base = *this, acc = one();
    while (e != 0) {
      if (e & 1) acc *= base;
      base = base.square();
      e >>= 1;
    }
    return acc;
  }
  // a^(p-2) = a^-1 for a != 0 (Fermat). The inverse of zero is defined as zero here; callers
  // that must reject zero use try_inverse semantics (check is_zero first).
  TESSERA_HD constexpr BabyBear inverse() const { return pow(kModulus - 2); }

  // A generator of the subgroup of order 2^bits, bits <= 27: 31^(15 * 2^(27 - bits)).
  TESSERA_HD static constexpr BabyBear two_adic_generator(uint32_t bits) {
    BabyBear g = from_u32(kGenerator).pow(15);  // order exactly 2^27
    for (uint32_t i = bits; i < kTwoAdicity; ++i) g = g.square();
    return g;
  }

 private:
  static constexpr uint32_t kMontyMu = 0x77ffffffu;  // -p^-1 mod 2^32
  static constexpr uint32_t kR = 268435454u;         // 2^32 mod p
  // Montgomery reduction: x * 2^-32 mod p for x < p * 2^32.
  TESSERA_HD static constexpr uint32_t monty_reduce(uint64_t x) {
    uint32_t m = static_cast<uint32_t>(x) * kMontyMu;
    uint64_t t = (x + static_cast<uint64_t>(m) * kModulus) >> 32;  // x + m*p < 2^64
    uint32_t r = static_cast<uint32_t>(t);
    return r >= kModulus ? r - kModulus : r;
  }
  TESSERA_HD static constexpr uint32_t monty_mul(uint32_t a, uint32_t b) {
    return monty_reduce(static_cast<uint64_t>(a) * b);
  }
  static constexpr uint32_t kR2 =
      static_cast<uint32_t>((static_cast<uint64_t>(kR) * kR) % kModulus);
  static constexpr uint32_t kR2R = (2u * kR) % kModulus;  // Montgomery form of 2

  uint32_t v_ = 0;
};

static_assert(sizeof(BabyBear) == 4);
static_assert(BabyBear::from_u32(5) * BabyBear::from_u32(7) == BabyBear::from_u32(35));
static_assert((BabyBear::from_u32(3) * BabyBear::from_u32(3).inverse()) == BabyBear::one());
static_assert(BabyBear::from_u32(BabyBear::kModulus - 1).as_u32() == BabyBear::kModulus - 1);

}  // namespace tessera
