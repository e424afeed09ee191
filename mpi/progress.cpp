#include "mpi/progress.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace tessera::mpi {

namespace {
constexpr double kLiveRedrawSeconds = 0.2;

std::string format_duration(double s) {
  char buf[32];
  if (s < 60) {
    std::snprintf(buf, sizeof buf, "%.0f s", s);
  } else if (s < 3600) {
    std::snprintf(buf, sizeof buf, "%dm%02ds", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%dh%02dm", static_cast<int>(s) / 3600,
                  static_cast<int>(s) / 60 % 60);
  }
  return buf;
}
}  // namespace

Progress::Style Progress::style_from_env(bool is_tty) {
  const char* v = std::getenv("TESSERA_PROGRESS");
  const std::string_view s = v ? v : "";
  if (s == "live") return Style::Live;
  if (s == "plain") return Style::Plain;
  if (s == "off") return Style::Off;
  return is_tty ? Style::Live : Style::Plain;
}

double Progress::interval_from_env() {
  const char* v = std::getenv("TESSERA_PROGRESS_INTERVAL");
  if (v == nullptr) return 10;
  char* end = nullptr;
  const double d = std::strtod(v, &end);
  return end != v && *end == '\0' && d >= 0 && std::isfinite(d) ? d : 10;
}

Progress::Progress(std::ostream& os, Style style, double interval_s, uint64_t total,
                   uint64_t already)
    : os_(os), style_(style), interval_(interval_s), total_(total), already_(already) {}

std::string Progress::line(uint64_t done, uint64_t total, uint64_t already, uint64_t proven,
                           double elapsed) {
  char buf[200];
  const double pct = total ? 100.0 * static_cast<double>(done) / static_cast<double>(total) : 100;
  std::string stored = already ? ", " + std::to_string(already) + " stored before" : std::string();
  std::string rate = "rate --", eta = "ETA --";
  if (proven > 0 && elapsed > 0) {
    const double r = static_cast<double>(proven) / elapsed;
    char rb[48];
    std::snprintf(rb, sizeof rb, "%.2f shards/s", r);
    rate = rb;
    eta = "ETA " + format_duration(static_cast<double>(total - done) / r);
  }
  if (done == total) eta = "done in " + format_duration(elapsed);
  std::snprintf(buf, sizeof buf, "proving: %llu/%llu shards (%.0f%%%s), %s, %s",
                static_cast<unsigned long long>(done), static_cast<unsigned long long>(total), pct,
                stored.c_str(), rate.c_str(), eta.c_str());
  return buf;
}

void Progress::show(uint64_t proven, double elapsed) {
  const std::string text = line(already_ + proven, total_, already_, proven, elapsed);
  if (style_ == Style::Live) {
    // Redraw in place; pad over a longer previous line.
    os_ << '\r' << text;
    if (text.size() < live_width_) os_ << std::string(live_width_ - text.size(), ' ');
    live_width_ = text.size();
    os_.flush();
  } else {
    os_ << text << std::endl;
  }
  last_shown_ = elapsed;
  last_proven_ = proven;
}

void Progress::update(uint64_t proven, double elapsed) {
  if (style_ == Style::Off) return;
  const double since_shown = elapsed - last_shown_;
  if (style_ == Style::Live) {
    if (since_shown >= kLiveRedrawSeconds) show(proven, elapsed);
    return;
  }
  // Plain: a line when shards finished and the interval has passed; without news, a line now
  // and then (six intervals) so that a log shows the job is alive.
  if (proven != last_proven_ ? since_shown >= interval_
                             : interval_ > 0 && since_shown >= 6 * interval_)
    show(proven, elapsed);
}

void Progress::break_line() {
  if (style_ != Style::Live || live_width_ == 0) return;
  os_ << '\n';
  live_width_ = 0;
  last_shown_ = -1e300;  // redraw at the next update
}

void Progress::finish(uint64_t proven, double elapsed) {
  if (style_ == Style::Off) return;
  show(proven, elapsed);
  if (style_ == Style::Live) os_ << std::endl;
}

}  // namespace tessera::mpi
