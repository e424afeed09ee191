#pragma once
// BabyBear4: the degree-4 extension F_p[X]/(X^4 - 11), |F| = p^4 ~ 2^124. Challenges, LogUp
// sums, out-of-domain evaluations and FRI live here. X^4 - 11 is irreducible over F_p because 11
// is not a square in F_p and p = 1 mod 4 (so x^4 = 11 has no root in F_p or F_p^2).
//
// An element is c0 + c1 X + c2 X^2 + c3 X^3, coefficients in BabyBear.

#include <array>

#include "field/babybear.hpp"

namespace tessera {

class BabyBear4 {
 public:
  static constexpr uint32_t kDegree = 4;
  static constexpr uint32_t kW = 11;  // X^4 = W

  constexpr BabyBear4() = default;
  TESSERA_HD constexpr explicit BabyBear4(BabyBear c0) : c_{c0, {}, {}, {}} {}
  TESSERA_HD constexpr BabyBear4(BabyBear c0, BabyBear c1, BabyBear c2, BabyBear c3)
      : c_{c0, c1, c2, c3} {}

  TESSERA_HD static constexpr BabyBear4 zero() { return BabyBear4(); }
  TESSERA_HD static constexpr BabyBear4 one() { return BabyBear4(BabyBear::one()); }
  // The generator X of the extension as an F_p-algebra.
  TESSERA_HD static constexpr BabyBear4 x() {
    return BabyBear4(BabyBear::zero(), BabyBear::one(), BabyBear::zero(), BabyBear::zero());
  }

  TESSERA_HD constexpr BabyBear coeff(uint32_t i) const { return c_[i]; }
  TESSERA_HD constexpr BabyBear& coeff(uint32_t i) { return c_[i]; }
  TESSERA_HD constexpr bool is_zero() const {
    return c_[0].is_zero() && c_[1].is_zero() && c_[2].is_zero() && c_[3].is_zero();
  }
  TESSERA_HD constexpr bool is_base() const {
    return c_[1].is_zero() && c_[2].is_zero() && c_[3].is_zero();
  }

  TESSERA_HD friend constexpr bool operator==(const BabyBear4& a, const BabyBear4& b) {
    return a.c_[0] == b.c_[0] && a.c_[1] == b.c_[1] && a.c_[2] == b.c_[2] && a.c_[3] == b.c_[3];
  }
  TESSERA_HD friend constexpr bool operator!=(const BabyBear4& a, const BabyBear4& b) {
    return !(a == b);
  }

  TESSERA_HD friend constexpr BabyBear4 operator+(const BabyBear4& a, const BabyBear4& b) {
    return {a.c_[0] + b.c_[0], a.c_[1] + b.c_[1], a.c_[2] + b.c_[2], a.c_[3] + b.c_[3]};
  }
  TESSERA_HD friend constexpr BabyBear4 operator-(const BabyBear4& a, const BabyBear4& b) {
    return {a.c_[0] - b.c_[0], a.c_[1] - b.c_[1], a.c_[2] - b.c_[2], a.c_[3] - b.c_[3]};
  }
  TESSERA_HD constexpr BabyBear4 operator-() const { return {-c_[0], -c_[1], -c_[2], -c_[3]}; }

  // Schoolbook product, reducing X^(4+k) = W X^k.
  TESSERA_HD friend constexpr BabyBear4 operator*(const BabyBear4& a, const BabyBear4& b) {
    const BabyBear w = BabyBear::from_u32(kW);
    const auto& x = a.c_;
    const auto& y = b.c_;
    BabyBear c0 = x[0] * y[0] + w * (x[1] * y[3] + x[2] * y[2] + x[3] * y[1]);
    BabyBear c1 = x[0] * y[1] + x[1] * y[0] + w * (x[2] * y[3] + x[3] * y[2]);
    BabyBear c2 = x[0] * y[2] + x[1] * y[1] + x[2] * y[0] + w * (x[3] * y[3]);
    BabyBear c3 = x[0] * y[3] + x[1] * y[2] + x[2] * y[1] + x[3] * y[0];
    return {c0, c1, c2, c3};
  }
  TESSERA_HD friend constexpr BabyBear4 operator*(const BabyBear4& a, BabyBear s) {
    return {a.c_[0] * s, a.c_[1] * s, a.c_[2] * s, a.c_[3] * s};
  }
  TESSERA_HD friend constexpr BabyBear4 operator*(BabyBear s, const BabyBear4& a) { return a * s; }
  TESSERA_HD friend constexpr BabyBear4 operator+(const BabyBear4& a, BabyBear s) {
    return {a.c_[0] + s, a.c_[1], a.c_[2], a.c_[3]};
  }
  TESSERA_HD friend constexpr BabyBear4 operator-(const BabyBear4& a, BabyBear s) {
    return {a.c_[0] - s, a.c_[1], a.c_[2], a.c_[3]};
  }
  TESSERA_HD constexpr BabyBear4& operator+=(const BabyBear4& o) { return *this = *this + o; }
  TESSERA_HD constexpr BabyBear4& operator-=(const BabyBear4& o) { return *this = *this - o; }
  TESSERA_HD constexpr BabyBear4& operator*=(const BabyBear4& o) { return *this = *this * o; }
  TESSERA_HD constexpr BabyBear4& operator*=(BabyBear s) { return *this = *this * s; }

  TESSERA_HD constexpr BabyBear4 square() const { return *this * *this; }

  TESSERA_HD constexpr BabyBear4 pow(uint64_t e) const {
    BabyBear4 base = *this, acc = one();
    while (e != 0) {
      if (e & 1) acc *= base;
      base = base.square();
      e >>= 1;
    }
    return acc;
  }

  // Inverse through the tower F_p ⊂ F_p[Y]/(Y^2 - W) ⊂ F_p[X]/(X^4 - W), Y = X^2.
  // Write a = e(Y) + X o(Y). Then a * (e - X o) = e^2 - Y o^2 =: b0 + b1 Y, and
  // (b0 + b1 Y)(b0 - b1 Y) = b0^2 - W b1^2 ∈ F_p. So a^-1 = (e - X o)(b0 - b1 Y) / (b0^2 - W b1^2).
  // The inverse of zero is zero (callers check is_zero where it matters).
  TESSERA_HD constexpr BabyBear4 inverse() const {
    const BabyBear w = BabyBear::from_u32(kW);
    const BabyBear e0 = c_[0], e1 = c_[2], o0 = c_[1], o1 = c_[3];
    // e^2 = (e0 + e1 Y)^2 = e0^2 + W e1^2 + 2 e0 e1 Y ; Y o^2 = Y (o0^2 + W o1^2) + 2 W o0 o1
    const BabyBear b0 = e0 * e0 + w * e1 * e1 - w * (o0 * o1).doubled();
    const BabyBear b1 = (e0 * e1).doubled() - (o0 * o0 + w * o1 * o1);
    const BabyBear norm_inv = (b0 * b0 - w * b1 * b1).inverse();
    const BabyBear d0 = b0 * norm_inv, d1 = -b1 * norm_inv;  // (b0 + b1 Y)^-1 = d0 + d1 Y
    // (e0 + e1 Y - X (o0 + o1 Y)) (d0 + d1 Y), with Y^2 = W
    return {e0 * d0 + w * e1 * d1, -(o0 * d0 + w * o1 * d1), e0 * d1 + e1 * d0,
            -(o0 * d1 + o1 * d0)};
  }

 private:
  std::array<BabyBear, 4> c_{};
};

static_assert(sizeof(BabyBear4) == 16);
static_assert(BabyBear4::x().pow(4) == BabyBear4(BabyBear::from_u32(11)));
static_assert(BabyBear4(BabyBear::from_u32(3), BabyBear::from_u32(5), BabyBear::from_u32(7),
                        BabyBear::from_u32(9)) *
                  BabyBear4(BabyBear::from_u32(3), BabyBear::from_u32(5), BabyBear::from_u32(7),
                            BabyBear::from_u32(9))
                      .inverse() ==
              BabyBear4::one());

}  // namespace tessera
