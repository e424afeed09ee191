#pragma once
// A machine is anything that can be executed, cut into shards and proven shard by shard
// (DESIGN §4). The distributed pipeline in mpi/ knows machines only through this interface, so the
// hash chain and the RV32IM zkVM plug into the same scheduler, tree and artifact.
//
//   rank 0:   execute()                      -> one checkpoint per shard (opaque bytes)
//   any rank: prove_shard(index, checkpoint) -> shard proof bytes (deterministic)
//   anyone:   verify_shard(index, proof)     -> the shard's statement, or ErrorKind::VerifyFailed
//   root:     the merged statement must start at initial_state() and cover [0, num_shards()).
//
// A machine object is built from the request (its parameters are known to every rank and are
// recorded in the artifact), so verify_shard can check a proof against the request alone.

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
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
  // Name of the STARK configuration ("core", "recursion", "test").
  virtual std::string config_name() const = 0;

  virtual uint64_t num_shards() const = 0;
  // The state the whole run starts from, derived from the request alone.
  virtual std::vector<BabyBear> initial_state() const = 0;

  // Rank 0: runs the whole computation once, cheaply, recording what a worker needs to prove
  // each shard alone. Result size == num_shards().
  virtual std::vector<std::vector<uint8_t>> execute() const = 0;
  // Any rank: re-executes shard `index` from its checkpoint, builds its trace and proves it.
  virtual std::vector<uint8_t> prove_shard(uint64_t index, std::span<const uint8_t> checkpoint,
                                           Backend& backend) const = 0;
  // Anyone: verifies a shard proof against the request; returns its statement (covering
  // [index, index + 1)). Throws ErrorKind::VerifyFailed / Format on a bad proof.
  virtual ShardStatement verify_shard(uint64_t index, std::span<const uint8_t> proof) const = 0;

  // Checks that a root statement is the statement of this whole request (covers every shard and
  // starts at initial_state()); throws ErrorKind::VerifyFailed otherwise. Written once here.
  void check_root(const ShardStatement& root) const;
};

}  // namespace tessera
