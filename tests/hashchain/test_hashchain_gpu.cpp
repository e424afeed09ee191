// The hash chain and the Poseidon2 AIR through the CUDA backend (CUDA constraint fold of
// kernels/poseidon2_air_quotient.cu, CUDA LDE and Merkle): shard proofs byte-identical to the
// CPU's, also in lockstep mode. Skips without a device.
#include <gtest/gtest.h>

#include <random>

#include "air/hashchain_machine.hpp"
#include "air/poseidon2_air.hpp"
#include "backend/backend.hpp"
#include "backend/cpu_backend.hpp"
#include "backend/device.hpp"
#include "stark/keys.hpp"
#include "stark/proof.hpp"
#include "stark/prover.hpp"

namespace tessera {
namespace {

class HashchainGpu : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!cuda_compiled() || cuda_device_count() == 0) GTEST_SKIP() << "no CUDA device";
  }
};

TEST_F(HashchainGpu, ShardProofsAreByteIdenticalToTheCpu) {
  for (const HashchainParams& p :
       {HashchainParams{64, 16, 3, "test"},
        HashchainParams{uint64_t{1} << 12, uint64_t{1} << 11, 4, "core"}}) {
    const HashchainMachine m(p);
    const auto checkpoints = m.execute();
    CpuBackend cpu;
    const auto expected = m.prove_shard(1, checkpoints[1], cpu);
    for (const char* name : {"cuda", "lockstep"}) {
      auto backend = make_backend(name);
      EXPECT_EQ(m.prove_shard(1, checkpoints[1], *backend), expected) << name;
    }
    EXPECT_NO_THROW(m.verify_shard(1, expected));
  }
}

TEST_F(HashchainGpu, Poseidon2TableWithBusIsByteIdentical) {
  Machine m("p2");
  const Poseidon2Air air({"poseidon2", Poseidon2Bus{3, InteractionKind::Send}});
  const Poseidon2Air receiver({"poseidon2_rx", Poseidon2Bus{3, InteractionKind::Receive}});
  m.add(air);
  m.add(receiver);
  std::mt19937_64 rng(5);
  std::vector<Poseidon2State> inputs(300);
  for (auto& s : inputs)
    for (auto& x : s) x = BabyBear::from_u64(rng() % BabyBear::kModulus);
  const auto make = [&] {
    std::vector<TableWitness> w;
    w.push_back({air.generate_trace(inputs), {}});
    w.push_back({receiver.generate_trace(inputs, {}, 1024), {}});
    return w;
  };
  CpuBackend cpu;
  const auto expected = serialize_shard_proof(prove(m, setup(m, "test", cpu), make(), cpu));
  auto backend = make_backend("cuda");
  EXPECT_EQ(serialize_shard_proof(prove(m, setup(m, "test", *backend), make(), *backend)),
            expected);
}

}  // namespace
}  // namespace tessera
