// The rv32im ShardedMachine (rv32im_machine.hpp).
#include "machine/rv32im_machine.hpp"

#include <bit>
#include <charconv>

#include "backend/cpu_backend.hpp"
#include "common/check.hpp"
#include "common/nvtx.hpp"
#include "machine/absorb_table.hpp"
#include "machine/memory_tree.hpp"
#include "machine/merkle_table.hpp"
#include "machine/shard_table.hpp"
#include "stark/proof.hpp"
#include "stark/verifier.hpp"
#include "vm/elf_loader.hpp"

namespace tessera::rv32im {

namespace {

uint64_t number(const std::map<std::string, std::string>& p, const std::string& key) {
  const auto it = p.find(key);
  TESSERA_CHECK(it != p.end(), ErrorKind::InvalidArgument, "parameter '" << key << "' is missing");
  uint64_t v = 0;
  const std::string& s = it->second;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  TESSERA_CHECK(!s.empty() && ec == std::errc() && ptr == s.data() + s.size(),
                ErrorKind::InvalidArgument,
                "parameter '" << key << "' = '" << s << "' is not a number");
  return v;
}

std::string text(const std::map<std::string, std::string>& p, const std::string& key) {
  const auto it = p.find(key);
  TESSERA_CHECK(it != p.end(), ErrorKind::InvalidArgument, "parameter '" << key << "' is missing");
  return it->second;
}

void validate(const Rv32imRequest& r) {
  TESSERA_CHECK(std::has_single_bit(r.shard_cycles) && r.shard_cycles >= 4 &&
                    r.shard_cycles <= (uint64_t{1} << kLogMaxShardCycles),
                ErrorKind::InvalidArgument,
                "rv32im: --shard-cycles " << r.shard_cycles << " must be a power of two in [4, 2^"
                                          << kLogMaxShardCycles << "]");
  TESSERA_CHECK(r.max_cycles > 0, ErrorKind::InvalidArgument,
                "rv32im: --max-cycles must be positive");
}

std::string input_digest_hex(std::span<const uint8_t> input) {
  vm::RunningDigest d = vm::RunningDigest::input();
  d.absorb(input);
  return vm::digest_hex(d.digest());
}

// Field element views of a public-value vector.
uint64_t pv_u64(const std::vector<BabyBear>& pv, uint32_t i) {
  return pv.at(i).as_u32();
}

vm::RunningDigest sponge_of(const std::vector<BabyBear>& pv, uint32_t state_at, uint32_t count_at,
                            uint32_t domain) {
  Poseidon2State s;
  for (uint32_t i = 0; i < 16; ++i) s[i] = pv.at(state_at + i);
  const uint64_t count = pv_u64(pv, count_at);
  return vm::RunningDigest::from_parts(domain, s, static_cast<uint32_t>(count % 8), count);
}

Digest digest_at(const std::vector<BabyBear>& pv, uint32_t at) {
  Digest d;
  for (uint32_t i = 0; i < kDigestElems; ++i) d[i] = pv.at(at + i);
  return d;
}

}  // namespace

Rv32imMachine::Rv32imMachine(Rv32imRequest request, std::optional<std::vector<uint8_t>> input,
                             Count count, uint64_t num_shards, std::string input_digest)
    : request_(std::move(request)),
      config_(stark_config(request_.config)),
      input_(std::move(input)),
      num_shards_(num_shards),
      learns_count_(count == Count::Learn),
      input_digest_(std::move(input_digest)) {
  validate(request_);
  program_ = std::make_unique<vm::Program>(vm::parse_elf(request_.elf, vm::kDefaultMaxPages));
  context_ = std::make_unique<ProgramContext>(*program_);
  stark_ = std::make_unique<Rv32imStark>(context_->image);
  initial_root_ = initial_memory_tree(*program_, context_->classes).root();
  if (input_) input_digest_ = input_digest_hex(*input_);
  if (count == Count::Execute) {
    vm::ExecuteOptions o;
    o.max_cycles = request_.max_cycles;
    o.shard_cycles = request_.shard_cycles;
    execution_ = vm::execute(*program_, *input_, o);
    num_shards_ = execution_->checkpoints.size();
  }
  TESSERA_CHECK(learns_count_ || num_shards_ > 0, ErrorKind::InvalidArgument,
                "rv32im: the request has no shards");
  CpuBackend cpu;
  pk_ = setup(stark_->machine(), config_.name, cpu);
}

std::unique_ptr<Rv32imMachine> Rv32imMachine::for_proving(Rv32imRequest request,
                                                          std::vector<uint8_t> input) {
  return std::unique_ptr<Rv32imMachine>(
      new Rv32imMachine(std::move(request), std::move(input), Count::Execute, 0, ""));
}

std::unique_ptr<Rv32imMachine> Rv32imMachine::for_pipeline(Rv32imRequest request,
                                                           std::vector<uint8_t> input) {
  return std::unique_ptr<Rv32imMachine>(
      new Rv32imMachine(std::move(request), std::move(input), Count::Learn, 0, ""));
}

void Rv32imMachine::adopt_shard_count(uint64_t count) const {
  TESSERA_CHECK(learns_count_, ErrorKind::Internal,
                "rv32im: this machine knows its shard count (" << num_shards() << ")");
  uint64_t unknown = 0;
  TESSERA_CHECK(
      count > 0 && (num_shards_.compare_exchange_strong(unknown, count) || unknown == count),
      ErrorKind::Internal,
      "rv32im: shard count " << count << " adopted, the machine has " << unknown);
}

std::optional<std::vector<uint8_t>> Rv32imMachine::public_output() const {
  if (execution_) return execution_->public_output;
  std::lock_guard lock(output_mu_);
  return streamed_output_;
}

std::unique_ptr<Rv32imMachine> Rv32imMachine::from_request(
    const std::map<std::string, std::string>& parameters,
    const std::map<std::string, std::vector<uint8_t>>& blobs) {
  Rv32imRequest r;
  const auto elf = blobs.find("elf");
  TESSERA_CHECK(elf != blobs.end(), ErrorKind::InvalidArgument,
                "the rv32im request does not hold its program (blob 'elf')");
  r.elf = elf->second;
  r.shard_cycles = number(parameters, "shard_cycles");
  r.max_cycles = number(parameters, "max_cycles");
  r.config = text(parameters, "config");
  const std::string digest = text(parameters, "input_digest");
  if (const auto input = blobs.find("input"); input != blobs.end()) {
    // A kept input must be the one the request was proven with.
    TESSERA_CHECK(input_digest_hex(input->second) == digest, ErrorKind::Format,
                  "malformed data: the recorded input (blob 'input') is not the request's input "
                  "(digest "
                      << input_digest_hex(input->second) << ", the request says " << digest << ")");
    r.keep_input = true;
  }
  auto m = std::unique_ptr<Rv32imMachine>(new Rv32imMachine(
      std::move(r), std::nullopt, Count::Given, number(parameters, "shards"), digest));
  if (m->request_.keep_input) m->recorded_input_ = blobs.at("input");
  return m;
}

std::map<std::string, std::string> Rv32imMachine::parameters() const {
  return {{"shard_cycles", std::to_string(request_.shard_cycles)},
          {"max_cycles", std::to_string(request_.max_cycles)},
          {"config", config_.name},
          {"shards", std::to_string(num_shards())},
          {"input_digest", input_digest_}};
}

std::map<std::string, std::vector<uint8_t>> Rv32imMachine::blobs() const {
  std::map<std::string, std::vector<uint8_t>> b = {{"elf", request_.elf}};
  if (request_.keep_input) b.emplace("input", input_ ? *input_ : recorded_input_);
  return b;
}

const vm::ExecutionResult& Rv32imMachine::execution() const {
  TESSERA_CHECK(execution_.has_value(), ErrorKind::Internal,
                "rv32im: this machine was built from a request and has not executed the guest");
  return *execution_;
}

std::vector<BabyBear> Rv32imMachine::initial_state() const {
  MachineStatement s;
  s.program = program_digest();
  s.pc = program_->entry();
  s.root = initial_root_;
  return state_felts(s);
}

void Rv32imMachine::emit_checkpoints(const CheckpointSink& emit) const {
  TESSERA_CHECK(input_.has_value(), ErrorKind::Internal,
                "rv32im: a machine built from a recorded request cannot execute the guest");
  TESSERA_RANGE("rv32im.execute");
  // Each shard's checkpoint goes out the moment the shard ends, with the sibling paths of its
  // touched pages in the memory tree as the shard starts; the tree then takes the pages' end
  // contents.
  MemoryTree tree = initial_memory_tree(*program_, context_->classes);
  uint64_t emitted = 0;
  vm::ExecuteOptions o;
  o.max_cycles = request_.max_cycles;
  o.shard_cycles = request_.shard_cycles;
  o.keep_shard_ends = true;
  o.on_shard = [&](vm::Checkpoint&& checkpoint, vm::ShardEnd&& end) {
    ShardCheckpoint c;
    c.vm = std::move(checkpoint);
    std::vector<uint32_t> pages;
    pages.reserve(c.vm.pages.size());
    for (const auto& p : c.vm.pages) pages.push_back(p.index);
    c.siblings = path_siblings(tree, path_union(pages));
    std::vector<std::pair<uint32_t, Digest>> leaves;
    for (const auto& p : end.pages) {
      leaves.emplace_back(p.index, page_digest(p.bytes, context_->classes.of_page(p.index)));
    }
    tree.set_pages(leaves);
    emit(emitted++, serialize_shard_checkpoint(c));
  };
  vm::ExecutionResult run = vm::execute(*program_, *input_, o);
  if (learns_count_) {
    adopt_shard_count(emitted);
    std::lock_guard lock(output_mu_);
    streamed_output_ = std::move(run.public_output);
  }
}

std::vector<uint8_t> Rv32imMachine::prove_shard(uint64_t index, std::span<const uint8_t> checkpoint,
                                                Backend& backend) const {
  ProveOptions options;
  options.debug_check = debug_check();
  return prove_shard_with(index, checkpoint, backend, options);
}

ShardWitness Rv32imMachine::witness(uint64_t index, std::span<const uint8_t> checkpoint) const {
  // (A machine that learns its count may prove shards before it knows it.)
  const uint64_t n = num_shards();
  TESSERA_CHECK(index < n || (learns_count_ && n == 0), ErrorKind::InvalidArgument,
                "rv32im: shard " << index << " requested, the request has " << n << " shards");
  const ShardCheckpoint c = parse_shard_checkpoint(checkpoint);
  TESSERA_CHECK(
      c.vm.shard_index == index && c.vm.start_cycle == index * request_.shard_cycles,
      ErrorKind::InvalidArgument,
      "rv32im: the checkpoint of shard " << c.vm.shard_index << " given to prove shard " << index);
  TESSERA_CHECK(c.vm.program_fingerprint == program_->fingerprint(), ErrorKind::ConfigMismatch,
                "rv32im: the checkpoint of shard " << index << " belongs to another program");
  // A machine that executed the guest knows every shard's start: a checkpoint of the same
  // program from another input or another run would prove a shard that does not chain.
  TESSERA_CHECK(
      !execution_ || c.vm == execution_->checkpoints.at(index), ErrorKind::ConfigMismatch,
      "rv32im: the checkpoint of shard " << index << " is not this request's (another input?)");
  return build_shard_witness(*context_, *stark_, c.vm, c.siblings);
}

std::vector<uint8_t> Rv32imMachine::prove_shard_with(uint64_t index,
                                                     std::span<const uint8_t> checkpoint,
                                                     Backend& backend, const ProveOptions& options,
                                                     const WitnessTamper& tamper) const {
  ShardWitness w = witness(index, checkpoint);
  if (tamper) tamper(w);
  return serialize_shard_proof(
      prove(stark_->machine(), pk_, std::move(w.tables), backend, options));
}

ShardStatement Rv32imMachine::verify_shard(uint64_t index, std::span<const uint8_t> bytes) const {
  const uint64_t n = num_shards();
  TESSERA_CHECK(index < n || (learns_count_ && n == 0), ErrorKind::InvalidArgument,
                "rv32im: shard " << index << " does not exist, the request has " << n << " shards");
  const ShardProof proof = deserialize_shard_proof(bytes, stark_->machine());
  VerifyOptions options;
  options.allow_insecure = config_.insecure();
  verify(stark_->machine(), pk_.vk, proof, options);

  // The proof is valid; now it must be the proof of THIS shard of THIS request.
  namespace pv = shard_pv;
  namespace apv = absorb_pv;
  const std::vector<BabyBear>& sh = proof.public_values.at(kTableShard);
  const std::vector<BabyBear>& mk = proof.public_values.at(kTableMerkle);
  const std::vector<BabyBear>& in = proof.public_values.at(kTableAbsorbInput);
  const std::vector<BabyBear>& out = proof.public_values.at(kTableAbsorbOutput);
  const auto fail = [index](const std::string& why) {
    TESSERA_FAIL(ErrorKind::VerifyFailed, "rv32im shard " << index << ": " << why);
  };
  if (pv_u64(sh, pv::kShardIndex) != index) {
    fail("the proof is of shard " + std::to_string(pv_u64(sh, pv::kShardIndex)));
  }
  const uint64_t start_cycle = pv_u64(sh, pv::kStartCycleHi) << 24 | pv_u64(sh, pv::kStartCycleLo);
  if (pv_u64(sh, pv::kStartCycleLo) >= (1u << 24) || start_cycle != index * request_.shard_cycles) {
    fail("the proof starts at another cycle than shard " + std::to_string(index));
  }
  const uint64_t cycles = pv_u64(sh, pv::kCycles);
  const uint64_t halted = pv_u64(sh, pv::kHalted);
  if (halted > 1 || cycles == 0 || cycles > request_.shard_cycles ||
      (halted == 0 && cycles != request_.shard_cycles)) {
    fail("the proof covers " + std::to_string(cycles) + " cycles; shards have " +
         std::to_string(request_.shard_cycles) + " (fewer only when the guest halts)");
  }
  if (pv_u64(sh, pv::kEof) > 1 || pv_u64(sh, pv::kEndEof) > 1) fail("malformed end-of-file flags");
  if (sh.at(pv::kInCount) != in.at(apv::kStartCount) ||
      sh.at(pv::kEndInCount) != in.at(apv::kEndCount) ||
      sh.at(pv::kOutCount) != out.at(apv::kStartCount) ||
      sh.at(pv::kEndOutCount) != out.at(apv::kEndCount) ||
      pv_u64(in, apv::kStartPos) != pv_u64(in, apv::kStartCount) % 8 ||
      pv_u64(out, apv::kStartPos) != pv_u64(out, apv::kStartCount) % 8) {
    fail("the input and output counters of the shard table and the digests disagree");
  }

  MachineStatement start, end;
  start.program = end.program = program_digest();
  start.pc = static_cast<uint32_t>(pv_u64(sh, pv::kStartPc));
  end.pc = static_cast<uint32_t>(pv_u64(sh, pv::kEndPc));
  start.cycle = start_cycle;
  end.cycle = start_cycle + cycles;
  start.root = digest_at(mk, 0);
  end.root = digest_at(mk, kDigestElems);
  try {
    start.input = sponge_of(in, apv::kStartState, apv::kStartCount, vm::kInputDigestDomain);
    end.input = sponge_of(in, apv::kEndState, apv::kEndCount, vm::kInputDigestDomain);
    start.output = sponge_of(out, apv::kStartState, apv::kStartCount, vm::kOutputDigestDomain);
    end.output = sponge_of(out, apv::kEndState, apv::kEndCount, vm::kOutputDigestDomain);
  } catch (const Error& e) {
    fail(std::string("malformed digest state: ") + e.what());
  }
  start.input_eof = pv_u64(sh, pv::kEof) == 1;
  end.input_eof = pv_u64(sh, pv::kEndEof) == 1;
  end.halted = halted == 1;
  if (pv_u64(sh, pv::kExitLo) >= 65536 || pv_u64(sh, pv::kExitHi) >= 65536)
    fail("malformed exit code");
  end.exit_code = static_cast<uint32_t>(pv_u64(sh, pv::kExitHi) << 16 | pv_u64(sh, pv::kExitLo));
  return {index, index + 1, state_felts(start), state_felts(end)};
}

std::vector<std::pair<std::string, std::string>> Rv32imMachine::describe_root(
    const ShardStatement& root) const {
  const MachineStatement s = statement_of(root.end_state);
  return {{"program_digest", vm::digest_hex(s.program)},
          {"exit_code", std::to_string(s.exit_code)},
          {"cycles", std::to_string(s.cycle)},
          {"output_digest", vm::digest_hex(s.output.digest())},
          {"output_bytes", std::to_string(s.output.byte_count())},
          {"input_digest", vm::digest_hex(s.input.digest())},
          {"input_bytes_read", std::to_string(s.input.byte_count())},
          {"memory_root", vm::digest_hex(s.root)}};
}

void Rv32imMachine::check_end_state(const std::vector<BabyBear>& end_state) const {
  const MachineStatement s = statement_of(end_state);
  TESSERA_CHECK(s.halted, ErrorKind::VerifyFailed,
                "the root statement does not end with the guest halted (a truncated run)");
}

}  // namespace tessera::rv32im
