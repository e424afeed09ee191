#include "stark/machine.hpp"

#include <algorithm>
#include <bit>

#include "stark/bus_rules.hpp"

namespace tessera {

TableLayout Machine::compute_layout(const AnyAir& air) {
  TableLayout l;
  l.name = air.name();
  l.width = air.width();
  l.preprocessed_width = air.preprocessed_width();
  l.num_public_values = air.num_public_values();
  TESSERA_CHECK(l.width > 0, ErrorKind::InvalidArgument,
                "table " << l.name << " declares no main columns");

  // First pass: the AIR's own constraints and its interactions; then the batching; then the full
  // list with the LogUp constraints in the order every folder emits them.
  const AirSymbolics own = air.symbolic(nullptr);
  l.interactions = own.interactions;
  l.logup = plan_logup(own.interactions, kMaxConstraintDegree, l.name);
  AirSymbolics full = air.symbolic(&l.logup);
  TESSERA_ASSERT(full.interactions.size() == own.interactions.size());
  TESSERA_ASSERT(full.constraints.size() == own.constraints.size() + l.logup.num_constraints());
  l.constraints = std::move(full.constraints);
  for (const auto& c : l.constraints) {
    TESSERA_CHECK(c.degree <= kMaxConstraintDegree, ErrorKind::InvalidArgument,
                  "table " << l.name << ": constraint " << c.name << " has degree " << c.degree
                           << ", more than the maximum " << kMaxConstraintDegree
                           << " (add auxiliary columns to lower it)");
    l.max_constraint_degree = std::max(l.max_constraint_degree, c.degree);
  }
  const uint32_t quotient_degree = std::max<uint32_t>(l.max_constraint_degree, 2) - 1;
  l.log_quotient_degree = static_cast<uint32_t>(std::bit_width(quotient_degree - 1));
  return l;
}

void Machine::check_bus_rules_with(const TableLayout& added) const {
  std::vector<BusTable> tables;
  for (const TableLayout& l : layouts_) tables.push_back({l.name, l.interactions});
  tables.push_back({added.name, added.interactions});
  check_bus_rules(tables);
}

void Machine::check_bus_capacity(std::span<const uint32_t> log_heights, ErrorKind kind) const {
  TESSERA_ASSERT(log_heights.size() == num_tables());
  std::vector<BusTable> tables;
  for (const TableLayout& l : layouts_) tables.push_back({l.name, l.interactions});
  const std::string problem = bus_wraparound(tables, log_heights);
  if (!problem.empty()) TESSERA_FAIL(kind, problem);
}

bool Machine::has_interactions() const {
  return std::any_of(layouts_.begin(), layouts_.end(),
                     [](const TableLayout& l) { return l.has_interactions(); });
}

bool Machine::has_preprocessed() const {
  return std::any_of(layouts_.begin(), layouts_.end(),
                     [](const TableLayout& l) { return l.preprocessed_width > 0; });
}

void Machine::debug_check(std::span<const RowMajorMatrix<BabyBear>> traces,
                          std::span<const std::vector<BabyBear>> public_values) const {
  TESSERA_CHECK(traces.size() == num_tables() && public_values.size() == num_tables(),
                ErrorKind::InvalidArgument,
                "machine " << name_ << " has " << num_tables() << " tables but " << traces.size()
                           << " traces and " << public_values.size()
                           << " public-value lists were given");
  LogUpLedger ledger;
  for (size_t t = 0; t < num_tables(); ++t) {
    tables_[t]->debug_check(traces[t], nullptr, public_values[t], &ledger);
  }
  ledger.check_balanced();
}

}  // namespace tessera
