#include "mpi/balanced_policy.hpp"

#include <algorithm>
#include <numeric>

namespace tessera::mpi {

std::vector<size_t> BalancedPolicy::candidates(const std::vector<RequestLoad>& loads) {
  std::vector<size_t> out;
  for (size_t i = 0; i < loads.size(); ++i)
    if (!loads[i].stopping && loads[i].queued > 0) out.push_back(i);
  // stable: equal loads keep the opening order (priority, then age).
  std::stable_sort(out.begin(), out.end(),
                   [&](size_t a, size_t b) { return loads[a].in_flight < loads[b].in_flight; });
  return out;
}

size_t BalancedPolicy::unassigned(const std::vector<RequestLoad>& loads) {
  return std::accumulate(loads.begin(), loads.end(), size_t{0},
                         [](size_t sum, const RequestLoad& l) {
                           return l.stopping ? sum : sum + l.queued + l.waiting;
                         });
}

bool BalancedPolicy::may_prefetch(const std::vector<RequestLoad>& loads, int ranks) {
  return unassigned(loads) >= static_cast<size_t>(std::max(1, ranks));
}

bool BalancedPolicy::should_open(const std::vector<RequestLoad>& loads, int ranks,
                                 size_t max_active) {
  if (loads.size() >= std::max<size_t>(1, max_active)) return false;
  return unassigned(loads) < 2 * static_cast<size_t>(std::max(1, ranks));
}

}  // namespace tessera::mpi
