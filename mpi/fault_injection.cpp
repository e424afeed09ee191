#include "mpi/fault_injection.hpp"

#include <charconv>
#include <cstdlib>
#include <sstream>

#include "common/check.hpp"

namespace tessera::mpi {

namespace {
uint64_t parse_u64(std::string_view s, const char* variable, std::string_view whole) {
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size())
    TESSERA_FAIL(ErrorKind::Usage,
                 variable << "='" << whole << "' is malformed (expected e.g. "
                          << (std::string_view(variable).find("SLOW") != std::string_view::npos
                                  ? "200"
                                  : "3:1,5:fatal")
                          << ')');
  return v;
}
}  // namespace

void FaultPlan::before_proving(uint64_t shard, uint32_t attempt) const {
  if (fatal.count(shard))
    TESSERA_FAIL(ErrorKind::OutOfMemory, "injected non-retryable failure of shard "
                                             << shard << " (TESSERA_TEST_FAIL_SHARD)");
  auto it = transient.find(shard);
  if (it != transient.end() && attempt < it->second)
    TESSERA_FAIL(ErrorKind::Retryable, "injected transient failure of shard "
                                           << shard << ", attempt " << attempt + 1
                                           << " (TESSERA_TEST_FAIL_SHARD)");
}

FaultPlan parse_fault_plan(const std::string& fail_spec, const std::string& slow_spec,
                           const std::string& slow_rank_spec) {
  FaultPlan plan;
  std::stringstream ss(fail_spec);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (item.empty()) continue;
    const size_t colon = item.find(':');
    if (colon == std::string::npos)
      TESSERA_FAIL(ErrorKind::Usage, "TESSERA_TEST_FAIL_SHARD='"
                                         << fail_spec
                                         << "' is malformed (expected SHARD:COUNT or SHARD:fatal)");
    const uint64_t shard =
        parse_u64(std::string_view(item).substr(0, colon), "TESSERA_TEST_FAIL_SHARD", fail_spec);
    const std::string what = item.substr(colon + 1);
    if (what == "fatal") {
      plan.fatal.insert(shard);
    } else {
      plan.transient[shard] =
          static_cast<uint32_t>(parse_u64(what, "TESSERA_TEST_FAIL_SHARD", fail_spec));
    }
  }
  if (!slow_spec.empty())
    plan.slow_ms = parse_u64(slow_spec, "TESSERA_TEST_SLOW_SHARD_MS", slow_spec);
  if (!slow_rank_spec.empty()) {
    const size_t colon = slow_rank_spec.find(':');
    if (colon == std::string::npos)
      TESSERA_FAIL(ErrorKind::Usage, "TESSERA_TEST_SLOW_RANK='"
                                         << slow_rank_spec
                                         << "' is malformed (expected RANK:MS, e.g. 1:1000)");
    plan.slow_rank = static_cast<int>(parse_u64(std::string_view(slow_rank_spec).substr(0, colon),
                                                "TESSERA_TEST_SLOW_RANK", slow_rank_spec));
    plan.slow_rank_ms = parse_u64(std::string_view(slow_rank_spec).substr(colon + 1),
                                  "TESSERA_TEST_SLOW_RANK", slow_rank_spec);
  }
  return plan;
}

FaultPlan fault_plan_from_env() {
  const char* fail = std::getenv("TESSERA_TEST_FAIL_SHARD");
  const char* slow = std::getenv("TESSERA_TEST_SLOW_SHARD_MS");
  const char* slow_rank = std::getenv("TESSERA_TEST_SLOW_RANK");
  return parse_fault_plan(fail ? fail : "", slow ? slow : "", slow_rank ? slow_rank : "");
}

}  // namespace tessera::mpi
