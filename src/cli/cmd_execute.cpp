// `tessera execute PROGRAM.elf [--input FILE] [--max-cycles N] [--shard-cycles N] [--json]`:
// runs a guest once, as rank 0 does before proving, and reports what the proof would state (exit
// code, public output and its digest, the digest of the input consumed) with what the run cost
// (cycles, instruction mix, shards, MIPS). The guest's debug log (fd 2) goes to stderr. The
// command's own exit status is 0 when the guest ran to its exit — whatever exit code the guest
// chose, which is printed — and the typed error's code otherwise (bad ELF, guest trap, cycle limit,
// unreadable or oversized input).

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "cli/json_writer.hpp"
#include "common/check.hpp"
#include "vm/executor.hpp"
#include "vm/input_file.hpp"
#include "vm/program.hpp"
#include "vm/running_digest.hpp"

namespace tessera::cli {
namespace {

constexpr size_t kTextOutputLimit = 128;  // bytes of public output shown in text mode

std::string to_hex(const uint8_t* p, size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  s.reserve(2 * n);
  for (size_t i = 0; i < n; ++i) {
    s.push_back(kHex[p[i] >> 4]);
    s.push_back(kHex[p[i] & 15]);
  }
  return s;
}

std::string hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

int run_execute(const po::variables_map& args) {
  const std::string program_path = args["program"].as<std::string>();
  const uint64_t max_cycles = args["max-cycles"].as<uint64_t>();
  const uint64_t shard_cycles = args["shard-cycles"].as<uint64_t>();
  const uint32_t max_pages = args["max-pages"].as<uint32_t>();
  if (max_cycles == 0) TESSERA_FAIL(ErrorKind::Usage, "--max-cycles must be positive");
  if (max_pages == 0) TESSERA_FAIL(ErrorKind::Usage, "--max-pages must be positive");
  const bool json = args.count("json") != 0;

  const vm::Program program = vm::Program::load(program_path, max_pages);
  const std::vector<uint8_t> input = args.count("input")
                                         ? vm::read_input_file(args["input"].as<std::string>())
                                         : std::vector<uint8_t>{};

  vm::ExecuteOptions options;
  options.max_cycles = max_cycles;
  options.shard_cycles = shard_cycles;
  options.max_pages = max_pages;
  options.count_instruction_mix = true;
  const vm::ExecutionResult r = vm::execute(program, input, options);

  size_t checkpoint_bytes = 0, checkpoint_pages = 0;
  for (const auto& cp : r.checkpoints) {
    checkpoint_bytes += vm::serialize_checkpoint(cp).size();
    checkpoint_pages += cp.pages.size();
  }
  const std::string digest = vm::digest_hex(r.final_state.output.digest());
  const std::string input_digest = vm::digest_hex(r.final_state.input_digest.digest());
  // MIPS per CPU second of the executing thread (what the executor costs), and per wall second.
  const double cycles = static_cast<double>(r.final_state.cycle);
  const double mips = r.cpu_seconds > 0 ? cycles / r.cpu_seconds / 1e6 : 0;
  const double mips_wall = r.seconds > 0 ? cycles / r.seconds / 1e6 : 0;

  std::vector<std::pair<uint64_t, vm::Op>> mix;
  for (size_t i = 0; i < vm::kOpCount; ++i)
    if (r.instruction_mix[i] != 0) mix.emplace_back(r.instruction_mix[i], static_cast<vm::Op>(i));
  std::sort(mix.begin(), mix.end(), [](const auto& a, const auto& b) { return a.first > b.first; });

  if (!r.debug_output.empty()) {
    std::cerr.write(reinterpret_cast<const char*>(r.debug_output.data()),
                    static_cast<std::streamsize>(r.debug_output.size()));
    std::cerr.flush();
  }

  std::ostringstream os;
  if (json) {
    os << "{\n  \"program\": " << json::str(program_path) << ",\n"
       << "  \"entry\": \"" << hex32(program.entry()) << "\",\n"
       << "  \"exit_code\": " << r.final_state.exit_code << ",\n"
       << "  \"cycles\": " << r.final_state.cycle << ",\n"
       << "  \"public_output_bytes\": " << r.public_output.size() << ",\n"
       << "  \"public_output_hex\": \"" << to_hex(r.public_output.data(), r.public_output.size())
       << "\",\n"
       << "  \"output_digest\": \"" << digest << "\",\n"
       << "  \"input_digest\": \"" << input_digest << "\",\n"
       << "  \"debug_output_bytes\": " << r.debug_output.size() << ",\n"
       << "  \"input_bytes\": " << input.size() << ",\n"
       << "  \"input_consumed\": " << r.final_state.input_cursor << ",\n"
       << "  \"input_eof\": " << (r.final_state.input_eof ? "true" : "false") << ",\n"
       << "  \"resident_pages\": " << r.resident_pages << ",\n"
       << "  \"shard_cycles\": " << shard_cycles << ",\n"
       << "  \"shards\": " << r.checkpoints.size() << ",\n"
       << "  \"checkpoint_bytes\": " << checkpoint_bytes << ",\n"
       << "  \"checkpoint_pages\": " << checkpoint_pages << ",\n"
       << "  \"seconds\": " << json::num(r.seconds) << ",\n"
       << "  \"cpu_seconds\": " << json::num(r.cpu_seconds) << ",\n"
       << "  \"mips\": " << json::num(mips) << ",\n"
       << "  \"mips_wall\": " << json::num(mips_wall) << ",\n"
       << "  \"instruction_mix\": {";
    for (size_t i = 0; i < mix.size(); ++i)
      os << (i ? ", " : "") << '"' << vm::op_name(mix[i].second) << "\": " << mix[i].first;
    os << "}\n}\n";
  } else {
    const size_t shown = std::min(r.public_output.size(), kTextOutputLimit);
    os << "program        " << program_path << " (entry " << hex32(program.entry()) << ", "
       << (program.text_end() - program.text_begin()) << " bytes of text)\n"
       << "exit code      " << r.final_state.exit_code << '\n'
       << "cycles         " << r.final_state.cycle << '\n'
       << "public output  " << r.public_output.size()
       << " bytes: " << to_hex(r.public_output.data(), shown)
       << (shown < r.public_output.size() ? " ... (first " + std::to_string(shown) + " bytes shown)"
                                          : std::string())
       << '\n'
       << "output digest  " << digest << " (Poseidon2, one byte per element)\n"
       << "input digest   " << input_digest << " (of the bytes read)\n"
       << "input          " << r.final_state.input_cursor << " of " << input.size() << " bytes read"
       << (r.final_state.input_eof ? ", end of input reached" : "") << '\n'
       << "memory         " << r.resident_pages << " pages of 1 KiB resident\n";
    if (shard_cycles != 0) {
      os << "shards         " << r.checkpoints.size() << " of up to " << shard_cycles
         << " cycles; checkpoints " << checkpoint_pages << " pages, " << checkpoint_bytes
         << " bytes serialised\n";
    } else {
      os << "shards         1 (no --shard-cycles: no checkpoints)\n";
    }
    char speed[128];
    std::snprintf(speed, sizeof speed,
                  "%.4f s CPU, %.1f MIPS (%.4f s wall; instruction mix counted)", r.cpu_seconds,
                  mips, r.seconds);
    os << "time           " << speed << '\n' << "instruction mix";
    for (size_t i = 0; i < mix.size(); ++i) {
      char line[64];
      std::snprintf(
          line, sizeof line, "%s%-7s %12llu %5.1f%%", i % 3 == 0 ? "\n  " : "   ",
          std::string(vm::op_name(mix[i].second)).c_str(),
          static_cast<unsigned long long>(mix[i].first),
          100.0 * static_cast<double>(mix[i].first) / static_cast<double>(r.final_state.cycle));
      os << line;
    }
    os << '\n';
  }
  std::cout << os.str() << std::flush;
  return 0;
}

const bool registered = register_command({
    .name = "execute",
    .summary = "run an RV32IM guest program and report its output, cycles and shards",
    .synopsis = "PROGRAM.elf [--input FILE] [--max-cycles N] [--shard-cycles N] [--json]",
    .declare =
        [](po::options_description& opts, po::positional_options_description& pos) {
          opts.add_options()("program", po::value<std::string>()->required(),
                             "the guest ELF (RV32IM, statically linked)")(
              "input", po::value<std::string>(),
              "file of private input bytes (read by fd 0; at most 2^30 bytes)")(
              "max-cycles", po::value<uint64_t>()->default_value(vm::kDefaultMaxCycles),
              "fail with a cycle-limit error if the guest has not halted after N cycles")(
              "shard-cycles", po::value<uint64_t>()->default_value(0),
              "cut the run into shards of N cycles and record a checkpoint at each boundary")(
              "max-pages", po::value<uint32_t>()->default_value(vm::kDefaultMaxPages),
              "guest memory limit in 1 KiB pages")("json", "print a JSON object instead of text");
          pos.add("program", 1);
        },
    .run = run_execute,
    .uses_mpi = false,
});

}  // namespace
}  // namespace tessera::cli
