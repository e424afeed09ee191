#include "stark/proof.hpp"

#include <algorithm>

#include "common/check.hpp"
#include "io/byte_io.hpp"
#include "stark/config.hpp"
#include "stark/machine.hpp"

namespace tessera {

namespace {
constexpr uint32_t kMaxConfigName = 32;
constexpr uint32_t kMaxMachineName = 256;

void write_digest(ByteWriter& w, const Digest& d) {
  for (const auto& x : d) w.felt(x);
}
Digest read_digest(ByteReader& r, const char* what) {
  Digest d;
  for (auto& x : d) x = r.felt(what);
  return d;
}
void write_exts(ByteWriter& w, const std::vector<BabyBear4>& v) {
  w.u32(static_cast<uint32_t>(v.size()));
  for (const auto& x : v) w.ext(x);
}
// A list whose length must be exactly `expected` (known from the machine).
std::vector<BabyBear4> read_exts(ByteReader& r, size_t expected, const std::string& what) {
  const uint32_t n = r.length(what, expected);
  TESSERA_CHECK(n == expected, ErrorKind::Format,
                "malformed proof: " << what << " has " << n << " values, expected " << expected);
  std::vector<BabyBear4> v(n);
  for (auto& x : v) x = r.ext(what);
  return v;
}
}  // namespace

uint32_t max_log_height(const FriConfig& fri) {
  return fri.max_log_height();
}

PcsProofShape shard_pcs_shape(const Machine& machine, const FriConfig& fri,
                              std::span<const uint32_t> log_heights) {
  TESSERA_ASSERT(log_heights.size() == machine.num_tables());
  PcsProofShape shape{fri, {}};
  std::vector<MatrixDims> prep, main, perm, quotient;
  for (size_t t = 0; t < machine.num_tables(); ++t) {
    const TableLayout& l = machine.layout(t);
    const size_t n = size_t{1} << log_heights[t];
    if (l.preprocessed_width > 0) prep.push_back({l.preprocessed_width, n});
    main.push_back({l.width, n});
    if (l.has_interactions()) perm.push_back({l.permutation_width(), n});
    for (size_t c = 0; c < l.num_quotient_chunks(); ++c) quotient.push_back({4, n});
  }
  if (!prep.empty()) shape.rounds.push_back(std::move(prep));
  shape.rounds.push_back(std::move(main));
  if (!perm.empty()) shape.rounds.push_back(std::move(perm));
  shape.rounds.push_back(std::move(quotient));
  return shape;
}

std::vector<uint8_t> serialize_shard_proof(const ShardProof& p) {
  ByteWriter w;
  w.u32(kShardProofMagic);
  w.u32(kShardProofVersion);
  w.str(p.config);
  w.u32(p.fri.log_blowup);
  w.u32(p.fri.num_queries);
  w.u32(p.fri.pow_bits);
  w.u32(p.fri.log_final_poly_len);
  w.str(p.machine);
  w.u32(static_cast<uint32_t>(p.log_heights.size()));
  for (size_t t = 0; t < p.log_heights.size(); ++t) {
    w.u32(p.log_heights[t]);
    w.u32(static_cast<uint32_t>(p.public_values[t].size()));
    for (const auto& v : p.public_values[t]) w.felt(v);
  }
  write_digest(w, p.main_commitment);
  const bool has_perm = std::any_of(p.opened.begin(), p.opened.end(),
                                    [](const auto& o) { return !o.permutation_local.empty(); });
  if (has_perm) write_digest(w, p.permutation_commitment);
  write_digest(w, p.quotient_commitment);
  for (size_t t = 0; t < p.opened.size(); ++t) {
    if (!p.opened[t].permutation_local.empty()) w.ext(p.cumulative_sums[t]);
  }
  for (const auto& o : p.opened) {
    write_exts(w, o.preprocessed_local);
    write_exts(w, o.preprocessed_next);
    write_exts(w, o.main_local);
    write_exts(w, o.main_next);
    write_exts(w, o.permutation_local);
    write_exts(w, o.permutation_next);
    w.u32(static_cast<uint32_t>(o.quotient_chunks.size()));
    for (const auto& c : o.quotient_chunks) write_exts(w, c);
  }
  write_pcs_proof(w, p.pcs);
  return w.take();
}

ShardProof deserialize_shard_proof(std::span<const uint8_t> bytes, const Machine& machine) {
  ByteReader r(bytes);
  ShardProof p;
  const uint32_t magic = r.u32("proof magic");
  TESSERA_CHECK(magic == kShardProofMagic, ErrorKind::Format,
                "malformed proof: not a Tessera shard proof (bad magic)");
  const uint32_t version = r.u32("proof format version");
  TESSERA_CHECK(version == kShardProofVersion, ErrorKind::Format,
                "malformed proof: format version " << version << ", this build reads version "
                                                   << kShardProofVersion);
  p.config = r.str("configuration name", kMaxConfigName);
  const StarkConfig config = stark_config(p.config);  // ConfigMismatch when unknown
  p.fri.log_blowup = r.u32("log_blowup");
  p.fri.num_queries = r.u32("num_queries");
  p.fri.pow_bits = r.u32("pow_bits");
  p.fri.log_final_poly_len = r.u32("log_final_poly_len");
  TESSERA_CHECK(
      p.fri == config.fri, ErrorKind::ConfigMismatch,
      "proof claims configuration '" << p.config << "' with parameters that are not its own");
  p.machine = r.str("machine name", kMaxMachineName);
  TESSERA_CHECK(p.machine == machine.name(), ErrorKind::ConfigMismatch,
                "the proof is for machine '" << p.machine << "', not '" << machine.name() << "'");
  const size_t T = machine.num_tables();
  const uint32_t tables = r.length("number of tables", T);
  TESSERA_CHECK(
      tables == T, ErrorKind::Format,
      "malformed proof: " << tables << " tables, machine " << machine.name() << " has " << T);
  p.log_heights.resize(T);
  p.public_values.resize(T);
  for (size_t t = 0; t < T; ++t) {
    const TableLayout& l = machine.layout(t);
    p.log_heights[t] = r.u32("table log height");
    TESSERA_CHECK(
        p.log_heights[t] <= max_log_height(p.fri) && p.log_heights[t] >= p.fri.log_final_poly_len,
        ErrorKind::Format,
        "malformed proof: table " << l.name << " claims 2^" << p.log_heights[t]
                                  << " rows, outside [2^" << p.fri.log_final_poly_len << ", 2^"
                                  << max_log_height(p.fri) << "]");
    const uint32_t npv = r.length("public values", l.num_public_values);
    TESSERA_CHECK(npv == l.num_public_values, ErrorKind::Format,
                  "malformed proof: table " << l.name << " has " << npv
                                            << " public values, expected " << l.num_public_values);
    p.public_values[t].resize(npv);
    for (auto& v : p.public_values[t]) v = r.felt("public value");
  }
  p.main_commitment = read_digest(r, "main commitment");
  if (machine.has_interactions())
    p.permutation_commitment = read_digest(r, "permutation commitment");
  p.quotient_commitment = read_digest(r, "quotient commitment");
  p.cumulative_sums.assign(T, BabyBear4::zero());
  for (size_t t = 0; t < T; ++t) {
    if (machine.layout(t).has_interactions()) p.cumulative_sums[t] = r.ext("cumulative sum");
  }
  p.opened.resize(T);
  for (size_t t = 0; t < T; ++t) {
    const TableLayout& l = machine.layout(t);
    OpenedTableValues& o = p.opened[t];
    const std::string tn = "table " + l.name + " ";
    o.preprocessed_local = read_exts(r, l.preprocessed_width, tn + "preprocessed values at zeta");
    o.preprocessed_next = read_exts(r, l.preprocessed_width, tn + "preprocessed values at zeta*g");
    o.main_local = read_exts(r, l.width, tn + "main values at zeta");
    o.main_next = read_exts(r, l.width, tn + "main values at zeta*g");
    o.permutation_local = read_exts(r, l.permutation_width(), tn + "LogUp values at zeta");
    o.permutation_next = read_exts(r, l.permutation_width(), tn + "LogUp values at zeta*g");
    const uint32_t chunks = r.length("quotient chunks", l.num_quotient_chunks());
    TESSERA_CHECK(chunks == l.num_quotient_chunks(), ErrorKind::Format,
                  "malformed proof: " << tn << "has " << chunks << " quotient chunks, expected "
                                      << l.num_quotient_chunks());
    o.quotient_chunks.resize(chunks);
    for (auto& c : o.quotient_chunks) c = read_exts(r, 4, tn + "quotient chunk at zeta");
  }
  p.pcs = read_pcs_proof(r, shard_pcs_shape(machine, p.fri, p.log_heights));
  r.expect_end("shard proof");
  return p;
}

}  // namespace tessera
