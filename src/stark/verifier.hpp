#pragma once
// The shard verifier. Entry points:
//
//   verify(machine, vk, proof, options)              a parsed proof
//   verify_bytes(machine, vk, bytes, options)        parse (deserialize_shard_proof) + verify
//
// Checks, in order: the configuration (known name with its own parameters; the insecure `test`
// configuration only with options.allow_insecure; the same as the verifying key's), the shape
// (tables, heights, preprocessed heights from the vk), heights under which no LogUp bus can wrap
// around mod p (stark/bus_rules.hpp), the transcript replay, the LogUp
// cumulative sums adding up to zero, for every table folded_constraints(zeta) ==
// quotient(zeta) * Z_H(zeta), and finally the PCS opening proof (FRI). Throws tessera::Error:
// ConfigMismatch (configuration or machine), Format (malformed bytes or shapes), VerifyFailed
// (the proof is well-formed but wrong), naming what failed.

#include <cstdint>
#include <span>

#include "stark/keys.hpp"
#include "stark/machine.hpp"
#include "stark/proof.hpp"

namespace tessera {

struct VerifyOptions {
  // Accept proofs at the insecure `test` configuration (unit tests, `tessera verify
  // --allow-insecure`).
  bool allow_insecure = false;
};

void verify(const Machine& machine, const VerifyingKey& vk, const ShardProof& proof,
            const VerifyOptions& options = {});
void verify_bytes(const Machine& machine, const VerifyingKey& vk, std::span<const uint8_t> bytes,
                  const VerifyOptions& options = {});

}  // namespace tessera
