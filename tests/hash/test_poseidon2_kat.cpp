// Known-answer test: the project's own Grain-LFSR constants and permutation reproduce the Horizen
// Labs BabyBear width-16 vector (shared/testvectors/poseidon2_babybear_w16.txt).

#include <gtest/gtest.h>

#include "hash/poseidon2.hpp"

namespace tessera {
namespace {

// From poseidon2_babybear_w16.txt.
constexpr uint32_t kExpectedDiag[16] = {
    0xa632d94,  0x6db657b7, 0x56fbdc9e, 0x52b3d8a,  0x33745201, 0x5c03108c, 0xbeba37b,  0x258c2e8b,
    0x12029f39, 0x694909ce, 0x6d231724, 0x21c3b222, 0x3c0904a5, 0x1d6acda,  0x27705c83, 0x5231c802};
constexpr uint32_t kExpectedOutput[16] = {
    896560466, 771677727,  128113032,  1378976435, 160019712,  1452738514, 682850273,  223500421,
    501450187, 1804685789, 1671399593, 1788755219, 1736880027, 1352180784, 1928489698, 1128802977};

TEST(Poseidon2Kat, FirstRoundConstantsComeFromGrain) {
  EXPECT_EQ(BabyBear::from_raw(kPoseidon2Constants.external[0][0]).as_u32(), 0x69cbb6afu);
  EXPECT_EQ(BabyBear::from_raw(kPoseidon2Constants.external[0][1]).as_u32(), 0x46ad93f9u);
}

TEST(Poseidon2Kat, InternalDiagonal) {
  for (size_t i = 0; i < 16; ++i) {
    EXPECT_EQ(BabyBear::from_raw(kPoseidon2Constants.internal_diag[i]).as_u32(), kExpectedDiag[i])
        << "d_" << i;
  }
}

TEST(Poseidon2Kat, AllConstantsAreCanonical) {
  for (const auto& row : kPoseidon2Constants.external) {
    for (uint32_t raw : row) EXPECT_LT(raw, BabyBear::kModulus);
  }
  for (uint32_t raw : kPoseidon2Constants.internal) EXPECT_LT(raw, BabyBear::kModulus);
}

TEST(Poseidon2Kat, PermutationOfZeroToFifteen) {
  Poseidon2State s;
  for (uint32_t i = 0; i < 16; ++i) s[i] = BabyBear::from_u32(i);
  poseidon2_permute(s);
  for (size_t i = 0; i < 16; ++i) EXPECT_EQ(s[i].as_u32(), kExpectedOutput[i]) << "output " << i;
}

// The fastest single-state path of this CPU against the same vector.
TEST(Poseidon2Kat, SingleStatePathOfZeroToFifteen) {
  Poseidon2State s;
  for (uint32_t i = 0; i < 16; ++i) s[i] = BabyBear::from_u32(i);
  poseidon2_permute_one(s);
  for (size_t i = 0; i < 16; ++i) EXPECT_EQ(s[i].as_u32(), kExpectedOutput[i]) << "output " << i;
}

}  // namespace
}  // namespace tessera
