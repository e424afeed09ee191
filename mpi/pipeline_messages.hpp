#pragma once
// The pipeline's messages between rank 0 and the workers, and their byte encodings, plus the
// agreement on errors that every collective step uses. No MPI here except agree(), which is one
// allgather.
//
// With several requests open at once every message belongs to one of them: frame() puts the
// request's slot (a number rank 0 gives each request it opens, unique within the run) in front
// of the payload and unframe() takes it off, so the encodings below stay per request.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "io/artifact.hpp"
#include "mpi/communicator.hpp"
#include "mpi/request_result.hpp"
#include "mpi/shard_worker.hpp"

namespace tessera::mpi {

inline constexpr uint64_t kNoShard = ~uint64_t{0};
inline constexpr uint32_t kAllSlots = ~uint32_t{0};

// ---- agreeing on errors ------------------------------------------------------------------------

struct Failure {
  ErrorKind kind = ErrorKind::Internal;
  std::string message;
};

// Every rank's local error (if any) becomes the same verdict on every rank: the lowest failing
// rank's error. Collective.
std::optional<Failure> agree(const Communicator& comm, const std::optional<Failure>& mine);

// What the execution thread threw, as the run's error: a tessera::Error as it is (its kind names
// the cause), anything else as the machine's execution failing.
Failure execution_failure(const std::string& machine, const std::exception_ptr& e);

// Runs f; a tessera::Error (or a filesystem error: an input file problem) becomes a Failure.
template <typename F>
std::optional<Failure> capture(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return Failure{e.kind(), e.what()};
  } catch (const std::filesystem::filesystem_error& e) {
    return Failure{ErrorKind::InputFile, e.what()};
  }
  return std::nullopt;
}

// ---- framing -----------------------------------------------------------------------------------

std::vector<uint8_t> frame(uint32_t slot, const std::vector<uint8_t>& payload);
// The slot and the payload of a framed message.
std::pair<uint32_t, std::vector<uint8_t>> unframe(const std::vector<uint8_t>& bytes);

// ---- opening a request -------------------------------------------------------------------------

// What rank 0 tells every rank about a request it opens: enough for each rank to build the
// machine itself (cli::make_machine or the caller's maker) and open the artifact.
struct RequestTicket {
  std::string key;  // the caller's name for the request (a queue id; the artifact path for prove)
  std::string machine;
  std::map<std::string, std::string> parameters;
  std::filesystem::path out;
  bool resume = false;  // continue an existing artifact (or start one if there is none)
  bool force = false;   // overwrite an existing artifact and journal
  // How the user continues a run that ended early, in its message ("continue with --resume").
  std::string resume_hint = "continue with --resume";
};

struct OpenMsg {
  RequestTicket ticket;
  // Every rank is idle: the first shard of every rank goes out by one MPI_Scatterv.
  bool scatter = false;
};
std::vector<uint8_t> encode(const OpenMsg& m);
OpenMsg decode_open(const std::vector<uint8_t>& bytes);

// Rank 0's decisions about the output path, before any collective I/O.
struct Setup {
  bool create = true;  // create a new artifact, else open the existing one
  std::vector<std::string> notes;
  std::optional<Failure> error;
  std::string run_id;  // names this run's journal files
};
std::vector<uint8_t> encode(const Setup& s);
Setup decode_setup(const std::vector<uint8_t>& bytes);

// ---- proving -----------------------------------------------------------------------------------

struct DoneMsg {
  uint64_t shard = kNoShard;
  uint32_t attempt = 0;
  bool ok = false;
  bool cancelled = false;  // never started: the run stopped before the worker reached it
  ErrorKind kind = ErrorKind::Internal;
  std::string message;
  uint64_t size = 0;
  uint64_t checksum = 0;
};
std::vector<uint8_t> encode(const DoneMsg& m);
DoneMsg decode_done(const std::vector<uint8_t>& bytes);

std::vector<uint8_t> encode_assign(uint64_t shard, uint32_t attempt,
                                   const std::vector<uint8_t>& checkpoint);
// The job's shard, attempt and checkpoint (the caller fills in the request it belongs to).
ShardJob decode_assign(const std::vector<uint8_t>& bytes);

struct WriteMsg {
  std::vector<AppendEntry> batch;
  std::vector<uint64_t> failed;  // shards to mark Failed
  // Flush the file afterwards (H5Fflush, an fsync underneath: 15-40 ms measured, more than the
  // write). Between flushes the journal is the durable record of every finished shard, and a
  // resume rebuilds whatever the artifact lacks from it.
  bool flush = false;
};
std::vector<uint8_t> encode(const WriteMsg& m);
WriteMsg decode_write(const std::vector<uint8_t>& bytes);

// A shard count learned by executing (kTagCount, and the wait of a resume): the count, or why
// the execution failed.
struct CountMsg {
  uint64_t count = 0;
  std::optional<Failure> failure;
};
std::vector<uint8_t> encode(const CountMsg& m);
CountMsg decode_count(const std::vector<uint8_t>& bytes);

// The end of one request (kTagStop): how it ended, identical on every rank.
struct StopMsg {
  PipelineResult::End end = PipelineResult::End::Complete;
  ErrorKind kind = ErrorKind::Internal;
  std::string message;
};
std::vector<uint8_t> encode(const StopMsg& m);
StopMsg decode_stop(const std::vector<uint8_t>& bytes);

}  // namespace tessera::mpi
