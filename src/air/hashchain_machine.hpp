#pragma once
// The `hashchain` ShardedMachine (DESIGN.md §4): a chain of `steps` Poseidon2 compressions
// h_i = C(h_{i-1}, w_i), witnesses derived from `seed` (air/hashchain.hpp), cut into shards of
// `shard_steps` steps, each proven by one hash-chain table of shard_steps rows.
//
// Parameters: shard_steps is a power of two (the table height), steps a positive multiple of it
// (no padded last shard: a shard is always exactly one table of K real steps), steps <= 2^30.
// Violations are ErrorKind::InvalidArgument; an unknown configuration is ConfigMismatch.
//
// State (the shard statements' start/end states): 9 field elements (d_0 .. d_7, step) — the
// current digest and the number of steps done. Chaining two statements compares both, so the
// merged root statement says: from (h_0, 0) the chain reaches (h_n, n).
//
// Checkpoint of shard s (execute_each()): u32 magic "HCCP", u32 version, u64 shard index,
// u64 first step (= s * shard_steps), 8 felts start digest. The worker re-derives the witnesses of
// steps first+1 .. first+K from the seed.
//
// Shard proof: the STARK proof bytes (stark/proof.hpp) of the one-table machine "hashchain",
// public values (start digest, end digest, first step, steps). verify_shard checks the STARK
// proof AND that the table height is shard_steps, the public first step is index * shard_steps
// and the public step count is shard_steps — so a proof of shard i offered as shard j is rejected.

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "air/hashchain.hpp"
#include "hash/digest.hpp"
#include "shard/sharded_machine.hpp"
#include "stark/config.hpp"
#include "stark/keys.hpp"
#include "stark/machine.hpp"
#include "stark/prover.hpp"

namespace tessera {

struct HashchainParams {
  uint64_t steps = 0;
  uint64_t shard_steps = 0;
  uint64_t seed = 0;
  std::string config = "core";
};

// A shard's checkpoint, as execute_each() records it.
struct HashchainCheckpoint {
  uint64_t shard = 0;
  uint64_t first_step = 0;
  Digest start{};
  friend bool operator==(const HashchainCheckpoint&, const HashchainCheckpoint&) = default;
};
std::vector<uint8_t> write_hashchain_checkpoint(const HashchainCheckpoint& c);
// ErrorKind::Format for a malformed buffer.
HashchainCheckpoint read_hashchain_checkpoint(std::span<const uint8_t> bytes);

class HashchainMachine final : public ShardedMachine {
 public:
  static constexpr size_t kStateSize = kDigestElems + 1;

  explicit HashchainMachine(HashchainParams params);

  std::string name() const override { return "hashchain"; }
  std::map<std::string, std::string> parameters() const override;
  std::string config_name() const override { return config_.name; }
  uint64_t num_shards() const override { return params_.steps / params_.shard_steps; }
  std::vector<BabyBear> initial_state() const override;

  std::vector<uint8_t> prove_shard(uint64_t index, std::span<const uint8_t> checkpoint,
                                   Backend& backend) const override;
  ShardStatement verify_shard(uint64_t index, std::span<const uint8_t> proof) const override;

  // A trace edit applied before proving (soundness tests force wrong witnesses through it).
  using TraceTamper = std::function<void(RowMajorMatrix<BabyBear>& trace)>;
  // prove_shard with explicit prover options (per-phase timings; debug_check = false to force a
  // proof of a tampered trace through to the verifier).
  std::vector<uint8_t> prove_shard_with(uint64_t index, std::span<const uint8_t> checkpoint,
                                        Backend& backend, const ProveOptions& options,
                                        const TraceTamper& tamper = {}) const;

  const HashchainParams& params() const { return params_; }
  // The STARK machine (one "hashchain" table) and its verifying key.
  const Machine& stark_machine() const { return machine_; }
  const VerifyingKey& verifying_key() const { return vk_; }

  // The state (digest, step) as the statements carry it.
  static std::vector<BabyBear> state(const Digest& digest, uint64_t step);

 private:
  void emit_checkpoints(const CheckpointSink& emit) const override;

  HashchainParams params_;
  StarkConfig config_;
  Machine machine_;
  VerifyingKey vk_;
};

}  // namespace tessera
