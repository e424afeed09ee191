// Executor throughput (MIPS = guest instructions per second / 10^6) on the sample guests:
//   Plain        execute() without checkpoints
//   Checkpoints  execute() with a checkpoint every 2^20 cycles (what rank 0 does before proving)
//   Mix          execute() counting the instruction mix (what `tessera execute` reports)
//   Record       the event record a worker builds for trace generation, shard by shard (2^20
//                cycles, the record cleared between shards as a worker would after each trace)
//   Qemu         the same ELF and input under qemu-riscv32 as a subprocess; the time is the
//                child's CPU time (user + sys, from getrusage), comparable with the CPU-time MIPS
//                of the executor rows. Qemu/startup runs fibonacci with n = 0: qemu's fixed cost.
//
// Workloads: the six sample guests with their test inputs (short: a few million cycles, where
// qemu's start-up dominates its time), and two scaled ones for steady-state speed: fibonacci with
// n = 2*10^7 (220 M cycles) and SHA-256 of 4 MiB (about 320 M cycles).
// The guests are found beside the benchmark binary (build/inputs/NAME.elf) and the sample inputs
// in the source tree (inputs/data); qemu-riscv32 on PATH. Missing pieces skip their benchmarks.
// MIPS counters divide by CPU time (the development machine is shared; wall time is noisier).
//
//   build/benchmarks/bench_executor --benchmark_min_time=1

#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "vm/executor.hpp"

namespace fs = std::filesystem;
using namespace tessera::vm;

namespace {

// name, guest ELF, input generator (empty: inputs/data/NAME.input).
struct Workload {
  const char* name;
  const char* elf;
  std::vector<uint8_t> (*make_input)();
};

std::vector<uint8_t> fibonacci_20m() {
  const uint32_t n = 20'000'000;
  return {static_cast<uint8_t>(n), static_cast<uint8_t>(n >> 8), static_cast<uint8_t>(n >> 16),
          static_cast<uint8_t>(n >> 24)};
}
std::vector<uint8_t> bytes_4mib() {
  std::vector<uint8_t> b(4u << 20);
  uint64_t x = 0x9e3779b97f4a7c15ull;
  for (auto& v : b) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    v = static_cast<uint8_t>(x);
  }
  return b;
}
std::vector<uint8_t> fibonacci_zero() {
  return {0, 0, 0, 0};
}

const Workload kWorkloads[] = {
    {"fibonacci", "fibonacci", nullptr},
    {"sha256", "sha256", nullptr},
    {"keccak", "keccak", nullptr},
    {"sort", "sort", nullptr},
    {"bigmul", "bigmul", nullptr},
    {"interp", "interp", nullptr},
    {"fibonacci_20M", "fibonacci", fibonacci_20m},
    {"sha256_4MiB", "sha256", bytes_4mib},
};
const Workload kStartup = {"startup", "fibonacci", fibonacci_zero};
constexpr uint64_t kShardCycles = uint64_t{1} << 20;

fs::path self_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::current_path() : exe.parent_path();
}

fs::path guest_elf(const std::string& name) {
  return self_dir() / ".." / "inputs" / (name + ".elf");
}
fs::path guest_input(const std::string& name) {
  return fs::path(__FILE__).parent_path() / ".." / "inputs" / "data" / (name + ".input");
}

std::vector<uint8_t> read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
}

struct Guest {
  std::unique_ptr<Program> program;
  fs::path elf;
  fs::path input_path;  // the input as a file, for qemu's stdin
  std::vector<uint8_t> input;
  uint64_t cycles = 0;
};

// Scaled inputs are written here for qemu's stdin; removed at exit.
const fs::path& temp_dir() {
  static const struct Dir {
    fs::path path =
        fs::temp_directory_path() / ("tessera_bench_executor_" + std::to_string(getpid()));
    Dir() { fs::create_directories(path); }
    ~Dir() {
      std::error_code ec;
      fs::remove_all(path, ec);
    }
  } dir;
  return dir.path;
}

// Loads each workload once; null when its guest was not built.
const Guest* guest(const Workload& w) {
  static std::map<std::string, std::unique_ptr<Guest>> cache;
  auto it = cache.find(w.name);
  if (it == cache.end()) {
    std::unique_ptr<Guest> g;
    if (fs::exists(guest_elf(w.elf))) {
      g = std::make_unique<Guest>();
      g->elf = guest_elf(w.elf);
      g->program = std::make_unique<Program>(Program::load(g->elf, kDefaultMaxPages));
      if (w.make_input) {
        g->input = w.make_input();
        g->input_path = temp_dir() / (std::string(w.name) + ".input");
        std::ofstream(g->input_path, std::ios::binary)
            .write(reinterpret_cast<const char*>(g->input.data()),
                   static_cast<std::streamsize>(g->input.size()));
      } else {
        g->input_path = guest_input(w.name);
        g->input = read_bytes(g->input_path);
      }
      g->cycles = execute(*g->program, g->input, {}).final_state.cycle;
    }
    it = cache.emplace(w.name, std::move(g)).first;
  }
  return it->second.get();
}

void report(benchmark::State& state, uint64_t cycles_per_iteration) {
  state.counters["MIPS"] = benchmark::Counter(static_cast<double>(cycles_per_iteration) / 1e6,
                                              benchmark::Counter::kIsIterationInvariantRate);
  state.counters["cycles"] = static_cast<double>(cycles_per_iteration);
}

void BM_Plain(benchmark::State& state, const Workload* w) {
  const Guest* g = guest(*w);
  if (!g) return state.SkipWithError("guest not built");
  for (auto _ : state)
    benchmark::DoNotOptimize(execute(*g->program, g->input, {}).final_state.cycle);
  report(state, g->cycles);
}

void BM_Checkpoints(benchmark::State& state, const Workload* w) {
  const Guest* g = guest(*w);
  if (!g) return state.SkipWithError("guest not built");
  ExecuteOptions o;
  o.shard_cycles = kShardCycles;
  size_t shards = 0, pages = 0;
  for (auto _ : state) {
    const ExecutionResult r = execute(*g->program, g->input, o);
    shards = r.checkpoints.size();
    pages = 0;
    for (const auto& cp : r.checkpoints) pages += cp.pages.size();
  }
  report(state, g->cycles);
  state.counters["shards"] = static_cast<double>(shards);
  state.counters["ckpt_pages"] = static_cast<double>(pages);
}

void BM_Mix(benchmark::State& state, const Workload* w) {
  const Guest* g = guest(*w);
  if (!g) return state.SkipWithError("guest not built");
  ExecuteOptions o;
  o.count_instruction_mix = true;
  for (auto _ : state)
    benchmark::DoNotOptimize(execute(*g->program, g->input, o).final_state.cycle);
  report(state, g->cycles);
}

void BM_Record(benchmark::State& state, const Workload* w) {
  const Guest* g = guest(*w);
  if (!g) return state.SkipWithError("guest not built");
  ExecutionRecord record;
  size_t events = 0;
  const auto replay_all = [&] {
    Executor ex(*g->program, g->input, kDefaultMaxPages);
    while (!ex.halted()) {
      record.clear();
      ex.run(kShardCycles, record);
      events += record.cycles.size();
    }
  };
  replay_all();  // untimed: fault in the record's memory once, as a long-lived worker would have
  for (auto _ : state) replay_all();
  report(state, g->cycles);
  benchmark::DoNotOptimize(events);
}

double children_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_CHILDREN, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

void BM_Qemu(benchmark::State& state, const Workload* w) {
  const Guest* g = guest(*w);
  if (!g) return state.SkipWithError("guest not built");
  if (std::system("command -v qemu-riscv32 >/dev/null 2>&1") != 0)
    return state.SkipWithError("no qemu-riscv32");
  const std::string cmd = "exec qemu-riscv32 '" + g->elf.string() + "' <'" +
                          g->input_path.string() + "' >/dev/null 2>&1";
  double wall = 0;
  for (auto _ : state) {
    const double c0 = children_cpu_seconds();
    const auto t0 = std::chrono::steady_clock::now();
    const int status = std::system(cmd.c_str());
    wall += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
      return state.SkipWithError("qemu failed");
    state.SetIterationTime(children_cpu_seconds() - c0);
  }
  report(state, g->cycles);
  state.counters["wall_ms"] = 1e3 * wall / static_cast<double>(state.iterations());
}

const bool registered = [] {
  for (const Workload& w : kWorkloads) {
    const std::string n = w.name;
    benchmark::RegisterBenchmark(("Executor/Plain/" + n).c_str(), BM_Plain, &w)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("Executor/Checkpoints/" + n).c_str(), BM_Checkpoints, &w)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("Executor/Mix/" + n).c_str(), BM_Mix, &w)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("Executor/Record/" + n).c_str(), BM_Record, &w)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("Qemu/" + n).c_str(), BM_Qemu, &w)
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond);
  }
  benchmark::RegisterBenchmark("Qemu/startup", BM_Qemu, &kStartup)
      ->UseManualTime()
      ->Unit(benchmark::kMillisecond);
  return true;
}();

}  // namespace

BENCHMARK_MAIN();
