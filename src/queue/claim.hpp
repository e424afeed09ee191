#pragma once
// Who holds a running request, and whether that holder is still alive (docs/QUEUE.md, "Claims").
//
// A drain claims a request by renaming its file to `running/ID@TOKEN`: the token names the
// claimant — Slurm job id, the job's restart count, host and process id — so the claim is the
// rename itself (atomic, also on NFS/Lustre) and anyone can see who holds the request. The
// claimant writes a heartbeat file `claims/ID@TOKEN` (rewritten atomically every few seconds
// with the request's progress); the file's absence only means the claimant died right after
// claiming (its age is then the running file's ctime, i.e. the claim's).
//
// A claim is stale, and the next drain puts the request back in the queue, when
//   - its Slurm job no longer runs: `scontrol` does not know the job, reports it in a final or
//     pending state, or reports more restarts than the claim's (the job was requeued: the claim
//     is from an earlier run of it — this includes the reclaiming drain's own job);
//   - it was made on this host and its process no longer exists;
//   - its heartbeat is older than the stale limit (a hung or unreachable drain; this relies on
//     the nodes' clocks agreeing to well within the limit, as NTP keeps them).
// A claim whose job cannot be asked about (no scontrol here) is judged by pid and heartbeat only.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace tessera::queue {

struct ClaimToken {
  std::string job = "local";  // the Slurm job id, or "local" outside Slurm
  uint32_t restart = 0;       // SLURM_RESTART_COUNT
  std::string host;           // short host name (no dots)
  int64_t pid = 0;

  // "12345.0.node01.4711"
  std::string text() const;
  static std::optional<ClaimToken> parse(const std::string& text);
  // This process: SLURM_JOB_ID, SLURM_RESTART_COUNT, the short host name, getpid().
  static ClaimToken mine();
  friend bool operator==(const ClaimToken&, const ClaimToken&) = default;
};

// The heartbeat file's content.
struct ClaimRecord {
  std::string token;
  int ranks = 0;
  double claimed = 0;    // seconds since the Unix epoch
  double heartbeat = 0;  // last rewrite
  uint64_t shards = 0;   // 0: not known yet
  uint64_t done = 0;

  std::string format() const;
  static std::optional<ClaimRecord> parse(const std::string& text);
};

// What Slurm says about a job.
enum class JobLiveness { Alive, Gone, Unknown };
struct JobState {
  JobLiveness liveness = JobLiveness::Unknown;
  uint32_t restarts = 0;
  std::string state;  // "RUNNING", "COMPLETED", ... or "unknown job"
};
// Asks about one job id. The default asks `scontrol show job -o ID`.
using JobProbe = std::function<JobState(const std::string& job)>;
JobState probe_slurm_job(const std::string& job);
// scontrol's one-line output for a job (or its error text) -> the job's state.
JobState parse_scontrol(const std::string& output, int exit_status);

struct Staleness {
  bool stale = false;
  std::string reason;  // why, for the note and `queue status`
};
// `record` may be null (no heartbeat file); `claim_age` is then how old the claim is.
Staleness assess_claim(const ClaimToken& token, const ClaimRecord* record, double claim_time,
                       double now, double stale_after, const JobProbe& probe,
                       const std::string& my_host);

double unix_now();

}  // namespace tessera::queue
