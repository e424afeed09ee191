// The core node step and the in-process tree (what tessera verify runs): the root of a correct
// chain is its whole statement; a tampered proof, a proof offered for another shard and
// statements that do not chain are each rejected with ErrorKind::VerifyFailed; tree node
// messages round-trip.
#include <gtest/gtest.h>

#include "mpi/tree_step.hpp"
#include "tests/pipeline/recompute_chain_machine.hpp"

namespace tessera::mpi {
namespace {

using tessera::testing::prove_every_shard;
using tessera::testing::RecomputeChainMachine;

TEST(TreeStep, RootOfAChainIsTheWholeStatement) {
  for (uint64_t n : {1, 2, 3, 9}) {
    RecomputeChainMachine m(n, 4, 1);
    const auto proofs = prove_every_shard(m);
    const TreePlan plan(n);
    const CoreTreeStep step(m);
    const TreeEvaluation ev =
        evaluate_tree(plan, step, [&](uint64_t s) { return TreeNode::shard(s, proofs[s]); });
    EXPECT_EQ(ev.root.first_shard, 0u);
    EXPECT_EQ(ev.root.end_shard, n);
    EXPECT_EQ(ev.root.start_state, m.initial_state());
    Digest h = m.start();
    for (uint64_t s = 0; s < n; ++s) h = m.advance(h, s);
    EXPECT_EQ(ev.root.end_state, RecomputeChainMachine::state(h, n * 4));
    EXPECT_NO_THROW(m.check_root(ev.root));
    for (uint64_t s = 0; s < n; ++s) EXPECT_EQ(ev.leaf_statements[s].first_shard, s);
  }
}

ErrorKind failure_of(const std::function<void()>& f, std::string* what = nullptr) {
  try {
    f();
  } catch (const Error& e) {
    if (what) *what = e.what();
    return e.kind();
  }
  return ErrorKind::Internal;
}

TEST(TreeStep, TamperedProofIsRejected) {
  RecomputeChainMachine m(4, 4, 2);
  auto proofs = prove_every_shard(m);
  proofs[2][20] ^= 1;  // inside the claimed end digest
  const TreePlan plan(4);
  const CoreTreeStep step(m);
  std::string what;
  EXPECT_EQ(failure_of(
                [&] {
                  evaluate_tree(plan, step,
                                [&](uint64_t s) { return TreeNode::shard(s, proofs[s]); });
                },
                &what),
            ErrorKind::VerifyFailed);
  EXPECT_NE(what.find("shard 2"), std::string::npos) << what;
}

TEST(TreeStep, ProofOfAnotherShardIsRejected) {
  RecomputeChainMachine m(4, 4, 3);
  const auto proofs = prove_every_shard(m);
  const CoreTreeStep step(m);
  EXPECT_EQ(
      failure_of([&] { step.merge(TreeNode::shard(0, proofs[0]), TreeNode::shard(1, proofs[0])); }),
      ErrorKind::VerifyFailed);
}

TEST(TreeStep, StatementsThatDoNotChainAreRejected) {
  // Two valid shard proofs of different chains: each verifies, the link does not.
  RecomputeChainMachine a(2, 4, 4), b(2, 4, 5);
  const auto pa = prove_every_shard(a), pb = prove_every_shard(b);
  const CoreTreeStep step(a);
  std::string what;
  TreeNode left = TreeNode::shard(0, pa[0]);
  TreeNode right;
  right.first_shard = 1;
  right.end_shard = 2;
  right.statement = b.verify_shard(1, pb[1]);  // an internal-looking child with b's statement
  EXPECT_EQ(failure_of([&] { step.merge(left, right); }, &what), ErrorKind::VerifyFailed);
  EXPECT_NE(what.find("do not chain"), std::string::npos) << what;
}

TEST(TreeStep, NodeMessagesRoundTrip) {
  TreeNode n;
  n.first_shard = 4;
  n.end_shard = 8;
  n.statement = ShardStatement{4, 8, {BabyBear::from_u32(1)}, {BabyBear::from_u32(2)}};
  n.proof = {1, 2, 3};
  ByteWriter w;
  write_tree_node(w, n);
  ByteReader r(w.data());
  const TreeNode back = read_tree_node(r);
  EXPECT_EQ(back.first_shard, 4u);
  EXPECT_EQ(back.end_shard, 8u);
  EXPECT_FALSE(back.leaf);
  EXPECT_EQ(back.statement, n.statement);
  EXPECT_EQ(back.proof, n.proof);
  auto truncated = w.data();
  truncated.pop_back();
  ByteReader r2(truncated);
  EXPECT_THROW(read_tree_node(r2), Error);
}

}  // namespace
}  // namespace tessera::mpi
