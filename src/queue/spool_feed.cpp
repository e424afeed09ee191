#include "queue/spool_feed.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <limits>

#include "common/check.hpp"
#include "common/error.hpp"

#include "io/journal.hpp"

namespace tessera::queue {

namespace fs = std::filesystem;

namespace {

// Parameters that name files in the spool (relative to it, so the spool can be mounted anywhere).
constexpr const char* kSpoolPaths[] = {"elf", "input"};

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f s", s);
  return buf;
}

std::string describe(const QueueRequest& r) {
  std::string d = r.machine;
  for (const auto& [k, v] : r.parameters) d += " " + k + "=" + v;
  return d;
}

}  // namespace

SpoolFeed::SpoolFeed(Spool& spool, DrainOptions options)
    : spool_(spool),
      o_(std::move(options)),
      token_(ClaimToken::mine().text()),
      host_(ClaimToken::mine().host),
      metrics_(spool.dir().string(), ClaimToken::mine().job, o_.ranks) {}

void SpoolFeed::log(const std::string& line) const {
  if (o_.log != nullptr) *o_.log << "tessera: queue: " << line << std::endl;
}

std::vector<Entry> SpoolFeed::queued_in_order() {
  std::vector<Entry> queued;
  std::map<std::string, std::pair<int64_t, double>> seen;
  for (Entry& e : spool_.list()) {
    if (e.state != State::Queued) continue;
    auto it = order_cache_.find(e.id);
    std::pair<int64_t, double> key{0, 0};  // a malformed file goes first: it fails at once
    if (it != order_cache_.end()) {
      key = it->second;
    } else {
      try {
        const QueueRequest r = spool_.read_request(e);
        key = {r.priority, r.submitted};
      } catch (const Error&) {
        key = {std::numeric_limits<int64_t>::max(), 0};
      }
    }
    seen[e.id] = key;
    queued.push_back(std::move(e));
  }
  order_cache_ = std::move(seen);  // request files never change: only new ones are read
  std::sort(queued.begin(), queued.end(), [&](const Entry& a, const Entry& b) {
    const auto& ka = order_cache_[a.id];
    const auto& kb = order_cache_[b.id];
    if (ka.first != kb.first) return ka.first > kb.first;      // highest priority first
    if (ka.second != kb.second) return ka.second < kb.second;  // then oldest
    return a.id < b.id;
  });
  return queued;
}

std::optional<mpi::RequestTicket> SpoolFeed::next() {
  const double now = unix_now();
  if (now - last_house_ >= o_.housekeeping) housekeep();
  if (scanned_empty_ && now - last_scan_ < o_.poll) return std::nullopt;
  last_scan_ = now;
  for (const Entry& e : queued_in_order()) {
    if (!spool_.claim(e.id, token_)) continue;  // another drain was faster
    const auto running = spool_.find(e.id);
    if (!running) continue;
    if (auto ticket = take(*running)) {
      scanned_empty_ = false;
      return ticket;
    }
  }
  scanned_empty_ = true;
  return std::nullopt;
}

std::optional<mpi::RequestTicket> SpoolFeed::take(const Entry& running) {
  const std::string& id = running.id;
  const double now = unix_now();
  Held h;
  h.claimed = now;
  ClaimRecord rec{token_, o_.ranks, now, now, 0, 0};
  spool_.write_claim(id, token_, rec);
  auto base_note = [&](const std::string& state) {
    Note n{{"state", state}, {"job", ClaimToken::mine().job}, {"host", host_}};
    return n;
  };
  if (spool_.cancel_requested(id)) {
    Note n = base_note("cancelled");
    n["reason"] = "cancelled before it started";
    if (spool_.finish(id, token_, State::Cancelled, n)) ++totals_.cancelled;
    log("cancelled " + id + " (asked for while it waited)");
    return std::nullopt;
  }
  std::error_code ec;
  if (fs::exists(spool_.result(id), ec)) {
    // Its artifact was complete and in results/ when an earlier claimant died.
    Note n = base_note("done");
    n["result"] = spool_.result(id).string();
    if (spool_.finish(id, token_, State::Done, n)) ++totals_.done;
    log("done " + id + ": its artifact was already complete");
    return std::nullopt;
  }
  try {
    h.request = spool_.read_request(running);
    TESSERA_CHECK(h.request.id == id, ErrorKind::Format,
                  "malformed request file '" << running.file.string() << "': it names request "
                                             << h.request.id);
  } catch (const Error& err) {
    Note n = base_note("failed");
    n["reason"] = std::string(error_kind_name(err.kind())) + ": " + err.what();
    if (spool_.finish(id, token_, State::Failed, n)) ++totals_.failed;
    metrics_.request_ended("failed", 0);
    log("failed " + id + ": " + n["reason"]);
    return std::nullopt;
  }
  mpi::RequestTicket t;
  t.key = id;
  t.machine = h.request.machine;
  t.parameters = h.request.parameters;
  for (const char* p : kSpoolPaths)
    if (auto it = t.parameters.find(p); it != t.parameters.end())
      it->second = (spool_.dir() / it->second).string();
  t.out = spool_.work_artifact(id);
  // A request released by an interrupted drain (or retried after a failure) continues from what
  // its artifact and journal hold; a new one starts a new artifact.
  t.resume = fs::exists(t.out, ec) || fs::exists(journal_dir(t.out), ec);
  t.force = false;
  t.resume_hint = "the next claim of " + id + " resumes from them";
  log("claimed " + id + (h.request.name.empty() ? "" : " (" + h.request.name + ")") + ": " +
      describe(h.request) + ", priority " + std::to_string(h.request.priority) +
      (t.resume ? ", resuming" : ""));
  held_[id] = std::move(h);
  return t;
}

bool SpoolFeed::exhausted() {
  if (o_.wait) return false;
  for (const Entry& e : spool_.list())
    if (e.state == State::Queued) {
      scanned_empty_ = false;  // something appeared since the last scan: look at once
      return false;
    }
  return true;
}

void SpoolFeed::heartbeat(const Held& h) {
  spool_.write_claim(h.request.id, token_,
                     ClaimRecord{token_, o_.ranks, h.claimed, unix_now(), h.shards, h.done});
}

std::vector<mpi::StopRequest> SpoolFeed::poll(const std::vector<mpi::ActiveRequest>& active) {
  const double now = unix_now();
  std::vector<mpi::StopRequest> stops;
  for (const auto& a : active) {
    auto it = held_.find(a.key);
    if (it == held_.end()) continue;
    it->second.shards = a.shards;
    it->second.done = a.done;
  }
  if (now - last_cancel_ >= o_.cancel_check) {
    last_cancel_ = now;
    for (auto& [id, h] : held_)
      if (h.stop.empty() && spool_.cancel_requested(id)) {
        h.stop = "cancelled";
        stops.push_back({id, "cancelled"});
        log("cancel asked for " + id + ": it stops after the shards being proven");
      }
  }
  if (now - last_beat_ >= o_.heartbeat) {
    last_beat_ = now;
    std::error_code ec;
    for (auto& [id, h] : held_) {
      if (h.lost) continue;
      if (!fs::exists(spool_.state_file(id, State::Running, token_), ec)) {
        // Reclaimed by another drain (this one was taken for dead) or moved by hand: stop
        // proving it, and touch nothing of its state.
        h.lost = true;
        if (h.stop.empty()) h.stop = "lost its claim";
        stops.push_back({id, "lost its claim"});
        log(id + " lost its claim (another drain reclaimed it?): stopping it");
        continue;
      }
      heartbeat(h);
    }
    metrics_.set_active(held_.size());
    write_metrics();
  }
  return stops;
}

void SpoolFeed::finished(const mpi::RequestTicket& ticket, const mpi::PipelineResult& r) {
  auto it = held_.find(ticket.key);
  if (it == held_.end()) return;
  const Held h = std::move(it->second);
  held_.erase(it);
  const std::string& id = ticket.key;
  const double now = unix_now();
  totals_.shards_proven += r.proven;
  metrics_.shards_proven(r.proven);
  metrics_.set_active(held_.size());
  Note n{{"job", ClaimToken::mine().job},
         {"host", host_},
         {"ranks", std::to_string(o_.ranks)},
         {"shards", std::to_string(r.shards)},
         {"proven", std::to_string(r.proven)},
         {"resumed", std::to_string(r.resumed + r.recovered)},
         {"stored", std::to_string(r.stored)},
         {"wall_seconds", seconds_text(r.wall_seconds)},
         {"ended", std::to_string(static_cast<int64_t>(now))}};
  const std::string counts = std::to_string(r.shards) + " shards (" + std::to_string(r.proven) +
                             " proven, " + std::to_string(r.resumed + r.recovered) +
                             " resumed) in " + seconds_text(r.wall_seconds);
  std::string outcome;
  bool moved = false;
  if (h.lost) {
    outcome = "released";
    log(id + " ended after it lost its claim; its state is left to the drain that holds it");
  } else if (r.end == mpi::PipelineResult::End::Complete && r.verified) {
    outcome = "done";
    n["state"] = "done";
    n["result"] = spool_.result(id).string();
    moved = spool_.finish(id, token_, State::Done, n);
    if (moved) {
      ++totals_.done;
      metrics_.request_done_latency(now - h.request.submitted);
      log("done " + id + ": " + counts + " -> " + spool_.result(id).string());
    }
  } else if (r.end == mpi::PipelineResult::End::Interrupted && h.stop == "cancelled") {
    outcome = "cancelled";
    n["state"] = "cancelled";
    n["reason"] = r.message;
    moved = spool_.finish(id, token_, State::Cancelled, n);
    if (moved) {
      ++totals_.cancelled;
      log("cancelled " + id + ": " + std::to_string(r.stored) + " of " + std::to_string(r.shards) +
          " shards stored");
    }
  } else if (r.end == mpi::PipelineResult::End::Interrupted) {
    outcome = "released";
    n["state"] = "released";
    n["reason"] = r.message;
    spool_.write_note(id, n);
    moved = spool_.release(id, token_);
    if (moved) {
      ++totals_.released;
      log("released " + id + ": " + std::to_string(r.stored) + " of " + std::to_string(r.shards) +
          " shards stored in " + ticket.out.string() + " (the next claim resumes it)");
    }
  } else {
    outcome = "failed";
    n["state"] = "failed";
    n["reason"] = std::string(error_kind_name(r.kind)) + ": " + r.message;
    moved = spool_.finish(id, token_, State::Failed, n);
    if (moved) {
      ++totals_.failed;
      log("failed " + id + ": " + n["reason"]);
    }
  }
  if (!moved && !h.lost)
    log(id + " lost its claim before it could be marked " + outcome +
        "; its state is left to the drain that holds it");
  metrics_.request_ended(outcome, now - h.claimed);
  write_metrics();
}

void SpoolFeed::housekeep() {
  last_house_ = unix_now();
  std::map<std::string, JobState> jobs;  // one scontrol per job and pass
  const JobProbe cached = [&](const std::string& job) {
    auto it = jobs.find(job);
    if (it == jobs.end()) it = jobs.emplace(job, o_.probe ? o_.probe(job) : JobState{}).first;
    return it->second;
  };
  for (const Entry& e : spool_.list()) {
    if (e.state != State::Running || e.token == token_) continue;
    const auto tok = ClaimToken::parse(e.token);
    if (!tok) continue;  // not a drain's claim: leave it to a person
    const auto rec = spool_.read_claim(e.id, e.token);
    struct stat st {};
    const double claim_time =
        ::stat(e.file.c_str(), &st) == 0 ? static_cast<double>(st.st_ctime) : unix_now();
    const Staleness s = assess_claim(*tok, rec ? &*rec : nullptr, claim_time, unix_now(),
                                     o_.stale_after, cached, host_);
    if (!s.stale) continue;
    if (spool_.reclaim(e.id, e.token, s.reason)) {
      ++totals_.reclaimed;
      log("reclaimed " + e.id + " from " + e.token + ": " + s.reason);
    }
  }
  spool_.remove_leftovers(3600);
}

void SpoolFeed::write_metrics() {
  if (!o_.metrics) return;
  std::map<std::string, size_t> by_state;
  for (State s : kStates) by_state[std::string(state_name(s))] = 0;
  for (const Entry& e : spool_.list()) ++by_state[std::string(state_name(e.state))];
  try {
    DrainMetrics::write_file(*o_.metrics, metrics_.render(by_state, unix_now()));
  } catch (const Error& e) {
    log(std::string("metrics: ") + e.what());  // never a reason to stop proving
  }
}

}  // namespace tessera::queue
