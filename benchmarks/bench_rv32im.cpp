// Proving one rv32im shard of a sample guest: the proving rate in cycles per second, where the
// time goes (witness generation, then the prover's phases) and what the shard costs per table.
//
//   bench_rv32im GUEST.elf INPUT [--log-cycles 20] [--shard INDEX] [--threads 1,2] [--repeats 3]
//                [--config core] [--debug-check]
//
// The guest is executed into shards of 2^log-cycles cycles and shard INDEX (default 0; a
// non-final shard measures a full 2^log-cycles) is proven `repeats` times with each thread
// count; medians are printed. Per table: height, main width, LogUp (extension) columns and
// committed cells (main + 4 x LogUp + 4 x quotient chunks per row); cells per cycle. Then the
// proof size, verify_shard time, and the peak RSS of the process (getrusage; run one
// configuration per process for a clean figure). --debug-check runs the prover's debug check
// (every constraint on every row, every bus balanced) before proving, as `tessera prove
// --debug-check` does, and reports its time.
#include <omp.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "backend/cpu_backend.hpp"
#include "common/error.hpp"
#include "machine/rv32im_machine.hpp"
#include "machine/rv32im_stark.hpp"
#include "machine/shard_witness.hpp"
#include "stark/proof.hpp"
#include "stark/prover.hpp"
#include "vm/elf_loader.hpp"
#include "vm/input_file.hpp"

namespace tessera::rv32im {
namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}
double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}
double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

struct Options {
  std::string elf, input;
  uint32_t log_cycles = 20;
  uint64_t shard = 0;
  std::vector<int> threads = {1, 2};
  int repeats = 3;
  std::string config = "core";
  bool debug_check = false;
};

Options parse(int argc, char** argv) {
  Options o;
  std::vector<std::string> pos;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error("missing value after " + a);
      return argv[++i];
    };
    if (a == "--log-cycles") {
      o.log_cycles = static_cast<uint32_t>(std::stoul(next()));
    } else if (a == "--shard") {
      o.shard = std::stoull(next());
    } else if (a == "--repeats") {
      o.repeats = std::stoi(next());
    } else if (a == "--debug-check") {
      o.debug_check = true;
    } else if (a == "--config") {
      o.config = next();
    } else if (a == "--threads") {
      o.threads.clear();
      std::stringstream ss(next());
      for (std::string t; std::getline(ss, t, ',');) o.threads.push_back(std::stoi(t));
    } else {
      pos.push_back(a);
    }
  }
  if (pos.size() != 2) throw std::runtime_error("usage: bench_rv32im GUEST.elf INPUT [options]");
  o.elf = pos[0];
  o.input = pos[1];
  return o;
}

int run(const Options& o) {
  Rv32imRequest req;
  req.elf = vm::read_elf_bytes(o.elf);
  req.shard_cycles = uint64_t{1} << o.log_cycles;
  req.config = o.config;
  const auto machine = Rv32imMachine::for_proving(req, vm::read_input_file(o.input));
  const auto checkpoints = machine->execute();
  if (o.shard >= checkpoints.size()) throw std::runtime_error("the run has fewer shards");
  const ShardCheckpoint cp = parse_shard_checkpoint(checkpoints[o.shard]);
  const uint64_t cycles = cp.vm.cycle_count;
  std::printf("guest %s: %llu cycles in %zu shards of 2^%u; shard %llu has %llu cycles; config %s\n",
              o.elf.c_str(), static_cast<unsigned long long>(machine->execution().final_state.cycle),
              checkpoints.size(), o.log_cycles, static_cast<unsigned long long>(o.shard),
              static_cast<unsigned long long>(cycles), o.config.c_str());

  CpuBackend backend;
  const Machine& m = machine->stark_machine();
  std::vector<uint8_t> proof;
  for (const int t : o.threads) {
    omp_set_num_threads(t);
    std::vector<double> wall, witness, debug, main_c, logup, perm_c, quot, quot_c, open;
    for (int r = 0; r < o.repeats; ++r) {
      const auto t0 = Clock::now();
      ProverTimings tm;
      ProveOptions po;
      po.timings = &tm;
      po.debug_check = o.debug_check;
      const auto tw = Clock::now();
      proof = machine->prove_shard_with(o.shard, checkpoints[o.shard], backend, po,
                                        [&](ShardWitness&) { witness.push_back(since(tw)); });
      wall.push_back(since(t0));
      debug.push_back(tm.debug_check);
      main_c.push_back(tm.main_commit);
      logup.push_back(tm.logup_trace);
      perm_c.push_back(tm.permutation_commit);
      quot.push_back(tm.quotient);
      quot_c.push_back(tm.quotient_commit);
      open.push_back(tm.open);
    }
    const double w = median(wall);
    std::printf(
        "threads %d: %.3f s per shard = %.0f cycles/s (median of %d); witness %.3f, debug check "
        "%.3f, main commit %.3f, logup trace %.3f, logup commit %.3f, quotient %.3f, quotient "
        "commit %.3f, open %.3f s\n",
        t, w, static_cast<double>(cycles) / w, o.repeats, median(witness), median(debug),
        median(main_c), median(logup), median(perm_c), median(quot), median(quot_c), median(open));
  }
  // Per-table shape from the proof.
  const ShardProof p = deserialize_shard_proof(proof, m);
  uint64_t total_cells = 0;
  std::printf("%-14s %10s %6s %6s %6s %14s\n", "table", "height", "main", "logup", "quot", "cells");
  for (size_t t = 0; t < m.num_tables(); ++t) {
    const TableLayout& l = m.layout(t);
    const uint64_t h = uint64_t{1} << p.log_heights[t];
    const uint64_t cells = h * (l.width + l.permutation_width() + 4 * l.num_quotient_chunks());
    total_cells += cells;
    std::printf("%-14s %10llu %6zu %6zu %6zu %14llu\n", l.name.c_str(),
                static_cast<unsigned long long>(h), l.width, l.permutation_width(),
                4 * l.num_quotient_chunks(), static_cast<unsigned long long>(cells));
  }
  std::printf("committed cells %llu = %.1f per cycle\n", static_cast<unsigned long long>(total_cells),
              static_cast<double>(total_cells) / static_cast<double>(cycles));
  std::vector<double> verify_s;
  for (int r = 0; r < std::max(o.repeats, 3); ++r) {
    const auto t0 = Clock::now();
    machine->verify_shard(o.shard, proof);
    verify_s.push_back(since(t0));
  }
  std::printf("proof %zu bytes; verify %.1f ms (median); peak RSS %.0f MB\n", proof.size(),
              1e3 * median(verify_s), peak_rss_mb());
  return 0;
}

}  // namespace
}  // namespace tessera::rv32im

int main(int argc, char** argv) {
  try {
    return tessera::rv32im::run(tessera::rv32im::parse(argc, argv));
  } catch (const std::exception& e) {
    std::cerr << "bench_rv32im: " << e.what() << '\n';
    return 1;
  }
}
