#include "queue/calibration.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "common/check.hpp"

namespace tessera::queue {

namespace fs = std::filesystem;

std::string Calibration::format() const {
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "%s config=%s shard=%llu threads=%d prove_s=%.6g verify_s=%.6g execute_s=%.6g "
                "rss_mib=%.1f measured=%.0f host=%s",
                machine.c_str(), config.c_str(), static_cast<unsigned long long>(shard), threads,
                prove_seconds, verify_seconds, execute_seconds, rss_mib, measured, host.c_str());
  return buf;
}

std::optional<Calibration> Calibration::parse(const std::string& line) {
  std::istringstream in(line);
  Calibration c;
  if (!(in >> c.machine) || c.machine.empty() || c.machine[0] == '#') return std::nullopt;
  std::map<std::string, std::string> kv;
  std::string word;
  while (in >> word) {
    const size_t eq = word.find('=');
    if (eq == std::string::npos) return std::nullopt;
    kv[word.substr(0, eq)] = word.substr(eq + 1);
  }
  try {
    c.config = kv.at("config");
    c.shard = std::stoull(kv.at("shard"));
    c.threads = std::stoi(kv.at("threads"));
    c.prove_seconds = std::stod(kv.at("prove_s"));
    c.verify_seconds = std::stod(kv.at("verify_s"));
    c.execute_seconds = std::stod(kv.at("execute_s"));
    c.rss_mib = std::stod(kv.at("rss_mib"));
    c.measured = std::stod(kv.at("measured"));
    c.host = kv.count("host") ? kv.at("host") : "";
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return c;
}

fs::path default_calibration_path() {
  if (const char* p = std::getenv("TESSERA_CALIBRATION"); p != nullptr && *p != '\0') return p;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x != nullptr && *x != '\0')
    return fs::path(x) / "tessera" / "calibration.txt";
  const char* home = std::getenv("HOME");
  return fs::path(home != nullptr ? home : "/tmp") / ".cache" / "tessera" / "calibration.txt";
}

std::vector<Calibration> read_calibrations(const fs::path& path) {
  std::vector<Calibration> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line))
    if (auto c = Calibration::parse(line)) out.push_back(*c);
  return out;
}

void store_calibration(const fs::path& path, const Calibration& c) {
  std::vector<Calibration> all = read_calibrations(path);
  std::erase_if(all, [&](const Calibration& o) { return o.same_kind(c); });
  all.push_back(c);
  std::error_code ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  const fs::path tmp = path.string() + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << "# tessera calibration 1: one kind of shard per line (docs/QUEUE.md, \"Estimates\")\n";
    for (const Calibration& o : all) out << o.format() << '\n';
    out.close();
    TESSERA_CHECK(out.good(), ErrorKind::InputFile,
                  "cannot write the calibration file '" << tmp.string() << "'");
  }
  fs::rename(tmp, path, ec);
  TESSERA_CHECK(!ec, ErrorKind::InputFile,
                "cannot write the calibration file '" << path.string() << "': " << ec.message());
}

std::optional<Calibration> find_calibration(const std::vector<Calibration>& all,
                                            const std::string& machine, const std::string& config,
                                            uint64_t shard, int threads) {
  std::optional<Calibration> best;
  for (const Calibration& c : all) {
    if (c.machine != machine || c.config != config || c.shard != shard) continue;
    if (threads >= 0 && c.threads != threads) continue;
    if (!best || c.measured > best->measured) best = c;
  }
  return best;
}

double work_seconds(const Calibration& c, uint64_t shards) {
  return static_cast<double>(shards) * (c.prove_seconds + c.verify_seconds);
}

double estimate_wall_seconds(const Calibration& c, uint64_t shards, int ranks) {
  const uint64_t r = static_cast<uint64_t>(std::max(1, ranks));
  const uint64_t per_rank = (shards + r - 1) / r;
  return kFixedSeconds + c.execute_seconds +
         static_cast<double>(per_rank) * (c.prove_seconds + c.verify_seconds) +
         2 * c.verify_seconds;
}

}  // namespace tessera::queue
