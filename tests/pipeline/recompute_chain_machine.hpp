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
// prover bug the reduction tree must catch). Execution (rank 0's execution thread):
// `execute_pause` before each checkpoint (a slow executor), `interrupt_in_execute_at` raises
// SIGUSR1 before that shard's checkpoint, `execute_fails_at` throws a GuestTrap instead of that
// shard's checkpoint, `execute_returns_at` returns there (a machine that miscounts), and
// `hold_execution` keeps that shard's checkpoint back until a shard at or past a given one has
// been proven (seen through the marker files that `mark_proofs` makes prove_shard write).
// `emitted` counts the checkpoints emitted in this process. `learns_count` makes it a machine
// whose shard count is learned by executing (as a guest program's): unknown until its execution
// ends on the rank that executes, adopted by the others.

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "backend/backend.hpp"
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

  std::chrono::milliseconds execute_pause{0};
  std::optional<uint64_t> interrupt_in_execute_at;
  std::optional<uint64_t> execute_fails_at;
  std::optional<uint64_t> execute_returns_at;
  // prove_shard(s) on this process writes `dir`/proved-<s>-r<rank>.
  struct ProofMarkers {
    std::filesystem::path dir;
    int rank = 0;
  };
  std::optional<ProofMarkers> mark_proofs;
  // The checkpoint of shard `before` waits (at most `limit`, then execution fails saying so) for
  // a marker in `dir` of a shard >= `from`.
  struct Hold {
    uint64_t before = 0;
    uint64_t from = 0;
    std::filesystem::path dir;
    std::chrono::seconds limit{60};
  };
  std::optional<Hold> hold_execution;
  mutable std::atomic<uint64_t> emitted{0};
  bool learns_count = false;

  std::string name() const override { return "recompute-chain (test fixture)"; }
  std::map<std::string, std::string> parameters() const override {
    return {{"shards", std::to_string(shards_)},
            {"shard_steps", std::to_string(shard_steps_)},
            {"seed", std::to_string(seed_)}};
  }
  std::string config_name() const override { return "test"; }
  uint64_t num_shards() const override { return learns_count ? learned_.load() : shards_; }
  bool shard_count_known() const override { return !learns_count; }
  void adopt_shard_count(uint64_t count) const override {
    if (!learns_count) ShardedMachine::adopt_shard_count(count);
    learned_ = count;
  }
  std::vector<BabyBear> initial_state() const override { return state(start(), 0); }

  std::vector<uint8_t> prove_shard(uint64_t index, std::span<const uint8_t> checkpoint,
                                   Backend&) const override {
    if (interrupt_at && *interrupt_at == index) std::raise(SIGUSR1);
    if (mark_proofs)
      std::ofstream(mark_proofs->dir /
                    ("proved-" + std::to_string(index) + "-r" + std::to_string(mark_proofs->rank)));
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
  void emit_checkpoints(const CheckpointSink& emit) const override {
    Digest h = start();
    for (uint64_t s = 0; s < shards_; ++s) {
      std::this_thread::sleep_for(execute_pause);
      if (interrupt_in_execute_at && *interrupt_in_execute_at == s) std::raise(SIGUSR1);
      if (hold_execution && hold_execution->before == s) wait_for_marker(*hold_execution);
      if (execute_returns_at && *execute_returns_at == s) {
        if (learns_count) learned_ = s;
        return;
      }
      TESSERA_CHECK(!(execute_fails_at && *execute_fails_at == s), ErrorKind::GuestTrap,
                    "fixture: the guest trapped in shard " << s);
      ByteWriter w;
      w.u64(s);
      for (BabyBear x : h) w.felt(x);
      ++emitted;
      emit(s, w.take());
      h = advance(h, s);
    }
    if (learns_count) learned_ = shards_;
  }

  void wait_for_marker(const Hold& hold) const {
    const auto deadline = std::chrono::steady_clock::now() + hold.limit;
    while (std::chrono::steady_clock::now() < deadline) {
      for (const auto& e : std::filesystem::directory_iterator(hold.dir)) {
        const std::string name = e.path().filename().string();
        if (name.rfind("proved-", 0) == 0 && std::stoull(name.substr(7)) >= hold.from) return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    TESSERA_FAIL(ErrorKind::Internal,
                 "fixture: no shard >= " << hold.from << " was proven while shard " << hold.before
                                         << "'s checkpoint was held back");
  }

  uint64_t shards_, shard_steps_, seed_;
  mutable std::atomic<uint64_t> learned_{0};  // learns_count: 0 until executed or adopted
};

// Every shard executed and proven directly in this process, in shard order: the reference the
// distributed results are compared with.
inline std::vector<std::vector<uint8_t>> prove_every_shard(const RecomputeChainMachine& m) {
  auto backend = make_backend("cpu");
  const auto checkpoints = m.execute();
  std::vector<std::vector<uint8_t>> proofs;
  for (uint64_t s = 0; s < m.num_shards(); ++s)
    proofs.push_back(m.prove_shard(s, checkpoints[s], *backend));
  return proofs;
}

}  // namespace tessera::testing
