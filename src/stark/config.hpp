#pragma once
// The named security configurations of a shard proof (DESIGN.md §3). A proof records the name of
// its configuration and its FRI parameters; the verifier accepts only the names below, with
// exactly their parameters, and refuses the insecure `test` configuration unless the caller
// explicitly allows it (tessera verify --allow-insecure).
//
//   core       log blowup 1, 100 queries, 16 PoW bits
//   recursion  log blowup 3,  33 queries, 16 PoW bits
//   test       log blowup 1,   2 queries,  1 PoW bit   INSECURE: unit tests only
//
// Conjectured security (fri/fri_config.hpp):
//   bits = min(log_blowup * num_queries + pow_bits, 123 - margin), margin = log2 of the largest
//   LDE domain the configuration admits = max_log_height + log_blowup = 27.

#include <string>
#include <string_view>
#include <vector>

#include "fri/fri_config.hpp"

namespace tessera {

struct StarkConfig {
  std::string name;
  FriConfig fri;
  bool insecure() const { return name == "test"; }
};

// "core", "recursion", "test".
std::vector<std::string> stark_config_names();
// The configuration of that name; ErrorKind::ConfigMismatch for an unknown name.
StarkConfig stark_config(std::string_view name);
// One line per configuration with its parameters, "conjectured security min(1*100 + 16, 123 - 27)
// = 96 bits (margin 27 = log2 of the largest LDE domain: 2^26 rows x blowup 2^1)", the test
// configuration marked INSECURE; then the formula.
std::string security_report();

}  // namespace tessera
