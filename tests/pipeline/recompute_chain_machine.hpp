#pragma once
// TEST FIXTURE — not shipped, not a prover. A ShardedMachine whose shard "proof" is the
// recomputation witness of a Poseidon2 compression chain: h_i = compress(h_{i-1}, w_i) with
// w_i = hash_elements(seed, i). A shard's proof carries its index, start and end digest; the
// verifier recomputes the shard's steps from the start digest and rejects any other end. It
// exercises the pipeline honestly (deterministic bytes, verification that fails on tampering,
// statements that chain) without the cost of a STARK, so the pipeline's tests run in seconds
// and independently of the real machines.
//
// Hooks for tests: `interrupt_at` raises SIGUSR1 in the process proving that shard (an interrupt
// arriving mid-run, as Slurm's would); `bad_proof_at` makes the proof of that shard wrong (a
// prover bug the reduction tree must catch).

#include <csignal>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/check.hpp"
#include "hash/sponge.hpp"
#include "io/byte_io.hpp"
#include "shard/sharded_machine.hpp"

namespace tessera::testing {

class RecomputeChainMachine final : public ShardedMachine {
 public:
  RecomputeChainMachine(uint64_t shards, uint64_t shard_steps, uint64_t seed)
      : shards_(shards), shard_steps_(shard_steps), seed_(seed) {}

  std::optional<uint64_t> interrupt_at;
  std::optional<uint64_t> bad_proof_at;

  std::string name() const override { return "recompute-chain (test fixture)"; }
  std::map<std::string, std::string> parameters() const override {
    return {{"shards", std::to_string(shards_)},
            {"shard_steps", std::to_string(shard_steps_)},
            {"seed", std::to_string(seed_)}};
  }
  std::string config_name() const override { return "test"; }
  uint64_t num_shards() const override { return shards_; }
  std::vector<BabyBear> initial_state() const override { return state(start(), 0); }

  std::vector<std::vector<uint8_t>> execute() const override {
    std::vector<std::vector<uint8_t>> out;
    Digest h = start();
    for (uint64_t s = 0; s < shards_; ++s) {
      ByteWriter w;
      w.u64(s);
      for (BabyBear x : h) w.felt(x);
      out.push_back(w.take());
      h = advance(h, s);
    }
    return out;
  }

  std::vector<uint8_t> prove_shard(uint64_t index, std::span<const uint8_t> checkpoint,
                                   Backend&) const override {
    if (interrupt_at && *interrupt_at == index) std::raise(SIGUSR1);
    ByteReader r(checkpoint);
    TESSERA_CHECK(r.u64("fixture checkpoint index") == index, ErrorKind::InvalidArgument,
                  "fixture: checkpoint of another shard");
    Digest h;
    for (BabyBear& x : h) x = r.felt("fixture checkpoint digest");
    Digest end = advance(h, index);
    if (bad_proof_at && *bad_proof_at == index) end[0] += BabyBear::one();
    ByteWriter w;
    w.u64(index);
    for (BabyBear x : h) w.felt(x);
    for (BabyBear x : end) w.felt(x);
    return w.take();
  }

  ShardStatement verify_shard(uint64_t index, std::span<const uint8_t> proof) const override {
    ByteReader r(proof);
    TESSERA_CHECK(r.u64("fixture proof index") == index, ErrorKind::VerifyFailed,
                  "fixture: proof of another shard");
    Digest h, end;
    for (BabyBear& x : h) x = r.felt("fixture proof start");
    for (BabyBear& x : end) x = r.felt("fixture proof end");
    r.expect_end("fixture proof");
    TESSERA_CHECK(advance(h, index) == end, ErrorKind::VerifyFailed,
                  "fixture: shard " << index << " does not recompute to its claimed end");
    return {index, index + 1, state(h, index * shard_steps_),
            state(end, (index + 1) * shard_steps_)};
  }

  Digest start() const {
    return hash_elements(std::vector<BabyBear>{BabyBear::from_u64(seed_), BabyBear::from_u64(7)});
  }
  Digest advance(Digest h, uint64_t shard) const {
    for (uint64_t i = shard * shard_steps_ + 1; i <= (shard + 1) * shard_steps_; ++i)
      h = compress(h, hash_elements(
                          std::vector<BabyBear>{BabyBear::from_u64(seed_), BabyBear::from_u64(i)}));
    return h;
  }
  static std::vector<BabyBear> state(const Digest& d, uint64_t step) {
    std::vector<BabyBear> s(d.begin(), d.end());
    s.push_back(BabyBear::from_u64(step));
    return s;
  }

 private:
  uint64_t shards_, shard_steps_, seed_;
};

}  // namespace tessera::testing
