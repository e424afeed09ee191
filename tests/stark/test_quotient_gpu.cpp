// The CUDA constraint fold (kernels/quotient.cuh) against the CPU fold, on seeded random inputs
// of several sizes, for every AIR with a CUDA instantiation; and whole proofs with the CUDA (and
// lockstep) backend byte-identical to the CPU's. Skips without a device.
#include <gtest/gtest.h>

#include <random>

#include "backend/backend.hpp"
#include "backend/device.hpp"
#include "field/field_ops.hpp"
#include "stark_test_util.hpp"

namespace tessera {
namespace {

class QuotientGpu : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!cuda_compiled() || cuda_device_count() == 0) GTEST_SKIP() << "no CUDA device";
  }
};

RowMajorMatrix<BabyBear> random_matrix(size_t width, size_t height, std::mt19937_64& rng) {
  RowMajorMatrix<BabyBear> m(width, height);
  for (auto& x : m.values()) x = BabyBear::from_u64(rng() % BabyBear::kModulus);
  return m;
}
std::vector<BabyBear> random_vec(size_t n, std::mt19937_64& rng) {
  std::vector<BabyBear> v(n);
  for (auto& x : v) x = BabyBear::from_u64(rng() % BabyBear::kModulus);
  return v;
}
BabyBear4 random_ext(std::mt19937_64& rng) {
  const auto v = random_vec(4, rng);
  return {v[0], v[1], v[2], v[3]};
}

void compare_folds(const Machine& m, size_t t, uint32_t log_n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  const TableLayout& l = m.layout(t);
  const uint32_t log_q = log_n + l.log_quotient_degree;
  const size_t nq = size_t{1} << log_q;
  const auto main = random_matrix(l.width, nq, rng);
  const auto prep = random_matrix(l.preprocessed_width, nq, rng);
  const auto perm = random_matrix(l.permutation_width(), nq, rng);
  const auto first = random_vec(nq, rng), last = random_vec(nq, rng),
             transition = random_vec(nq, rng), inv = random_vec(nq, rng);
  const auto pv = random_vec(l.num_public_values, rng);
  const auto alpha = powers(random_ext(rng), l.num_constraints());
  const auto gamma = logup_gamma_powers(random_ext(rng), l.logup.max_arity);
  QuotientFoldInputs in;
  in.log_n = log_n;
  in.log_quotient_size = log_q;
  in.main = &main;
  in.preprocessed = l.preprocessed_width > 0 ? &prep : nullptr;
  in.permutation = l.has_interactions() ? &perm : nullptr;
  in.is_first_row = first;
  in.is_last_row = last;
  in.is_transition = transition;
  in.inv_vanishing = inv;
  in.public_values = pv;
  in.alpha_powers = alpha;
  in.beta = random_ext(rng);
  in.gamma_powers = gamma;
  in.batch_end = l.logup.batch_end;
  in.cumulative_sum = random_ext(rng);
  std::vector<BabyBear4> cpu(nq), gpu(nq);
  m.table(t).fold_on_domain(in, cpu);
  ASSERT_TRUE(m.table(t).fold_on_device(in, gpu)) << l.name << " has no CUDA fold";
  for (size_t i = 0; i < nq; ++i) ASSERT_EQ(cpu[i], gpu[i]) << l.name << " point " << i;
}

TEST_F(QuotientGpu, FoldMatchesCpuForEveryAir) {
  Machine m("gpu-airs");
  m.add(FibonacciAir{});
  m.add(test::range_limbs_air());
  RangeTableAir r;
  r.bits = 4;
  r.bus = 7;
  m.add(r);
  for (size_t t = 0; t < m.num_tables(); ++t) {
    for (uint32_t log_n : {0u, 1u, 5u, 12u, 17u}) compare_folds(m, t, log_n, 100 * t + log_n);
  }
}

TEST_F(QuotientGpu, CudaBackendProofIsByteIdentical) {
  const Machine m = test::range_machine();
  const auto cpu = test::prove_with(m, test::range_tables(9, 8));
  for (const char* name : {"cuda", "lockstep"}) {
    auto backend = make_backend(name);
    const ProvingKey pk = setup(m, "test", *backend);
    const ShardProof p = prove(m, pk, test::range_tables(9, 8), *backend);
    EXPECT_EQ(serialize_shard_proof(p), cpu.bytes) << name;
  }
}

}  // namespace
}  // namespace tessera
