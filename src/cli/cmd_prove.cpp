// `tessera prove --machine hashchain --steps N [--shard-steps K] [--seed S] --out F.h5
//                [--backend auto|cpu|cuda] [--config core|test] [--resume] [--force] [--json]`
//
// The same binary alone or under mpirun/srun: every rank runs the pipeline (mpi/pipeline.hpp),
// rank 0 reports. Progress goes to stderr (a live line on a terminal, plain lines otherwise); the
// summary to stdout, as text or --json. Exit code 0 only when every shard is proven and the root
// statement verified against the request; otherwise the error's code (Interrupted = 17 after a
// SIGUSR1/SIGTERM, with the artifact flushed for --resume), reported once, by rank 0.

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <sstream>

#include "cli/command.hpp"
#include "cli/json_writer.hpp"
#include "cli/machine_factory.hpp"
#include "common/check.hpp"
#include "machine/rv32im_machine.hpp"
#include "mpi/pipeline.hpp"
#include "shard/sharded_machine.hpp"
#include "vm/elf_loader.hpp"
#include "vm/input_file.hpp"

namespace tessera::cli {
namespace {

using mpi::PipelineResult;

std::string state_text(const std::vector<BabyBear>& s) {
  std::ostringstream os;
  os << '[';
  for (size_t i = 0; i < s.size(); ++i) os << (i ? " " : "") << s[i].as_u32();
  return os.str() + ']';
}

std::string state_json(const std::vector<BabyBear>& s) {
  std::ostringstream os;
  os << '[';
  for (size_t i = 0; i < s.size(); ++i) os << (i ? ", " : "") << s[i].as_u32();
  return os.str() + ']';
}

const char* end_name(PipelineResult::End e) {
  switch (e) {
    case PipelineResult::End::Complete:
      return "complete";
    case PipelineResult::End::Interrupted:
      return "interrupted";
    case PipelineResult::End::Failed:
      return "failed";
  }
  return "unknown";
}

bool succeeded(const PipelineResult& r) {
  return r.end == PipelineResult::End::Complete && r.verified;
}

// Max over ranks of each phase (the critical path of the slowest rank).
std::vector<double> phase_max(const RunTimings& t) {
  std::vector<double> m(t.phases.size(), 0.0);
  for (const auto& row : t.seconds)
    for (size_t p = 0; p < row.size() && p < m.size(); ++p) m[p] = std::max(m[p], row[p]);
  return m;
}

void print_text(std::ostream& os, const PipelineResult& r) {
  char buf[256];
  os << "artifact   " << r.artifact << '\n'
     << "request    " << r.request.describe() << '\n'
     << "ranks      " << r.ranks << " (backend " << r.backend << ")\n";
  os << "shards     " << r.shards << " total: " << r.proven << " proven by this run, " << r.resumed
     << " resumed from the artifact, " << r.recovered << " recovered from the journal, "
     << r.retries << " retried; " << r.stored << " stored\n";
  for (const auto& f : r.failures)
    os << "failure    shard " << f.shard << " on rank " << f.rank << ": " << f.message
       << (f.retried ? " (retried)" : "") << '\n';
  if (r.root) {
    os << "root       shards [" << r.root->first_shard << ", " << r.root->end_shard
       << "): " << state_text(r.root->start_state) << " -> " << state_text(r.root->end_state)
       << '\n';
  }
  os << "verified   " << (r.verified ? "yes (root statement checked against the request)" : "no")
     << '\n';
  const double rate = r.wall_seconds > 0 ? static_cast<double>(r.proven) / r.wall_seconds : 0;
  std::snprintf(buf, sizeof buf, "wall time  %.3f s (%.3f shards/s proven)\n", r.wall_seconds,
                rate);
  os << buf;
  std::snprintf(buf, sizeof buf,
                "tail       %.3f s after the last proof (last write, last tree nodes, finalise)\n",
                r.tail_seconds);
  os << buf;
  if (!r.timings.seconds.empty()) {
    os << "phases     seconds per rank (" << r.timings.phases.size() << " phases)\n";
    os << "  rank";
    for (const auto& p : r.timings.phases) {
      std::snprintf(buf, sizeof buf, " %9s", p.c_str());
      os << buf;
    }
    os << '\n';
    for (size_t rank = 0; rank < r.timings.seconds.size(); ++rank) {
      std::snprintf(buf, sizeof buf, "  %4zu", rank);
      os << buf;
      for (double v : r.timings.seconds[rank]) {
        std::snprintf(buf, sizeof buf, " %9.3f", v);
        os << buf;
      }
      os << '\n';
    }
    os << "   max";
    for (double v : phase_max(r.timings)) {
      std::snprintf(buf, sizeof buf, " %9.3f", v);
      os << buf;
    }
    os << '\n';
  }
  os << "result     " << end_name(r.end)
     << (succeeded(r)
             ? ""
             : std::string(" — ") + std::string(error_kind_name(r.kind)) + ": " + r.message)
     << '\n';
}

void print_json(std::ostream& os, const PipelineResult& r) {
  os << "{\n  \"artifact\": " << json::str(r.artifact) << ",\n"
     << "  \"machine\": " << json::str(r.request.machine) << ",\n"
     << "  \"config\": " << json::str(r.request.config) << ",\n  \"parameters\": {";
  bool first = true;
  for (const auto& [k, v] : r.request.parameters) {
    os << (first ? "" : ", ") << json::str(k) << ": " << json::str(v);
    first = false;
  }
  os << "},\n  \"ranks\": " << r.ranks << ",\n  \"backend\": " << json::str(r.backend) << ",\n"
     << "  \"end\": " << json::str(end_name(r.end)) << ",\n"
     << "  \"verified\": " << (r.verified ? "true" : "false") << ",\n"
     << "  \"shards\": " << r.shards << ",\n  \"proven\": " << r.proven << ",\n"
     << "  \"resumed\": " << r.resumed << ",\n  \"recovered\": " << r.recovered << ",\n"
     << "  \"stored\": " << r.stored << ",\n  \"retries\": " << r.retries << ",\n"
     << "  \"proven_shards\": [";
  for (size_t i = 0; i < r.proven_shards.size(); ++i) os << (i ? ", " : "") << r.proven_shards[i];
  os << "],\n  \"failures\": [";
  for (size_t i = 0; i < r.failures.size(); ++i) {
    const auto& f = r.failures[i];
    os << (i ? ", " : "") << "{\"shard\": " << f.shard << ", \"rank\": " << f.rank
       << ", \"retried\": " << (f.retried ? "true" : "false")
       << ", \"message\": " << json::str(f.message) << '}';
  }
  os << "],\n  \"root\": ";
  if (r.root) {
    os << "{\"first_shard\": " << r.root->first_shard << ", \"end_shard\": " << r.root->end_shard
       << ", \"start_state\": " << state_json(r.root->start_state)
       << ", \"end_state\": " << state_json(r.root->end_state) << '}';
  } else {
    os << "null";
  }
  os << ",\n  \"wall_seconds\": " << json::num(r.wall_seconds)
     << ",\n  \"tail_seconds\": " << json::num(r.tail_seconds)
     << ",\n  \"timings\": {\"phases\": [";
  for (size_t i = 0; i < r.timings.phases.size(); ++i)
    os << (i ? ", " : "") << json::str(r.timings.phases[i]);
  os << "], \"seconds\": [";
  for (size_t rank = 0; rank < r.timings.seconds.size(); ++rank) {
    os << (rank ? ", " : "") << '[';
    for (size_t p = 0; p < r.timings.seconds[rank].size(); ++p)
      os << (p ? ", " : "") << json::num(r.timings.seconds[rank][p]);
    os << ']';
  }
  os << "]},\n  \"error\": ";
  if (succeeded(r)) {
    os << "null";
  } else {
    os << "{\"kind\": " << json::str(error_kind_name(r.kind))
       << ", \"exit_code\": " << exit_code(r.kind) << ", \"message\": " << json::str(r.message)
       << '}';
  }
  os << "\n}\n";
}

// An error every rank found the same way: reported once (by rank 0), the same code everywhere,
// no MPI_Abort (there is nothing to abort: no rank is stuck).
int report_once(const mpi::Communicator& world, ErrorKind kind, const std::string& message) {
  if (world.is_root())
    std::cerr << "tessera: " << error_kind_name(kind) << ": " << message << std::endl;
  return exit_code(kind);
}

// --elf PROGRAM.elf: the rv32im zkVM on the guest; --machine hashchain: the hash chain.
std::unique_ptr<ShardedMachine> machine_from_args(const po::variables_map& args) {
  const bool elf = args.count("elf") != 0;
  const std::string name = args.count("machine") ? args["machine"].as<std::string>() : "";
  if (elf && !name.empty() && name != "rv32im")
    TESSERA_FAIL(ErrorKind::Usage, "--elf proves a guest program (machine rv32im), not " << name);
  if (elf || name == "rv32im") {
    if (!elf) TESSERA_FAIL(ErrorKind::Usage, "--machine rv32im needs --elf PROGRAM.elf");
    rv32im::Rv32imRequest r;
    r.elf = vm::read_elf_bytes(args["elf"].as<std::string>());
    r.shard_cycles = args["shard-cycles"].as<uint64_t>();
    r.max_cycles = args["max-cycles"].as<uint64_t>();
    r.config = args["config"].as<std::string>();
    r.keep_input = args.count("keep-input") != 0;
    std::vector<uint8_t> input;
    if (args.count("input")) input = vm::read_input_file(args["input"].as<std::string>());
    return rv32im::Rv32imMachine::for_pipeline(std::move(r), std::move(input));
  }
  if (name.empty())
    TESSERA_FAIL(ErrorKind::Usage, "say what to prove: --elf PROGRAM.elf or --machine hashchain");
  if (name != "hashchain")
    TESSERA_FAIL(ErrorKind::Usage,
                 "unknown machine '" << name << "' (this build proves: hashchain, rv32im)");
  if (!args.count("steps")) TESSERA_FAIL(ErrorKind::Usage, "--machine hashchain needs --steps N");
  std::map<std::string, std::string> params = {
      {"steps", std::to_string(args["steps"].as<uint64_t>())},
      {"shard_steps", std::to_string(args["shard-steps"].as<uint64_t>())},
      {"seed", std::to_string(args["seed"].as<uint64_t>())},
      {"config", args["config"].as<std::string>()}};
  return make_machine(name, params);
}

int run_prove(const po::variables_map& args) {
  const auto world = mpi::Communicator::world();
  const bool json_out = args.count("json") != 0;
  std::unique_ptr<ShardedMachine> machine;
  mpi::PipelineOptions options;
  try {
    if (args.count("resume") && args.count("force"))
      TESSERA_FAIL(ErrorKind::Usage, "--resume and --force exclude each other");
    machine = machine_from_args(args);
    machine->set_debug_check(args.count("debug-check") != 0);
    options.out = args["out"].as<std::string>();
    options.resume = args.count("resume") != 0;
    options.force = args.count("force") != 0;
    options.backend = args["backend"].as<std::string>();
    options.max_attempts = args["max-attempts"].as<uint32_t>();
    if (options.max_attempts == 0)
      TESSERA_FAIL(ErrorKind::Usage, "--max-attempts must be positive");
    options.faults = mpi::fault_plan_from_env();
    options.journal_sync = args.count("journal-sync") != 0;
  } catch (const Error& e) {
    return report_once(world, e.kind(), e.what());
  }
  if (world.is_root()) {
    options.log = &std::cerr;
    options.progress_style = mpi::Progress::style_from_env(isatty(fileno(stderr)) != 0);
    options.progress_interval = mpi::Progress::interval_from_env();
  }

  const PipelineResult r = mpi::run_pipeline(world, *machine, options);
  if (world.is_root()) {
    if (json_out) {
      print_json(std::cout, r);
    } else if (r.started) {
      print_text(std::cout, r);
    }
    std::cout.flush();
  }
  if (succeeded(r)) return 0;
  return report_once(world, r.kind, r.message);
}

const bool registered = register_command({
    .name = "prove",
    .summary = "prove a request on all MPI ranks into an HDF5 artifact",
    .synopsis =
        "(--elf PROGRAM.elf [--input FILE [--keep-input]] [--shard-cycles N] [--max-cycles N] | "
        "--machine hashchain --steps N [--shard-steps K] [--seed S]) --out FILE.h5 "
        "[--backend auto|cpu|cuda] [--config core|test] [--resume] [--force] [--debug-check] "
        "[--json]",
    .declare =
        [](po::options_description& o, po::positional_options_description&) {
          o.add_options()("elf", po::value<std::string>(),
                          "the guest program (RV32IM ELF) to prove with the rv32im zkVM")(
              "input", po::value<std::string>(),
              "rv32im: the guest's private input (read by fd 0; at most 2^30 bytes)")(
              "keep-input",
              "rv32im: record the private input in the artifact (by default only its digest)")(
              "shard-cycles", po::value<uint64_t>()->default_value(rv32im::kDefaultShardCycles),
              "rv32im: cycles per shard (a power of two, at most 2^22)")(
              "max-cycles", po::value<uint64_t>()->default_value(vm::kDefaultMaxCycles),
              "rv32im: refuse a run longer than this")("machine", po::value<std::string>(),
                                                       "what to prove without --elf: hashchain")(
              "steps", po::value<uint64_t>(), "hashchain: number of compression steps")(
              "shard-steps", po::value<uint64_t>()->default_value(1024),
              "hashchain: steps per shard (a power of two dividing --steps)")(
              "seed", po::value<uint64_t>()->default_value(0), "hashchain: witness seed")(
              "out", po::value<std::string>()->required(), "the HDF5 artifact to write")(
              "backend", po::value<std::string>()->default_value("auto"),
              "auto, cpu or cuda (auto: cuda when a GPU is visible)")(
              "config", po::value<std::string>()->default_value("core"),
              "STARK configuration: core, or test (insecure, for tests)")(
              "resume", "continue an existing artifact: prove only its missing shards")(
              "force", "overwrite an existing artifact (and its journal)")(
              "max-attempts", po::value<uint32_t>()->default_value(3),
              "attempts per shard before a retryable failure ends the run")(
              "journal-sync",
              "sync every journal record to disk (finished shards then survive a node loss, "
              "not only a killed process)")(
              "debug-check",
              "check every shard's witness against every constraint before proving it (names "
              "what a prover bug breaks; slower, same proofs)")("json",
                                                                "print the summary as JSON");
        },
    .run = run_prove,
    .uses_mpi = true,
});

}  // namespace
}  // namespace tessera::cli
