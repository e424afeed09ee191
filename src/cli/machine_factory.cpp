#include "cli/machine_factory.hpp"

#include <charconv>

#include "air/hashchain_machine.hpp"
#include "common/check.hpp"
#include "machine/rv32im_machine.hpp"

namespace tessera::cli {

namespace {
uint64_t number(const std::map<std::string, std::string>& p, const std::string& key) {
  auto it = p.find(key);
  TESSERA_CHECK(it != p.end(), ErrorKind::InvalidArgument, "parameter '" << key << "' is missing");
  uint64_t v = 0;
  const std::string& s = it->second;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  TESSERA_CHECK(!s.empty() && ec == std::errc() && ptr == s.data() + s.size(),
                ErrorKind::InvalidArgument,
                "parameter '" << key << "' = '" << s << "' is not a number");
  return v;
}
}  // namespace

std::unique_ptr<ShardedMachine> make_machine(
    const std::string& name, const std::map<std::string, std::string>& parameters,
    const std::map<std::string, std::vector<uint8_t>>& blobs) {
  if (name == "hashchain") {
    HashchainParams p;
    p.steps = number(parameters, "steps");
    p.shard_steps = number(parameters, "shard_steps");
    p.seed = number(parameters, "seed");
    auto it = parameters.find("config");
    TESSERA_CHECK(it != parameters.end(), ErrorKind::InvalidArgument,
                  "parameter 'config' is missing");
    p.config = it->second;
    return std::make_unique<HashchainMachine>(p);
  }
  if (name == "rv32im") return rv32im::Rv32imMachine::from_request(parameters, blobs);
  TESSERA_FAIL(ErrorKind::InvalidArgument,
               "unknown machine '" << name << "' (this build proves: hashchain, rv32im)");
}

}  // namespace tessera::cli
