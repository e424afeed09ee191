// `tessera queue submit DIR (--elf F [--input F] | --machine hashchain --steps N) [--priority P]
//                       [--config C] [--name NAME] [--json]`
//
// Adds a request to the queue in DIR (creating the queue if there is none) and prints its id.
// A guest program's ELF and input are copied into the spool first (DIR/inputs/ID/, readable by
// the owner only: the input is private), so the request never depends on files that may change;
// then the request file appears in DIR/queued/ by one rename (docs/QUEUE.md). A hash chain's
// parameters are checked here (a chain that cannot be built is refused now, not at drain time);
// a guest program is only copied: a bad ELF fails when a drain takes it, with its reason.

#include <unistd.h>

#include <climits>
#include <iostream>

#include "cli/command.hpp"
#include "cli/json_writer.hpp"
#include "cli/machine_factory.hpp"
#include "cli/request_options.hpp"
#include "common/check.hpp"
#include "queue/spool.hpp"

namespace tessera::cli {
namespace {

std::string user_name() {
  if (const char* u = std::getenv("USER"); u != nullptr && *u != '\0') return u;
  return std::to_string(::getuid());
}

int run_submit(const po::variables_map& args) {
  const RequestSpec spec = request_from_options(args);
  queue::QueueRequest r;
  r.id = queue::new_request_id();
  r.name = args.count("name") ? args["name"].as<std::string>() : "";
  queue::check_one_line(r.name, "--name");
  r.priority = args["priority"].as<int64_t>();
  r.submitted = queue::unix_now();
  r.user = user_name();
  r.host = queue::ClaimToken::mine().host;
  r.machine = spec.machine;
  r.parameters = spec.parameters;
  for (const auto& [k, v] : r.parameters) queue::check_one_line(v, "parameter " + k);
  std::vector<std::pair<std::string, std::filesystem::path>> files;
  if (spec.elf) {
    TESSERA_CHECK(std::filesystem::is_regular_file(*spec.elf), ErrorKind::InputFile,
                  "cannot read the program '" << spec.elf->string() << "'");
    files.emplace_back("program.elf", *spec.elf);
    r.parameters["elf"] = "inputs/" + r.id + "/program.elf";
    if (spec.input) {
      TESSERA_CHECK(std::filesystem::is_regular_file(*spec.input), ErrorKind::InputFile,
                    "cannot read the input file '" << spec.input->string() << "'");
      files.emplace_back("input", *spec.input);
      r.parameters["input"] = "inputs/" + r.id + "/input";
    }
  } else {
    make_machine(r.machine, r.parameters);  // a chain that cannot be built is refused now
  }
  queue::Spool spool(args["queue"].as<std::string>(), /*create=*/true);
  spool.submit(r, files);
  if (args.count("json")) {
    std::cout << "{\"id\": " << json::str(r.id)
              << ", \"queue\": " << json::str(spool.dir().string()) << ", \"state\": \"queued\"}\n";
  } else {
    std::cout << r.id << '\n';
  }
  return 0;
}

const bool registered = register_command({
    .name = "queue submit",
    .summary = "add a proof request to a queue (a spool folder) and print its id",
    .synopsis =
        "DIR (--elf PROGRAM.elf [--input FILE [--keep-input]] | --machine hashchain --steps N) "
        "[--priority P] [--config C] [--name NAME] [--json]",
    .declare =
        [](po::options_description& o, po::positional_options_description& pos) {
          o.add_options()("queue", po::value<std::string>()->required(),
                          "the queue's folder (created if missing)");
          declare_request_options(o);
          o.add_options()("priority", po::value<int64_t>()->default_value(0),
                          "higher is proven first (then oldest first)")(
              "name", po::value<std::string>(), "a label shown by 'queue status'")(
              "json", "print {\"id\": ...} instead of the bare id");
          pos.add("queue", 1);
        },
    .run = run_submit,
    .uses_mpi = false,
});

}  // namespace
}  // namespace tessera::cli
