#pragma once
// A machine is anything that can be executed, cut into shards and proven shard by shard
// (DESIGN §4). The distributed pipeline in mpi/ knows machines only through this interface, so the
// hash chain and the RV32IM zkVM plug into the same scheduler, tree and artifact.
//
//   rank 0:   execute_each(emit)             -> one checkpoint per shard (opaque bytes), emitted
//                                             in shard order as the computation advances
//   any rank: prove_shard(index, checkpoint) -> shard proof bytes (deterministic)
//   anyone:   verify_shard(index, proof)     -> the shard's statement, or ErrorKind::VerifyFailed
//   root:     the merged statement must start at initial_state() and cover [0, num_shards()).
//
// A machine object is built from the request (its parameters are known to every rank and are
// recorded in the artifact), so verify_shard can check a proof against the request alone.
//
// Rank 0 runs execute_each on a thread of its own while its prover thread runs prove_shard:
// a machine's const methods must be safe to call concurrently.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "shard/statement.hpp"

namespace tessera {

class Backend;

class ShardedMachine {
 public:
  virtual ~ShardedMachine() = default;

  // "hashchain", "rv32im".
  virtual std::string name() const = 0;
  // The request's parameters as key/value text (recorded in the artifact's /request group and
  // compared on --resume: a resume against a different request is refused).
  virtual std::map<std::string, std::string> parameters() const = 0;
  // Binary parameters recorded beside them (the guest program of an rv32im request): the
  // artifact alone must be enough to verify. None by default.
  virtual std::map<std::string, std::vector<uint8_t>> blobs() const { return {}; }
  // Name of the STARK configuration ("core", "recursion", "test").
  virtual std::string config_name() const = 0;

  // How many shards the request has. Known from the request alone for most machines; a machine
  // whose count is learned only by executing (shard_count_known() false: a guest built for the
  // pipeline) returns 0 until its own execution has ended or it has adopted the count.
  virtual uint64_t num_shards() const = 0;
  // Whether num_shards() is known before the machine executes. When it is not, the pipeline
  // proves the first shards while the execution still runs and learns the count from its end
  // (DESIGN.md §5): execute_each then emits as many checkpoints as the execution makes.
  virtual bool shard_count_known() const { return true; }
  // A machine that did not execute (the pipeline's other ranks) takes the count the executing
  // rank learned. Called once, before anything asks for num_shards(); the count is the one piece
  // of state a machine learns after it is built, so this is const and safe beside concurrent
  // prove_shard calls. Only for machines whose count is not known (ErrorKind::Internal
  // otherwise).
  virtual void adopt_shard_count(uint64_t count) const;
  // The state the whole run starts from, derived from the request alone.
  virtual std::vector<BabyBear> initial_state() const = 0;

  // Receives shard `index`'s checkpoint. It may throw to stop the execution early (the pipeline
  // does on an interrupt); the exception propagates out of execute_each unchanged.
  using CheckpointSink = std::function<void(uint64_t index, std::vector<uint8_t> checkpoint)>;

  // Rank 0: runs the whole computation once, cheaply, recording what a worker needs to prove
  // each shard alone, and hands each shard's checkpoint to `emit` as soon as it exists — so the
  // pipeline can prove early shards while later ones are still executing. Exactly num_shards()
  // checkpoints, indices 0, 1, 2, ... in order (a machine whose count is not known: as many as
  // its num_shards() says once it returns); a machine that breaks this is a bug reported as
  // ErrorKind::Internal (checked here, once, for every machine).
  void execute_each(const CheckpointSink& emit) const;
  // The whole computation at once: execute_each collected. Result size == num_shards().
  std::vector<std::vector<uint8_t>> execute() const;

  // Any rank: re-executes shard `index` from its checkpoint, builds its trace and proves it.
  virtual std::vector<uint8_t> prove_shard(uint64_t index, std::span<const uint8_t> checkpoint,
                                           Backend& backend) const = 0;
  // Anyone: verifies a shard proof against the request; returns its statement (covering
  // [index, index + 1)). Throws ErrorKind::VerifyFailed / Format on a bad proof.
  virtual ShardStatement verify_shard(uint64_t index, std::span<const uint8_t> proof) const = 0;

  // Checks that a root statement is the statement of this whole request (covers every shard,
  // starts at initial_state(), and ends in a state check_end_state accepts); throws
  // ErrorKind::VerifyFailed otherwise. Written once here.
  void check_root(const ShardStatement& root) const;

  // What a verified root statement says, as (name, value) lines for users (`tessera verify`):
  // rv32im's exit code, cycles, output and input digests. None by default.
  virtual std::vector<std::pair<std::string, std::string>> describe_root(
      const ShardStatement& root) const {
    (void)root;
    return {};
  }

  // The public output of the run this machine executed (rv32im: the bytes the guest wrote to
  // fd 1), recorded by the prover in the artifact (/final/output), where `tessera verify` checks
  // it against the root statement before printing it. None: the machine has no output, or it did
  // not execute (a machine rebuilt from a recorded request).
  virtual std::optional<std::vector<uint8_t>> public_output() const { return std::nullopt; }

  // Whether prove_shard first runs the prover's debug check on the shard's witness (every
  // constraint on every row, every bus balanced), so that a wrong witness — a prover bug — is
  // reported as the constraint and row it breaks instead of becoming a proof that the tree's
  // verification rejects. Off by default: it adds nothing to soundness (every shard proof is
  // verified before its statement is used) and costs about a quarter of an rv32im shard's proving
  // time. `tessera prove --debug-check` turns it on; the proof bytes are the same either way.
  void set_debug_check(bool on) { debug_check_ = on; }
  bool debug_check() const { return debug_check_; }

 private:
  bool debug_check_ = false;

  // What the end of a whole run must satisfy beyond the chain (rv32im: the guest halted).
  virtual void check_end_state(const std::vector<BabyBear>& end_state) const { (void)end_state; }

  // The one execution each machine writes (execute_each and execute are derived from it): call
  // `emit` for shards 0 .. num_shards()-1 in order, each as soon as its checkpoint exists, and
  // let any exception from `emit` propagate.
  virtual void emit_checkpoints(const CheckpointSink& emit) const = 0;
};

}  // namespace tessera
