#pragma once
// Seeded random field elements for the field tests.
#include <cstdint>
#include <random>

#include "field/babybear.hpp"
#include "field/extension.hpp"

namespace tessera::test {

inline constexpr uint64_t kP = BabyBear::kModulus;

template <typename F>
struct RandomField;

template <>
struct RandomField<BabyBear> {
  static BabyBear draw(std::mt19937_64& rng) {
    return BabyBear::from_u32(static_cast<uint32_t>(rng() % kP));
  }
};
template <>
struct RandomField<BabyBear4> {
  static BabyBear4 draw(std::mt19937_64& rng) {
    return BabyBear4(RandomField<BabyBear>::draw(rng), RandomField<BabyBear>::draw(rng),
                     RandomField<BabyBear>::draw(rng), RandomField<BabyBear>::draw(rng));
  }
};

template <typename F>
F random_element(std::mt19937_64& rng) {
  return RandomField<F>::draw(rng);
}
template <typename F>
F random_nonzero(std::mt19937_64& rng) {
  for (;;) {
    F x = random_element<F>(rng);
    if (!x.is_zero()) return x;
  }
}

}  // namespace tessera::test
