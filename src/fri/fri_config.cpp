#include "fri/fri_config.hpp"

#include <algorithm>
#include <sstream>

#include "common/check.hpp"

namespace tessera {

std::optional<std::string_view> FriConfig::name() const {
  if (*this == core()) return "core";
  if (*this == recursion()) return "recursion";
  if (*this == test()) return "test";
  return std::nullopt;
}

std::optional<FriConfig> FriConfig::by_name(std::string_view n) {
  if (n == "core") return core();
  if (n == "recursion") return recursion();
  if (n == "test") return test();
  return std::nullopt;
}

uint32_t FriConfig::conjectured_security_bits() const {
  const uint64_t fri_bits = uint64_t{log_blowup} * num_queries + pow_bits;
  return static_cast<uint32_t>(std::min<uint64_t>(fri_bits, kExtFieldBits - field_margin_bits()));
}

std::string FriConfig::security_formula() const {
  std::ostringstream s;
  s << "min(" << log_blowup << "*" << num_queries << " + " << pow_bits << ", " << kExtFieldBits
    << " - " << field_margin_bits() << ") = " << conjectured_security_bits() << " bits";
  return s.str();
}

std::string FriConfig::margin_derivation() const {
  std::ostringstream s;
  s << "margin " << field_margin_bits() << " = log2 of the largest LDE domain: 2^"
    << max_log_height() << " rows x blowup 2^" << log_blowup;
  return s.str();
}

void FriConfig::validate() const {
  TESSERA_CHECK(log_blowup >= 1 && log_blowup <= 8, ErrorKind::InvalidArgument,
                "FRI config: log_blowup " << log_blowup << " outside [1, 8]");
  TESSERA_CHECK(num_queries >= 1 && num_queries <= 1024, ErrorKind::InvalidArgument,
                "FRI config: num_queries " << num_queries << " outside [1, 1024]");
  TESSERA_CHECK(pow_bits <= 27, ErrorKind::InvalidArgument,
                "FRI config: pow_bits " << pow_bits << " exceeds 27");
  TESSERA_CHECK(log_final_poly_len <= 20, ErrorKind::InvalidArgument,
                "FRI config: log_final_poly_len " << log_final_poly_len << " exceeds 20");
}

}  // namespace tessera
