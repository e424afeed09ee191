// `tessera inspect FILE.h5 [--json] [--shards]`: what an artifact holds, without verifying it —
// the request, the final statement, the shard table (count, status, proof sizes, which rank
// proved each shard and in how many attempts), the journal's proofs not yet in the file, and the
// per-rank phase timings of the run that last wrote it. One process, no MPI.

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "cli/command.hpp"
#include "cli/json_writer.hpp"
#include "common/check.hpp"
#include "io/artifact.hpp"
#include "io/journal.hpp"
#include "shard/statement.hpp"

namespace tessera::cli {
namespace {

constexpr uint64_t kListLimit = 16;  // shards listed by default

std::string states(const std::vector<BabyBear>& s, const char* sep) {
  std::ostringstream os;
  for (size_t i = 0; i < s.size(); ++i) os << (i ? sep : "") << s[i].as_u32();
  return os.str();
}

int run_inspect(const po::variables_map& args) {
  const std::string path = args["artifact"].as<std::string>();
  const bool json_out = args.count("json") != 0;
  const bool all_shards = args.count("shards") != 0;
  Artifact art = [&] {
    try {
      return Artifact::open(path, Artifact::Mode::ReadOnly, std::nullopt);
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::Format) throw;
      // Say what can still be saved: the journal survives a damaged file.
      const auto dir = journal_dir(path);
      std::error_code ec;
      if (std::filesystem::is_directory(dir, ec))
        TESSERA_FAIL(ErrorKind::Format, e.what() << "; its journal '" << dir.string()
                                                 << "' remains: tessera prove --resume rebuilds "
                                                    "the artifact from it");
      throw;
    }
  }();
  const ArtifactRequest& req = art.request();
  const auto& table = art.shards();
  const uint64_t n = req.num_shards;
  std::map<ShardStatus, uint64_t> by_status;
  uint64_t min_size = UINT64_MAX, max_size = 0, total = 0;
  for (const auto& e : table) {
    ++by_status[e.status];
    if (e.status != ShardStatus::Proven) continue;
    min_size = std::min(min_size, e.size);
    max_size = std::max(max_size, e.size);
    total += e.size;
  }
  const uint64_t proven = by_status[ShardStatus::Proven];
  const JournalScan journal = scan_journal(journal_dir(path), req.fingerprint());
  std::set<uint64_t> journal_only;
  for (const auto& e : journal.entries)
    if (e.shard < n && table[e.shard].status != ShardStatus::Proven) journal_only.insert(e.shard);
  const std::optional<FinalRecord> fin = art.read_final();
  std::optional<ShardStatement> root;
  if (fin && !fin->root_statement.empty()) root = statement_from_bytes(fin->root_statement);
  const std::optional<RunTimings> timings = art.read_timings();

  std::ostringstream os;
  char buf[256];
  if (json_out) {
    os << "{\n  \"artifact\": " << json::str(path)
       << ",\n  \"format_version\": " << kArtifactFormatVersion
       << ",\n  \"tessera_version\": " << json::str(req.tessera_version)
       << ",\n  \"machine\": " << json::str(req.machine)
       << ",\n  \"config\": " << json::str(req.config) << ",\n  \"parameters\": {";
    bool first = true;
    for (const auto& [k, v] : req.parameters) {
      os << (first ? "" : ", ") << json::str(k) << ": " << json::str(v);
      first = false;
    }
    os << "},\n  \"shards\": " << n << ",\n  \"proven\": " << proven
       << ",\n  \"missing\": " << by_status[ShardStatus::Missing]
       << ",\n  \"failed\": " << by_status[ShardStatus::Failed]
       << ",\n  \"journal_only\": " << journal_only.size() << ",\n  \"proof_bytes\": " << total
       << ",\n  \"shard_table\": [";
    for (uint64_t i = 0; i < n; ++i) {
      const auto& e = table[i];
      os << (i ? ",\n    " : "\n    ") << "{\"shard\": " << i
         << ", \"status\": " << json::str(shard_status_name(e.status)) << ", \"size\": " << e.size
         << ", \"offset\": " << e.offset << ", \"prover_rank\": " << e.prover_rank
         << ", \"attempts\": " << e.attempts << '}';
    }
    os << "],\n  \"final\": ";
    if (fin) {
      os << "{\"verified\": " << (fin->verified ? "true" : "false")
         << ", \"tree_nodes\": " << fin->tree.size();
      if (root)
        os << ", \"first_shard\": " << root->first_shard << ", \"end_shard\": " << root->end_shard
           << ", \"start_state\": [" << states(root->start_state, ", ") << "], \"end_state\": ["
           << states(root->end_state, ", ") << "]";
      // As stored: `tessera verify` checks it against the root before it prints it.
      os << ", \"output_bytes\": ";
      if (fin->public_output)
        os << fin->public_output->size();
      else
        os << "null";
      os << '}';
    } else {
      os << "null";
    }
    os << ",\n  \"timings\": ";
    if (timings) {
      os << "{\"wall_seconds\": " << json::num(timings->wall_seconds)
         << ", \"shards_proven\": " << timings->shards_proven
         << ", \"shards_resumed\": " << timings->shards_resumed
         << ", \"retries\": " << timings->retries << ", \"phases\": [";
      for (size_t i = 0; i < timings->phases.size(); ++i)
        os << (i ? ", " : "") << json::str(timings->phases[i]);
      os << "], \"seconds\": [";
      for (size_t r = 0; r < timings->seconds.size(); ++r) {
        os << (r ? ", " : "") << '[';
        for (size_t p = 0; p < timings->seconds[r].size(); ++p)
          os << (p ? ", " : "") << json::num(timings->seconds[r][p]);
        os << ']';
      }
      os << "]}";
    } else {
      os << "null";
    }
    os << "\n}\n";
    std::cout << os.str();
    return 0;
  }

  os << "artifact   " << path << " (format " << kArtifactFormatVersion << ", written by tessera "
     << req.tessera_version << ")\n"
     << "request    " << req.describe() << '\n'
     << "statement  ";
  if (root) {
    os << "shards [" << root->first_shard << ", " << root->end_shard << "): ["
       << states(root->start_state, " ") << "] -> [" << states(root->end_state, " ") << "]"
       << (fin->verified ? " (root checked against the request when written)" : " (NOT verified)")
       << '\n';
  } else {
    os << "none yet (the reduction tree has not run)\n";
  }
  if (fin && fin->public_output)
    os << "output     " << fin->public_output->size()
       << " bytes stored in /final/output (unverified here: tessera verify checks and prints it)\n";
  os << "shards     " << n << ": " << proven << " proven, " << by_status[ShardStatus::Missing]
     << " missing, " << by_status[ShardStatus::Failed] << " failed";
  if (!journal_only.empty())
    os << "; " << journal_only.size()
       << " more proven in the journal, not yet in the file (a running prove writes them in; "
          "after a kill, tessera prove --resume does)";
  os << '\n';
  if (proven > 0) {
    std::snprintf(buf, sizeof buf,
                  "proofs     %llu bytes in all; per shard min %llu, mean %.0f, max %llu\n",
                  static_cast<unsigned long long>(total), static_cast<unsigned long long>(min_size),
                  static_cast<double>(total) / static_cast<double>(proven),
                  static_cast<unsigned long long>(max_size));
    os << buf;
  }
  const uint64_t listed = all_shards ? n : std::min(n, kListLimit);
  os << "  shard  status      bytes  rank  attempts\n";
  for (uint64_t i = 0; i < listed; ++i) {
    const auto& e = table[i];
    std::snprintf(
        buf, sizeof buf, "  %5llu  %-8s %8llu  %4d  %8u%s\n", static_cast<unsigned long long>(i),
        std::string(shard_status_name(e.status)).c_str(), static_cast<unsigned long long>(e.size),
        e.prover_rank, e.attempts, journal_only.count(i) ? "  (in journal)" : "");
    os << buf;
  }
  if (listed < n) os << "  ... " << n - listed << " more (--shards lists all)\n";
  if (timings) {
    std::snprintf(buf, sizeof buf,
                  "timings    last run: %.3f s wall, %llu shards proven, %llu resumed, %llu "
                  "retries, %zu ranks\n",
                  timings->wall_seconds, static_cast<unsigned long long>(timings->shards_proven),
                  static_cast<unsigned long long>(timings->shards_resumed),
                  static_cast<unsigned long long>(timings->retries), timings->seconds.size());
    os << buf << "  rank";
    for (const auto& p : timings->phases) {
      std::snprintf(buf, sizeof buf, " %9s", p.c_str());
      os << buf;
    }
    os << '\n';
    for (size_t r = 0; r < timings->seconds.size(); ++r) {
      std::snprintf(buf, sizeof buf, "  %4zu", r);
      os << buf;
      for (double v : timings->seconds[r]) {
        std::snprintf(buf, sizeof buf, " %9.3f", v);
        os << buf;
      }
      os << '\n';
    }
  }
  std::cout << os.str();
  return 0;
}

const bool registered = register_command({
    .name = "inspect",
    .summary = "print what an artifact holds: request, statement, shards, timings",
    .synopsis = "FILE.h5 [--json] [--shards]",
    .declare =
        [](po::options_description& o, po::positional_options_description& p) {
          o.add_options()("artifact", po::value<std::string>()->required(), "the HDF5 artifact")(
              "json", "print as JSON (the whole shard table)")(
              "shards", "list every shard (default: the first 16)");
          p.add("artifact", 1);
        },
    .run = run_inspect,
    .uses_mpi = false,
});

}  // namespace
}  // namespace tessera::cli
