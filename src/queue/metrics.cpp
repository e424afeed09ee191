#include "queue/metrics.hpp"

#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "common/check.hpp"

namespace tessera::queue {

namespace {

// Prometheus label values: backslash, double quote and newline escaped.
std::string escape(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

void header(std::string& out, const char* name, const char* type, const char* help) {
  out += std::string("# HELP ") + name + ' ' + help + "\n# TYPE " + name + ' ' + type + '\n';
}

// Request times span seconds (a small chain) to hours (a long guest).
const std::vector<double> kSecondsBuckets = {1, 5, 15, 60, 300, 900, 3600, 14400, 86400};

}  // namespace

void Histogram::observe(double v) {
  ++count_;
  sum_ += v;
  for (size_t i = 0; i < bounds_.size(); ++i)
    if (v <= bounds_[i]) ++counts_[i];
}

void Histogram::render(std::string& out, const std::string& name, const std::string& labels) const {
  for (size_t i = 0; i < bounds_.size(); ++i)
    out += name + "_bucket{" + labels + ",le=\"" + number(bounds_[i]) + "\"} " +
           std::to_string(counts_[i]) + '\n';
  out += name + "_bucket{" + labels + ",le=\"+Inf\"} " + std::to_string(count_) + '\n';
  out += name + "_sum{" + labels + "} " + number(sum_) + '\n';
  out += name + "_count{" + labels + "} " + std::to_string(count_) + '\n';
}

DrainMetrics::DrainMetrics(std::string queue, std::string job, int ranks)
    : queue_(std::move(queue)),
      job_(std::move(job)),
      ranks_(ranks),
      latency_(kSecondsBuckets),
      proving_(kSecondsBuckets) {}

std::string DrainMetrics::labels(const std::string& extra) const {
  std::string l = "queue=\"" + escape(queue_) + "\",job=\"" + escape(job_) + "\"";
  if (!extra.empty()) l += "," + extra;
  return l;
}

void DrainMetrics::request_ended(const std::string& outcome, double proving_seconds) {
  ++ended_[outcome];
  proving_.observe(proving_seconds);
}

std::string DrainMetrics::render(const std::map<std::string, size_t>& by_state, double now) {
  std::string out;
  header(out, "tessera_queue_requests", "gauge", "Requests in the spool by state.");
  for (const auto& [state, n] : by_state)
    out += "tessera_queue_requests{" + labels("state=\"" + state + "\"") + "} " +
           std::to_string(n) + '\n';
  header(out, "tessera_drain_requests_total", "counter", "Requests this drain ended, by outcome.");
  for (const char* o : {"done", "failed", "released", "cancelled"})
    out += "tessera_drain_requests_total{" + labels(std::string("outcome=\"") + o + "\"") + "} " +
           std::to_string(ended_.count(o) ? ended_.at(o) : 0) + '\n';
  header(out, "tessera_drain_shards_proven_total", "counter", "Shards proven by this drain.");
  out += "tessera_drain_shards_proven_total{" + labels() + "} " + std::to_string(shards_) + '\n';
  header(out, "tessera_drain_shards_per_second", "gauge",
         "Shards proven per second since the previous write of this file.");
  const double dt = last_render_ > 0 ? now - last_render_ : 0;
  const double rate = dt > 0 ? static_cast<double>(shards_ - shards_at_last_) / dt : 0;
  out += "tessera_drain_shards_per_second{" + labels() + "} " + number(rate) + '\n';
  shards_at_last_ = shards_;
  last_render_ = now;
  header(out, "tessera_drain_active_requests", "gauge", "Requests this drain has open.");
  out += "tessera_drain_active_requests{" + labels() + "} " + std::to_string(active_) + '\n';
  header(out, "tessera_drain_ranks", "gauge", "MPI ranks of this drain.");
  out += "tessera_drain_ranks{" + labels() + "} " + std::to_string(ranks_) + '\n';
  header(out, "tessera_request_latency_seconds", "histogram",
         "Seconds from submission to done, per request this drain finished.");
  latency_.render(out, "tessera_request_latency_seconds", labels());
  header(out, "tessera_request_proving_seconds", "histogram",
         "Seconds from claim to end, per request this drain ended.");
  proving_.render(out, "tessera_request_proving_seconds", labels());
  return out;
}

void DrainMetrics::write_file(const std::filesystem::path& path, const std::string& text) {
  // Beside the target (same file system, so the rename is atomic), hidden from the collector,
  // which reads only *.prom.
  const std::filesystem::path tmp =
      path.parent_path() / ("." + path.filename().string() + "." + std::to_string(::getpid()));
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    TESSERA_CHECK(out.good(), ErrorKind::InputFile,
                  "cannot write the metrics file '" << tmp.string() << "'");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  TESSERA_CHECK(!ec, ErrorKind::InputFile,
                "cannot write the metrics file '" << path.string() << "': " << ec.message());
}

}  // namespace tessera::queue
