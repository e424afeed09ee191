#pragma once
// What proving costs on this machine, measured once and kept (docs/QUEUE.md, "Estimates"): the
// basis of `tessera estimate` and of the time left that `tessera queue status` shows.
//
// A calibration is measured for one kind of shard — machine, configuration, shard size — with
// the OpenMP threads one rank will have: `tessera estimate` executes the first two shards of the
// request, proves both (prove_seconds: their mean), verifies one (verify_seconds: what a tree node
// costs per child), and records the process's peak resident memory. It is stored as one line per
// kind in a text file, newer measurements replacing older ones of the same kind:
//
//   hashchain config=test shard=64 threads=2 prove_s=0.0123 verify_s=0.0011 execute_s=0.0002
//       rss_mib=45.2 measured=1765041300 host=node01
//
// (one line in the file). The file is $TESSERA_CALIBRATION, else
// ${XDG_CACHE_HOME:-$HOME/.cache}/tessera/calibration.txt; `queue status` looks in the spool's
// own DIR/calibration.txt first (calibrate there with `--calibration DIR/calibration.txt` on the
// nodes that drain it).
//
// The model (one request of n shards on R ranks, each with the calibration's threads):
//   wall ≈ kFixedSeconds + execute_s + ceil(n / R) * (prove_s + verify_s) + 2 * verify_s
// — setup and final writes, the first shard's execution (the rest overlaps proving), the shards
// spread over the ranks with the tree's verifications beside them, and the last tree nodes. A
// queue's time left is the sum of its requests' n * (prove_s + verify_s) + kFixedSeconds over R.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace tessera::queue {

// Opening an artifact, the final collective writes and closing it, per request (measured by
// benchmarks/queue.sh on a 2-core node: 20-60 ms; rounded up).
inline constexpr double kFixedSeconds = 0.1;

struct Calibration {
  std::string machine;
  std::string config;
  uint64_t shard = 0;  // steps (hashchain) or cycles (rv32im) per shard
  int threads = 1;
  double prove_seconds = 0;
  double verify_seconds = 0;
  double execute_seconds = 0;  // executing one shard (rank 0)
  double rss_mib = 0;          // peak resident memory of a rank proving one shard
  double measured = 0;         // seconds since the Unix epoch
  std::string host;

  std::string format() const;
  static std::optional<Calibration> parse(const std::string& line);
  bool same_kind(const Calibration& o) const {
    return machine == o.machine && config == o.config && shard == o.shard && threads == o.threads;
  }
};

std::filesystem::path default_calibration_path();
// Every calibration in `path` (a missing file is none; lines that do not parse are skipped).
std::vector<Calibration> read_calibrations(const std::filesystem::path& path);
// Adds `c`, replacing a calibration of the same kind; the file is replaced atomically.
void store_calibration(const std::filesystem::path& path, const Calibration& c);
// The calibration of this kind of shard; `threads` < 0: any thread count (the most recent).
std::optional<Calibration> find_calibration(const std::vector<Calibration>& all,
                                            const std::string& machine, const std::string& config,
                                            uint64_t shard, int threads);

double estimate_wall_seconds(const Calibration& c, uint64_t shards, int ranks);
// Proving work of `shards` shards (seconds on one rank), the tree's verifications included.
double work_seconds(const Calibration& c, uint64_t shards);

}  // namespace tessera::queue
