#include "machine/rv32im_state.hpp"

#include "common/check.hpp"
#include "io/byte_io.hpp"
#include "vm/guest_abi.hpp"

namespace tessera::rv32im {

namespace {

constexpr uint32_t kCheckpointMagic = 0x4b435652;  // "RVCK" little endian
constexpr uint32_t kCheckpointVersion = 1;
constexpr uint32_t kMaxSiblings = 1u << 24;

void put_digest(std::vector<BabyBear>& v, size_t at, const Digest& d) {
  for (size_t i = 0; i < kDigestElems; ++i) v[at + i] = d[i];
}
Digest get_digest(std::span<const BabyBear> v, size_t at) {
  Digest d;
  for (size_t i = 0; i < kDigestElems; ++i) d[i] = v[at + i];
  return d;
}
void put_sponge(std::vector<BabyBear>& v, size_t at, size_t count_at, const vm::RunningDigest& r) {
  for (size_t i = 0; i < 16; ++i) v[at + i] = r.state()[i];
  v[count_at] = BabyBear::from_u64(r.byte_count());
}
vm::RunningDigest get_sponge(std::span<const BabyBear> v, size_t at, size_t count_at,
                             uint32_t domain) {
  Poseidon2State s;
  for (size_t i = 0; i < 16; ++i) s[i] = v[at + i];
  const uint64_t count = v[count_at].as_u32();
  return vm::RunningDigest::from_parts(domain, s, static_cast<uint32_t>(count % 8), count);
}
bool get_flag(std::span<const BabyBear> v, size_t at, const char* what) {
  TESSERA_CHECK(v[at].as_u32() <= 1, ErrorKind::Format,
                "malformed rv32im state: the " << what << " flag is " << v[at].as_u32());
  return v[at].as_u32() == 1;
}

}  // namespace

std::vector<BabyBear> state_felts(const MachineStatement& s) {
  namespace si = state_index;
  std::vector<BabyBear> v(si::kSize, BabyBear::zero());
  put_digest(v, si::kProgram, s.program);
  v[si::kPc] = BabyBear::from_u32(s.pc);
  v[si::kCycleLo] = BabyBear::from_u64(s.cycle & 0xffffff);
  v[si::kCycleHi] = BabyBear::from_u64(s.cycle >> 24);
  put_digest(v, si::kRoot, s.root);
  put_sponge(v, si::kInput, si::kInputCount, s.input);
  v[si::kInputEof] = s.input_eof ? BabyBear::one() : BabyBear::zero();
  put_sponge(v, si::kOutput, si::kOutputCount, s.output);
  v[si::kHalted] = s.halted ? BabyBear::one() : BabyBear::zero();
  v[si::kExitLo] = BabyBear::from_u32(s.exit_code & 0xffff);
  v[si::kExitHi] = BabyBear::from_u32(s.exit_code >> 16);
  return v;
}

MachineStatement statement_of(std::span<const BabyBear> v) {
  namespace si = state_index;
  TESSERA_CHECK(v.size() == si::kSize, ErrorKind::Format,
                "malformed rv32im state: " << v.size() << " elements, expected " << si::kSize);
  MachineStatement s;
  s.program = get_digest(v, si::kProgram);
  s.pc = v[si::kPc].as_u32();
  TESSERA_CHECK(v[si::kCycleLo].as_u32() < (1u << 24), ErrorKind::Format,
                "malformed rv32im state: cycle low part out of range");
  s.cycle = uint64_t{v[si::kCycleHi].as_u32()} << 24 | v[si::kCycleLo].as_u32();
  s.root = get_digest(v, si::kRoot);
  s.input = get_sponge(v, si::kInput, si::kInputCount, vm::kInputDigestDomain);
  s.input_eof = get_flag(v, si::kInputEof, "input end-of-file");
  s.output = get_sponge(v, si::kOutput, si::kOutputCount, vm::kOutputDigestDomain);
  s.halted = get_flag(v, si::kHalted, "halted");
  TESSERA_CHECK(v[si::kExitLo].as_u32() < 65536 && v[si::kExitHi].as_u32() < 65536,
                ErrorKind::Format, "malformed rv32im state: exit code halves out of range");
  s.exit_code = v[si::kExitLo].as_u32() | v[si::kExitHi].as_u32() << 16;
  return s;
}

std::vector<uint8_t> serialize_shard_checkpoint(const ShardCheckpoint& c) {
  ByteWriter w;
  w.u32(kCheckpointMagic);
  w.u32(kCheckpointVersion);
  const std::vector<uint8_t> inner = vm::serialize_checkpoint(c.vm);
  w.u64(inner.size());
  w.bytes(inner);
  w.u32(static_cast<uint32_t>(c.siblings.size()));
  for (const Digest& d : c.siblings)
    for (const BabyBear x : d) w.felt(x);
  return w.take();
}

ShardCheckpoint parse_shard_checkpoint(std::span<const uint8_t> bytes) {
  ByteReader r(bytes);
  TESSERA_CHECK(r.u32("rv32im checkpoint magic") == kCheckpointMagic, ErrorKind::Format,
                "malformed data: not an rv32im shard checkpoint (bad magic)");
  const uint32_t version = r.u32("rv32im checkpoint version");
  TESSERA_CHECK(version == kCheckpointVersion, ErrorKind::Format,
                "malformed data: rv32im checkpoint version " << version << ", expected "
                                                             << kCheckpointVersion);
  ShardCheckpoint c;
  const uint64_t n = r.u64("executor checkpoint length");
  TESSERA_CHECK(n <= r.remaining(), ErrorKind::Format,
                "malformed data: truncated rv32im checkpoint (executor part of " << n << " bytes)");
  c.vm = vm::parse_checkpoint(r.bytes(static_cast<size_t>(n), "executor checkpoint"));
  const uint32_t siblings = r.length("memory-tree siblings", kMaxSiblings);
  TESSERA_CHECK(uint64_t{siblings} * 32 <= r.remaining(), ErrorKind::Format,
                "malformed data: truncated rv32im checkpoint (siblings)");
  c.siblings.resize(siblings);
  for (Digest& d : c.siblings)
    for (BabyBear& x : d) x = r.felt("memory-tree sibling");
  r.expect_end("rv32im checkpoint");
  return c;
}

}  // namespace tessera::rv32im
