#include "shard/statement.hpp"

namespace tessera {

namespace {
// A state is a handful of field elements; the cap only stops a corrupt length from allocating.
constexpr uint32_t kMaxStateElements = 1u << 12;

void write_state(ByteWriter& w, const std::vector<BabyBear>& state) {
  w.u32(static_cast<uint32_t>(state.size()));
  for (BabyBear x : state) w.felt(x);
}
std::vector<BabyBear> read_state(ByteReader& r, const char* what) {
  const uint32_t n = r.length(what, kMaxStateElements);
  std::vector<BabyBear> out(n);
  for (auto& x : out) x = r.felt(what);
  return out;
}
}  // namespace

ShardStatement merge_statements(const ShardStatement& left, const ShardStatement& right) {
  TESSERA_CHECK(left.end_shard == right.first_shard, ErrorKind::VerifyFailed,
                "statements do not chain: left covers shards ["
                    << left.first_shard << ", " << left.end_shard << "), right starts at shard "
                    << right.first_shard);
  TESSERA_CHECK(left.end_state == right.start_state, ErrorKind::VerifyFailed,
                "statements do not chain: the end state of shards ["
                    << left.first_shard << ", " << left.end_shard
                    << ") differs from the start state of shard " << right.first_shard);
  return {left.first_shard, right.end_shard, left.start_state, right.end_state};
}

void write_statement(ByteWriter& w, const ShardStatement& s) {
  w.u64(s.first_shard);
  w.u64(s.end_shard);
  write_state(w, s.start_state);
  write_state(w, s.end_state);
}

ShardStatement read_statement(ByteReader& r) {
  ShardStatement s;
  s.first_shard = r.u64("statement first shard");
  s.end_shard = r.u64("statement end shard");
  TESSERA_CHECK(s.first_shard < s.end_shard, ErrorKind::Format,
                "malformed data: statement covers the empty shard range [" << s.first_shard << ", "
                                                                           << s.end_shard << ')');
  s.start_state = read_state(r, "statement start state");
  s.end_state = read_state(r, "statement end state");
  return s;
}

std::vector<uint8_t> statement_bytes(const ShardStatement& s) {
  ByteWriter w;
  write_statement(w, s);
  return w.take();
}

ShardStatement statement_from_bytes(std::span<const uint8_t> bytes) {
  ByteReader r(bytes);
  ShardStatement s = read_statement(r);
  r.expect_end("shard statement");
  return s;
}

}  // namespace tessera
