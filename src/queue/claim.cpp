#include "queue/claim.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <sstream>
#include <vector>

#include "common/check.hpp"
#include "queue/request_file.hpp"

namespace tessera::queue {

namespace {

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t pos = 0;
  for (;;) {
    const size_t next = s.find(sep, pos);
    out.push_back(s.substr(pos, next == std::string::npos ? std::string::npos : next - pos));
    if (next == std::string::npos) return out;
    pos = next + 1;
  }
}

bool all_digits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

std::string short_host() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  std::string h(buf);
  h = h.substr(0, h.find('.'));
  // Keep it a file name: anything unusual becomes '_'.
  for (char& c : h)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
      c = '_';
  return h.empty() ? "unknown" : h;
}

// "Key=value" from scontrol's one-line output.
std::optional<std::string> field(const std::string& out, const std::string& key) {
  const std::string pat = key + "=";
  size_t pos = 0;
  while ((pos = out.find(pat, pos)) != std::string::npos) {
    if (pos == 0 || out[pos - 1] == ' ' || out[pos - 1] == '\n') {
      const size_t b = pos + pat.size();
      const size_t e = out.find_first_of(" \n", b);
      return out.substr(b, e == std::string::npos ? std::string::npos : e - b);
    }
    pos += pat.size();
  }
  return std::nullopt;
}

}  // namespace

double unix_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string ClaimToken::text() const {
  return job + "." + std::to_string(restart) + "." + host + "." + std::to_string(pid);
}

std::optional<ClaimToken> ClaimToken::parse(const std::string& text) {
  const auto parts = split(text, '.');
  if (parts.size() != 4 || parts[0].empty() || parts[2].empty() || !all_digits(parts[1]) ||
      !all_digits(parts[3]) || parts[1].size() > 9 || parts[3].size() > 18)
    return std::nullopt;
  ClaimToken t;
  t.job = parts[0];
  t.restart = static_cast<uint32_t>(std::stoul(parts[1]));
  t.host = parts[2];
  t.pid = std::stoll(parts[3]);
  return t;
}

ClaimToken ClaimToken::mine() {
  ClaimToken t;
  const char* job = std::getenv("SLURM_JOB_ID");
  if (job != nullptr && all_digits(job)) t.job = job;
  const char* restart = std::getenv("SLURM_RESTART_COUNT");
  if (restart != nullptr && all_digits(restart) && std::string(restart).size() <= 9)
    t.restart = static_cast<uint32_t>(std::stoul(restart));
  t.host = short_host();
  t.pid = getpid();
  return t;
}

std::string ClaimRecord::format() const {
  std::ostringstream os;
  char claimed_s[32], beat_s[32];
  std::snprintf(claimed_s, sizeof claimed_s, "%.3f", claimed);
  std::snprintf(beat_s, sizeof beat_s, "%.3f", heartbeat);
  os << "tessera-queue-claim 1\n"
     << "token " << token << "\nranks " << ranks << "\nclaimed " << claimed_s << "\nheartbeat "
     << beat_s << "\nshards " << shards << "\ndone " << done << "\nend\n";
  return os.str();
}

std::optional<ClaimRecord> ClaimRecord::parse(const std::string& text) {
  std::map<std::string, std::string> kv;
  std::istringstream in(text);
  std::string line;
  bool magic = false, end = false;
  while (std::getline(in, line)) {
    if (!magic) {
      if (line != "tessera-queue-claim 1") return std::nullopt;
      magic = true;
      continue;
    }
    if (line == "end") {
      end = true;
      break;
    }
    const size_t sp = line.find(' ');
    if (sp == std::string::npos) return std::nullopt;
    kv[line.substr(0, sp)] = line.substr(sp + 1);
  }
  if (!end) return std::nullopt;
  try {
    ClaimRecord r;
    r.token = kv.at("token");
    r.ranks = std::stoi(kv.at("ranks"));
    r.claimed = std::stod(kv.at("claimed"));
    r.heartbeat = std::stod(kv.at("heartbeat"));
    r.shards = std::stoull(kv.at("shards"));
    r.done = std::stoull(kv.at("done"));
    return r;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

JobState parse_scontrol(const std::string& output, int exit_status) {
  JobState s;
  if (output.find("Invalid job id") != std::string::npos) {
    s.liveness = JobLiveness::Gone;
    s.state = "unknown job";
    return s;
  }
  const auto state = field(output, "JobState");
  if (exit_status != 0 || !state) return s;  // controller unreachable, no scontrol, ...
  s.state = *state;
  if (const auto restarts = field(output, "Restarts"); restarts && all_digits(*restarts))
    s.restarts = static_cast<uint32_t>(std::stoul(*restarts));
  // A job in any of these states has no process left of the run that claimed (a pending job was
  // requeued: its earlier run is over).
  static const std::set<std::string> kGone = {
      "COMPLETED", "CANCELLED",   "FAILED",       "TIMEOUT",       "NODE_FAIL",
      "PREEMPTED", "BOOT_FAIL",   "DEADLINE",     "OUT_OF_MEMORY", "PENDING",
      "REQUEUED",  "REQUEUE_FED", "REQUEUE_HOLD", "SPECIAL_EXIT",  "REVOKED"};
  s.liveness = kGone.count(s.state) ? JobLiveness::Gone : JobLiveness::Alive;
  return s;
}

JobState probe_slurm_job(const std::string& job) {
  if (!all_digits(job)) return {};
  const std::string cmd = "scontrol show job -o " + job + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return {};
  std::string out;
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  const int status = pclose(p);
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (code == 127) return {};  // no scontrol on this host
  return parse_scontrol(out, code);
}

Staleness assess_claim(const ClaimToken& token, const ClaimRecord* record, double claim_time,
                       double now, double stale_after, const JobProbe& probe,
                       const std::string& my_host) {
  if (token.job != "local" && probe) {
    const JobState js = probe(token.job);
    if (js.liveness == JobLiveness::Gone)
      return {true, "job " + token.job + " is " +
                        (js.state == "unknown job" ? "unknown to Slurm" : js.state)};
    if (js.liveness == JobLiveness::Alive && js.restarts > token.restart)
      return {true, "job " + token.job + " was requeued (restart " + std::to_string(js.restarts) +
                        ", the claim is from restart " + std::to_string(token.restart) + ")"};
  }
  if (token.host == my_host && token.pid > 0 && kill(static_cast<pid_t>(token.pid), 0) != 0 &&
      errno == ESRCH)
    return {true, "process " + std::to_string(token.pid) + " on " + token.host + " is gone"};
  const double beat = record != nullptr ? record->heartbeat : claim_time;
  if (now - beat > stale_after) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "no heartbeat for %.0f s", now - beat);
    return {true, buf};
  }
  return {false, ""};
}

}  // namespace tessera::queue
