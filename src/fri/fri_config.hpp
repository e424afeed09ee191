#pragma once
// FRI parameters and the named security configurations of DESIGN.md §3.
//
//   log_blowup          rate rho = 2^-log_blowup of the Reed-Solomon code (LDE factor 2^log_blowup)
//   num_queries         query repetitions
//   pow_bits            proof-of-work bits ground before the query indices are drawn
//   log_final_poly_len  folding stops at 2^log_final_poly_len coefficients, sent in the clear
//
// Conjectured security (the "ethSTARK conjecture" form used by Plonky3 / SP1): each query lets a
// cheating prover through with probability about rho, so
//   bits = min(log_blowup * num_queries + pow_bits, kExtFieldBits - field_margin_bits())
// where kExtFieldBits = floor(log2 p^4) = 123 is the size of the challenge field and the margin
// covers the union bounds of the algebraic steps drawn from it: the out-of-domain point zeta
// (the constraint identity has degree about N), every folding challenge beta and the batching
// challenge alpha (each wrong with probability about N / |F_p^4| under the conjecture) — N the
// LDE domain. The margin is therefore log2 of the LARGEST LDE domain the configuration admits,
// max_log_height() + log_blowup: a statement about every proof the verifier accepts, not only
// today's shards. (Factors that grow with the number of batched columns or folding rounds are
// not counted, as in Plonky3's conjectured figure.)

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "field/babybear.hpp"

namespace tessera {

struct FriConfig {
  uint32_t log_blowup = 1;
  uint32_t num_queries = 100;
  uint32_t pow_bits = 16;
  uint32_t log_final_poly_len = 0;

  static constexpr uint32_t kExtFieldBits = 123;

  // log blowup 1, 100 queries, 16 PoW bits.
  static FriConfig core() { return {1, 100, 16, 0}; }
  // log blowup 3, 33 queries, 16 PoW bits (cheaper verification inside a recursive circuit).
  static FriConfig recursion() { return {3, 33, 16, 0}; }
  // INSECURE (about 3 bits): log blowup 1, 2 queries, 1 PoW bit. For unit tests only.
  static FriConfig test() { return {1, 2, 1, 0}; }

  // "core", "recursion", "test", or nullopt for a configuration that is none of them.
  std::optional<std::string_view> name() const;
  static std::optional<FriConfig> by_name(std::string_view name);

  // The tallest trace a configuration admits: 2^max_log_height() rows, whose LDE of
  // 2^(max_log_height() + log_blowup) points still fits the two-adic subgroup of order 2^27
  // (what the PCS and the verifier accept).
  uint32_t max_log_height() const { return BabyBear::kTwoAdicity - log_blowup; }
  // log2 of the largest LDE domain, max_log_height() + log_blowup (27 for every configuration).
  uint32_t max_log_lde_height() const { return max_log_height() + log_blowup; }
  // The bits the algebraic challenges lose to union bounds: log2 of the largest LDE domain.
  uint32_t field_margin_bits() const { return max_log_lde_height(); }

  uint32_t conjectured_security_bits() const;
  // E.g. "min(1*100 + 16, 123 - 27) = 96 bits".
  std::string security_formula() const;
  // Where the margin comes from, e.g. "margin 27 = log2 of the largest LDE domain: 2^26 rows x
  // blowup 2^1".
  std::string margin_derivation() const;

  // InvalidArgument for log_blowup 0 or > 8, num_queries 0 or > 1024, pow_bits > 27 (the most
  // the challenger samples at once), log_final_poly_len > 20.
  void validate() const;

  friend bool operator==(const FriConfig&, const FriConfig&) = default;
};

}  // namespace tessera
