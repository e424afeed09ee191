// `tessera estimate (--elf F [--input F] | --machine hashchain --steps N) [--ranks R]
//                   [--ranks-per-node K] [--calibrate] [--calibration FILE] [--json]`
//
// What proving a request will take before it is queued: its cycles and shards, the estimated
// wall time on R ranks and the memory each rank needs, from a calibration measured on this
// machine (src/queue/calibration.hpp; docs/QUEUE.md, "Estimates"). A guest program is executed
// in full (the executor is cheap next to proving: that is how its cycles and shards are known); a
// hash chain's length is its step count. When no calibration of this kind of shard exists at the
// thread count a rank will have (or with --calibrate), one is measured now — the request's first
// two shards executed and proven, one verified, on this process with those threads — and stored
// for next time.

#include <omp.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <thread>

#include "backend/backend.hpp"
#include "cli/command.hpp"
#include "cli/json_writer.hpp"
#include "cli/request_options.hpp"
#include "common/check.hpp"
#include "queue/calibration.hpp"
#include "queue/claim.hpp"
#include "shard/sharded_machine.hpp"
#include "vm/checkpoint.hpp"
#include "vm/executor.hpp"
#include "vm/program.hpp"

namespace tessera::cli {
namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

struct Run {
  uint64_t cycles = 0;
  uint64_t shards = 0;
  uint64_t checkpoint_bytes = 0;  // rank 0 holds every checkpoint while the request is proven
  double execute_seconds = 0;
  bool executed = false;
};

// A guest: executed in full. A hash chain: its steps are its cycles.
Run size_of(const RequestSpec& spec) {
  Run run;
  if (spec.machine == "hashchain") {
    run.cycles = std::stoull(spec.parameters.at("steps"));
    run.shards = run.cycles / spec.shard_size;
    return run;
  }
  const vm::Program program = vm::Program::load(*spec.elf, vm::kDefaultMaxPages);
  std::vector<uint8_t> input;
  if (spec.input) {
    std::ifstream in(*spec.input, std::ios::binary);
    TESSERA_CHECK(in.good(), ErrorKind::InputFile,
                  "cannot open input file '" << spec.input->string() << "'");
    input.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  vm::ExecuteOptions o;
  o.shard_cycles = spec.shard_size;
  o.max_cycles = std::stoull(spec.parameters.at("max_cycles"));
  const auto t = Clock::now();
  const vm::ExecutionResult r = vm::execute(program, input, o);
  run.execute_seconds = since(t);
  run.cycles = r.final_state.cycle;
  run.shards = std::max<uint64_t>(1, r.checkpoints.size());
  for (const auto& cp : r.checkpoints) run.checkpoint_bytes += vm::serialize_checkpoint(cp).size();
  run.executed = true;
  return run;
}

// Measures one kind of shard on this process with `threads` OpenMP threads.
queue::Calibration calibrate(const RequestSpec& spec, int threads, const std::string& backend) {
  std::map<std::string, std::string> params = spec.parameters;
  if (spec.elf) params["elf"] = spec.elf->string();
  if (spec.input) params["input"] = spec.input->string();
  const auto machine = make_proving_machine(spec.machine, params);
  omp_set_num_threads(threads);
  auto be = make_backend(backend);
  // The first two shards' checkpoints, then the execution is cut short.
  struct Enough {};
  std::vector<std::vector<uint8_t>> checkpoints;
  const auto t_exec = Clock::now();
  try {
    machine->execute_each([&](uint64_t, std::vector<uint8_t> cp) {
      checkpoints.push_back(std::move(cp));
      if (checkpoints.size() == 2) throw Enough{};
    });
  } catch (const Enough&) {
  }
  queue::Calibration c;
  c.machine = spec.machine;
  c.config = spec.config;
  c.shard = spec.shard_size;
  c.threads = threads;
  c.execute_seconds = since(t_exec) / static_cast<double>(checkpoints.size());
  double prove = 0;
  std::vector<uint8_t> proof0;
  for (uint64_t s = 0; s < checkpoints.size(); ++s) {
    const auto t = Clock::now();
    auto proof = machine->prove_shard(s, checkpoints[s], *be);
    prove += since(t);
    if (s == 0) proof0 = std::move(proof);
  }
  c.prove_seconds = prove / static_cast<double>(checkpoints.size());
  const auto t_verify = Clock::now();
  machine->verify_shard(0, proof0);
  c.verify_seconds = since(t_verify);
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  c.rss_mib = static_cast<double>(ru.ru_maxrss) / 1024.0;  // KiB on Linux
  c.measured = queue::unix_now();
  c.host = queue::ClaimToken::mine().host;
  return c;
}

int run_estimate(const po::variables_map& args) {
  const RequestSpec spec = request_from_options(args);
  const int ranks = args["ranks"].as<int>();
  TESSERA_CHECK(ranks > 0, ErrorKind::Usage, "--ranks must be positive");
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int per_node =
      args.count("ranks-per-node") ? args["ranks-per-node"].as<int>() : std::min(ranks, cores);
  TESSERA_CHECK(per_node > 0, ErrorKind::Usage, "--ranks-per-node must be positive");
  // The threads a rank will have: the pipeline gives each rank its share of the node's cores.
  int threads = std::max(1, cores / per_node);
  if (const char* t = std::getenv("OMP_NUM_THREADS"); t != nullptr && std::atoi(t) > 0)
    threads = std::atoi(t);
  const std::filesystem::path file =
      args.count("calibration") ? std::filesystem::path(args["calibration"].as<std::string>())
                                : queue::default_calibration_path();

  const Run run = size_of(spec);
  std::optional<queue::Calibration> cal;
  if (!args.count("calibrate"))
    cal = queue::find_calibration(queue::read_calibrations(file), spec.machine, spec.config,
                                  spec.shard_size, threads);
  const bool measured_now = !cal;
  if (!cal) {
    cal = calibrate(spec, threads, args["backend"].as<std::string>());
    queue::store_calibration(file, *cal);
  }
  const double wall = queue::estimate_wall_seconds(*cal, run.shards, ranks);
  std::ostringstream os;
  if (args.count("json")) {
    os << "{\n  \"machine\": " << json::str(spec.machine)
       << ",\n  \"config\": " << json::str(spec.config) << ",\n  \"cycles\": " << run.cycles
       << ",\n  \"shards\": " << run.shards << ",\n  \"shard_size\": " << spec.shard_size
       << ",\n  \"executed\": " << (run.executed ? "true" : "false")
       << ",\n  \"execute_seconds\": " << json::num(run.execute_seconds)
       << ",\n  \"ranks\": " << ranks << ",\n  \"threads_per_rank\": " << threads;
    os << ",\n  \"wall_seconds\": " << json::num(wall)
       << ",\n  \"rank_memory_mib\": " << json::num(cal->rss_mib)
       << ",\n  \"rank0_checkpoint_mib\": "
       << json::num(static_cast<double>(run.checkpoint_bytes) / (1 << 20))
       << ",\n  \"calibration\": {\"file\": " << json::str(file.string())
       << ", \"measured_now\": " << (measured_now ? "true" : "false")
       << ", \"prove_seconds\": " << json::num(cal->prove_seconds)
       << ", \"verify_seconds\": " << json::num(cal->verify_seconds)
       << ", \"execute_seconds\": " << json::num(cal->execute_seconds)
       << ", \"host\": " << json::str(cal->host) << "}";
    os << "\n}\n";
  } else {
    char buf[512];
    os << "request     " << spec.machine << " config " << spec.config << '\n';
    os << "cycles      " << run.cycles << (run.executed ? "" : " (hash-chain steps)") << '\n';
    os << "shards      " << run.shards << " of " << spec.shard_size
       << (spec.machine == "hashchain" ? " steps" : " cycles") << '\n';
    std::snprintf(buf, sizeof buf,
                  "calibration %s: prove %.4f s, verify %.4f s, execute %.5f s per shard with "
                  "%d thread(s), on %s (%s '%s')\n",
                  measured_now ? "measured now" : "stored", cal->prove_seconds, cal->verify_seconds,
                  cal->execute_seconds, cal->threads, cal->host.c_str(),
                  measured_now ? "saved to" : "from", file.string().c_str());
    os << buf;
    std::snprintf(buf, sizeof buf,
                  "estimate    %.2f s on %d rank(s) of %d thread(s); per rank about %.0f MiB "
                  "(rank 0 also holds %.2f MiB of checkpoints)\n",
                  wall, ranks, threads, cal->rss_mib,
                  static_cast<double>(run.checkpoint_bytes) / (1 << 20));
    os << buf;
  }
  std::cout << os.str() << std::flush;
  return 0;
}

const bool registered = register_command({
    .name = "estimate",
    .summary = "size a request (cycles, shards) and estimate its wall time and memory on R ranks",
    .synopsis = "(--elf PROGRAM.elf [--input FILE] | --machine hashchain --steps N) [--ranks R] "
                "[--ranks-per-node K] [--calibrate] [--calibration FILE] [--json]",
    .declare =
        [](po::options_description& o, po::positional_options_description&) {
          declare_request_options(o);
          o.add_options()("ranks", po::value<int>()->default_value(1), "ranks to estimate for")(
              "ranks-per-node", po::value<int>(),
              "ranks sharing a node's cores (default: min(ranks, this node's cores))")(
              "calibrate", "measure the calibration again even if one is stored")(
              "calibration", po::value<std::string>(),
              "the calibration file (default $TESSERA_CALIBRATION, else "
              "~/.cache/tessera/calibration.txt)")(
              "backend", po::value<std::string>()->default_value("cpu"),
              "backend to calibrate with: cpu or cuda")("json", "print JSON");
        },
    .run = run_estimate,
    .uses_mpi = false,
});

}  // namespace
}  // namespace tessera::cli
