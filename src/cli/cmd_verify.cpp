// `tessera verify FILE.h5 [--json] [--allow-insecure]`: checks an artifact alone, in one process,
// trusting nothing in it but the request: the machine is rebuilt from /request, every shard
// proof is read back, checked against its checksum and verified, the reduction tree is evaluated
// again with the same plan and node step as the pipeline's, the root is checked against the
// request, and the stored statements (/shards/statements, /tree, /final) must equal the
// recomputed ones. Exit 0 when all holds; 7 (verification failed) for an incomplete or invalid
// artifact; 8 for corrupted bytes; 3 for a missing file; 9 for a `test`-configuration artifact
// without --allow-insecure.

#include <iostream>
#include <optional>
#include <sstream>

#include "cli/command.hpp"
#include "cli/json_writer.hpp"
#include "cli/machine_factory.hpp"
#include "common/check.hpp"
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
};

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
      std::cout << "}, \"error\": null}" << std::endl;
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
