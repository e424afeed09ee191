// `tessera queue status DIR [--json] [--ranks R] [--calibration FILE]`
//
// Every request of the queue with its state, priority, age, shards done/total, the job and host
// that hold it (and whether that claim looks stale), and its result path or its failure's one
// line; then the estimated time left for the whole queue, from the calibration of each request's
// kind of shard (src/queue/calibration.hpp) over R ranks — by default the ranks of the drains
// holding claims now, else 1. Read-only: it moves nothing (the next drain reclaims stale claims).

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "cli/command.hpp"
#include "cli/json_writer.hpp"
#include "common/error.hpp"
#include "queue/calibration.hpp"
#include "queue/spool.hpp"

namespace tessera::cli {
namespace {

namespace fs = std::filesystem;
using queue::State;

std::string age_text(double s) {
  char buf[32];
  const long t = static_cast<long>(std::max(0.0, s));
  if (t < 60) {
    std::snprintf(buf, sizeof buf, "%lds", t);
  } else if (t < 3600) {
    std::snprintf(buf, sizeof buf, "%ldm%02lds", t / 60, t % 60);
  } else if (t < 86400) {
    std::snprintf(buf, sizeof buf, "%ldh%02ldm", t / 3600, t / 60 % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%ldd%02ldh", t / 86400, t / 3600 % 24);
  }
  return buf;
}

uint64_t number_or(const std::map<std::string, std::string>& m, const std::string& k,
                   uint64_t fallback) {
  auto it = m.find(k);
  if (it == m.end()) return fallback;
  try {
    return std::stoull(it->second);
  } catch (const std::exception&) {
    return fallback;
  }
}

struct Row {
  queue::Entry entry;
  std::optional<queue::QueueRequest> request;
  std::string problem;  // a request file that does not parse
  queue::Note note;
  std::optional<queue::ClaimRecord> claim;
  std::optional<queue::ClaimToken> holder;
  queue::Staleness stale;
  uint64_t shards = 0;  // 0: not known
  uint64_t done = 0;
  bool cancel_requested = false;
  std::string outcome;  // result path or reason
};

int order_of(State s) {
  switch (s) {
    case State::Running:
      return 0;
    case State::Queued:
      return 1;
    case State::Failed:
      return 2;
    case State::Cancelled:
      return 3;
    case State::Done:
      return 4;
  }
  return 5;
}

Row row_of(const queue::Spool& spool, const queue::Entry& e, double now, const std::string& host) {
  Row r;
  r.entry = e;
  try {
    r.request = spool.read_request(e);
  } catch (const Error& err) {
    r.problem = err.what();
  }
  r.note = spool.read_note(e.id);
  r.cancel_requested = spool.cancel_requested(e.id);
  if (r.request && r.request->machine == "hashchain") {
    const uint64_t steps = number_or(r.request->parameters, "steps", 0);
    const uint64_t k = number_or(r.request->parameters, "shard_steps", 0);
    if (k > 0) r.shards = steps / k;
  }
  r.shards = number_or(r.note, "shards", r.shards);
  switch (e.state) {
    case State::Running: {
      r.claim = spool.read_claim(e.id, e.token);
      r.holder = queue::ClaimToken::parse(e.token);
      if (r.claim) {
        if (r.claim->shards > 0) r.shards = r.claim->shards;
        r.done = r.claim->done;
      }
      if (r.holder) {
        const double claimed = r.claim ? r.claim->claimed : now;
        r.stale = queue::assess_claim(*r.holder, r.claim ? &*r.claim : nullptr, claimed, now, 600,
                                      queue::probe_slurm_job, host);
      }
      if (r.cancel_requested) r.outcome = "cancel requested";
      break;
    }
    case State::Queued:
      r.done = r.note.count("state") && r.note.at("state") == "released"
                   ? number_or(r.note, "stored", 0)
                   : 0;
      break;
    case State::Done:
      r.done = r.shards;
      r.outcome = spool.result(e.id).string();
      break;
    case State::Failed:
    case State::Cancelled:
      r.done = number_or(r.note, "stored", 0);
      r.outcome =
          r.note.count("reason") ? r.note.at("reason") : std::string(queue::state_name(e.state));
      break;
  }
  if (!r.problem.empty()) r.outcome = r.problem;
  return r;
}

struct Estimate {
  double seconds = 0;
  int ranks = 1;
  size_t estimated = 0, unestimated = 0;
};

Estimate estimate_left(const std::vector<Row>& rows, const std::vector<queue::Calibration>& cal,
                       int ranks_option) {
  Estimate est;
  std::map<std::string, int> drains;  // live claimants and their ranks
  double work = 0;
  for (const Row& r : rows) {
    const State s = r.entry.state;
    if (s != State::Queued && s != State::Running) continue;
    if (s == State::Running && r.claim && !r.stale.stale) drains[r.entry.token] = r.claim->ranks;
    if (!r.request || r.shards == 0) {
      ++est.unestimated;
      continue;
    }
    const auto& p = r.request->parameters;
    const uint64_t shard = number_or(p, r.request->is_guest() ? "shard_cycles" : "shard_steps", 0);
    const std::string config = p.count("config") ? p.at("config") : "";
    const auto c = queue::find_calibration(cal, r.request->machine, config, shard, -1);
    if (!c) {
      ++est.unestimated;
      continue;
    }
    ++est.estimated;
    work += queue::work_seconds(*c, r.shards - std::min(r.done, r.shards)) + queue::kFixedSeconds;
  }
  int live = 0;
  for (const auto& [token, ranks] : drains) live += std::max(1, ranks);
  est.ranks = ranks_option > 0 ? ranks_option : std::max(1, live);
  est.seconds = work / est.ranks;
  return est;
}

int run_status(const po::variables_map& args) {
  const queue::Spool spool(args["queue"].as<std::string>());
  const double now = queue::unix_now();
  const std::string host = queue::ClaimToken::mine().host;
  std::vector<Row> rows;
  for (const queue::Entry& e : spool.list()) rows.push_back(row_of(spool, e, now, host));
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    if (a.entry.state != b.entry.state) return order_of(a.entry.state) < order_of(b.entry.state);
    const int64_t pa = a.request ? a.request->priority : 0,
                  pb = b.request ? b.request->priority : 0;
    if (a.entry.state == State::Queued && pa != pb) return pa > pb;
    const double ta = a.request ? a.request->submitted : 0,
                 tb = b.request ? b.request->submitted : 0;
    return a.entry.state == State::Done ? ta > tb : ta < tb;
  });
  std::vector<queue::Calibration> cal;
  if (args.count("calibration")) {
    cal = queue::read_calibrations(args["calibration"].as<std::string>());
  } else {
    cal = queue::read_calibrations(spool.dir() / "calibration.txt");
    for (auto& c : queue::read_calibrations(queue::default_calibration_path())) cal.push_back(c);
  }
  const Estimate est = estimate_left(rows, cal, args["ranks"].as<int>());
  std::map<State, size_t> counts;
  for (const Row& r : rows) ++counts[r.entry.state];

  std::ostringstream os;
  if (args.count("json")) {
    os << "{\n  \"queue\": " << json::str(spool.dir().string()) << ",\n  \"counts\": {";
    bool first = true;
    for (State s : queue::kStates) {
      os << (first ? "" : ", ") << json::str(queue::state_name(s)) << ": " << counts[s];
      first = false;
    }
    os << "},\n  \"requests\": [";
    for (size_t i = 0; i < rows.size(); ++i) {
      const Row& r = rows[i];
      os << (i ? "," : "") << "\n    {\"id\": " << json::str(r.entry.id)
         << ", \"state\": " << json::str(queue::state_name(r.entry.state));
      if (r.request) {
        os << ", \"name\": " << json::str(r.request->name)
           << ", \"priority\": " << r.request->priority
           << ", \"machine\": " << json::str(r.request->machine)
           << ", \"age_seconds\": " << json::num(now - r.request->submitted);
      }
      os << ", \"shards\": " << r.shards << ", \"shards_done\": " << r.done;
      if (r.holder) {
        os << ", \"job\": " << json::str(r.holder->job)
           << ", \"host\": " << json::str(r.holder->host)
           << ", \"claim_stale\": " << (r.stale.stale ? "true" : "false");
        if (r.stale.stale) os << ", \"stale_reason\": " << json::str(r.stale.reason);
      }
      if (r.entry.state == State::Done) os << ", \"result\": " << json::str(r.outcome);
      if (r.entry.state == State::Failed || r.entry.state == State::Cancelled || !r.problem.empty())
        os << ", \"reason\": " << json::str(r.outcome);
      if (r.cancel_requested) os << ", \"cancel_requested\": true";
      os << '}';
    }
    os << "\n  ],\n  \"estimate\": {\"seconds_left\": " << json::num(est.seconds)
       << ", \"ranks\": " << est.ranks << ", \"estimated\": " << est.estimated
       << ", \"unestimated\": " << est.unestimated << "}\n}\n";
  } else {
    os << "queue " << spool.dir().string() << ":";
    for (State s : queue::kStates)
      os << (s == State::Queued ? " " : ", ") << counts[s] << ' ' << queue::state_name(s);
    os << '\n';
    char line[512];
    std::snprintf(line, sizeof line, "%-24s %-12s %-9s %4s %7s %9s  %-22s %s\n", "ID", "NAME",
                  "STATE", "PRI", "AGE", "SHARDS", "HOLDER", "RESULT / REASON");
    os << line;
    for (const Row& r : rows) {
      const std::string shards =
          std::to_string(r.done) + "/" + (r.shards ? std::to_string(r.shards) : "?");
      std::string holder = r.holder ? "job " + r.holder->job + " on " + r.holder->host : "";
      if (r.stale.stale) holder += " (stale)";
      std::snprintf(line, sizeof line, "%-24s %-12s %-9s %4lld %7s %9s  %-22s %s\n",
                    r.entry.id.c_str(), r.request ? r.request->name.substr(0, 12).c_str() : "?",
                    std::string(queue::state_name(r.entry.state)).c_str(),
                    static_cast<long long>(r.request ? r.request->priority : 0),
                    r.request ? age_text(now - r.request->submitted).c_str() : "?", shards.c_str(),
                    holder.c_str(), r.outcome.c_str());
      os << line;
    }
    char buf[256];
    std::snprintf(buf, sizeof buf, "estimated time left: %.1f s on %d rank%s for %zu request%s",
                  est.seconds, est.ranks, est.ranks == 1 ? "" : "s", est.estimated,
                  est.estimated == 1 ? "" : "s");
    os << buf;
    if (est.unestimated > 0)
      os << " (" << est.unestimated
         << " more without an estimate: no calibration for their kind of shard, or their shard "
            "count is not known yet; 'tessera estimate' calibrates)";
    os << '\n';
  }
  std::cout << os.str() << std::flush;
  return 0;
}

const bool registered = register_command({
    .name = "queue status",
    .summary = "list a queue's requests with state, progress, holder and result",
    .synopsis = "DIR [--json] [--ranks R] [--calibration FILE]",
    .declare =
        [](po::options_description& o, po::positional_options_description& pos) {
          o.add_options()("queue", po::value<std::string>()->required(), "the queue's folder")(
              "json", "print JSON")("ranks", po::value<int>()->default_value(0),
                                    "ranks for the time-left estimate (default: the ranks of "
                                    "the drains holding claims, else 1)")(
              "calibration", po::value<std::string>(),
              "calibration file (default: DIR/calibration.txt, then the user's)");
          pos.add("queue", 1);
        },
    .run = run_status,
    .uses_mpi = false,
});

}  // namespace
}  // namespace tessera::cli
