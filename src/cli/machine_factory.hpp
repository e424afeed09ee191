#pragma once
// The machines the CLI can prove, by name: built from command-line options by `tessera prove`,
// and from an artifact's recorded request by `tessera verify` / `inspect` (so a verifier needs
// nothing but the file). Adding a machine means adding it here.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "shard/sharded_machine.hpp"

namespace tessera::cli {

// `parameters` as the machine records them (ShardedMachine::parameters()). Unknown machine or
// missing / malformed parameter: ErrorKind::InvalidArgument (from the CLI) — the caller maps it
// to Format when the parameters come from a file.
// `blobs` are the machine's binary parameters (ShardedMachine::blobs(): rv32im's ELF).
std::unique_ptr<ShardedMachine> make_machine(
    const std::string& name, const std::map<std::string, std::string>& parameters,
    const std::map<std::string, std::vector<uint8_t>>& blobs = {});

}  // namespace tessera::cli
