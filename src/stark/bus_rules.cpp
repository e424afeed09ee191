// The LogUp bus rules (see bus_rules.hpp for the soundness argument).
#include "stark/bus_rules.hpp"

#include <algorithm>
#include <map>
#include <sstream>
#include <vector>

#include "common/check.hpp"
#include "field/babybear.hpp"

namespace tessera {

namespace {

constexpr uint64_t kP = BabyBear::kModulus;

const char* direction(InteractionKind kind) {
  return kind == InteractionKind::Send ? "sends" : "receives";
}

// The first table that uses a bus, with what it fixed for the bus.
struct FirstUse {
  std::string_view table;
  uint32_t arity = 0;
};
struct FirstLookup {
  std::string_view table;
  InteractionKind kind = InteractionKind::Send;
};

}  // namespace

void check_bus_rules(std::span<const BusTable> tables) {
  std::map<uint32_t, FirstUse> arity;
  std::map<uint32_t, FirstLookup> lookup_side;
  for (const BusTable& t : tables) {
    for (size_t j = 0; j < t.interactions.size(); ++j) {
      const InteractionInfo& it = t.interactions[j];
      TESSERA_CHECK(it.bus < kP, ErrorKind::InvalidArgument,
                    "table " << t.name << ": interaction " << j << " uses LogUp bus " << it.bus
                             << ", not below p = " << kP << " (a bus id is a field element: "
                             << it.bus << " would be bus " << it.bus - kP << ")");
      TESSERA_CHECK(it.lookup_table || it.max_multiplicity < kP, ErrorKind::InvalidArgument,
                    "table " << t.name << ": interaction " << j << " on LogUp bus " << it.bus
                             << " declares the multiplicity bound " << it.max_multiplicity
                             << ", not below p = " << kP);
      const auto [a, new_bus] = arity.try_emplace(it.bus, FirstUse{t.name, it.arity});
      TESSERA_CHECK(new_bus || a->second.arity == it.arity, ErrorKind::InvalidArgument,
                    "LogUp bus " << it.bus << " carries messages of " << a->second.arity
                                 << " values in table " << a->second.table << " but of " << it.arity
                                 << " values in table " << t.name
                                 << " (one arity per bus: (a) and (a, 0) share a fingerprint)");
      if (!it.lookup_table) continue;
      const auto [l, first] = lookup_side.try_emplace(it.bus, FirstLookup{t.name, it.kind});
      TESSERA_CHECK(first || l->second.kind == it.kind, ErrorKind::InvalidArgument,
                    "LogUp bus " << it.bus << ": the lookup-table side "
                                 << direction(l->second.kind) << " in table " << l->second.table
                                 << " but " << direction(it.kind) << " in table " << t.name
                                 << " (all lookup-table-side interactions of a bus face the "
                                    "same way)");
    }
  }
}

std::string bus_wraparound(std::span<const BusTable> tables,
                           std::span<const uint32_t> log_heights) {
  TESSERA_ASSERT(tables.size() == log_heights.size());
  // Per bus, in bus order: B = sum_t 2^h_t * (sum of t's declared bounds on the bus). A table's
  // bound sum is < 2^32 * p < 2^63; past kTermCap (far above p) it only matters that B >= p, so
  // terms and B saturate (reported as "at least") and nothing overflows 64 bits.
  struct Term {
    std::string_view table;
    uint32_t log_height = 0;
    uint64_t bounds = 0;
  };
  std::map<uint32_t, std::vector<Term>> buses;
  for (size_t t = 0; t < tables.size(); ++t) {
    std::map<uint32_t, uint64_t> bounds;
    for (const InteractionInfo& it : tables[t].interactions) {
      if (!it.lookup_table) bounds[it.bus] += it.max_multiplicity;
    }
    for (const auto& [bus, sum] : bounds) {
      buses[bus].push_back({tables[t].name, log_heights[t], sum});
    }
  }
  constexpr uint64_t kTermCap = uint64_t{1} << 34, kCap = uint64_t{1} << 62;
  for (const auto& [bus, terms] : buses) {
    uint64_t total = 0;
    bool saturated = false;
    for (const Term& term : terms) {
      TESSERA_ASSERT(term.log_height <= BabyBear::kTwoAdicity);
      saturated = saturated || term.bounds > kTermCap;
      total += std::min(term.bounds, kTermCap) << term.log_height;  // <= 2^61 each
      saturated = saturated || total > kCap;
      total = std::min(total, kCap);
    }
    if (total < kP) continue;
    std::ostringstream os;
    os << "LogUp bus " << bus << " could wrap around mod p: ";
    for (size_t i = 0; i < terms.size(); ++i) {
      os << (i ? " + " : "") << terms[i].table << " (2^" << terms[i].log_height << " rows x bounds "
         << terms[i].bounds << ")";
    }
    os << " allow " << (saturated ? "at least " : "") << total
       << " bounded messages, not below p = " << kP
       << " (lower the table heights or the declared multiplicity bounds)";
    return os.str();
  }
  return {};
}

}  // namespace tessera
