#pragma once
// A drain's metrics in the Prometheus text exposition format (docs/QUEUE.md, "Metrics"), written
// to a file that node_exporter's textfile collector reads (`--metrics DIR/tessera.prom`, in the
// collector's folder): the file is replaced atomically (written beside it, then renamed), so the
// collector never reads half of it.
//
//   tessera_queue_requests{state}            gauge: requests in the spool by state
//   tessera_drain_requests_total{outcome}    counter: requests this drain ended (done, failed,
//                                            released, cancelled)
//   tessera_drain_shards_proven_total        counter: shards proven by this drain
//   tessera_drain_shards_per_second          gauge: shards proven per second since the last write
//   tessera_drain_active_requests            gauge: requests open right now
//   tessera_drain_ranks                      gauge
//   tessera_request_latency_seconds          histogram: submission -> done, per finished request
//   tessera_request_proving_seconds          histogram: claim -> end, per request this drain ended
// Every series carries `queue` (the spool folder) and `job` (the Slurm job id, or "local").

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace tessera::queue {

class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds)
      : bounds_(std::move(bounds)), counts_(bounds_.size()) {}
  void observe(double v);
  // `name_bucket{labels,le="..."}` lines, then _sum and _count.
  void render(std::string& out, const std::string& name, const std::string& labels) const;

 private:
  std::vector<double> bounds_;
  std::vector<uint64_t> counts_;  // per bound (cumulative when rendered)
  uint64_t count_ = 0;
  double sum_ = 0;
};

class DrainMetrics {
 public:
  DrainMetrics(std::string queue, std::string job, int ranks);

  void request_ended(const std::string& outcome, double proving_seconds);
  void request_done_latency(double seconds) { latency_.observe(seconds); }
  void shards_proven(uint64_t n) { shards_ += n; }
  void set_active(size_t n) { active_ = n; }

  // The whole file's text; `by_state`: requests in the spool per state name.
  std::string render(const std::map<std::string, size_t>& by_state, double now);
  // Replaces `path` atomically with `text`.
  static void write_file(const std::filesystem::path& path, const std::string& text);

 private:
  std::string labels(const std::string& extra = "") const;

  std::string queue_, job_;
  int ranks_;
  std::map<std::string, uint64_t> ended_;
  uint64_t shards_ = 0;
  size_t active_ = 0;
  uint64_t shards_at_last_ = 0;
  double last_render_ = 0;
  Histogram latency_, proving_;
};

}  // namespace tessera::queue
