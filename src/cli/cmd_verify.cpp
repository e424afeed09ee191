// `tessera verify FILE.h5 [--json] [--allow-insecure]`: checks an artifact alone, in one process,
// trusting nothing in it but the request: the machine is rebuilt from /request, every shard
// proof is read back, checked against its checksum and verified, the reduction tree is evaluated
// again with the same plan and node step as the pipeline's, the root is checked against the
// request, and the stored statements (/shards/statements, /tree, /final) must equal the
// recomputed ones, as must /final's readable copies of the root (first_shard, end_shard,
// start_state, end_state) and its `verified` flag. For a guest (rv32im) the public output stored
// in /final/output must be the bytes whose running digest and length the root statement proves;
// only then is it printed (hex, and text when it is printable), with the exit code and the cycles.
// Exit 0 when all holds; 7 (verification failed) for an incomplete or invalid artifact; 8 for
// corrupted bytes; 3 for a missing file; 9 for a `test`-configuration artifact without
// --allow-insecure.

#include <iostream>
#include <optional>
#include <sstream>

#include "cli/command.hpp"
#include "cli/json_writer.hpp"
#include "cli/machine_factory.hpp"
#include "common/check.hpp"
#include "machine/rv32im_machine.hpp"
#include "vm/running_digest.hpp"
#include "io/artifact.hpp"
#include "io/checksum.hpp"
#include "mpi/tree_plan.hpp"
#include "mpi/tree_step.hpp"
#include "stark/config.hpp"

namespace tessera::cli {
namespace {

struct Verified {
  ArtifactRequest request;
  ShardStatement root;
  uint64_t proof_bytes = 0;
  std::vector<std::pair<std::string, std::string>> result;  // the machine's reading of the root
  // A guest's run (rv32im): exit code and cycles from the root; the output bytes when the
  // artifact records them (checked against the root's output digest and length).
  struct Guest {
    uint32_t exit_code = 0;
    uint64_t cycles = 0;
    uint64_t output_length = 0;  // proven by the root
    std::optional<std::vector<uint8_t>> output;
  };
  std::optional<Guest> guest;
};

std::string hex_of(const std::vector<uint8_t>& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 15]);
  }
  return out;
}

// Text when every byte is printable ASCII, a newline, a carriage return or a tab.
std::optional<std::string> text_of(const std::vector<uint8_t>& bytes) {
  for (uint8_t b : bytes)
    if (!((b >= 0x20 && b < 0x7f) || b == '\n' || b == '\r' || b == '\t')) return std::nullopt;
  return std::string(bytes.begin(), bytes.end());
}

std::vector<uint32_t> u32s(const std::vector<BabyBear>& s) {
  std::vector<uint32_t> out;
  for (BabyBear x : s) out.push_back(x.as_u32());
  return out;
}

// /final's values that a reader may take as the result, each against the verified root.
void check_final_values(const std::string& path, const FinalRecord& fin, const ShardStatement& root) {
  TESSERA_CHECK(fin.readable.has_value(), ErrorKind::VerifyFailed,
                "artifact '" << path << "': /final lacks the root's start_state and end_state");
  const FinalRecord::Readable& v = *fin.readable;
  const auto differs = [&](const char* what) {
    TESSERA_FAIL(ErrorKind::VerifyFailed, "artifact '" << path << "': " << what
                                                       << " differs from the root statement the "
                                                          "proofs establish");
  };
  if (v.first_shard != root.first_shard) differs("/final attribute first_shard");
  if (v.end_shard != root.end_shard) differs("/final attribute end_shard");
  if (v.start_state != u32s(root.start_state)) differs("/final/start_state");
  if (v.end_state != u32s(root.end_state)) differs("/final/end_state");
  TESSERA_CHECK(fin.verified, ErrorKind::VerifyFailed,
                "artifact '" << path << "': /final attribute verified says 0, but the root "
                             << "verifies (the file was edited)");
}

// The public output stored in /final/output against the root's output digest and length.
std::optional<Verified::Guest> check_output(const std::string& path, const ShardedMachine& machine,
                                            const FinalRecord& fin, const ShardStatement& root) {
  if (machine.name() != "rv32im") {
    TESSERA_CHECK(!fin.public_output.has_value(), ErrorKind::VerifyFailed,
                  "artifact '" << path << "': /final/output holds bytes, but a "
                               << machine.name() << " run has no public output");
    return std::nullopt;
  }
  const rv32im::MachineStatement end = rv32im::Rv32imMachine::decode_state(root.end_state);
  Verified::Guest g;
  g.exit_code = end.exit_code;
  g.cycles = end.cycle;
  g.output_length = end.output.byte_count();
  if (fin.public_output) {
    vm::RunningDigest d = vm::RunningDigest::output();
    d.absorb(*fin.public_output);
    TESSERA_CHECK(d == end.output, ErrorKind::VerifyFailed,
                  "artifact '" << path << "': /final/output (" << fin.public_output->size()
                               << " bytes, digest " << vm::digest_hex(d.digest())
                               << ") is not the output the proofs establish ("
                               << end.output.byte_count() << " bytes, digest "
                               << vm::digest_hex(end.output.digest()) << ")");
    g.output = fin.public_output;
  }
  return g;
}

Verified verify_artifact(const std::string& path, bool allow_insecure) {
  Artifact art = Artifact::open(path, Artifact::Mode::ReadOnly, std::nullopt);
  const ArtifactRequest& req = art.request();
  std::unique_ptr<ShardedMachine> machine;
  try {
    machine = make_machine(req.machine, req.parameters, req.blobs);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::InvalidArgument) throw;
    TESSERA_FAIL(ErrorKind::Format, "artifact '" << path << "' records a request this build cannot "
                                                 << "rebuild: " << e.what());
  }
  TESSERA_CHECK(request_of(*machine).fingerprint() == req.fingerprint(), ErrorKind::Format,
                "artifact '" << path << "': the recorded request is inconsistent (its shard count "
                             << "or initial state is not the one its parameters define)");
  if (stark_config(machine->config_name()).insecure() && !allow_insecure)
    TESSERA_FAIL(ErrorKind::ConfigMismatch,
                 "artifact '" << path << "' was proven with the insecure '"
                              << machine->config_name()
                              << "' configuration; pass --allow-insecure to verify it anyway");

  const uint64_t n = req.num_shards;
  const uint64_t missing = n - art.count(ShardStatus::Proven);
  if (missing > 0) {
    std::ostringstream first;
    uint64_t shown = 0;
    for (uint64_t i = 0; i < n && shown < 8; ++i) {
      if (art.shards()[i].status == ShardStatus::Proven) continue;
      first << (shown++ ? ", " : "") << i;
    }
    TESSERA_FAIL(ErrorKind::VerifyFailed, "artifact '"
                                              << path << "' is incomplete: " << missing << " of "
                                              << n << " shards have no proof (" << first.str()
                                              << (missing > 8 ? ", ..." : "")
                                              << "); continue it with tessera prove --resume");
  }
  std::vector<uint64_t> all(n);
  for (uint64_t i = 0; i < n; ++i) all[i] = i;
  const std::vector<std::vector<uint8_t>> proofs = art.read_proofs(all);
  Verified out;
  for (uint64_t i = 0; i < n; ++i) {
    TESSERA_CHECK(fnv1a64(proofs[i]) == art.shards()[i].checksum, ErrorKind::Format,
                  "artifact '" << path << "': shard " << i
                               << "'s proof bytes do not match their checksum (corrupted)");
    out.proof_bytes += proofs[i].size();
  }

  const mpi::TreePlan plan(n);
  const mpi::CoreTreeStep step(*machine);
  const mpi::TreeEvaluation ev = mpi::evaluate_tree(
      plan, step, [&](uint64_t s) { return mpi::TreeNode::shard(s, proofs[s]); });
  machine->check_root(ev.root);

  const std::optional<FinalRecord> fin = art.read_final();
  TESSERA_CHECK(fin.has_value(), ErrorKind::VerifyFailed,
                "artifact '" << path << "' has every proof but no final statement (/final); "
                             << "finish it with tessera prove --resume");
  TESSERA_CHECK(fin->root_statement == statement_bytes(ev.root), ErrorKind::VerifyFailed,
                "artifact '" << path << "': the stored final statement differs from the root "
                             << "the proofs establish");
  for (uint64_t i = 0; i < n; ++i)
    TESSERA_CHECK(fin->leaf_statements[i] == statement_bytes(ev.leaf_statements[i]),
                  ErrorKind::VerifyFailed,
                  "artifact '" << path << "': the stored statement of shard " << i
                               << " differs from the one its proof establishes");
  TESSERA_CHECK(fin->tree.size() == plan.internal().size(), ErrorKind::VerifyFailed,
                "artifact '" << path << "': /tree has " << fin->tree.size() << " nodes, the plan "
                             << plan.internal().size());
  for (size_t j = 0; j < fin->tree.size(); ++j) {
    const auto& t = fin->tree[j];
    const auto& p = plan.internal()[j];
    TESSERA_CHECK(t.first_shard == p.first_shard && t.end_shard == p.end_shard &&
                      t.left == p.left && t.right == p.right && t.level == p.level &&
                      t.statement == statement_bytes(ev.internal_statements[j]),
                  ErrorKind::VerifyFailed,
                  "artifact '" << path << "': tree node " << j << " (shards [" << p.first_shard
                               << ", " << p.end_shard << ")) differs from the recomputed one");
  }
  check_final_values(path, *fin, ev.root);
  out.guest = check_output(path, *machine, *fin, ev.root);
  out.request = req;
  out.root = ev.root;
  out.result = machine->describe_root(ev.root);
  return out;
}

std::string state_list(const std::vector<BabyBear>& s, const char* sep) {
  std::ostringstream os;
  for (size_t i = 0; i < s.size(); ++i) os << (i ? sep : "") << s[i].as_u32();
  return os.str();
}

int run_verify(const po::variables_map& args) {
  const std::string path = args["artifact"].as<std::string>();
  const bool json_out = args.count("json") != 0;
  try {
    const Verified v = verify_artifact(path, args.count("allow-insecure") != 0);
    if (json_out) {
      std::cout << "{\"artifact\": " << json::str(path)
                << ", \"verified\": true, \"machine\": " << json::str(v.request.machine)
                << ", \"config\": " << json::str(v.request.config)
                << ", \"shards\": " << v.request.num_shards
                << ", \"proof_bytes\": " << v.proof_bytes
                << ", \"root\": {\"first_shard\": " << v.root.first_shard
                << ", \"end_shard\": " << v.root.end_shard << ", \"start_state\": ["
                << state_list(v.root.start_state, ", ") << "], \"end_state\": ["
                << state_list(v.root.end_state, ", ") << "]}, \"result\": {";
      for (size_t i = 0; i < v.result.size(); ++i) {
        std::cout << (i ? ", " : "") << json::str(v.result[i].first) << ": "
                  << json::str(v.result[i].second);
      }
      std::cout << "}, \"guest\": ";
      if (v.guest) {
        const auto& g = *v.guest;
        std::cout << "{\"exit_code\": " << g.exit_code << ", \"cycles\": " << g.cycles
                  << ", \"output_bytes\": " << g.output_length << ", \"output\": ";
        if (g.output) {
          const auto text = text_of(*g.output);
          std::cout << "{\"hex\": " << json::str(hex_of(*g.output))
                    << ", \"text\": " << (text ? json::str(*text) : std::string("null")) << '}';
        } else {
          std::cout << "null";
        }
        std::cout << '}';
      } else {
        std::cout << "null";
      }
      std::cout << ", \"error\": null}" << std::endl;
    } else {
      std::cout << "verified   " << path << '\n'
                << "request    " << v.request.describe() << '\n'
                << "shards     " << v.request.num_shards << " proofs (" << v.proof_bytes
                << " bytes), reduction tree and root statement\n"
                << "statement  shards [" << v.root.first_shard << ", " << v.root.end_shard << "): ["
                << state_list(v.root.start_state, " ") << "] -> ["
                << state_list(v.root.end_state, " ") << "]\n";
      for (const auto& [k, val] : v.result) {
        std::cout << "result     " << k << ' ' << val << '\n';
      }
      if (v.guest) {
        const auto& g = *v.guest;
        std::cout << "exit code  " << g.exit_code << '\n' << "cycles     " << g.cycles << '\n';
        if (!g.output) {
          std::cout << "output     " << g.output_length
                    << " bytes, not recorded in this artifact (only their digest is proven)\n";
        } else {
          std::cout << "output     " << g.output->size() << " bytes, hex "
                    << (g.output->empty() ? std::string("(empty)") : hex_of(*g.output)) << '\n';
          if (const auto text = text_of(*g.output); text && !text->empty()) {
            // The text as the guest wrote it, each line indented (a trailing newline is implied).
            std::string t = *text;
            if (t.back() == '\n') t.pop_back();
            std::cout << "text       ";
            for (char c : t) std::cout << c << (c == '\n' ? "           " : "");
            std::cout << '\n';
          }
        }
      }
    }
    return 0;
  } catch (const Error& e) {
    if (json_out) {
      std::cout << "{\"artifact\": " << json::str(path) << ", \"verified\": false, \"error\": "
                << "{\"kind\": " << json::str(error_kind_name(e.kind()))
                << ", \"exit_code\": " << e.exit_code() << ", \"message\": " << json::str(e.what())
                << "}}" << std::endl;
    }
    throw;
  }
}

const bool registered = register_command({
    .name = "verify",
    .summary = "verify an artifact alone: every shard proof, the tree and the root statement",
    .synopsis = "FILE.h5 [--json] [--allow-insecure]",
    .declare =
        [](po::options_description& o, po::positional_options_description& p) {
          o.add_options()("artifact", po::value<std::string>()->required(), "the HDF5 artifact")(
              "json", "print the result as JSON")(
              "allow-insecure", "accept an artifact proven with the insecure test configuration");
          p.add("artifact", 1);
        },
    .run = run_verify,
    .uses_mpi = false,
});

}  // namespace
}  // namespace tessera::cli
