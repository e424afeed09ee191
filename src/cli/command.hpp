#pragma once
// A `tessera` subcommand: its options, its positional arguments and what it runs. Commands
// register themselves at static-initialisation time (the CLI sources are linked directly into
// the executable, so no registration is dropped by the linker).

#include <boost/program_options.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace tessera::cli {

namespace po = boost::program_options;

struct CommandSpec {
  std::string name;
  std::string summary;   // one line for `tessera --help`
  std::string synopsis;  // e.g. "PROGRAM.elf [--input FILE]"
  // Declares the options and positionals; --help is added by the framework.
  std::function<void(po::options_description&, po::positional_options_description&)> declare;
  // Runs the command; returns the process exit code. Errors are thrown as tessera::Error.
  std::function<int(const po::variables_map&)> run;
  // Commands that talk to other ranks initialise MPI; the rest run without it.
  bool uses_mpi = false;
};

bool register_command(CommandSpec spec);
const std::vector<CommandSpec>& commands();

}  // namespace tessera::cli
