// Duplex challenger (challenger.hpp).

#include "hash/challenger.hpp"

#include "common/check.hpp"

namespace tessera {

void Challenger::duplex() {
  for (size_t i = 0; i < input_len_; ++i) state_[i] = input_[i];
  input_len_ = 0;
  poseidon2_permute_one(state_);
  for (size_t i = 0; i < kRate; ++i) output_[i] = state_[i];
  output_len_ = kRate;
}

void Challenger::observe(BabyBear value) {
  output_len_ = 0;
  input_[input_len_++] = value;
  if (input_len_ == kRate) duplex();
}

void Challenger::observe(const BabyBear4& value) {
  for (uint32_t i = 0; i < BabyBear4::kDegree; ++i) observe(value.coeff(i));
}

void Challenger::observe(const Digest& digest) {
  for (BabyBear x : digest) observe(x);
}

void Challenger::observe_many(std::span<const BabyBear> values) {
  for (BabyBear x : values) observe(x);
}

BabyBear Challenger::sample() {
  if (input_len_ != 0 || output_len_ == 0) duplex();
  return output_[--output_len_];
}

BabyBear4 Challenger::sample_ext() {
  const BabyBear c0 = sample();
  const BabyBear c1 = sample();
  const BabyBear c2 = sample();
  const BabyBear c3 = sample();
  return BabyBear4(c0, c1, c2, c3);
}

uint32_t Challenger::sample_bits(uint32_t bits) {
  TESSERA_CHECK(bits <= kMaxSampleBits, ErrorKind::InvalidArgument,
                "sample_bits: " << bits << " bits requested, at most " << kMaxSampleBits);
  return sample().as_u32() & ((1u << bits) - 1u);
}

Poseidon2State Challenger::duplex_input_with(BabyBear value) const {
  // observe() never leaves kRate inputs pending, so there is room for one more.
  Poseidon2State s = state_;
  for (size_t i = 0; i < input_len_; ++i) s[i] = input_[i];
  s[input_len_] = value;
  return s;
}

}  // namespace tessera
