// The hashchain ShardedMachine (hashchain_machine.hpp).

#include "air/hashchain_machine.hpp"

#include <bit>
#include <string>
#include <utility>

#include "backend/cpu_backend.hpp"
#include "common/check.hpp"
#include "io/byte_io.hpp"
#include "stark/proof.hpp"
#include "stark/verifier.hpp"

namespace tessera {

namespace {

constexpr uint32_t kCheckpointMagic = 0x50434348;  // "HCCP" little endian
constexpr uint32_t kCheckpointVersion = 1;

HashchainParams validated(HashchainParams p) {
  TESSERA_CHECK(p.steps > 0, ErrorKind::InvalidArgument,
                "hashchain: the number of steps must be positive");
  TESSERA_CHECK(p.shard_steps > 0 && std::has_single_bit(p.shard_steps), ErrorKind::InvalidArgument,
                "hashchain: shard steps " << p.shard_steps
                                          << " is not a power of two (it is the table height)");
  TESSERA_CHECK(p.steps <= kHashchainMaxSteps, ErrorKind::InvalidArgument,
                "hashchain: " << p.steps << " steps exceed the limit of 2^30");
  TESSERA_CHECK(p.steps % p.shard_steps == 0, ErrorKind::InvalidArgument,
                "hashchain: " << p.steps << " steps is not a multiple of the shard size "
                              << p.shard_steps
                              << " (every shard proves exactly shard-steps steps)");
  return p;
}

Machine hashchain_stark_machine() {
  Machine m("hashchain");
  m.add(HashchainAir{});
  return m;
}

}  // namespace

std::vector<uint8_t> write_hashchain_checkpoint(const HashchainCheckpoint& c) {
  ByteWriter w;
  w.u32(kCheckpointMagic);
  w.u32(kCheckpointVersion);
  w.u64(c.shard);
  w.u64(c.first_step);
  for (const BabyBear x : c.start) w.felt(x);
  return w.take();
}

HashchainCheckpoint read_hashchain_checkpoint(std::span<const uint8_t> bytes) {
  ByteReader r(bytes);
  TESSERA_CHECK(r.u32("hashchain checkpoint magic") == kCheckpointMagic, ErrorKind::Format,
                "malformed data: not a hashchain checkpoint (bad magic)");
  const uint32_t version = r.u32("hashchain checkpoint version");
  TESSERA_CHECK(version == kCheckpointVersion, ErrorKind::Format,
                "malformed data: hashchain checkpoint version " << version << ", expected "
                                                                << kCheckpointVersion);
  HashchainCheckpoint c;
  c.shard = r.u64("checkpoint shard index");
  c.first_step = r.u64("checkpoint first step");
  for (BabyBear& x : c.start) x = r.felt("checkpoint start digest");
  r.expect_end("hashchain checkpoint");
  return c;
}

HashchainMachine::HashchainMachine(HashchainParams params)
    : params_(validated(std::move(params))),
      config_(stark_config(params_.config)),
      machine_(hashchain_stark_machine()) {
  TESSERA_CHECK(std::countr_zero(params_.shard_steps) <= int(max_log_height(config_.fri)),
                ErrorKind::InvalidArgument,
                "hashchain: shards of "
                    << params_.shard_steps << " steps are too tall for configuration "
                    << config_.name << " (at most 2^" << max_log_height(config_.fri) << " rows)");
  // No preprocessed columns: the key only names the machine and configuration; no backend
  // work is done.
  CpuBackend cpu;
  vk_ = setup(machine_, config_.name, cpu).vk;
}

std::map<std::string, std::string> HashchainMachine::parameters() const {
  return {{"steps", std::to_string(params_.steps)},
          {"shard_steps", std::to_string(params_.shard_steps)},
          {"seed", std::to_string(params_.seed)},
          {"config", config_.name}};
}

std::vector<BabyBear> HashchainMachine::state(const Digest& digest, uint64_t step) {
  std::vector<BabyBear> s(digest.begin(), digest.end());
  s.push_back(BabyBear::from_u64(step));
  return s;
}

std::vector<BabyBear> HashchainMachine::initial_state() const {
  return state(hashchain_initial_digest(params_.seed), 0);
}

void HashchainMachine::emit_checkpoints(const CheckpointSink& emit) const {
  Digest h = hashchain_initial_digest(params_.seed);
  const uint64_t n = num_shards();
  for (uint64_t s = 0; s < n; ++s) {
    const uint64_t first = s * params_.shard_steps;
    emit(s, write_hashchain_checkpoint({s, first, h}));
    // The chain's end is no checkpoint: the last shard's steps are left to its prover.
    if (s + 1 < n) h = hashchain_advance(params_.seed, h, first, params_.shard_steps);
  }
}

std::vector<uint8_t> HashchainMachine::prove_shard(uint64_t index,
                                                   std::span<const uint8_t> checkpoint,
                                                   Backend& backend) const {
  ProveOptions options;
  options.debug_check = debug_check();
  return prove_shard_with(index, checkpoint, backend, options);
}

std::vector<uint8_t> HashchainMachine::prove_shard_with(uint64_t index,
                                                        std::span<const uint8_t> checkpoint,
                                                        Backend& backend,
                                                        const ProveOptions& options,
                                                        const TraceTamper& tamper) const {
  TESSERA_CHECK(
      index < num_shards(), ErrorKind::InvalidArgument,
      "hashchain: shard " << index << " requested, the request has " << num_shards() << " shards");
  const HashchainCheckpoint c = read_hashchain_checkpoint(checkpoint);
  TESSERA_CHECK(c.shard == index && c.first_step == index * params_.shard_steps,
                ErrorKind::InvalidArgument,
                "hashchain: checkpoint of shard " << c.shard << " (first step " << c.first_step
                                                  << ") given to prove shard " << index);
  HashchainShardWitness w =
      hashchain_shard_witness(params_.seed, c.start, c.first_step, params_.shard_steps);
  if (tamper) tamper(w.trace);
  const ProvingKey pk = setup(machine_, config_.name, backend);
  std::vector<TableWitness> tables;
  tables.push_back({std::move(w.trace), std::move(w.public_values)});
  return serialize_shard_proof(prove(machine_, pk, std::move(tables), backend, options));
}

ShardStatement HashchainMachine::verify_shard(uint64_t index,
                                              std::span<const uint8_t> proof_bytes) const {
  TESSERA_CHECK(index < num_shards(), ErrorKind::InvalidArgument,
                "hashchain: shard " << index << " does not exist, the request has " << num_shards()
                                    << " shards");
  const ShardProof proof = deserialize_shard_proof(proof_bytes, machine_);
  VerifyOptions options;
  // The request names the configuration; a `test` request accepts `test` proofs (and only
  // those: the verifying key pins the configuration).
  options.allow_insecure = config_.insecure();
  verify(machine_, vk_, proof, options);

  // The proof is valid; now it must be the proof of THIS shard of THIS request.
  const uint32_t log_k = static_cast<uint32_t>(std::countr_zero(params_.shard_steps));
  TESSERA_CHECK(
      proof.log_heights.size() == 1 && proof.log_heights[0] == log_k, ErrorKind::VerifyFailed,
      "hashchain shard " << index << ": the proof's table has 2^"
                         << (proof.log_heights.empty() ? 0 : proof.log_heights[0])
                         << " rows, the request's shards have " << params_.shard_steps << " steps");
  const std::vector<BabyBear>& pv = proof.public_values.at(0);
  const uint64_t first = index * params_.shard_steps;
  TESSERA_CHECK(
      pv[hashchain_pv::kSteps] == BabyBear::from_u64(params_.shard_steps), ErrorKind::VerifyFailed,
      "hashchain shard " << index << ": the proof claims " << pv[hashchain_pv::kSteps].as_u32()
                         << " steps, expected " << params_.shard_steps);
  TESSERA_CHECK(pv[hashchain_pv::kFirstStep] == BabyBear::from_u64(first), ErrorKind::VerifyFailed,
                "hashchain shard " << index << ": the proof starts after step "
                                   << pv[hashchain_pv::kFirstStep].as_u32() << ", shard " << index
                                   << " starts after step " << first
                                   << " (a proof of another shard)");
  Digest start, end;
  for (size_t i = 0; i < kDigestElems; ++i) {
    start[i] = pv[hashchain_pv::kStartDigest + i];
    end[i] = pv[hashchain_pv::kEndDigest + i];
  }
  return {index, index + 1, state(start, first), state(end, first + params_.shard_steps)};
}

}  // namespace tessera
