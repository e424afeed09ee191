// `tessera configs`: the named STARK configurations a proof can use (core, recursion, test), each
// with its FRI parameters and its conjectured security in bits, with the formula that gives them
// (stark/config.hpp). Users pick one with `tessera prove --config`; the verifier accepts only these.

#include <iostream>

#include "cli/command.hpp"
#include "stark/config.hpp"

namespace tessera::cli {
namespace {

int run_configs(const po::variables_map&) {
  std::cout << security_report();
  return 0;
}

const bool registered = register_command({
    .name = "configs",
    .summary = "list the proof configurations with their conjectured security bits",
    .synopsis = "",
    .declare = [](po::options_description&, po::positional_options_description&) {},
    .run = run_configs,
    .uses_mpi = false,
});

}  // namespace
}  // namespace tessera::cli
