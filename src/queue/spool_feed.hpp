#pragma once
// The queue as a request feed for the rank loop (mpi/rank_loop.hpp): what `tessera queue drain`
// runs on rank 0. It claims queued requests, highest priority first, then oldest; turns each into
// a ticket (machine and parameters as submitted, spool paths made absolute, artifact
// DIR/work/ID.h5, resumed when a partial artifact or journal is there); keeps each claim's
// heartbeat; stops a request whose cancel was asked for or whose claim was lost; and records how
// each request ended by one rename: done (its artifact moved to DIR/results/ID.h5), failed (with
// its reason), cancelled, or released back to the queue (interrupted: its partial artifact and
// journal stay for the next claim). As the house keeper, it puts stale claims of other drains back
// in the queue (src/queue/claim.hpp). It writes the drain's metrics file.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <ostream>
#include <string>

#include "mpi/rank_loop.hpp"
#include "queue/claim.hpp"
#include "queue/metrics.hpp"
#include "queue/spool.hpp"

namespace tessera::queue {

struct DrainOptions {
  bool wait = false;         // keep polling an empty queue (until a signal) instead of ending
  double poll = 2;           // seconds between scans of a queue that had nothing to claim
  double heartbeat = 10;     // seconds between heartbeat (and metrics) writes
  double cancel_check = 1;   // seconds between looks for cancel flags
  double stale_after = 600;  // a claim without a heartbeat for this long is stale
  double housekeeping = 60;  // seconds between looks for stale claims
  std::optional<std::filesystem::path> metrics;
  int ranks = 1;
  std::ostream* log = nullptr;  // one line per event; null: silent
  JobProbe probe = probe_slurm_job;
};

struct DrainTotals {
  uint64_t done = 0, failed = 0, released = 0, cancelled = 0, reclaimed = 0;
  uint64_t shards_proven = 0;
};

class SpoolFeed final : public mpi::RequestFeed {
 public:
  SpoolFeed(Spool& spool, DrainOptions options);

  std::optional<mpi::RequestTicket> next() override;
  bool exhausted() override;
  std::vector<mpi::StopRequest> poll(const std::vector<mpi::ActiveRequest>& active) override;
  void finished(const mpi::RequestTicket& ticket, const mpi::PipelineResult& result) override;

  // Puts stale claims back in the queue (also done by next() every `housekeeping` seconds).
  void housekeep();
  void write_metrics();
  const DrainTotals& totals() const { return totals_; }
  const std::string& token() const { return token_; }

 private:
  struct Held {
    QueueRequest request;
    double claimed = 0;
    uint64_t shards = 0, done = 0;
    std::string stop;  // why it was asked to stop ("cancelled", ...), empty if not
    bool lost = false;
  };
  void log(const std::string& line) const;
  // A freshly claimed request: a ticket to prove, or nullopt when it ended at once (cancelled,
  // already complete, malformed).
  std::optional<mpi::RequestTicket> take(const Entry& running);
  void heartbeat(const Held& h);
  std::vector<Entry> queued_in_order();

  Spool& spool_;
  DrainOptions o_;
  std::string token_;
  std::string host_;
  std::map<std::string, Held> held_;
  std::map<std::string, std::pair<int64_t, double>> order_cache_;  // id -> (priority, submitted)
  DrainMetrics metrics_;
  DrainTotals totals_;
  bool scanned_empty_ = false;
  double last_scan_ = -1e300, last_house_ = -1e300, last_beat_ = -1e300, last_cancel_ = -1e300;
};

}  // namespace tessera::queue
