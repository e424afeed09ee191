#pragma once
// One queued proof request as a file (docs/QUEUE.md): what was asked, never changed after it is
// submitted — the request's state is the folder its file is in (src/queue/spool.hpp), not its
// content. Text, one `key value` pair per line, so that a person can read it with `cat`:
//
//   tessera-queue-request 1
//   id 20261206-171500-a1b2c3
//   name nightly-chain
//   priority 0
//   submitted 1765041300.123
//   user alice
//   host login01
//   machine hashchain
//   param config test
//   param seed 7
//   param shard_steps 64
//   param steps 2048
//   end
//
// A guest program's request names machine `rv32im` and its files by paths relative to the spool
// (`param elf inputs/ID/program.elf`, `param input inputs/ID/input`): the spool holds copies,
// made when the request was submitted, so a request never depends on files that may change.
// The trailing `end` line tells a complete file from a cut one.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace tessera::queue {

struct QueueRequest {
  std::string id;
  std::string name;  // the submitter's label (may be empty)
  int64_t priority = 0;
  double submitted = 0;  // seconds since the Unix epoch
  std::string user;
  std::string host;
  std::string machine;  // "hashchain", "rv32im"
  std::map<std::string, std::string> parameters;

  bool is_guest() const { return machine == "rv32im"; }
};

// The file's text; format_request(parse_request(t)) == t for any well-formed t.
std::string format_request(const QueueRequest& r);
// ErrorKind::Format, one line naming what is wrong, for anything that is not a complete request
// file (`what` names the file in the message).
QueueRequest parse_request(std::string_view text, const std::string& what);

// A new request id: UTC time of submission to the second, then 6 random hex digits
// ("20261206-171500-a1b2c3"); ids sort by submission time.
std::string new_request_id();
// Ids and tokens are file names: letters, digits, '-', '_' and '.' only, not empty, not "." or
// "..". ErrorKind::Usage naming `what` otherwise.
void check_file_name(const std::string& s, const std::string& what);
// Names and parameter values are one line each: no control characters. ErrorKind::Usage otherwise.
void check_one_line(const std::string& s, const std::string& what);

}  // namespace tessera::queue
