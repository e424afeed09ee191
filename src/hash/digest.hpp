#pragma once
// A Poseidon2 digest: 8 BabyBear elements (~248 bits, collision resistance ~124 bits), the
// capacity-sized output of the sponge and of the two-to-one compression.

#include <array>
#include <cstddef>

#include "field/babybear.hpp"

namespace tessera {

inline constexpr size_t kDigestElems = 8;
using Digest = std::array<BabyBear, kDigestElems>;

}  // namespace tessera
