#pragma once
// The Fiat–Shamir statement header, absorbed identically by prover and verifier before the main
// commitment: the configuration, the machine's name, the number of tables and their heights, and
// the verifying key's preprocessed commitment. Binding all of these before any challenge keeps a
// proof from being replayed against another machine, configuration or set of heights.

#include <cstdint>
#include <span>
#include <string_view>

#include "fri/fri_config.hpp"
#include "hash/challenger.hpp"
#include "hash/digest.hpp"

namespace tessera {

inline void observe_shard_header(Challenger& ch, const FriConfig& fri, std::string_view machine,
                                 std::span<const uint32_t> log_heights,
                                 const Digest& preprocessed_commitment) {
  ch.observe(BabyBear::from_u32(fri.log_blowup));
  ch.observe(BabyBear::from_u32(fri.num_queries));
  ch.observe(BabyBear::from_u32(fri.pow_bits));
  ch.observe(BabyBear::from_u32(fri.log_final_poly_len));
  ch.observe(BabyBear::from_u32(static_cast<uint32_t>(machine.size())));
  for (const char c : machine) ch.observe(BabyBear::from_u32(static_cast<unsigned char>(c)));
  ch.observe(BabyBear::from_u32(static_cast<uint32_t>(log_heights.size())));
  for (const uint32_t h : log_heights) ch.observe(BabyBear::from_u32(h));
  ch.observe(preprocessed_commitment);
}

}  // namespace tessera
