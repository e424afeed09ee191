#include "stark/debug_builder.hpp"

#include <sstream>

namespace tessera {

namespace {
std::string format_message(uint32_t bus, const std::vector<uint32_t>& values) {
  std::ostringstream os;
  os << "bus " << bus << " message (";
  for (size_t i = 0; i < values.size(); ++i) os << (i ? ", " : "") << values[i];
  os << ')';
  return os.str();
}

// A net multiplicity as a signed integer when it is small (|net| < p/2), for readable reports.
std::string format_signed(BabyBear v) {
  const uint32_t x = v.as_u32();
  if (x <= BabyBear::kModulus / 2) return "+" + std::to_string(x);
  return "-" + std::to_string(BabyBear::kModulus - x);
}
}  // namespace

void LogUpLedger::add(InteractionKind kind, uint32_t bus, std::span<const BabyBear> values,
                      BabyBear mult, const std::string& table, size_t row) {
  auto [arity_it, new_bus] = arity_.try_emplace(bus, values.size(), table);
  TESSERA_CHECK(arity_it->second.first == values.size(), ErrorKind::InvalidArgument,
                "LogUp bus " << bus << " carries " << arity_it->second.first << " values in table "
                             << arity_it->second.second << " but " << values.size() << " in table "
                             << table);
  (void)new_bus;
  if (mult.is_zero()) return;
  std::vector<uint32_t> key(values.size());
  for (size_t i = 0; i < values.size(); ++i) key[i] = values[i].as_u32();
  auto [it, inserted] = entries_.try_emplace({bus, std::move(key)});
  if (inserted) {
    it->second.first_table = table;
    it->second.first_row = row;
  }
  it->second.net += kind == InteractionKind::Send ? mult : -mult;
}

void LogUpLedger::check_balanced() const {
  for (const auto& [key, entry] : entries_) {
    if (entry.net.is_zero()) continue;
    TESSERA_FAIL(ErrorKind::InvalidArgument,
                 "LogUp imbalance: " << format_message(key.first, key.second)
                                     << " has net multiplicity " << format_signed(entry.net)
                                     << " (sends minus receives; first seen in table "
                                     << entry.first_table << " at row " << entry.first_row << ')');
  }
}

void DebugBuilder::Window::check(size_t i) const {
  TESSERA_CHECK(i < width_, ErrorKind::InvalidArgument,
                "table " << owner_->table() << " reads " << what_ << " column " << i
                         << " but has only " << width_);
}

DebugBuilder::DebugBuilder(std::string table, const RowMajorMatrix<BabyBear>& main,
                           const RowMajorMatrix<BabyBear>* preprocessed,
                           std::span<const BabyBear> public_values, LogUpLedger* ledger)
    : table_(std::move(table)),
      main_(main),
      prep_(preprocessed),
      public_values_(public_values),
      ledger_(ledger),
      height_(main.height()) {}

void DebugBuilder::set_row(size_t row) {
  TESSERA_ASSERT(row < height_);
  row_ = row;
  const size_t next = (row + 1) % height_;
  main_local_ = main_.data() + row * main_.width();
  main_next_ = main_.data() + next * main_.width();
  if (prep_ != nullptr) {
    prep_local_ = prep_->data() + row * prep_->width();
    prep_next_ = prep_->data() + next * prep_->width();
  }
  failed_constraint_.clear();
}

BabyBear DebugBuilder::public_value(size_t i) const {
  TESSERA_CHECK(i < public_values_.size(), ErrorKind::InvalidArgument,
                "table " << table_ << " reads public value " << i << " but has only "
                         << public_values_.size());
  return public_values_[i];
}

void DebugBuilder::interact(InteractionKind kind, uint32_t bus, const BabyBear* values,
                            uint32_t count, BabyBear mult, MultiplicityBound) {
  if (ledger_ != nullptr) ledger_->add(kind, bus, {values, count}, mult, table_, row_);
}

}  // namespace tessera
