#include "mpi/pipeline_messages.hpp"

#include "common/check.hpp"
#include "io/byte_io.hpp"
#include "mpi/messaging.hpp"

namespace tessera::mpi {

namespace {
constexpr uint32_t kMaxText = 1u << 20;
constexpr uint64_t kMaxCheckpointBytes = uint64_t{1} << 31;
constexpr uint64_t kMaxParameters = 1024;

void write_failure(ByteWriter& w, const std::optional<Failure>& f) {
  w.u8(f ? 1 : 0);
  if (f) {
    w.u32(static_cast<uint32_t>(f->kind));
    w.str(f->message);
  }
}

std::optional<Failure> read_failure(ByteReader& r, const char* what) {
  if (r.u8(what) == 0) return std::nullopt;
  Failure f;
  f.kind = static_cast<ErrorKind>(r.u32(what));
  f.message = r.str(what, kMaxText);
  return f;
}
}  // namespace

std::optional<Failure> agree(const Communicator& comm, const std::optional<Failure>& mine) {
  ByteWriter w;
  write_failure(w, mine);
  for (const auto& bytes : allgather_bytes(comm.get(), w.data())) {
    ByteReader r(bytes);
    if (auto f = read_failure(r, "verdict")) return f;
  }
  return std::nullopt;
}

Failure execution_failure(const std::string& machine, const std::exception_ptr& e) {
  const std::string what = "executing " + machine + " failed: ";
  try {
    std::rethrow_exception(e);
  } catch (const Error& err) {
    return {err.kind(), err.what()};  // its kind says what failed (a guest trap, a cycle limit)
  } catch (const std::exception& err) {
    return {ErrorKind::Internal, what + err.what()};
  } catch (...) {
    return {ErrorKind::Internal, what + "an exception of unknown type"};
  }
}

std::vector<uint8_t> frame(uint32_t slot, const std::vector<uint8_t>& payload) {
  ByteWriter w;
  w.u32(slot);
  w.bytes(payload);
  return w.take();
}

std::pair<uint32_t, std::vector<uint8_t>> unframe(const std::vector<uint8_t>& bytes) {
  ByteReader r(bytes);
  const uint32_t slot = r.u32("message slot");
  auto rest = r.bytes(r.remaining(), "message payload");
  return {slot, std::vector<uint8_t>(rest.begin(), rest.end())};
}

std::vector<uint8_t> encode(const OpenMsg& m) {
  ByteWriter w;
  const RequestTicket& t = m.ticket;
  w.str(t.key);
  w.str(t.machine);
  w.u64(t.parameters.size());
  for (const auto& [k, v] : t.parameters) {
    w.str(k);
    w.str(v);
  }
  w.str(t.out.string());
  w.u8(t.resume ? 1 : 0);
  w.u8(t.force ? 1 : 0);
  w.str(t.resume_hint);
  w.u8(m.scatter ? 1 : 0);
  return w.take();
}

OpenMsg decode_open(const std::vector<uint8_t>& bytes) {
  ByteReader r(bytes);
  OpenMsg m;
  RequestTicket& t = m.ticket;
  t.key = r.str("open key", kMaxText);
  t.machine = r.str("open machine", kMaxText);
  const uint64_t count = r.u64("open parameter count");
  TESSERA_CHECK(count <= kMaxParameters, ErrorKind::Format,
                "request with " << count << " parameters");
  for (uint64_t i = 0; i < count; ++i) {
    std::string k = r.str("open parameter name", kMaxText);
    t.parameters[k] = r.str("open parameter value", kMaxText);
  }
  t.out = r.str("open artifact path", kMaxText);
  t.resume = r.u8("open resume") != 0;
  t.force = r.u8("open force") != 0;
  t.resume_hint = r.str("open hint", kMaxText);
  m.scatter = r.u8("open scatter") != 0;
  r.expect_end("open message");
  return m;
}

std::vector<uint8_t> encode(const Setup& s) {
  ByteWriter w;
  w.u8(s.create ? 1 : 0);
  write_failure(w, s.error);
  w.str(s.run_id);
  return w.take();
}

Setup decode_setup(const std::vector<uint8_t>& bytes) {
  ByteReader r(bytes);
  Setup s;
  s.create = r.u8("setup mode") != 0;
  s.error = read_failure(r, "setup error");
  s.run_id = r.str("setup run id", 256);
  return s;
}

std::vector<uint8_t> encode(const DoneMsg& m) {
  ByteWriter w;
  w.u64(m.shard);
  w.u32(m.attempt);
  w.u8(m.ok ? 1 : 0);
  w.u8(m.cancelled ? 1 : 0);
  w.u32(static_cast<uint32_t>(m.kind));
  w.str(m.message);
  w.u64(m.size);
  w.u64(m.checksum);
  return w.take();
}

DoneMsg decode_done(const std::vector<uint8_t>& bytes) {
  ByteReader r(bytes);
  DoneMsg m;
  m.shard = r.u64("done shard");
  m.attempt = r.u32("done attempt");
  m.ok = r.u8("done ok") != 0;
  m.cancelled = r.u8("done cancelled") != 0;
  m.kind = static_cast<ErrorKind>(r.u32("done kind"));
  m.message = r.str("done message", kMaxText);
  m.size = r.u64("done size");
  m.checksum = r.u64("done checksum");
  r.expect_end("done message");
  return m;
}

std::vector<uint8_t> encode_assign(uint64_t shard, uint32_t attempt,
                                   const std::vector<uint8_t>& checkpoint) {
  ByteWriter w;
  w.u64(shard);
  w.u32(attempt);
  w.u64(checkpoint.size());
  w.bytes(checkpoint);
  return w.take();
}

ShardJob decode_assign(const std::vector<uint8_t>& bytes) {
  ByteReader r(bytes);
  ShardJob job;
  job.shard = r.u64("assign shard");
  job.attempt = r.u32("assign attempt");
  const uint64_t size = r.u64("assign checkpoint size");
  TESSERA_CHECK(size <= kMaxCheckpointBytes, ErrorKind::Format,
                "checkpoint of " << size << " bytes");
  auto b = r.bytes(static_cast<size_t>(size), "assign checkpoint");
  job.checkpoint.assign(b.begin(), b.end());
  r.expect_end("assign message");
  return job;
}

std::vector<uint8_t> encode(const WriteMsg& m) {
  ByteWriter w;
  w.u64(m.batch.size());
  for (const AppendEntry& e : m.batch) {
    w.u64(e.shard);
    w.u64(e.size);
    w.u64(e.checksum);
    w.u32(static_cast<uint32_t>(e.holder));
    w.u32(static_cast<uint32_t>(e.prover_rank));
    w.u32(e.attempts);
  }
  w.u64(m.failed.size());
  for (uint64_t s : m.failed) w.u64(s);
  w.u8(m.flush ? 1 : 0);
  return w.take();
}

WriteMsg decode_write(const std::vector<uint8_t>& bytes) {
  ByteReader r(bytes);
  WriteMsg m;
  const uint64_t count = r.u64("write batch size");
  TESSERA_CHECK(count <= r.remaining() / 36, ErrorKind::Format, "write batch of " << count);
  for (uint64_t i = 0; i < count; ++i) {
    AppendEntry e;
    e.shard = r.u64("write shard");
    e.size = r.u64("write size");
    e.checksum = r.u64("write checksum");
    e.holder = static_cast<int32_t>(r.u32("write holder"));
    e.prover_rank = static_cast<int32_t>(r.u32("write prover"));
    e.attempts = r.u32("write attempts");
    m.batch.push_back(e);
  }
  const uint64_t failed = r.u64("write failed count");
  TESSERA_CHECK(failed <= r.remaining() / 8, ErrorKind::Format, "write failed list of " << failed);
  for (uint64_t i = 0; i < failed; ++i) m.failed.push_back(r.u64("write failed shard"));
  m.flush = r.u8("write flush") != 0;
  r.expect_end("write message");
  return m;
}

std::vector<uint8_t> encode(const StopMsg& m) {
  ByteWriter w;
  w.u8(static_cast<uint8_t>(m.end));
  w.u32(static_cast<uint32_t>(m.kind));
  w.str(m.message);
  return w.take();
}

std::vector<uint8_t> encode(const CountMsg& m) {
  ByteWriter w;
  w.u64(m.count);
  write_failure(w, m.failure);
  return w.take();
}

CountMsg decode_count(const std::vector<uint8_t>& bytes) {
  ByteReader r(bytes);
  CountMsg m;
  m.count = r.u64("shard count");
  m.failure = read_failure(r, "count failure");
  r.expect_end("count message");
  return m;
}

StopMsg decode_stop(const std::vector<uint8_t>& bytes) {
  ByteReader r(bytes);
  StopMsg m;
  m.end = static_cast<PipelineResult::End>(r.u8("stop end"));
  m.kind = static_cast<ErrorKind>(r.u32("stop kind"));
  m.message = r.str("stop message", kMaxText);
  r.expect_end("stop message");
  return m;
}

}  // namespace tessera::mpi
