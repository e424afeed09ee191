#pragma once
// The `rv32im` ShardedMachine (DESIGN.md §4): a guest ELF run on private input, cut into shards
// of shard_cycles cycles, each proven by one rv32im STARK proof (rv32im_stark.hpp) whose statement
// is the machine state before and after the shard (rv32im_state.hpp).
//
// Proving side (for_proving): the constructor loads the ELF (ErrorKind::BadElf), executes the
// guest once to learn the shard count (a trap or a run past max_cycles ends here, before anything
// is written, with its own error kind), and builds the proving key once: the program and byte
// tables' commitment, whose root is the program digest of every statement. execute_each
// executes again, keeping the memory tree up to date, and hands out one ShardCheckpoint per
// shard the moment the shard ends.
// For the pipeline (for_pipeline): the same without the first execution. The shard count is
// unknown (shard_count_known() is false) until execute_each has run to the end on the rank that
// executes (a trap or a run past max_cycles is then thrown out of execute_each, after the
// checkpoints of the shards before it), or the count is adopted on the ranks that do not execute.
// Verifying side (from_request): the same machine from an artifact's recorded request (the ELF
// blob and the parameters), without the input.
//
// A shard proof is accepted for shard i of this request only if the STARK verifies against this
// program's verifying key and its public values say shard i, start cycle i * shard_cycles,
// shard_cycles cycles (fewer only for the halting shard), with consistent I/O counters; the
// statement chain then requires each shard to start where the previous ended and the whole run to
// start from initial_state() (program digest, entry pc, the ELF's memory root, empty digests)
// and to end halted.

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "machine/rv32im_stark.hpp"
#include "machine/rv32im_state.hpp"
#include "machine/shard_witness.hpp"
#include "shard/sharded_machine.hpp"
#include "stark/config.hpp"
#include "stark/keys.hpp"
#include "stark/prover.hpp"
#include "vm/executor.hpp"

namespace tessera::rv32im {

inline constexpr uint64_t kDefaultShardCycles = uint64_t{1} << 20;

struct Rv32imRequest {
  std::vector<uint8_t> elf;
  uint64_t shard_cycles = kDefaultShardCycles;
  uint64_t max_cycles = vm::kDefaultMaxCycles;
  std::string config = "core";
  // Record the private input in the artifact (blob "input"): off by default, the input is
  // private; the statement commits to it by its digest either way.
  bool keep_input = false;
};

class Rv32imMachine final : public ShardedMachine {
 public:
  // Loads, executes once, sets up. `input` is kept (the guest reads it again in execute_each).
  static std::unique_ptr<Rv32imMachine> for_proving(Rv32imRequest request,
                                                    std::vector<uint8_t> input);
  // Loads and sets up, without executing: the count is learned by execute_each (DESIGN.md §5).
  static std::unique_ptr<Rv32imMachine> for_pipeline(Rv32imRequest request,
                                                     std::vector<uint8_t> input);
  // From a recorded request (ShardedMachine::parameters() and blobs()); cannot execute.
  static std::unique_ptr<Rv32imMachine> from_request(
      const std::map<std::string, std::string>& parameters,
      const std::map<std::string, std::vector<uint8_t>>& blobs);

  std::string name() const override { return "rv32im"; }
  std::map<std::string, std::string> parameters() const override;
  std::map<std::string, std::vector<uint8_t>> blobs() const override;
  std::string config_name() const override { return config_.name; }
  uint64_t num_shards() const override { return num_shards_.load(); }
  bool shard_count_known() const override { return !learns_count_; }
  void adopt_shard_count(uint64_t count) const override;
  std::vector<BabyBear> initial_state() const override;

  std::vector<uint8_t> prove_shard(uint64_t index, std::span<const uint8_t> checkpoint,
                                   Backend& backend) const override;
  ShardStatement verify_shard(uint64_t index, std::span<const uint8_t> proof) const override;
  std::vector<std::pair<std::string, std::string>> describe_root(
      const ShardStatement& root) const override;
  // Proving side: what the guest wrote to fd 1 (a machine for the pipeline: once execute_each
  // has run to the end; none for a machine built from a request).
  std::optional<std::vector<uint8_t>> public_output() const override;

  // The witness of shard `index` from its checkpoint (what prove_shard proves).
  ShardWitness witness(uint64_t index, std::span<const uint8_t> checkpoint) const;

  // A trace edit applied before proving (soundness tests force wrong witnesses through it).
  using WitnessTamper = std::function<void(ShardWitness& witness)>;
  std::vector<uint8_t> prove_shard_with(uint64_t index, std::span<const uint8_t> checkpoint,
                                        Backend& backend, const ProveOptions& options,
                                        const WitnessTamper& tamper = {}) const;

  const Rv32imRequest& request() const { return request_; }
  const Digest& program_digest() const { return pk_.vk.preprocessed_commitment; }
  const Machine& stark_machine() const { return stark_->machine(); }
  const VerifyingKey& verifying_key() const { return pk_.vk; }
  // Proving side: the run as the constructor's execution saw it.
  const vm::ExecutionResult& execution() const;
  // The statement of a state vector (for reports).
  static MachineStatement decode_state(std::span<const BabyBear> state) {
    return statement_of(state);
  }

 private:
  enum class Count { Execute, Learn, Given };
  Rv32imMachine(Rv32imRequest request, std::optional<std::vector<uint8_t>> input, Count count,
                uint64_t num_shards, std::string input_digest);
  void emit_checkpoints(const CheckpointSink& emit) const override;
  void check_end_state(const std::vector<BabyBear>& end_state) const override;

  Rv32imRequest request_;
  StarkConfig config_;
  std::optional<std::vector<uint8_t>> input_;
  std::unique_ptr<vm::Program> program_;
  std::unique_ptr<ProgramContext> context_;
  std::unique_ptr<Rv32imStark> stark_;
  ProvingKey pk_;  // built once per request (the vk is pk_.vk)
  Digest initial_root_{};
  // Learned by execute_each (or adopted) when learns_count_; 0 until then. Atomic: the
  // pipeline's prover thread reads it while the execution thread or the main thread sets it.
  mutable std::atomic<uint64_t> num_shards_ = 0;
  bool learns_count_ = false;
  std::string input_digest_;  // of the whole input file (its identity in the request)
  std::optional<vm::ExecutionResult> execution_;  // for_proving's first execution
  // What execute_each's run wrote to fd 1 (a machine for the pipeline), set when it ends.
  mutable std::mutex output_mu_;
  mutable std::optional<std::vector<uint8_t>> streamed_output_;
  std::vector<uint8_t> recorded_input_;  // a rebuilt request's kept input (blob "input")
};

}  // namespace tessera::rv32im
