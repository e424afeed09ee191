#include "stark/config.hpp"

#include <sstream>

#include "common/check.hpp"

namespace tessera {

std::vector<std::string> stark_config_names() {
  return {"core", "recursion", "test"};
}

StarkConfig stark_config(std::string_view name) {
  const auto fri = FriConfig::by_name(name);
  TESSERA_CHECK(fri.has_value(), ErrorKind::ConfigMismatch,
                "unknown proof configuration '" << name << "' (known: core, recursion, test)");
  return {std::string(name), *fri};
}

std::string security_report() {
  std::ostringstream os;
  for (const auto& name : stark_config_names()) {
    const StarkConfig c = stark_config(name);
    os << name << ": log_blowup " << c.fri.log_blowup << ", " << c.fri.num_queries << " queries, "
       << c.fri.pow_bits << " PoW bits; conjectured security " << c.fri.security_formula() << " ("
       << c.fri.margin_derivation() << ")";
    if (c.insecure()) os << "  INSECURE: for tests only";
    os << '\n';
  }
  os << "formula: bits = min(log_blowup * num_queries + pow_bits, " << FriConfig::kExtFieldBits
     << " - margin): each FRI query admits a cheating prover with probability ~2^-log_blowup "
        "(ethSTARK conjecture), proof of work adds pow_bits, and the algebraic challenges "
        "drawn from BabyBear4 (|F| ~ 2^"
     << FriConfig::kExtFieldBits
     << ") lose to union bounds about log2 of the LDE domain: the margin is that of the largest "
        "domain a configuration admits (traces up to 2^(27 - log_blowup) rows), so the figure "
        "holds for every shard it can prove\n";
  return os.str();
}

}  // namespace tessera
