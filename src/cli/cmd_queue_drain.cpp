// `tessera queue drain DIR [--wait] [--metrics FILE] [--max-active N] [options]`, under mpirun
// or srun (or alone): proves the queue's requests on every rank until the queue is empty (with
// --wait: until a signal). Rank 0 claims requests (highest priority, then oldest) and keeps
// several open at once, spreading the ranks over them (mpi/rank_loop.hpp, the Balanced policy);
// each request's artifact is the one `tessera prove` would write for it alone, in
// DIR/work/ID.h5 while it runs and DIR/results/ID.h5 once verified. A request that fails is
// marked failed with its reason and the drain goes on. SIGUSR1/SIGTERM: the shards being proven
// finish, every open request's artifact is flushed and the requests go back to the queue with
// their partial artifacts (the next drain resumes them), exit 17. Progress and events go to
// stderr (rank 0), a summary to stdout (text or --json).

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <numeric>

#include "cli/command.hpp"
#include "cli/json_writer.hpp"
#include "cli/request_options.hpp"
#include "common/check.hpp"
#include "mpi/rank_loop.hpp"
#include "queue/spool_feed.hpp"

namespace tessera::cli {
namespace {

namespace fs = std::filesystem;
using mpi::PipelineResult;

// A request's machine, built on every rank from its ticket: exactly what `tessera prove` builds
// for the same parameters (a guest learns its shard count from rank 0's execution, which the
// pipeline proves while it runs). A bad ELF, a guest trap or a run past its cycle limit fails the
// request with its reason.
std::shared_ptr<const ShardedMachine> queue_machine(const mpi::RequestTicket& t, bool debug_check) {
  std::unique_ptr<ShardedMachine> m = make_proving_machine(t.machine, t.parameters);
  m->set_debug_check(debug_check);
  return m;
}

double busy_share(const mpi::EngineResult& r) {
  const double busy = std::accumulate(r.busy_seconds.begin(), r.busy_seconds.end(), 0.0);
  const double total = r.wall_seconds * static_cast<double>(r.busy_seconds.size());
  return total > 0 ? busy / total : 0;
}

void print_json(std::ostream& os, const fs::path& dir, const mpi::EngineResult& r,
                const queue::DrainTotals& t) {
  os << "{\n  \"queue\": " << json::str(dir.string()) << ",\n  \"ranks\": " << r.busy_seconds.size()
     << ",\n  \"wall_seconds\": " << json::num(r.wall_seconds) << ",\n  \"busy_seconds\": [";
  for (size_t i = 0; i < r.busy_seconds.size(); ++i)
    os << (i ? ", " : "") << json::num(r.busy_seconds[i]);
  os << "],\n  \"busy_share\": " << json::num(busy_share(r))
     << ",\n  \"interrupted\": " << (r.interrupted ? "true" : "false")
     << ",\n  \"totals\": {\"done\": " << t.done << ", \"failed\": " << t.failed
     << ", \"cancelled\": " << t.cancelled << ", \"released\": " << t.released
     << ", \"reclaimed\": " << t.reclaimed << ", \"shards_proven\": " << t.shards_proven
     << "},\n  \"requests\": [";
  for (size_t i = 0; i < r.requests.size(); ++i) {
    const PipelineResult& q = r.requests[i];
    // Every rank's prove and tree phases: the request's proving work.
    double prove = 0, tree = 0;
    for (const auto& row : q.timings.seconds) {
      prove += row.size() > mpi::kProve ? row[mpi::kProve] : 0;
      tree += row.size() > mpi::kTree ? row[mpi::kTree] : 0;
    }
    os << (i ? "," : "") << "\n    {\"id\": " << json::str(fs::path(q.artifact).stem().string())
       << ", \"end\": " << json::str(mpi::outcome_name(q.end))
       << ", \"verified\": " << (q.verified ? "true" : "false") << ", \"shards\": " << q.shards
       << ", \"proven\": " << q.proven << ", \"resumed\": " << q.resumed + q.recovered
       << ", \"wall_seconds\": " << json::num(q.wall_seconds)
       << ", \"prove_seconds\": " << json::num(prove) << ", \"tree_seconds\": " << json::num(tree)
       << ", \"message\": " << json::str(q.message) << '}';
  }
  os << "\n  ]\n}\n";
}

int run_drain(const po::variables_map& args) {
  const auto world = mpi::Communicator::world();
  const fs::path dir = args["queue"].as<std::string>();
  std::optional<queue::Spool> spool;
  queue::DrainOptions d;
  mpi::EngineOptions e;
  const auto bad = mpi::agree(
      world, mpi::capture([&] {
        spool.emplace(dir);
        d.wait = args.count("wait") != 0;
        d.poll = args["poll"].as<double>();
        d.heartbeat = args["heartbeat"].as<double>();
        d.stale_after = args["stale-after"].as<double>();
        TESSERA_CHECK(
            d.poll > 0 && d.heartbeat > 0 && d.stale_after > d.heartbeat, ErrorKind::Usage,
            "--poll and --heartbeat must be positive and --stale-after above --heartbeat");
        if (args.count("metrics")) d.metrics = args["metrics"].as<std::string>();
        d.ranks = world.size();
        e.backend = args["backend"].as<std::string>();
        e.max_attempts = args["max-attempts"].as<uint32_t>();
        TESSERA_CHECK(e.max_attempts > 0, ErrorKind::Usage, "--max-attempts must be positive");
        e.max_active = args["max-active"].as<size_t>();
        e.journal_sync = args.count("journal-sync") != 0;
        e.faults = mpi::fault_plan_from_env();
        e.progress_style = mpi::Progress::Style::Off;  // one line per request event instead
        e.label_notes = true;
      }));
  if (bad) {
    if (world.is_root())
      std::cerr << "tessera: " << error_kind_name(bad->kind) << ": " << bad->message << std::endl;
    return exit_code(bad->kind);
  }
  std::optional<queue::SpoolFeed> feed;
  if (world.is_root()) {
    d.log = &std::cerr;
    e.log = &std::cerr;
    feed.emplace(*spool, d);
    std::cerr << "tessera: queue: draining " << dir.string() << " on " << world.size()
              << " rank(s) as " << feed->token() << (d.wait ? " (waiting for new requests)" : "")
              << std::endl;
  }
  const bool debug_check = args.count("debug-check") != 0;
  const mpi::EngineResult r = mpi::run_requests(
      world, [debug_check](const mpi::RequestTicket& t) { return queue_machine(t, debug_check); },
      feed ? &*feed : nullptr, e);
  if (r.setup_error) {
    if (world.is_root())
      std::cerr << "tessera: " << error_kind_name(r.setup_error->kind) << ": "
                << r.setup_error->message << std::endl;
    return exit_code(r.setup_error->kind);
  }
  if (world.is_root()) {
    feed->write_metrics();
    const queue::DrainTotals& t = feed->totals();
    if (args.count("json")) {
      print_json(std::cout, dir, r, t);
    } else {
      char buf[512];
      std::snprintf(
          buf, sizeof buf,
          "drained %s: %llu done, %llu failed, %llu cancelled, %llu released, %llu "
          "reclaimed; %llu shards proven in %.2f s on %zu rank(s), ranks busy %.0f %%\n",
          dir.string().c_str(), static_cast<unsigned long long>(t.done),
          static_cast<unsigned long long>(t.failed), static_cast<unsigned long long>(t.cancelled),
          static_cast<unsigned long long>(t.released), static_cast<unsigned long long>(t.reclaimed),
          static_cast<unsigned long long>(t.shards_proven), r.wall_seconds, r.busy_seconds.size(),
          100 * busy_share(r));
      std::cout << buf;
    }
    std::cout.flush();
  }
  if (!r.interrupted) return 0;
  if (world.is_root())
    std::cerr << "tessera: interrupted: stopped by " << r.signal << ": "
              << (feed ? feed->totals().released : 0)
              << " request(s) released to the queue with their partial artifacts" << std::endl;
  return exit_code(ErrorKind::Interrupted);
}

const bool registered = register_command({
    .name = "queue drain",
    .summary = "prove a queue's requests on all MPI ranks until it is empty",
    .synopsis = "DIR [--wait] [--metrics FILE.prom] [--max-active N] [--backend auto|cpu|cuda] "
                "[--debug-check] [--json]",
    .declare =
        [](po::options_description& o, po::positional_options_description& pos) {
          o.add_options()("queue", po::value<std::string>()->required(), "the queue's folder")(
              "wait", "keep polling for new requests until SIGTERM/SIGUSR1")(
              "poll", po::value<double>()->default_value(2),
              "seconds between looks at an empty queue")(
              "metrics", po::value<std::string>(),
              "write Prometheus metrics to this file (for node_exporter's textfile collector)")(
              "max-active", po::value<size_t>()->default_value(0),
              "requests open at once (0: ranks + 2)")(
              "backend", po::value<std::string>()->default_value("auto"),
              "auto, cpu or cuda (auto: cuda when a GPU is visible)")(
              "max-attempts", po::value<uint32_t>()->default_value(3),
              "attempts per shard before a retryable failure fails the request")(
              "heartbeat", po::value<double>()->default_value(10),
              "seconds between a claim's heartbeats")(
              "stale-after", po::value<double>()->default_value(600),
              "a claim without a heartbeat for this long is reclaimed")(
              "journal-sync", "sync every journal record (survives a node loss)")(
              "debug-check", "check every shard's witness before proving it (as tessera prove)")(
              "json", "print the summary as JSON");
          pos.add("queue", 1);
        },
    .run = run_drain,
    .uses_mpi = true,
});

}  // namespace
}  // namespace tessera::cli
