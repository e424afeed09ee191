// `tessera`: the front end. Parses `tessera [--help|--version] COMMAND [options]`, runs the
// command, and turns every error into one line on stderr and a distinct exit code
// (common/error.hpp). The line names the cause; `--verbose` (before or after the command) or
// TESSERA_VERBOSE=1 adds the failed check's expression and source location. Under MPI with several ranks, an error on one rank aborts the job so the
// others cannot hang in a collective.

#include <boost/program_options.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <new>
#include <optional>

#include "cli/command.hpp"
#include "common/error.hpp"
#include "mpi/communicator.hpp"

namespace tessera::cli {
namespace {

std::vector<CommandSpec>& registry() {
  static std::vector<CommandSpec> r;
  return r;
}

void print_overview(std::ostream& os) {
  os << "Tessera " << TESSERA_VERSION << " — distributed STARK prover for RV32IM programs\n\n"
     << "usage: tessera [--help] [--version] [--verbose] COMMAND [options]\n\ncommands:\n";
  std::vector<const CommandSpec*> sorted;
  for (const auto& c : registry()) sorted.push_back(&c);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->name < b->name; });
  for (const auto* c : sorted) {
    os << "  " << c->name << std::string(c->name.size() < 16 ? 16 - c->name.size() : 1, ' ')
       << c->summary << '\n';
  }
  os << "\n'tessera COMMAND --help' describes a command's options. --verbose (or TESSERA_VERBOSE=1)\n"
     << "adds the failed check and its source location to an error line.\n";
}

void print_version(std::ostream& os) {
  os << "tessera " << TESSERA_VERSION << " (CUDA " << (TESSERA_HAVE_CUDA ? "on" : "off")
     << ", NCCL " << (TESSERA_HAVE_NCCL ? "on" : "off") << ")\n";
}

const CommandSpec* find_command(std::string_view name) {
  for (const auto& c : registry())
    if (c.name == name) return &c;
  return nullptr;
}

bool mpi_has_peers() {
  if (!mpi::Environment::initialized() || mpi::Environment::finalized()) return false;
  int size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  return size > 1;
}

// Reports an error in one line and returns its exit code; with MPI peers, aborts the job.
int report(std::string_view kind, std::string_view message, int code) {
  std::cerr << "tessera: " << kind << ": " << message << std::endl;
  if (mpi_has_peers()) MPI_Abort(MPI_COMM_WORLD, code);
  return code;
}

int run_command(const CommandSpec& cmd, std::vector<std::string> args, int* argc, char*** argv) {
  po::options_description opts("options of 'tessera " + cmd.name + "'");
  opts.add_options()("help,h", "show this help")(
      "verbose", "error lines also name the failed check and its source location");
  po::positional_options_description positional;
  if (cmd.declare) cmd.declare(opts, positional);

  po::variables_map vm;
  po::store(po::command_line_parser(args).options(opts).positional(positional).run(), vm);
  if (vm.count("help")) {
    std::cout << "usage: tessera " << cmd.name << ' ' << cmd.synopsis << "\n\n"
              << cmd.summary << "\n\n"
              << opts;
    return 0;
  }
  if (vm.count("verbose")) set_error_details(true);
  po::notify(vm);

  std::optional<mpi::Environment> env;
  if (cmd.uses_mpi) env.emplace(argc, argv);
  return cmd.run(vm);
}

}  // namespace

bool register_command(CommandSpec spec) {
  registry().push_back(std::move(spec));
  return true;
}

const std::vector<CommandSpec>& commands() {
  return registry();
}

int main_impl(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  // Global options before the command: --verbose (error details).
  while (!args.empty() && args.front() == "--verbose") {
    set_error_details(true);
    args.erase(args.begin());
  }
  if (args.empty()) {
    print_overview(std::cerr);
    return exit_code(ErrorKind::Usage);
  }
  const std::string& first = args.front();
  if (first == "--help" || first == "-h" || first == "help") {
    print_overview(std::cout);
    return 0;
  }
  if (first == "--version" || first == "-V") {
    print_version(std::cout);
    return 0;
  }
  // Two-word commands ("queue submit") are looked up before one-word ones.
  size_t words = 1;
  const CommandSpec* cmd = args.size() >= 2 ? find_command(first + " " + args[1]) : nullptr;
  if (cmd != nullptr) {
    words = 2;
  } else {
    cmd = find_command(first);
  }
  if (cmd == nullptr) {
    std::string msg = first.starts_with("-") ? "unknown option '" + first + "'"
                                             : "unknown command '" + first + "'";
    return report("usage error", msg + " (see 'tessera --help')", exit_code(ErrorKind::Usage));
  }
  try {
    return run_command(*cmd, std::vector<std::string>(args.begin() + words, args.end()), &argc,
                       &argv);
  } catch (const po::error& e) {
    return report("usage error",
                  std::string(e.what()) + " (see 'tessera " + cmd->name + " --help')",
                  exit_code(ErrorKind::Usage));
  }
}

}  // namespace tessera::cli

int main(int argc, char** argv) {
  using namespace tessera;
  try {
    return cli::main_impl(argc, argv);
  } catch (const Error& e) {
    return cli::report(error_kind_name(e.kind()), e.what(), e.exit_code());
  } catch (const std::bad_alloc&) {
    return cli::report(error_kind_name(ErrorKind::OutOfMemory), "host memory allocation failed",
                       exit_code(ErrorKind::OutOfMemory));
  } catch (const std::exception& e) {
    return cli::report(error_kind_name(ErrorKind::Internal), e.what(),
                       exit_code(ErrorKind::Internal));
  }
}
