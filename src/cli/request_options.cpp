#include "cli/request_options.hpp"

#include "cli/machine_factory.hpp"
#include "common/check.hpp"
#include "machine/rv32im_machine.hpp"
#include "vm/elf_loader.hpp"
#include "vm/executor.hpp"
#include "vm/input_file.hpp"

namespace tessera::cli {

namespace po = boost::program_options;

void declare_request_options(po::options_description& o) {
  o.add_options()("elf", po::value<std::string>(), "a guest program: the RV32IM ELF to prove")(
      "input", po::value<std::string>(), "guest: file of private input bytes (read by fd 0)")(
      "keep-input", "guest: record the private input in the artifact (by default its digest only)")(
      "shard-cycles", po::value<uint64_t>(), "guest: cycles per shard (default 2^20)")(
      "max-cycles", po::value<uint64_t>(), "guest: fail past N cycles (default 2^32)")(
      "machine", po::value<std::string>(), "what to prove instead of a guest: hashchain")(
      "steps", po::value<uint64_t>(), "hashchain: number of compression steps")(
      "shard-steps", po::value<uint64_t>(), "hashchain: steps per shard (default 1024)")(
      "seed", po::value<uint64_t>(), "hashchain: witness seed (default 0)")(
      "config", po::value<std::string>()->default_value("core"),
      "STARK configuration: core, or test (insecure, for tests)");
}

RequestSpec request_from_options(const po::variables_map& args) {
  const bool elf = args.count("elf") != 0, machine = args.count("machine") != 0;
  TESSERA_CHECK(elf != machine, ErrorKind::Usage,
                "say what to prove: --elf PROGRAM.elf or --machine hashchain --steps N"
                    << (elf ? " (not both)" : ""));
  RequestSpec s;
  s.config = args["config"].as<std::string>();
  if (elf) {
    for (const char* o : {"steps", "shard-steps", "seed"})
      TESSERA_CHECK(!args.count(o), ErrorKind::Usage, "--" << o << " is for --machine hashchain");
    s.machine = "rv32im";
    s.elf = args["elf"].as<std::string>();
    if (args.count("input")) s.input = args["input"].as<std::string>();
    s.shard_size = args.count("shard-cycles") ? args["shard-cycles"].as<uint64_t>()
                                              : rv32im::kDefaultShardCycles;
    const uint64_t max_cycles =
        args.count("max-cycles") ? args["max-cycles"].as<uint64_t>() : vm::kDefaultMaxCycles;
    TESSERA_CHECK(s.shard_size > 0 && max_cycles > 0, ErrorKind::Usage,
                  "--shard-cycles and --max-cycles must be positive");
    s.parameters = {{"shard_cycles", std::to_string(s.shard_size)},
                    {"max_cycles", std::to_string(max_cycles)},
                    {"config", s.config}};
    // Only when asked, so that the tickets of requests without it stay as they were.
    if (args.count("keep-input")) s.parameters["keep_input"] = "1";
    return s;
  }
  for (const char* o : {"input", "keep-input", "shard-cycles", "max-cycles"})
    TESSERA_CHECK(!args.count(o), ErrorKind::Usage, "--" << o << " is for --elf");
  s.machine = args["machine"].as<std::string>();
  TESSERA_CHECK(s.machine == "hashchain", ErrorKind::Usage,
                "unknown machine '" << s.machine << "' (--machine hashchain, or --elf)");
  TESSERA_CHECK(args.count("steps"), ErrorKind::Usage, "--machine hashchain needs --steps N");
  s.shard_size = args.count("shard-steps") ? args["shard-steps"].as<uint64_t>() : 1024;
  // The parameters `tessera prove --machine hashchain` passes to make_machine, name for name.
  s.parameters = {{"steps", std::to_string(args["steps"].as<uint64_t>())},
                  {"shard_steps", std::to_string(s.shard_size)},
                  {"seed", std::to_string(args.count("seed") ? args["seed"].as<uint64_t>() : 0)},
                  {"config", s.config}};
  return s;
}

std::unique_ptr<ShardedMachine> make_proving_machine(
    const std::string& machine, const std::map<std::string, std::string>& parameters) {
  if (machine != "rv32im") return make_machine(machine, parameters);
  auto text = [&](const char* key) -> const std::string& {
    auto it = parameters.find(key);
    TESSERA_CHECK(it != parameters.end(), ErrorKind::InvalidArgument,
                  "parameter '" << key << "' is missing");
    return it->second;
  };
  auto number = [&](const char* key) {
    const std::string& v = text(key);
    TESSERA_CHECK(
        !v.empty() && v.size() < 20 && v.find_first_not_of("0123456789") == std::string::npos,
        ErrorKind::InvalidArgument, "parameter '" << key << "' = '" << v << "' is not a number");
    return std::stoull(v);
  };
  rv32im::Rv32imRequest r;
  r.elf = vm::read_elf_bytes(text("elf"));
  r.shard_cycles = number("shard_cycles");
  r.max_cycles = number("max_cycles");
  r.config = text("config");
  if (auto it = parameters.find("keep_input"); it != parameters.end()) {
    TESSERA_CHECK(it->second == "1", ErrorKind::InvalidArgument,
                  "parameter 'keep_input' = '" << it->second << "' (only 1 is valid)");
    r.keep_input = true;
  }
  std::vector<uint8_t> input;
  if (parameters.count("input")) input = vm::read_input_file(text("input"));
  return rv32im::Rv32imMachine::for_pipeline(std::move(r), std::move(input));
}

}  // namespace tessera::cli
