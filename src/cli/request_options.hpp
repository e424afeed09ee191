#pragma once
// The options that say what to prove, shared by `tessera queue submit` and `tessera estimate`
// (the "--elf F [--input F] | --machine hashchain --steps N"):
//
//   --elf PROGRAM.elf [--input FILE] [--shard-cycles N] [--max-cycles N]    a guest program
//   --machine hashchain --steps N [--shard-steps K] [--seed S]              a hash chain
//   [--config core|test]
//
// A request becomes a machine name and its parameters — the same ones `tessera prove` uses for the
// same options, so a queued request proves exactly what proving it alone would. A guest
// request's parameters name its files (`elf`, `input`); the caller decides where they live (the
// spool's copies, or the user's files for an estimate).

#include <boost/program_options.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "shard/sharded_machine.hpp"

namespace tessera::cli {

struct RequestSpec {
  std::string machine;                            // "hashchain" or "rv32im"
  std::map<std::string, std::string> parameters;  // without elf/input for a guest
  std::optional<std::filesystem::path> elf, input;
  uint64_t shard_size = 0;  // steps or cycles per shard
  std::string config;
};

void declare_request_options(boost::program_options::options_description& o);
// ErrorKind::Usage, one line, for a bad combination (both or neither of --elf and --machine,
// an option of the other kind, a hash chain without --steps).
RequestSpec request_from_options(const boost::program_options::variables_map& args);

// The machine a request names, ready to execute and prove, built as `tessera prove` builds it for
// the same options: a hash chain through make_machine; a guest through Rv32imMachine::for_pipeline
// with the ELF's and the input's bytes read from the files its parameters name (`elf`, `input`),
// which learns its shard count by executing (execute_each). A file that is not an ELF is
// ErrorKind::BadElf; a missing one InputFile.
std::unique_ptr<ShardedMachine> make_proving_machine(
    const std::string& machine, const std::map<std::string, std::string>& parameters);

}  // namespace tessera::cli
